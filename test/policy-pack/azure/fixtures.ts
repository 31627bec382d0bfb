/** Compliant Azure inputs for the policy tests: each test changes one field. */
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as storage from "@pulumi/azure-native/storage";
import { ResourceSpec } from "../harness";

export const SUB = "/subscriptions/00000000-0000-4000-8000-000000000001";
export const RG = `${SUB}/resourceGroups/mltrain-dev-rg`;
export const IDENTITY_ID = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mltrain-dev-id`;
export const ACCOUNT_NAME = "mltraindevdata1a2b";
export const ACCOUNT_ID = `${RG}/providers/Microsoft.Storage/storageAccounts/${ACCOUNT_NAME}`;
export const VAULT_NAME = "mltrain-dev-kv-1a2b";
export const VAULT_ID = `${RG}/providers/Microsoft.KeyVault/vaults/${VAULT_NAME}`;
export const TAGS = { environment: "dev", project: "secure-ml-training", owner: "ml@example.com", "data-classification": "confidential" };

/** Storage account inputs/outputs; `name` and `id` are what the outputs carry. */
export function account(props: Record<string, unknown> = {}): ResourceSpec {
  return {
    type: storage.StorageAccount,
    name: "data",
    props: {
      name: ACCOUNT_NAME,
      id: ACCOUNT_ID,
      accountName: ACCOUNT_NAME,
      resourceGroupName: "mltrain-dev-rg",
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: "TLS1_2",
      publicNetworkAccess: "Disabled",
      networkRuleSet: { defaultAction: "Deny", bypass: "None" },
      identity: { type: "UserAssigned", userAssignedIdentities: [IDENTITY_ID] },
      encryption: {
        keySource: "Microsoft.Keyvault",
        keyVaultProperties: { keyName: "data-key", keyVaultUri: `https://${VAULT_NAME}.vault.azure.net/` },
        encryptionIdentity: { encryptionUserAssignedIdentity: IDENTITY_ID },
        requireInfrastructureEncryption: true,
        services: { blob: { enabled: true, keyType: "Account" } },
      },
      tags: TAGS,
      ...props,
    },
  };
}

export function blobService(props: Record<string, unknown> = {}): ResourceSpec {
  return {
    type: storage.BlobServiceProperties,
    name: "data-blob",
    props: {
      id: `${ACCOUNT_ID}/blobServices/default`,
      accountName: ACCOUNT_NAME,
      resourceGroupName: "mltrain-dev-rg",
      blobServicesName: "default",
      isVersioningEnabled: true,
      deleteRetentionPolicy: { enabled: true, days: 30 },
      containerDeleteRetentionPolicy: { enabled: true, days: 30 },
      ...props,
    },
  };
}

/** Key Vault; `properties` changes merge into the compliant properties. */
export function vault(properties: Record<string, unknown> = {}): ResourceSpec {
  return {
    type: keyvault.Vault,
    name: "kv",
    props: {
      name: VAULT_NAME,
      id: VAULT_ID,
      resourceGroupName: "mltrain-dev-rg",
      properties: {
        tenantId: "00000000-0000-4000-8000-000000000002",
        sku: { family: "A", name: "standard" },
        enableRbacAuthorization: true,
        enablePurgeProtection: true,
        enableSoftDelete: true,
        softDeleteRetentionInDays: 90,
        publicNetworkAccess: "Disabled",
        networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
        ...properties,
      },
      tags: TAGS,
    },
  };
}

/** Key Vault key; `properties` changes merge into the compliant properties. */
export function key(properties: Record<string, unknown> = {}): ResourceSpec {
  return {
    type: keyvault.Key,
    name: "data-key",
    props: {
      vaultName: VAULT_NAME,
      resourceGroupName: "mltrain-dev-rg",
      keyName: "data-key",
      properties: {
        kty: "RSA",
        keySize: 3072,
        rotationPolicy: {
          attributes: { expiryTime: "P2Y" },
          lifetimeActions: [
            { action: { type: "rotate" }, trigger: { timeAfterCreate: "P365D" } },
            { action: { type: "notify" }, trigger: { timeBeforeExpiry: "P30D" } },
          ],
        },
        ...properties,
      },
      tags: TAGS,
    },
  };
}
