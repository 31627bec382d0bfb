/**
 * C6: a blob data role granted on a whole storage account is narrowed by a
 * condition on container names. Scoped to the account, Storage Blob Data
 * Reader, Contributor or Owner reach every container (training data
 * included); a role assignment condition such as
 * `@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringStartsWith 'azureml'`
 * limits the blob actions to the containers it names.
 */
import * as authorization from "@pulumi/azure-native/authorization";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { propsOf } from "../../../lib/props";
import { roleGuid, scopeResourceType } from "./role-assignment";

const assignmentProps = propsOf(authorization.RoleAssignment);

/** Storage Blob Data Reader, Contributor, Owner. */
export const BLOB_DATA_ROLES: Readonly<Record<string, string>> = {
  "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1": "Storage Blob Data Reader",
  "ba92f5b4-2d11-453d-a403-e96b0029c9fe": "Storage Blob Data Contributor",
  "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": "Storage Blob Data Owner",
};
const CONTAINER_NAME_ATTRIBUTE = "@resource[microsoft.storage/storageaccounts/blobservices/containers:name]";

/** Severity high. Resource: an account-scoped blob data role carries a container-name condition. */
export const roleAssignmentConfigureContainerCondition = resourcePolicy({
  name: "azure-authorization-role-assignment-configure-container-condition",
  control: "C6",
  severity: "high",
  frameworks: [
    ["nist-800-53-r5", "AC-6"],
    ["nist-800-53-r5", "AC-3"],
  ],
  description:
    "Every blob data role (Storage Blob Data Reader, Contributor, Owner) scoped to a whole storage account carries a condition on container names.",
  remediationSteps:
    'Scope the role to the container, or add `condition: "... @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringStartsWith \'<prefix>\'"` with `conditionVersion: "2.0"`.',
  url: "https://learn.microsoft.com/azure/role-based-access-control/conditions-format",
  validateResource: validateResourceOfType(authorization.RoleAssignment, (ra, args, report) => {
    const role = assignmentProps.str(ra, "roleDefinitionId");
    const scope = assignmentProps.str(ra, "scope");
    if (typeof role !== "string" || typeof scope !== "string") return;
    const name = BLOB_DATA_ROLES[roleGuid(role)];
    if (!name || (scopeResourceType(scope) ?? "").toLowerCase() !== "microsoft.storage/storageaccounts") return;
    const condition = assignmentProps.str(ra, "condition");
    if (typeof condition !== "string" && condition !== undefined) return; // unknown: judged at deploy
    if (typeof condition === "string" && condition.toLowerCase().includes(CONTAINER_NAME_ATTRIBUTE)) return;
    report(
      formatViolation({
        what: `${name} on the whole storage account ${scope.split("/").pop()} ${condition === undefined ? "has no condition" : "has a condition that names no container"}: it reaches every container, training data included`,
        where: at(args, "condition"),
        fix: "scope the role to the one container, or add a condition on @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] (conditionVersion 2.0)",
      }),
    );
  }),
});
