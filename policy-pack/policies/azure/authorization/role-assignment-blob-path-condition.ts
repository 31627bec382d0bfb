/**
 * C6: a custom role that writes blobs (the data ingest writer of issue 16:
 * read, write and add, never delete) is assigned with an ABAC condition on
 * the blob path, so its holder writes only under a prefix (`datasets/`)
 * and cannot overwrite anything else in the container (job inputs are read
 * from there). Azure evaluates a role assignment condition (version 2.0) on
 * every data action; the blob path attribute is
 * `@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path]`
 * with StringLike or StringStartsWith.
 */
import * as authorization from "@pulumi/azure-native/authorization";
import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, tokens, typeToken } from "../../../lib/define";
import { targetsOf } from "../../../lib/match";
import { at, formatViolation } from "../../../lib/messages";
import { propsOf } from "../../../lib/props";

const definitionProps = propsOf(authorization.RoleDefinition);
const permissionProps = definitionProps.sub("permissions", 0);
const assignmentProps = propsOf(authorization.RoleAssignment);

const BLOBS = "microsoft.storage/storageaccounts/blobservices/containers/blobs";
const BLOB_WRITE_ACTIONS = [`${BLOBS}/write`, `${BLOBS}/add/action`];
const PATH_ATTRIBUTE = `@resource[${BLOBS}:path]`;
const DEFINITION_TYPE = typeToken(authorization.RoleDefinition);

/** True when a data action pattern (wildcards allowed, case-insensitive) covers `action`. */
function covers(pattern: string, action: string): boolean {
  const escaped = pattern
    .toLowerCase()
    .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`).test(action);
}

/** The blob write actions a role definition grants (its known dataActions less its notDataActions); [] when none or unknown. */
export function blobWriteActions(definition: PolicyResource): string[] {
  const permissions = definitionProps.get(definition.props, "permissions");
  if (!Array.isArray(permissions)) return [];
  const granted = new Set<string>();
  for (const p of permissions) {
    const list = (key: "dataActions" | "notDataActions") => {
      const v = permissionProps.get(p, key);
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
    };
    const data = list("dataActions");
    const not = list("notDataActions");
    for (const a of BLOB_WRITE_ACTIONS) if (data.some((d) => covers(d, a)) && !not.some((n) => covers(n, a))) granted.add(a);
  }
  return [...granted];
}

/** Why a condition does not limit writes to a blob path, or undefined when it does. */
export function pathConditionProblem(condition: unknown, version: unknown): string | undefined {
  if (condition === undefined || condition === null || condition === "") return "has no condition";
  if (typeof condition !== "string") return undefined; // unknown during preview: judged at deploy
  const c = condition.toLowerCase();
  if (!c.includes(PATH_ATTRIBUTE) || !/stringlike|stringstartswith/.test(c.slice(c.indexOf(PATH_ATTRIBUTE))))
    return "has a condition that names no blob path (StringLike / StringStartsWith on the blob path attribute)";
  if (typeof version === "string" && version !== "2.0") return `has conditionVersion ${version}; a blob path condition needs 2.0`;
  return undefined;
}

/** Severity high. Stack: assignments of a custom blob-writing role carry a blob path condition. */
export const roleAssignmentConfigureBlobPathCondition = stackPolicy({
  name: "azure-authorization-role-assignment-configure-blob-path-condition",
  control: "C6",
  severity: "high",
  frameworks: [
    ["nist-800-53-r5", "AC-6"],
    ["nist-800-53-r5", "AC-3"],
  ],
  description:
    "Every assignment of a custom role that writes blobs (the data ingest writer) carries an ABAC condition on the blob path, so its holder writes only under one prefix (datasets/) of the container.",
  remediationSteps:
    "Add `condition: \"((!(ActionMatches{'.../blobs/write'}) AND !(ActionMatches{'.../blobs/add/action'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLike 'datasets/*'))\"` and `conditionVersion: \"2.0\"` to the role assignment (stacks/azure/data-ingest.ts, datasetsWriteCondition).",
  url: "https://learn.microsoft.com/azure/storage/blobs/storage-auth-abac-attributes",
  targetType: authorization.RoleAssignment,
  validateStack: (args, report) => {
    const assignments = targetsOf(args, tokens(authorization.RoleAssignment), "role assignments");
    const writers = args.resources.filter((r) => r.type === DEFINITION_TYPE && blobWriteActions(r).length > 0);
    if (writers.length === 0) return;
    for (const ra of assignments) {
      const definitions = ra.propertyDependencies["roleDefinitionId"] ?? [];
      const writer = writers.find((w) => definitions.includes(w));
      if (writer === undefined) continue;
      const problem = pathConditionProblem(assignmentProps.get(ra.props, "condition"), assignmentProps.str(ra.props, "conditionVersion"));
      if (problem === undefined) continue;
      report(
        formatViolation({
          what: `the assignment of ${writer.name}, which may ${blobWriteActions(writer).join(", ")}, ${problem}: its holder can write any blob of ${String(assignmentProps.str(ra.props, "scope") ?? "the scope")}`,
          where: at(ra, "condition"),
          fix: "add a condition (version 2.0) that allows blobs/write and blobs/add/action only where @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLike 'datasets/*'",
        }),
        ra.urn,
      );
    }
  },
});
