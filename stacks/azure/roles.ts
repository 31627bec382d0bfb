/**
 * Least privilege for the workload identity (C6): three data-plane roles,
 * each on the one resource it is for (a container, the key), never on the
 * account, resource group or subscription, and never an owner/contributor
 * role. Role definition ids are built from the deploying subscription, so the
 * program carries no subscription path.
 */
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { AzureContext, childOpts } from "./context";

/** Built-in role GUIDs (the same in every tenant). */
export const BUILTIN_ROLES = {
  storageBlobDataReader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  keyVaultCryptoServiceEncryptionUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
} as const;

export type BuiltinRole = keyof typeof BUILTIN_ROLES;

/** `/subscriptions/<sub>/providers/Microsoft.Authorization/roleDefinitions/<guid>` */
export function roleDefinitionId(subscriptionId: pulumi.Input<string>, role: BuiltinRole): pulumi.Output<string> {
  return pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${BUILTIN_ROLES[role]}`;
}

/**
 * A GUID fixed by scope, role and principal, as ARM templates' `guid()`: the
 * same assignment always has the same name, so re-deploys are idempotent.
 */
export function assignmentGuid(...parts: string[]): string {
  const h = crypto.createHash("sha256").update(parts.join("|")).digest("hex");
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface RoleGrant {
  /** Logical-name suffix. */
  readonly label: string;
  readonly role: BuiltinRole;
  /** Resource id of the one resource the role applies to. */
  readonly scope: pulumi.Input<string>;
}

export function grantRole(
  ctx: AzureContext,
  subscriptionId: pulumi.Input<string>,
  principalId: pulumi.Input<string>,
  grant: RoleGrant,
  opts: pulumi.CustomResourceOptions = {},
): authorization.RoleAssignment {
  const definition = roleDefinitionId(subscriptionId, grant.role);
  return new authorization.RoleAssignment(
    `${ctx.name}-ra-${grant.label}`,
    {
      scope: grant.scope,
      roleDefinitionId: definition,
      principalId,
      // A managed identity: telling Azure skips the directory lookup that fails right after creation.
      principalType: authorization.PrincipalType.ServicePrincipal,
      roleAssignmentName: pulumi
        .all([grant.scope, definition, principalId])
        .apply(([scope, def, principal]) => assignmentGuid(scope, def, principal)),
      description: `${grant.role} for the training identity of ${ctx.name}`,
    },
    childOpts(ctx, opts),
  );
}
