/**
 * C11: a workspace that runs as a user-assigned identity gives that identity
 * the roles Azure ML documents for it. Azure ML: "The following Azure RBAC
 * role assignments are required on your user-assigned managed identity for
 * your Azure Machine Learning workspace to access data on the
 * workspace-associated resources": Contributor on the workspace, storage,
 * key vault and Application Insights, Key Vault Administrator on an RBAC
 * vault, Storage Blob Data Contributor on the storage account. Without them
 * Azure ML cannot reach its own storage and vault (datastores, secrets,
 * managed-network private endpoints) as that identity.
 */
import * as ml from "@pulumi/azure-native/machinelearningservices";
import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, tokens } from "../../../lib/define";
import { targetsOf } from "../../../lib/match";
import { at, formatViolation } from "../../../lib/messages";
import { ROLE_IDS, WORKSPACE_IDENTITY_DOC, WORKSPACE_IDENTITY_ROLES, WorkspaceRoleTarget } from "../../../lib/ml-workspace-roles";
import { UNKNOWN, get, str } from "../../../lib/values";

const ROLE_ASSIGNMENT_TYPE = "azure-native:authorization:RoleAssignment";
const IDENTITY_TYPE = "azure-native:managedidentity:UserAssignedIdentity";
const ROLE_NAMES: Readonly<Record<string, string>> = {
  [ROLE_IDS.contributor]: "Contributor",
  [ROLE_IDS.keyVaultAdministrator]: "Key Vault Administrator",
  [ROLE_IDS.storageBlobDataContributor]: "Storage Blob Data Contributor",
};
/** Where the workspace names each linked resource. */
const TARGET_PROPERTY: Readonly<Record<Exclude<WorkspaceRoleTarget, "workspace">, string>> = {
  storage: "storageAccount",
  vault: "keyVault",
  appInsights: "applicationInsights",
};

const same = (a: unknown, b: unknown) => typeof a === "string" && typeof b === "string" && a.replace(/\/+$/, "").toLowerCase() === b.replace(/\/+$/, "").toLowerCase();

/** True when the assignment is for `identity` (by its principal id, or by depending on it for principalId). */
function isFor(ra: PolicyResource, identity: PolicyResource): boolean {
  const principal = get(ra.props, "principalId");
  const own = get(identity.props, "principalId");
  if (typeof principal === "string" && typeof own === "string") return principal === own;
  return (ra.propertyDependencies["principalId"] ?? []).includes(identity);
}

/** Severity high. Stack: the workspace's user-assigned primary identity holds the documented roles on its resources. */
export const workspaceMissingIdentityRoles = stackPolicy({
  name: "azure-ml-workspace-missing-identity-roles",
  control: "C11",
  severity: "high",
  frameworks: [["nist-800-53-r5", "AC-3"]],
  description:
    "Every Azure ML workspace whose primary identity is user-assigned gives that identity the roles Azure ML documents: Contributor on the workspace, its storage account, key vault and Application Insights, Key Vault Administrator on the vault, Storage Blob Data Contributor on the storage account.",
  remediationSteps:
    "Create the role assignments of `WORKSPACE_IDENTITY_ROLES` (policy-pack/lib/ml-workspace-roles.ts) for the workspace identity, scoped to each resource; create the workspace after the ones on its linked resources (and a wait for them).",
  url: WORKSPACE_IDENTITY_DOC,
  targetType: ml.Workspace,
  validateStack: (args, report) => {
    const assignments = args.resources.filter((r) => r.type === ROLE_ASSIGNMENT_TYPE);
    const identities = args.resources.filter((r) => r.type === IDENTITY_TYPE);
    for (const ws of targetsOf(args, tokens(ml.Workspace), "ML workspaces")) {
      const type = str(ws.props, "identity", "type");
      const primary = get(ws.props, "primaryUserAssignedIdentity");
      if (typeof type !== "string" || !type.toLowerCase().includes("userassigned") || typeof primary !== "string") continue;
      const identity = identities.find((i) => same(get(i.props, "id"), primary)) ?? (ws.propertyDependencies["primaryUserAssignedIdentity"] ?? [])[0];
      if (!identity) continue; // an identity made elsewhere: its roles are not in this stack to judge
      const held = assignments.filter((ra) => isFor(ra, identity));
      for (const row of WORKSPACE_IDENTITY_ROLES) {
        const target = row.target === "workspace" ? get(ws.props, "id") : get(ws.props, TARGET_PROPERTY[row.target]);
        if (target === UNKNOWN) continue;
        if (target === undefined && row.target !== "workspace") continue; // nothing linked, nothing to grant
        const ok = held.some((ra) => {
          const role = str(ra.props, "roleDefinitionId");
          const scope = get(ra.props, "scope");
          if (role === UNKNOWN || scope === UNKNOWN) return true;
          const guid = typeof role === "string" ? role.replace(/\/+$/, "").split("/").pop()!.toLowerCase() : "";
          if (guid !== ROLE_IDS[row.role]) return false;
          return target === undefined || same(scope, target);
        });
        if (ok) continue;
        report(
          formatViolation({
            what: `the workspace's identity ${identity.name} has no ${ROLE_NAMES[ROLE_IDS[row.role]]} on its ${row.target} (${typeof target === "string" ? target : "the workspace"}): Azure ML acts as that identity on the resources linked to the workspace and fails where the documented role is missing`,
            where: at(ws, row.target === "workspace" ? "primaryUserAssignedIdentity" : TARGET_PROPERTY[row.target]),
            fix: `assign ${ROLE_NAMES[ROLE_IDS[row.role]]} (${ROLE_IDS[row.role]}) to ${identity.name}, scoped to the ${row.target}`,
          }),
          ws.urn,
        );
      }
    }
  },
});
