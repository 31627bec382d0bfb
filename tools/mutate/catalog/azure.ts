/**
 * Mutations of the Azure environment: the storage account and its
 * containers (C1, C3, C4, C5, C6, C9), the Key Vault and its key (C1, C2,
 * C3, C4, C6, C9), role assignments (C6), the network (C4), audit (C8) and
 * the ML workspace and compute (C3, C7; azure-prod only).
 */
import { add, input, mutation, MutationTargetError, one, Rec, remove, set, setOption, unset } from "../edit";
import { AZURE_STACKS, Mutation } from "../types";

export const T = {
  account: "azure-native:storage:StorageAccount",
  container: "azure-native:storage:BlobContainer",
  blobService: "azure-native:storage:BlobServiceProperties",
  vault: "azure-native:keyvault:Vault",
  key: "azure-native:keyvault:Key",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  vnet: "azure-native:network:VirtualNetwork",
  nsg: "azure-native:network:NetworkSecurityGroup",
  publicIp: "azure-native:network:PublicIPAddress",
  natGateway: "azure-native:network:NatGateway",
  privateEndpoint: "azure-native:network:PrivateEndpoint",
  dnsZoneGroup: "azure-native:network:PrivateDnsZoneGroup",
  diagnosticSetting: "azure-native:monitor:DiagnosticSetting",
  workspace: "azure-native:machinelearningservices:Workspace",
  compute: "azure-native:machinelearningservices:Compute",
} as const;

const PROD: Mutation["stacks"] = ["azure-prod"];
/** The shipped azure-prod clusters (Pulumi.azure-prod.yaml computeClusters), by logical-name suffix. */
const CPU_CLUSTER = "compute-train-cpu";
const GPU_CLUSTER = "compute-train-gpu";
const OWNER_ROLE = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const CONTRIBUTOR_ROLE = "b24988ac-6180-42a0-ab88-20f7382dd24c";

/** The role definition id with another built-in role's GUID. */
function withRole(roleDefinitionId: unknown, guid: string): string {
  if (typeof roleDefinitionId !== "string") throw new MutationTargetError(`roleDefinitionId is not a string: ${String(roleDefinitionId)}`);
  return roleDefinitionId.replace(/[^/]+$/, guid);
}

/** `/subscriptions/<id>` or `/subscriptions/<id>/resourceGroups/<rg>` of a resource id. */
function scopePrefix(scope: unknown, level: "subscription" | "resource group"): string {
  const m = /^(\/subscriptions\/[^/]+)(\/resourceGroups\/[^/]+)?/i.exec(String(scope));
  if (!m || !m[2]) throw new MutationTargetError(`scope ${String(scope)} is not below a resource group`);
  return level === "subscription" ? m[1] : m[1] + m[2];
}

/** The stack's network security group with `rule` appended to its security rules. */
export function addNsgRule(rec: Rec, rule: Record<string, unknown>): void {
  const nsg = one(rec, T.nsg);
  const rules = input(nsg, "securityRules");
  if (!Array.isArray(rules)) throw new MutationTargetError(`${nsg.name} has no securityRules list`);
  set(nsg, "securityRules", [...rules, rule]);
}

export const azureMutations: Mutation[] = [
  // ------------------------------------------------------------ C1
  {
    name: "azure-storage-microsoft-managed-key",
    control: "C1",
    description:
      "The storage account is encrypted with a Microsoft-managed key (keySource Microsoft.Storage) instead of the Key Vault key.",
    stacks: AZURE_STACKS,
    expect: ["azure-storage-account-configure-customer-managed-key"],
    apply: mutation((rec) => {
      const account = one(rec, T.account);
      set(account, "encryption.keySource", "Microsoft.Storage");
      unset(account, "encryption.keyVaultProperties");
    }),
  },
  {
    name: "azure-storage-infrastructure-encryption-off",
    control: "C1",
    description: "The storage account's infrastructure (double) encryption is off.",
    stacks: AZURE_STACKS,
    expect: ["azure-storage-account-enable-infrastructure-encryption"],
    apply: mutation((rec) => set(one(rec, T.account), "encryption.requireInfrastructureEncryption", false)),
  },
  {
    name: "azure-key-rsa-2048",
    control: "C1",
    description: "The customer key is a 2048-bit RSA key instead of 3072.",
    stacks: AZURE_STACKS,
    expect: ["azure-keyvault-key-configure-rsa-key-size"],
    apply: mutation((rec) => set(one(rec, T.key), "properties.keySize", 2048)),
  },

  // ------------------------------------------------------------ C2
  {
    name: "azure-vault-purge-protection-off",
    control: "C2",
    description: "The Key Vault's purge protection is off, so a deleted key can be purged at once.",
    stacks: AZURE_STACKS,
    expect: ["azure-keyvault-vault-enable-purge-protection"],
    apply: mutation((rec) => set(one(rec, T.vault), "properties.enablePurgeProtection", false)),
  },
  {
    name: "azure-vault-soft-delete-7-days",
    control: "C2",
    description: "The Key Vault keeps deleted keys for 7 days instead of 90.",
    stacks: PROD,
    expect: ["azure-keyvault-vault-enable-soft-delete"],
    apply: mutation((rec) => set(one(rec, T.vault), "properties.softDeleteRetentionInDays", 7)),
  },
  {
    name: "azure-key-without-rotation-policy",
    control: "C2",
    description: "The customer key has no rotation policy.",
    stacks: AZURE_STACKS,
    expect: ["azure-keyvault-key-configure-rotation-policy"],
    apply: mutation((rec) => unset(one(rec, T.key), "properties.rotationPolicy")),
  },
  {
    name: "azure-key-rotates-every-two-years",
    control: "C2",
    description: "The customer key rotates only 730 days after creation.",
    stacks: PROD,
    expect: ["azure-keyvault-key-configure-rotation-policy"],
    apply: mutation((rec) => set(one(rec, T.key), "properties.rotationPolicy.lifetimeActions.0.trigger", { timeAfterCreate: "P730D" })),
  },

  // ------------------------------------------------------------ C3
  {
    name: "azure-storage-blob-public-access-on",
    control: "C3",
    description: "The storage account allows anonymous blob access (allowBlobPublicAccess true).",
    stacks: AZURE_STACKS,
    expect: ["azure-storage-account-disable-blob-public-access"],
    apply: mutation((rec) => set(one(rec, T.account), "allowBlobPublicAccess", true)),
  },
  {
    name: "azure-container-public-blob",
    control: "C3",
    description: "The data container allows anonymous reads of its blobs (publicAccess Blob).",
    stacks: AZURE_STACKS,
    expect: ["azure-storage-container-disable-public-access"],
    apply: mutation((rec) => set(one(rec, T.container, "data"), "publicAccess", "Blob")),
  },
  {
    name: "azure-storage-public-network-enabled",
    control: "C3",
    description: "The storage account is reachable from public networks (publicNetworkAccess Enabled).",
    stacks: AZURE_STACKS,
    expect: ["azure-storage-account-disable-public-network-access"],
    apply: mutation((rec) => set(one(rec, T.account), "publicNetworkAccess", "Enabled")),
  },
  {
    name: "azure-vault-public-network-enabled",
    control: "C3",
    description: "The Key Vault is reachable from public networks (publicNetworkAccess Enabled).",
    stacks: AZURE_STACKS,
    expect: ["azure-keyvault-vault-disable-public-network-access"],
    apply: mutation((rec) => set(one(rec, T.vault), "properties.publicNetworkAccess", "Enabled")),
  },
  {
    name: "azure-ml-workspace-public",
    control: "C3",
    description: "The ML workspace is reachable from public networks (publicNetworkAccess Enabled).",
    stacks: PROD,
    expect: ["azure-ml-workspace-disable-public-network-access"],
    apply: mutation((rec) => set(one(rec, T.workspace), "publicNetworkAccess", "Enabled")),
  },
  {
    name: "azure-ml-workspace-public-behind-vnet",
    control: "C3",
    description: "The ML workspace allows public access although it is behind the VNet (allowPublicAccessWhenBehindVnet true).",
    stacks: PROD,
    expect: ["azure-ml-workspace-disable-public-network-access"],
    apply: mutation((rec) => set(one(rec, T.workspace), "allowPublicAccessWhenBehindVnet", true)),
  },

  // ------------------------------------------------------------ C4
  {
    name: "azure-storage-network-default-allow",
    control: "C4",
    description: "The storage account's network rules allow every network by default.",
    stacks: AZURE_STACKS,
    expect: ["azure-storage-account-configure-default-deny"],
    apply: mutation((rec) => set(one(rec, T.account), "networkRuleSet.defaultAction", "Allow")),
  },
  {
    name: "azure-vault-network-default-allow",
    control: "C4",
    description: "The Key Vault's network ACLs allow every network by default.",
    stacks: AZURE_STACKS,
    expect: ["azure-keyvault-vault-configure-default-deny"],
    apply: mutation((rec) => set(one(rec, T.vault), "properties.networkAcls.defaultAction", "Allow")),
  },
  {
    name: "azure-public-ip-added",
    control: "C4",
    description: "A public IP address is added to the environment.",
    stacks: AZURE_STACKS,
    expect: ["azure-network-vnet-disallow-public-ip-and-nat"],
    apply: mutation((rec) => {
      const vnet = one(rec, T.vnet);
      add(rec, {
        type: T.publicIp,
        name: `${vnet.name}-pip`,
        like: vnet,
        tags: true,
        inputs: {
          resourceGroupName: input(vnet, "resourceGroupName"),
          location: input(vnet, "location"),
          publicIPAllocationMethod: "Static",
          sku: { name: "Standard" },
        },
      });
    }),
  },
  {
    name: "azure-nat-gateway-added",
    control: "C4",
    description: "A NAT gateway (internet egress) is added to the environment.",
    stacks: PROD,
    expect: ["azure-network-vnet-disallow-public-ip-and-nat"],
    apply: mutation((rec) => {
      const vnet = one(rec, T.vnet);
      add(rec, {
        type: T.natGateway,
        name: `${vnet.name}-nat`,
        like: vnet,
        tags: true,
        inputs: { resourceGroupName: input(vnet, "resourceGroupName"), location: input(vnet, "location"), sku: { name: "Standard" } },
      });
    }),
  },
  {
    name: "azure-nsg-allows-internet-inbound",
    control: "C4",
    description: "The network security group gains a rule allowing SSH from the internet.",
    stacks: AZURE_STACKS,
    expect: ["azure-network-security-group-disallow-internet-inbound"],
    apply: mutation((rec) =>
      addNsgRule(rec, {
        name: "allow-ssh-from-internet",
        access: "Allow",
        direction: "Inbound",
        priority: 100,
        protocol: "Tcp",
        sourceAddressPrefix: "Internet",
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: "22",
      }),
    ),
  },
  {
    name: "azure-blob-private-endpoint-removed",
    control: "C4",
    description: "The storage account's blob private endpoint (and its DNS zone group) is removed.",
    stacks: AZURE_STACKS,
    expect: ["azure-network-storage-account-missing-private-endpoint"],
    apply: mutation((rec) => {
      remove(rec, one(rec, T.dnsZoneGroup, "pe-blob-dns"));
      remove(rec, one(rec, T.privateEndpoint, "pe-blob"));
    }),
  },
  {
    name: "azure-vault-private-endpoint-removed",
    control: "C4",
    description: "The prod Key Vault's private endpoint (and its DNS zone group) is removed.",
    stacks: PROD,
    expect: ["azure-network-key-vault-missing-private-endpoint"],
    apply: mutation((rec) => {
      remove(rec, one(rec, T.dnsZoneGroup, "pe-vault-dns"));
      remove(rec, one(rec, T.privateEndpoint, "pe-vault"));
    }),
  },

  // ------------------------------------------------------------ C5
  {
    name: "azure-storage-tls-1-0",
    control: "C5",
    description: "The storage account accepts TLS 1.0.",
    stacks: AZURE_STACKS,
    expect: ["azure-storage-account-configure-minimum-tls"],
    apply: mutation((rec) => set(one(rec, T.account), "minimumTlsVersion", "TLS1_0")),
  },
  {
    name: "azure-storage-https-only-off",
    control: "C5",
    description: "The storage account accepts plain HTTP (enableHttpsTrafficOnly false).",
    stacks: AZURE_STACKS,
    expect: ["azure-storage-account-enable-https-only"],
    apply: mutation((rec) => set(one(rec, T.account), "enableHttpsTrafficOnly", false)),
  },

  // ------------------------------------------------------------ C6
  {
    name: "azure-storage-shared-key-on",
    control: "C6",
    description: "The storage account accepts Shared Key (account key and SAS) authorization.",
    stacks: AZURE_STACKS,
    expect: ["azure-storage-account-disable-shared-key-access"],
    apply: mutation((rec) => set(one(rec, T.account), "allowSharedKeyAccess", true)),
  },
  {
    name: "azure-vault-rbac-off",
    control: "C6",
    description: "The Key Vault uses access policies instead of Azure RBAC.",
    stacks: AZURE_STACKS,
    expect: ["azure-keyvault-vault-enable-rbac-authorization"],
    apply: mutation((rec) => set(one(rec, T.vault), "properties.enableRbacAuthorization", false)),
  },
  {
    name: "azure-owner-role-assigned",
    control: "C6",
    description: "The training identity is assigned Owner (instead of Storage Blob Data Reader) on the data container.",
    stacks: AZURE_STACKS,
    expect: ["azure-authorization-role-assignment-disallow-privileged-roles"],
    apply: mutation((rec) => {
      const ra = one(rec, T.roleAssignment, "ra-data-reader");
      set(ra, "roleDefinitionId", withRole(input(ra, "roleDefinitionId"), OWNER_ROLE));
    }),
  },
  {
    name: "azure-contributor-role-assigned",
    control: "C6",
    description: "The training identity is assigned Contributor on the artifacts container.",
    stacks: PROD,
    expect: ["azure-authorization-role-assignment-disallow-privileged-roles"],
    apply: mutation((rec) => {
      const ra = one(rec, T.roleAssignment, "ra-artifacts-writer");
      set(ra, "roleDefinitionId", withRole(input(ra, "roleDefinitionId"), CONTRIBUTOR_ROLE));
    }),
  },
  {
    name: "azure-role-at-subscription-scope",
    control: "C6",
    description: "The data reader role is assigned at subscription scope instead of the data container.",
    stacks: AZURE_STACKS,
    expect: ["azure-authorization-role-assignment-disallow-broad-scope"],
    apply: mutation((rec) => {
      const ra = one(rec, T.roleAssignment, "ra-data-reader");
      set(ra, "scope", scopePrefix(input(ra, "scope"), "subscription"));
      ra.propertyDependencies.scope = [];
    }),
  },
  {
    name: "azure-role-at-resource-group-scope",
    control: "C6",
    description: "The key role is assigned on the whole resource group instead of the key.",
    stacks: PROD,
    expect: ["azure-authorization-role-assignment-disallow-broad-scope"],
    apply: mutation((rec) => {
      const ra = one(rec, T.roleAssignment, "ra-key-crypto");
      set(ra, "scope", scopePrefix(input(ra, "scope"), "resource group"));
      ra.propertyDependencies.scope = [];
    }),
  },

  // ------------------------------------------------------------ C7
  {
    name: "azure-compute-public-ip",
    control: "C7",
    description: "The GPU training cluster's nodes get public IPs.",
    stacks: PROD,
    expect: ["azure-ml-compute-disable-public-ip"],
    apply: mutation((rec) => set(one(rec, T.compute, GPU_CLUSTER), "properties.properties.enableNodePublicIp", true)),
  },
  {
    name: "azure-compute-public-ssh",
    control: "C7",
    description: "The training cluster opens its SSH port to the public.",
    stacks: PROD,
    expect: ["azure-ml-compute-disable-public-ip"],
    apply: mutation((rec) => set(one(rec, T.compute, CPU_CLUSTER), "properties.properties.remoteLoginPortPublicAccess", "Enabled")),
  },
  // ------------------------------------------------------------ C6: every cluster, GPU too, runs as the job identity (issue 19)
  {
    name: "azure-gpu-compute-system-identity",
    control: "C6",
    description: "The GPU training cluster runs as a system-assigned identity instead of the environment's job identity.",
    stacks: PROD,
    expect: ["azure-ml-compute-enforce-job-identity"],
    apply: mutation((rec) => set(one(rec, T.compute, GPU_CLUSTER), "identity", { type: "SystemAssigned" })),
  },
  {
    name: "azure-gpu-compute-admin-user",
    control: "C6",
    description: "The GPU training cluster gets an admin user with an SSH key.",
    stacks: PROD,
    expect: ["azure-ml-compute-enforce-job-identity"],
    apply: mutation((rec) =>
      set(one(rec, T.compute, GPU_CLUSTER), "properties.properties.userAccountCredentials", {
        adminUserName: "azureuser",
        adminUserSshPublicKey: "ssh-rsa AAAAB3Nza",
      }),
    ),
  },

  // ------------------------------------------------------------ C8
  {
    name: "azure-vault-diagnostics-removed",
    control: "C8",
    description: "The Key Vault's diagnostic setting (audit logs) is removed.",
    stacks: AZURE_STACKS,
    expect: ["azure-keyvault-vault-missing-diagnostic-settings"],
    apply: mutation((rec) => remove(rec, one(rec, T.diagnosticSetting, "diag-vault"))),
  },
  {
    name: "azure-blob-diagnostics-removed",
    control: "C8",
    description: "The blob service's diagnostic setting is removed.",
    stacks: AZURE_STACKS,
    expect: ["azure-storage-blob-service-missing-diagnostic-settings"],
    apply: mutation((rec) => remove(rec, one(rec, T.diagnosticSetting, "diag-blob"))),
  },
  {
    name: "azure-blob-diagnostics-logs-disabled",
    control: "C8",
    description: "The blob service's diagnostic setting keeps its categories but every one is disabled.",
    stacks: PROD,
    expect: ["azure-storage-blob-service-missing-diagnostic-settings"],
    apply: mutation((rec) => {
      const ds = one(rec, T.diagnosticSetting, "diag-blob");
      const logs = input(ds, "logs");
      if (!Array.isArray(logs)) throw new MutationTargetError(`${ds.name} has no logs list`);
      set(
        ds,
        "logs",
        logs.map((l) => ({ ...(l as object), enabled: false })),
      );
    }),
  },

  // ------------------------------------------------------------ C9
  {
    name: "azure-blob-versioning-off",
    control: "C9",
    description: "Blob versioning is off.",
    stacks: AZURE_STACKS,
    expect: ["azure-storage-blob-service-enable-versioning-soft-delete"],
    apply: mutation((rec) => set(one(rec, T.blobService), "isVersioningEnabled", false)),
  },
  {
    name: "azure-blob-soft-delete-off",
    control: "C9",
    description: "Blob soft delete (delete retention) is off.",
    stacks: AZURE_STACKS,
    expect: ["azure-storage-blob-service-enable-versioning-soft-delete"],
    apply: mutation((rec) => set(one(rec, T.blobService), "deleteRetentionPolicy", { enabled: false })),
  },
  {
    name: "azure-storage-account-unprotected",
    control: "C9",
    description: "The prod storage account is no longer protected, so a destroy or replacement deletes the training data.",
    stacks: PROD,
    expect: ["common-stack-data-store-enforce-protection"],
    apply: mutation((rec) => setOption(one(rec, T.account), "protect", false)),
  },
  {
    name: "azure-vault-unprotected",
    control: "C9",
    description: "The prod Key Vault is no longer protected.",
    stacks: PROD,
    expect: ["common-stack-data-store-enforce-protection"],
    apply: mutation((rec) => setOption(one(rec, T.vault), "protect", false)),
  },
  {
    name: "azure-key-unprotected",
    control: "C9",
    description:
      "The prod Key Vault key loses protect, so a destroy or replacement deletes the key the storage account is encrypted with (recoverable only while soft delete lasts).",
    stacks: PROD,
    expect: ["common-stack-data-store-enforce-protection"],
    apply: mutation((rec) => setOption(one(rec, T.key), "protect", false)),
  },
  {
    name: "azure-data-container-unprotected",
    control: "C9",
    description:
      "The prod data container loses protect, so a destroy or replacement deletes the training blobs (recoverable only while container soft delete lasts).",
    stacks: PROD,
    expect: ["common-stack-data-store-enforce-protection"],
    apply: mutation((rec) => setOption(one(rec, T.container, "data"), "protect", false)),
  },
];
