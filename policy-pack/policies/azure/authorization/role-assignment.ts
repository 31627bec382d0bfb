/**
 * Authorization policies (Azure), control C6: role assignments grant data
 * roles on the environment's own resources, never privileged roles and
 * never at subscription or resource-group scope. The one documented need
 * for broader roles (the ML workspace's user-assigned identity) is a list of
 * configured exceptions, each naming the assignment, the role and the type
 * of resource it may apply to.
 * Docs: https://learn.microsoft.com/azure/role-based-access-control/best-practices
 */
import * as authorization from "@pulumi/azure-native/authorization";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, settings } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { ROLE_IDS, TARGET_ARM_TYPE, WORKSPACE_IDENTITY_DOC, WORKSPACE_IDENTITY_ROLES } from "../../../lib/ml-workspace-roles";
import { propsOf } from "../../../lib/props";

const assignmentProps = propsOf(authorization.RoleAssignment);

/** Built-in roles that administer resources or access (GUIDs are the same in every tenant). */
export const PRIVILEGED_ROLES: Readonly<Record<string, string>> = {
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
  "00482a5a-887f-4fb3-b363-3b7fe8e74483": "Key Vault Administrator",
};

/** One allowed use of a privileged role: this assignment, this role, on a resource of this type. */
export interface RoleException {
  /** Logical name of the assignment, or its suffix after `-`: `ra-mlw-contributor-storage`. */
  readonly assignment: string;
  /** GUID of the role. */
  readonly roleDefinitionId: string;
  /** ARM type of the one resource it may be scoped to: `Microsoft.Storage/storageAccounts`. */
  readonly scopeType: string;
  /** Why, with the documentation. */
  readonly reason: string;
}

/** The ML workspace identity's documented privileged roles (Contributor, Key Vault Administrator). */
export const WORKSPACE_IDENTITY_EXCEPTIONS: readonly RoleException[] = WORKSPACE_IDENTITY_ROLES.filter(
  (r) => ROLE_IDS[r.role] in PRIVILEGED_ROLES,
).map((r) => ({
  assignment: `ra-${r.label}`,
  roleDefinitionId: ROLE_IDS[r.role],
  scopeType: TARGET_ARM_TYPE[r.target],
  reason: `Azure ML documents ${PRIVILEGED_ROLES[ROLE_IDS[r.role]]} on its ${r.target} for a user-assigned workspace identity: ${WORKSPACE_IDENTITY_DOC}`,
}));

const roleSchema = {
  properties: {
    disallowedRoleDefinitionIds: {
      type: "array" as const,
      items: { type: "string" as const },
      default: Object.keys(PRIVILEGED_ROLES),
      description:
        "Role definition GUIDs that must never be assigned (default: Owner, Contributor, User Access Administrator, RBAC Administrator, Key Vault Administrator).",
    },
    exceptions: {
      type: "array" as const,
      items: {
        type: "object" as const,
        properties: {
          assignment: { type: "string" as const },
          roleDefinitionId: { type: "string" as const },
          scopeType: { type: "string" as const },
          reason: { type: "string" as const },
        },
        required: ["assignment", "roleDefinitionId", "scopeType", "reason"],
      },
      default: WORKSPACE_IDENTITY_EXCEPTIONS,
      description:
        "Assignments allowed to hold a disallowed role, each on one type of resource (default: the roles Azure ML documents for a user-assigned workspace identity).",
    },
  },
};

/** `Microsoft.Storage/storageAccounts` when `scope` is the id of one such resource (not a child of it); undefined otherwise. */
export function scopeResourceType(scope: string): string | undefined {
  const m = /\/providers\/([^/]+)\/([^/]+)\/[^/]+\/?$/i.exec(scope.trim());
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** The exception that allows this assignment, if any. An unknown scope (preview) matches on name and role alone. */
export function matchingException(
  exceptions: readonly RoleException[],
  name: string,
  guid: string,
  scope: unknown,
): RoleException | undefined {
  return exceptions.find((e) => {
    if (typeof e?.assignment !== "string" || typeof e.roleDefinitionId !== "string" || typeof e.scopeType !== "string") return false;
    if (name !== e.assignment && !name.endsWith(`-${e.assignment}`)) return false;
    if (roleGuid(e.roleDefinitionId) !== guid) return false;
    if (typeof scope !== "string") return true;
    return (scopeResourceType(scope) ?? "").toLowerCase() === e.scopeType.toLowerCase();
  });
}

/** The GUID at the end of a role definition id (`/subscriptions/.../roleDefinitions/<guid>` or a bare GUID). */
export function roleGuid(roleDefinitionId: string): string {
  return roleDefinitionId.trim().replace(/\/+$/, "").split("/").pop()!.toLowerCase();
}

/** Severity critical. Resource: no Owner, Contributor, User Access Administrator, RBAC Administrator or Key Vault Administrator assignment, beyond the configured exceptions. */
export const roleAssignmentDisallowPrivilegedRoles = resourcePolicy({
  name: "azure-authorization-role-assignment-disallow-privileged-roles",
  control: "C6",
  severity: "critical",
  description:
    "No role assignment grants Owner, Contributor, User Access Administrator, Role Based Access Control Administrator or Key Vault Administrator, except the configured exceptions (each an assignment, a role and the type of resource it is scoped to).",
  remediationSteps:
    "Assign the narrowest data role instead: Storage Blob Data Reader on the data container, Storage Blob Data Contributor on the output container, Key Vault Crypto Service Encryption User on the key.",
  url: "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles",
  checks: [],
  frameworks: [
    ["cis-azure-4.0.0", "6.3.3"],
    ["nist-800-53-r5", "AC-6"],
  ],
  configSchema: roleSchema,
  validateResource: validateResourceOfType(authorization.RoleAssignment, (ra, args, report) => {
    const { disallowedRoleDefinitionIds, exceptions } = settings<{ disallowedRoleDefinitionIds: string[]; exceptions: RoleException[] }>(
      args,
      roleSchema,
    );
    const role = assignmentProps.str(ra, "roleDefinitionId");
    if (typeof role !== "string") return;
    const guid = roleGuid(role);
    if (!disallowedRoleDefinitionIds.map((g) => g.toLowerCase()).includes(guid)) return;
    if (matchingException(exceptions, args.name, guid, assignmentProps.str(ra, "scope"))) return;
    const scope = assignmentProps.str(ra, "scope");
    const near = exceptions.find(
      (e) => typeof e?.assignment === "string" && (args.name === e.assignment || args.name.endsWith(`-${e.assignment}`)),
    );
    report(
      formatViolation({
        what:
          `the assignment grants the privileged role ${PRIVILEGED_ROLES[guid] ?? guid}` +
          (near
            ? ` (the exception for ${near.assignment} allows ${PRIVILEGED_ROLES[roleGuid(near.roleDefinitionId)] ?? near.roleDefinitionId} on a ${near.scopeType} only; the scope is ${typeof scope === "string" ? scope : "not a string"})`
            : ""),
        where: at(args, "roleDefinitionId"),
        fix: "assign a data-plane role scoped to the container or key the workload needs, or, for a role the service documents, add a configured exception naming the assignment, role and resource type",
      }),
    );
  }),
});

/** `subscription`, `resource group`, `management group` or `root` when the scope is that broad; undefined otherwise. */
export function broadScope(scope: string): string | undefined {
  const s = scope.trim().replace(/\/+$/, "");
  if (s === "" || s === "/") return "root";
  if (/^\/providers\/Microsoft\.Management\/managementGroups\/[^/]+$/i.test(s)) return "management group";
  if (/^\/subscriptions\/[^/]+$/i.test(s)) return "subscription";
  if (/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+$/i.test(s)) return "resource group";
  return undefined;
}

/** Severity high. Resource: assignments are scoped to a resource (container, key, vault), not broader. */
export const roleAssignmentDisallowBroadScope = resourcePolicy({
  name: "azure-authorization-role-assignment-disallow-broad-scope",
  control: "C6",
  severity: "high",
  description: "No role assignment is scoped to a management group, subscription or resource group.",
  remediationSteps: "Scope the assignment to the resource the workload uses (the container's, key's or vault's resource id).",
  url: "https://learn.microsoft.com/azure/role-based-access-control/scope-overview",
  checks: [],
  frameworks: [["nist-800-53-r5", "AC-6"]],
  validateResource: validateResourceOfType(authorization.RoleAssignment, (ra, args, report) => {
    const scope = assignmentProps.str(ra, "scope");
    if (typeof scope !== "string") return;
    const broad = broadScope(scope);
    if (!broad) return;
    report(
      formatViolation({
        what: `the assignment is scoped to a whole ${broad} (${scope})`,
        where: at(args, "scope"),
        fix: "scope it to the specific container, key or vault",
      }),
    );
  }),
});
