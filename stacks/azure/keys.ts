/**
 * The customer-managed key (C1, C2): a Key Vault that authorises with Azure
 * RBAC, cannot be purged or reached from the internet, and an RSA key that
 * rotates on a schedule. The storage account encrypts with it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as keyvault from "@pulumi/azure-native/keyvault";
import { AzureContext, dataOpts } from "./context";

/** Key size of the storage CMK (C1 requires at least 3072). */
export const KEY_SIZE = 3072;
/** Days after creation a new key version is made (C2 requires <= 365). */
export const KEY_ROTATION_DAYS = 180;
/** Soft-delete retention of the vault (the maximum Azure allows). */
export const VAULT_SOFT_DELETE_DAYS = 90;

export interface Keys {
  readonly vault: keyvault.Vault;
  readonly key: keyvault.Key;
  /** `https://<vault>.vault.azure.net/` */
  readonly vaultUri: pulumi.Output<string>;
}

export function createKeys(ctx: AzureContext, vaultName: string, tenantId: pulumi.Input<string>): Keys {
  const vault = new keyvault.Vault(
    vaultName,
    {
      resourceGroupName: ctx.resourceGroupName,
      location: ctx.location,
      tags: ctx.tags,
      properties: {
        tenantId,
        sku: { family: keyvault.SkuFamily.A, name: keyvault.SkuName.Standard },
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        softDeleteRetentionInDays: VAULT_SOFT_DELETE_DAYS,
        enablePurgeProtection: true,
        publicNetworkAccess: "Disabled",
        networkAcls: {
          defaultAction: keyvault.NetworkRuleAction.Deny,
          // Lets the storage service (a trusted Azure service) reach the key for CMK wrap/unwrap.
          bypass: keyvault.NetworkRuleBypassOptions.AzureServices,
          ipRules: [],
          virtualNetworkRules: [],
        },
        enabledForDeployment: false,
        enabledForDiskEncryption: false,
        enabledForTemplateDeployment: false,
      },
    },
    dataOpts(ctx),
  );

  const key = new keyvault.Key(
    `${ctx.name}-cmk`,
    {
      resourceGroupName: ctx.resourceGroupName,
      vaultName: vault.name,
      keyName: "storage-cmk",
      tags: ctx.tags,
      properties: {
        kty: keyvault.JsonWebKeyType.RSA,
        keySize: KEY_SIZE,
        // Storage account CMK needs exactly wrap and unwrap.
        keyOps: [keyvault.JsonWebKeyOperation.WrapKey, keyvault.JsonWebKeyOperation.UnwrapKey],
        attributes: { enabled: true },
        rotationPolicy: {
          lifetimeActions: [
            {
              trigger: { timeAfterCreate: `P${KEY_ROTATION_DAYS}D` },
              action: { type: keyvault.KeyRotationPolicyActionType.Rotate },
            },
          ],
        },
      },
    },
    dataOpts(ctx),
  );

  return { vault, key, vaultUri: vault.properties.apply((p) => p.vaultUri) };
}
