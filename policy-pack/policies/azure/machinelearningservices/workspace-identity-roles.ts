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
import * as authorization from "@pulumi/azure-native/authorization";
import * as ml from "@pulumi/azure-native/machinelearningservices";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, tokens, typeToken } from "../../../lib/define";
import { targetsOf } from "../../../lib/match";
import { at, formatViolation } from "../../../lib/messages";
import { ROLE_IDS, WORKSPACE_IDENTITY_DOC, WORKSPACE_IDENTITY_ROLES, WorkspaceRoleTarget } from "../../../lib/ml-workspace-roles";
import { propsOf } from "../../../lib/props";
import { UNKNOWN } from "../../../lib/values";

const ROLE_ASSIGNMENT_TYPE = typeToken(authorization.RoleAssignment);
const IDENTITY_TYPE = typeToken(managedidentity.UserAssignedIdentity);
const assignmentProps = propsOf(authorization.RoleAssignment);
const identityProps = propsOf(managedidentity.UserAssignedIdentity);
const workspaceProps = propsOf(ml.Workspace);
const ROLE_NAMES: Readonly<Record<string, string>> = {
  [ROLE_IDS.contributor]: "Contributor",
  [ROLE_IDS.keyVaultAdministrator]: "Key Vault Administrator",
  [ROLE_IDS.storageBlobDataContributor]: "Storage Blob Data Contributor",
};
/** Where the workspace names each linked resource. */
const TARGET_PROPERTY: Readonly<Record<Exclude<WorkspaceRoleTarget, "workspace">, "storageAccount" | "keyVault" | "applicationInsights">> =
  {
    storage: "storageAccount",
    vault: "keyVault",
    appInsights: "applicationInsights",
  };

const norm = (id: string) => id.replace(/\/+$/, "").toLowerCase();

/**
 * The stack's role assignments read once into a set of grants (linear in the
 * stack, however many copies share the same ids): `<holder>|<role guid>|<scope>`
 * and `<holder>|<role guid>|*`, where the holder is the principal id or, when
 * that is not known yet, `dep:<urn>` of the identity it comes from. A holder
 * with an assignment whose role or scope is unknown is undecided.
 */
function indexGrants(assignments: readonly PolicyResource[]) {
  const grants = new Set<string>();
  const undecided = new Set<string>();
  for (const ra of assignments) {
    const principal = assignmentProps.get(ra.props, "principalId");
    const holders = typeof principal === "string" ? [principal] : (ra.propertyDependencies["principalId"] ?? []).map((d) => `dep:${d.urn}`);
    const role = assignmentProps.str(ra.props, "roleDefinitionId");
    const scope = assignmentProps.get(ra.props, "scope");
    for (const h of holders) {
      if (role === UNKNOWN || scope === UNKNOWN) {
        undecided.add(h);
        continue;
      }
      if (typeof role !== "string") continue;
      const guid = role.replace(/\/+$/, "").split("/").pop()!.toLowerCase();
      grants.add(`${h}|${guid}|*`);
      if (typeof scope === "string") grants.add(`${h}|${guid}|${norm(scope)}`);
    }
  }
  return {
    /** True when `identity` holds `guid` on `target` (any scope when target is undefined), or cannot be judged yet. */
    holds(identity: PolicyResource, guid: string, target: string | undefined): boolean {
      const own = identityProps.get(identity.props, "principalId");
      const holders = [...(typeof own === "string" ? [own] : []), `dep:${identity.urn}`];
      return holders.some((h) => undecided.has(h) || grants.has(`${h}|${guid}|${target === undefined ? "*" : norm(target)}`));
    },
  };
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
    const workspaces = targetsOf(args, tokens(ml.Workspace), "ML workspaces");
    const index = indexGrants(args.resources.filter((r) => r.type === ROLE_ASSIGNMENT_TYPE));
    const identityById = new Map<string, PolicyResource>();
    for (const i of args.resources) {
      if (i.type !== IDENTITY_TYPE) continue;
      const id = identityProps.get(i.props, "id");
      if (typeof id === "string") identityById.set(norm(id), i);
    }
    for (const ws of workspaces) {
      const type = workspaceProps.str(ws.props, "identity", "type");
      const primary = workspaceProps.get(ws.props, "primaryUserAssignedIdentity");
      if (typeof type !== "string" || !type.toLowerCase().includes("userassigned") || typeof primary !== "string") continue;
      const identity = identityById.get(norm(primary)) ?? (ws.propertyDependencies["primaryUserAssignedIdentity"] ?? [])[0];
      if (!identity) continue; // an identity made elsewhere: its roles are not in this stack to judge
      for (const row of WORKSPACE_IDENTITY_ROLES) {
        const target =
          row.target === "workspace" ? workspaceProps.get(ws.props, "id") : workspaceProps.get(ws.props, TARGET_PROPERTY[row.target]);
        if (target === UNKNOWN) continue;
        if (target === undefined && row.target !== "workspace") continue; // nothing linked, nothing to grant
        const ok = index.holds(identity, ROLE_IDS[row.role], typeof target === "string" ? target : undefined);
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
