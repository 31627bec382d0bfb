/**
 * Least privilege for the identities (C6): each role on the one resource it
 * is for (a container, the key, the account with a condition on container
 * names), never on a resource group or subscription. The only broader roles
 * are the ones Azure ML documents for a user-assigned workspace identity
 * (Contributor on its workspace, storage, vault and Application Insights;
 * Key Vault Administrator on its vault), which the policy pack lists as
 * configured exceptions. Role definition ids are built from the deploying
 * subscription, so the program carries no subscription path.
 */
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { ROLE_IDS } from "../../policy-pack/lib/ml-workspace-roles";
import { AzureContext, childOpts } from "./context";

/** Built-in role GUIDs (the same in every tenant). */
export const BUILTIN_ROLES = {
  storageBlobDataReader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  keyVaultCryptoServiceEncryptionUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
  // Storage Blob Data Contributor, and the ML workspace identity's Contributor and Key Vault Administrator.
  ...ROLE_IDS,
} as const;

/** Prefix of the containers Azure ML creates in its workspace storage (`azureml`, `azureml-blobstore-<guid>`, ...). */
export const AZUREML_CONTAINER_PREFIX = "azureml";

/**
 * ABAC condition (version 2.0) that limits a blob data role to containers
 * whose name starts with `prefix`: every blob action of the role is allowed
 * only there.
 */
export function containerPrefixCondition(prefix: string): string {
  return (
    "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})" +
    " AND !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'})" +
    " AND !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'})" +
    " AND !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action'})" +
    " AND !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action'}))" +
    ` OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringStartsWith '${prefix}'))`
  );
}

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
  /** Whose role it is, for the description: "training", "storage encryption", "ML workspace". */
  readonly holder: string;
  /** ABAC condition (version 2.0) narrowing the role. */
  readonly condition?: string;
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
      description: `${grant.role} for the ${grant.holder} identity of ${ctx.name}`,
      ...(grant.condition ? { condition: grant.condition, conditionVersion: "2.0" } : {}),
    },
    childOpts(ctx, opts),
  );
}
