/**
 * The roles Azure Machine Learning documents for a user-assigned workspace
 * identity ("how-to-identity-based-service-authentication", user-assigned
 * managed identity): Contributor on the workspace, its storage account, key
 * vault (with Key Vault Administrator on the data plane when the vault uses
 * RBAC), container registry and Application Insights, and Storage Blob Data
 * Contributor on the storage account. One table: the stack grants from it,
 * the pack's privileged-role policy takes its exceptions from it, and a C11
 * policy checks a workspace's identity holds them.
 *
 * The environment creates no container registry (images come from
 * Microsoft Container Registry), so no registry row; the storage data role
 * is narrowed by a condition to the `azureml*` containers Azure ML uses.
 */

export const WORKSPACE_IDENTITY_DOC =
  "https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication#user-assigned-managed-identity";

export const ROLE_IDS = {
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  keyVaultAdministrator: "00482a5a-887f-4fb3-b363-3b7fe8e74483",
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
} as const;
export type WorkspaceRoleName = keyof typeof ROLE_IDS;

/** What the role applies to: the workspace itself or one of its linked resources. */
export type WorkspaceRoleTarget = "workspace" | "storage" | "vault" | "appInsights";

/** ARM resource type of each target (the provider segment of its resource id). */
export const TARGET_ARM_TYPE: Readonly<Record<WorkspaceRoleTarget, string>> = {
  workspace: "Microsoft.MachineLearningServices/workspaces",
  storage: "Microsoft.Storage/storageAccounts",
  vault: "Microsoft.KeyVault/vaults",
  appInsights: "Microsoft.Insights/components",
};

export interface WorkspaceRole {
  /** Logical-name suffix of the role assignment: `<prefix>-<tier>-ra-<label>`. */
  readonly label: string;
  readonly role: WorkspaceRoleName;
  readonly target: WorkspaceRoleTarget;
}

export const WORKSPACE_IDENTITY_ROLES: readonly WorkspaceRole[] = [
  { label: "mlw-contributor-storage", role: "contributor", target: "storage" },
  { label: "mlw-blob-contributor", role: "storageBlobDataContributor", target: "storage" },
  { label: "mlw-contributor-vault", role: "contributor", target: "vault" },
  { label: "mlw-kv-administrator", role: "keyVaultAdministrator", target: "vault" },
  { label: "mlw-contributor-appi", role: "contributor", target: "appInsights" },
  { label: "mlw-contributor-workspace", role: "contributor", target: "workspace" },
];
