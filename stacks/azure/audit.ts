/**
 * Audit trail (C8): a Log Analytics workspace with the configured retention,
 * and diagnostic settings that send every blob read, write and delete and
 * every Key Vault audit event to it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as monitor from "@pulumi/azure-native/monitor";
import { AzureContext, childOpts } from "./context";

/** Blob data-plane log categories: every access is one of these. */
export const BLOB_AUDIT_CATEGORIES = ["StorageRead", "StorageWrite", "StorageDelete"] as const;
/** Key Vault's audit category group (AuditEvent: every key operation, including the storage CMK's wrap/unwrap). */
export const VAULT_AUDIT_GROUP = "audit";

export function createLogWorkspace(ctx: AzureContext): operationalinsights.Workspace {
  return new operationalinsights.Workspace(
    `${ctx.name}-logs`,
    {
      resourceGroupName: ctx.resourceGroupName,
      location: ctx.location,
      tags: ctx.tags,
      sku: { name: operationalinsights.WorkspaceSkuNameEnum.PerGB2018 },
      retentionInDays: ctx.config.logRetentionDays,
    },
    childOpts(ctx),
  );
}

export interface AuditTargets {
  /** `<storage account id>/blobServices/default` */
  readonly blobServiceId: pulumi.Input<string>;
  readonly vaultId: pulumi.Input<string>;
}

export interface Diagnostics {
  readonly blob: monitor.DiagnosticSetting;
  readonly vault: monitor.DiagnosticSetting;
}

export function createDiagnostics(ctx: AzureContext, workspace: operationalinsights.Workspace, targets: AuditTargets): Diagnostics {
  const blob = new monitor.DiagnosticSetting(
    `${ctx.name}-diag-blob`,
    {
      name: `${ctx.name}-audit`,
      resourceUri: targets.blobServiceId,
      workspaceId: workspace.id,
      logs: BLOB_AUDIT_CATEGORIES.map((category) => ({ category, enabled: true })),
    },
    childOpts(ctx),
  );
  const vault = new monitor.DiagnosticSetting(
    `${ctx.name}-diag-vault`,
    {
      name: `${ctx.name}-audit`,
      resourceUri: targets.vaultId,
      workspaceId: workspace.id,
      logs: [{ categoryGroup: VAULT_AUDIT_GROUP, enabled: true }],
    },
    childOpts(ctx),
  );
  return { blob, vault };
}
