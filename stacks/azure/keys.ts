/**
 * The customer-managed key (C1, C2, C11): a Key Vault that authorises with
 * Azure RBAC, cannot be purged or reached from the internet, and an RSA key
 * that rotates on a schedule. The storage account encrypts with it.
 *
 * Deployable (C11):
 * - azure-native deletes keys through the vault's data plane, which the
 *   vault firewall closes to the deployer: the key is `deletedWith` the
 *   vault (a destroy deletes the vault, and the key with it) and
 *   `retainOnDelete` (a replaced key is dropped from the state and left,
 *   enabled, in the vault instead of failing the update).
 * - ARM creates keys only when absent and never updates them: the key's name
 *   carries a digest of its properties, and any change of them replaces it,
 *   so a new size or rotation policy reaches Azure as a new key.
 */
import * as pulumi from "@pulumi/pulumi";
import * as keyvault from "@pulumi/azure-native/keyvault";
import type * as types from "@pulumi/azure-native/types";
import { versionedKeyName } from "../../policy-pack/lib/key-version";
import { AzureContext, dataOpts } from "./context";

/** Key size of the storage CMK (C1 requires at least 3072). */
export const KEY_SIZE = 3072;
/** Days after creation a new key version is made (C2 requires <= 365). */
export const KEY_ROTATION_DAYS = 180;
/** Soft-delete retention of the vault (the maximum Azure allows): a destroyed vault keeps its name this long. */
export const VAULT_SOFT_DELETE_DAYS = 90;
/** The storage key's name before its version digest. */
export const KEY_BASE_NAME = "storage-cmk";

/** The storage key's properties; their digest is part of the key's name. */
export const KEY_PROPERTIES: types.input.keyvault.KeyPropertiesArgs = {
  kty: keyvault.JsonWebKeyType.RSA,
  keySize: KEY_SIZE,
  // Storage account CMK needs exactly wrap and unwrap.
  keyOps: [keyvault.JsonWebKeyOperation.WrapKey, keyvault.JsonWebKeyOperation.UnwrapKey],
  // exportable false is also the SDK's default: stated, so the digest covers what Azure receives.
  attributes: { enabled: true, exportable: false },
  rotationPolicy: {
    lifetimeActions: [
      {
        trigger: { timeAfterCreate: `P${KEY_ROTATION_DAYS}D` },
        action: { type: keyvault.KeyRotationPolicyActionType.Rotate },
      },
    ],
  },
};

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
      keyName: versionedKeyName(KEY_BASE_NAME, KEY_PROPERTIES),
      tags: ctx.tags,
      properties: KEY_PROPERTIES,
    },
    dataOpts(ctx, { deletedWith: vault, retainOnDelete: true, replaceOnChanges: ["properties"] }),
  );

  return { vault, key, vaultUri: vault.properties.apply((p) => p.vaultUri) };
}
