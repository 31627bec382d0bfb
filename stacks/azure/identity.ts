/**
 * User-assigned managed identities (C6), one per job it does, so each holds
 * only the roles of that job:
 * - `job`: training compute runs as it (reads `data`, writes `artifacts`,
 *   writes the workspace's own `azureml*` containers);
 * - `cmk`: the storage account unwraps its customer-managed key with it;
 * - `workspace`: the ML workspace's primary identity (the roles Azure ML
 *   documents for a user-assigned workspace identity).
 * No secrets or keys exist for them: tokens come from Entra ID.
 */
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { AzureContext, childOpts } from "./context";

/** Logical-name suffix of each identity: `<prefix>-<tier>-<suffix>`. */
export const IDENTITY_SUFFIX = { job: "id", cmk: "cmk-id", workspace: "mlw-id" } as const;
export type IdentityPurpose = keyof typeof IDENTITY_SUFFIX;

export function createIdentity(ctx: AzureContext, purpose: IdentityPurpose): managedidentity.UserAssignedIdentity {
  return new managedidentity.UserAssignedIdentity(
    `${ctx.name}-${IDENTITY_SUFFIX[purpose]}`,
    {
      resourceGroupName: ctx.resourceGroupName,
      location: ctx.location,
      tags: ctx.tags,
    },
    childOpts(ctx),
  );
}
