/**
 * Authorization policies (Azure), control C6: role assignments grant data
 * roles on the environment's own resources, never privileged roles and
 * never at subscription or resource-group scope.
 * Docs: https://learn.microsoft.com/azure/role-based-access-control/best-practices
 */
import * as authorization from "@pulumi/azure-native/authorization";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, settings } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { propsOf } from "../../../lib/props";

const assignmentProps = propsOf(authorization.RoleAssignment);

/** Built-in roles that administer resources or access (GUIDs are the same in every tenant). */
export const PRIVILEGED_ROLES: Readonly<Record<string, string>> = {
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
};

const roleSchema = {
  properties: {
    disallowedRoleDefinitionIds: {
      type: "array" as const,
      items: { type: "string" as const },
      default: Object.keys(PRIVILEGED_ROLES),
      description: "Role definition GUIDs that must never be assigned (default: Owner, Contributor, User Access Administrator, RBAC Administrator).",
    },
  },
};

/** The GUID at the end of a role definition id (`/subscriptions/.../roleDefinitions/<guid>` or a bare GUID). */
export function roleGuid(roleDefinitionId: string): string {
  return roleDefinitionId.trim().replace(/\/+$/, "").split("/").pop()!.toLowerCase();
}

/** Severity critical. Resource: no Owner, Contributor, User Access Administrator or RBAC Administrator assignment. */
export const roleAssignmentDisallowPrivilegedRoles = resourcePolicy({
  name: "azure-authorization-role-assignment-disallow-privileged-roles",
  control: "C6",
  severity: "critical",
  description: "No role assignment grants Owner, Contributor, User Access Administrator or Role Based Access Control Administrator.",
  remediationSteps:
    "Assign the narrowest data role instead: Storage Blob Data Reader on the data container, Storage Blob Data Contributor on the output container, Key Vault Crypto Service Encryption User on the key.",
  url: "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles",
  checks: [],
  frameworks: [["cis-azure-4.0.0", "6.3.3"], ["nist-800-53-r5", "AC-6"]],
  configSchema: roleSchema,
  validateResource: validateResourceOfType(authorization.RoleAssignment, (ra, args, report) => {
    const { disallowedRoleDefinitionIds } = settings<{ disallowedRoleDefinitionIds: string[] }>(args, roleSchema);
    const role = assignmentProps.str(ra, "roleDefinitionId");
    if (typeof role !== "string") return;
    const guid = roleGuid(role);
    if (!disallowedRoleDefinitionIds.map((g) => g.toLowerCase()).includes(guid)) return;
    report(
      formatViolation({
        what: `the assignment grants the privileged role ${PRIVILEGED_ROLES[guid] ?? guid}`,
        where: at(args, "roleDefinitionId"),
        fix: "assign a data-plane role scoped to the container or key the workload needs",
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
