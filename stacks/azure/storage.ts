/**
 * Training data and model artifacts (C1, C3, C4, C5, C6, C9): one StorageV2
 * account that only Entra ID identities can use (no shared keys), reachable
 * only through its private endpoint, TLS 1.2+ only, double-encrypted with the
 * vault's key through the user-assigned identity; versioned blobs with soft
 * delete; two private containers.
 */
import * as pulumi from "@pulumi/pulumi";
import * as storage from "@pulumi/azure-native/storage";
import { AzureContext, dataOpts } from "./context";
import { ingestNetworkSettings } from "./data-ingest";

/** Days deleted blobs, versions and containers stay recoverable. */
export function retentionDays(tier: "dev" | "prod"): number {
  return tier === "prod" ? 30 : 7;
}

export interface StorageArgs {
  readonly accountName: string;
  readonly dataContainerName: string;
  readonly artifactsContainerName: string;
  /** Resource id of the user-assigned identity that unwraps the key (the storage-encryption identity). */
  readonly identityId: pulumi.Input<string>;
  /**
   * Resource instances (the ML workspace) admitted by the account firewall.
   * Azure evaluates them only when public network access is "selected
   * networks"; with it Disabled (as here) only private endpoints reach the account.
   */
  readonly resourceAccessRules?: pulumi.Input<{ tenantId: pulumi.Input<string>; resourceId: pulumi.Input<string> }[]>;
  readonly keyVaultUri: pulumi.Input<string>;
  readonly keyName: pulumi.Input<string>;
  /** Resources that must exist first (the wait after the identity's role on the key). */
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

export interface Storage {
  readonly account: storage.StorageAccount;
  readonly blobService: storage.BlobServiceProperties;
  readonly dataContainer: storage.BlobContainer;
  readonly artifactsContainer: storage.BlobContainer;
  /** `https://<account>.blob.core.windows.net/<container>` */
  readonly dataUrl: pulumi.Output<string>;
  readonly artifactsUrl: pulumi.Output<string>;
}

export function createStorage(ctx: AzureContext, args: StorageArgs): Storage {
  const days = retentionDays(ctx.config.tier);
  const accountScoped = { enabled: true, keyType: storage.KeyType.Account };

  const account = new storage.StorageAccount(
    args.accountName,
    {
      resourceGroupName: ctx.resourceGroupName,
      location: ctx.location,
      tags: ctx.tags,
      kind: storage.Kind.StorageV2,
      sku: { name: ctx.config.tier === "prod" ? storage.SkuName.Standard_ZRS : storage.SkuName.Standard_LRS },
      accessTier: storage.AccessTier.Hot,
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      allowCrossTenantReplication: false,
      allowedCopyScope: storage.AllowedCopyScope.PrivateLink,
      isLocalUserEnabled: false,
      isSftpEnabled: false,
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: storage.MinimumTlsVersion.TLS1_2,
      // Private endpoint only, unless dataIngestCidrs opens the firewall to named public addresses (data-ingest.ts);
      // the workspace is admitted as a resource instance (takes effect only while the account is open to selected networks).
      ...ingestNetworkSettings(ctx.config.dataIngestCidrs, args.resourceAccessRules),
      identity: {
        type: storage.IdentityType.UserAssigned,
        userAssignedIdentities: [args.identityId],
      },
      encryption: {
        keySource: storage.KeySource.Microsoft_Keyvault,
        requireInfrastructureEncryption: true,
        encryptionIdentity: { encryptionUserAssignedIdentity: args.identityId },
        // No keyVersion: the account follows the key's rotations automatically.
        keyVaultProperties: { keyVaultUri: args.keyVaultUri, keyName: args.keyName },
        services: { blob: accountScoped, file: accountScoped, queue: accountScoped, table: accountScoped },
      },
    },
    dataOpts(ctx, { dependsOn: args.dependsOn }),
  );

  const blobService = new storage.BlobServiceProperties(
    `${ctx.name}-blob`,
    {
      resourceGroupName: ctx.resourceGroupName,
      accountName: account.name,
      blobServicesName: "default",
      isVersioningEnabled: true,
      deleteRetentionPolicy: { enabled: true, days },
      containerDeleteRetentionPolicy: { enabled: true, days },
    },
    dataOpts(ctx),
  );

  const container = (logical: string, containerName: string) =>
    new storage.BlobContainer(
      `${ctx.name}-${logical}`,
      {
        resourceGroupName: ctx.resourceGroupName,
        accountName: account.name,
        containerName,
        publicAccess: storage.PublicAccess.None,
      },
      dataOpts(ctx, { dependsOn: [blobService] }),
    );
  const dataContainer = container("data", args.dataContainerName);
  const artifactsContainer = container("artifacts", args.artifactsContainerName);

  const urlOf = (c: storage.BlobContainer) =>
    pulumi.all([account.primaryEndpoints, c.name]).apply(([endpoints, n]) => `${endpoints.blob.replace(/\/+$/, "")}/${n}`);

  return {
    account,
    blobService,
    dataContainer,
    artifactsContainer,
    dataUrl: urlOf(dataContainer),
    artifactsUrl: urlOf(artifactsContainer),
  };
}
