/**
 * The workload identity (C6): one user-assigned managed identity. Training
 * compute runs as it, the storage account unwraps its customer-managed key
 * with it, and the ML workspace (when enabled) uses it as its primary
 * identity. No secrets or keys exist for it: tokens come from Entra ID.
 */
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { AzureContext, childOpts } from "./context";

export function createIdentity(ctx: AzureContext): managedidentity.UserAssignedIdentity {
  return new managedidentity.UserAssignedIdentity(
    `${ctx.name}-id`,
    {
      resourceGroupName: ctx.resourceGroupName,
      location: ctx.location,
      tags: ctx.tags,
    },
    childOpts(ctx),
  );
}
