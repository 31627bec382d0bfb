/**
 * C11: a storage account encrypted with a Key Vault key through a
 * user-assigned identity is created only after that identity's role on the
 * key has had time to take effect. Azure: "When you assign roles or remove
 * role assignments, it can take up to 10 minutes for changes to take
 * effect." Created right after the assignment, the account's create fails
 * because the identity cannot yet reach the key. The program waits with a
 * `time` Sleep that depends on the assignment, and the account depends on
 * the sleep (as Microsoft's Key Vault module does with `time_sleep`).
 */
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as storage from "@pulumi/azure-native/storage";
import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, tokens, typeToken } from "../../../lib/define";
import { targetsOf } from "../../../lib/match";
import { at, formatViolation } from "../../../lib/messages";
import { propsOf } from "../../../lib/props";
import { UNKNOWN } from "../../../lib/values";

/** The type token of `@pulumiverse/time`'s Sleep. */
export const SLEEP_TYPE = "time:index/sleep:Sleep";

/** Roles that let an identity wrap and unwrap with a key (Crypto Service Encryption User, Crypto Officer, Administrator). */
export const KEY_USE_ROLES = [
  "e147488a-f6f5-4113-8e2d-b22465e65bf6",
  "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
  "00482a5a-887f-4fb3-b363-3b7fe8e74483",
];
const ROLE_ASSIGNMENT_TYPE = typeToken(authorization.RoleAssignment);
const assignmentProps = propsOf(authorization.RoleAssignment);
const identityProps = propsOf(managedidentity.UserAssignedIdentity);
const accountProps = propsOf(storage.StorageAccount);

/** Every resource `r` depends on, directly or through others (not `r` itself). */
export function transitiveDependencies(r: PolicyResource): PolicyResource[] {
  const seen = new Set<PolicyResource>();
  const todo = [...r.dependencies];
  while (todo.length > 0) {
    const d = todo.pop()!;
    if (seen.has(d)) continue;
    seen.add(d);
    todo.push(...d.dependencies);
  }
  return [...seen];
}

function roleGuidOf(ra: PolicyResource): string | undefined {
  const role = assignmentProps.str(ra.props, "roleDefinitionId");
  return typeof role === "string" ? role.trim().replace(/\/+$/, "").split("/").pop()!.toLowerCase() : undefined;
}

/** True when the assignment grants a key-use role to `identityId` (or to an identity that cannot be told yet). */
function grantsKeyUse(ra: PolicyResource, identityId: unknown): boolean {
  if (ra.type !== ROLE_ASSIGNMENT_TYPE) return false;
  const guid = roleGuidOf(ra);
  if (guid === undefined || !KEY_USE_ROLES.includes(guid)) return false;
  const principals = ra.propertyDependencies["principalId"] ?? [];
  if (principals.length === 0 || typeof identityId !== "string") return true;
  // An identity's outputs may not carry its id (the engine keeps ids apart): then the role counts.
  return principals.some((p) => {
    const id = identityProps.get(p.props, "id");
    return typeof id !== "string" || id === identityId;
  });
}

/** Severity high. Stack: the CMK account depends on a Sleep that depends on its identity's key role. */
export const accountEnforceKeyRoleWait = stackPolicy({
  name: "azure-storage-account-enforce-key-role-wait",
  control: "C11",
  severity: "high",
  frameworks: [
    ["nist-800-53-r5", "SC-12"],
    ["nist-800-53-r5", "SC-28"],
  ],
  description:
    "Every storage account encrypted with a Key Vault key through a user-assigned identity depends on a time Sleep that depends on that identity's role on the key, so the role is in effect when Azure creates the account.",
  remediationSteps:
    'Create `new time.Sleep(name, { createDuration: "120s" }, { dependsOn: [keyRoleAssignment] })` (@pulumiverse/time) and give the storage account `dependsOn: [sleep]`.',
  url: "https://learn.microsoft.com/azure/role-based-access-control/troubleshooting#symptom---role-assignment-changes-are-not-being-detected",
  targetType: storage.StorageAccount,
  validateStack: (args, report) => {
    for (const account of targetsOf(args, tokens(storage.StorageAccount), "storage accounts")) {
      const source = accountProps.str(account.props, "encryption", "keySource");
      if (typeof source !== "string" || source.toLowerCase() !== "microsoft.keyvault") continue;
      const identityId = accountProps.get(account.props, "encryption", "encryptionIdentity", "encryptionUserAssignedIdentity");
      if (identityId === undefined || identityId === UNKNOWN) continue;
      const deps = transitiveDependencies(account);
      const waited = deps.some((d) => d.type === SLEEP_TYPE && transitiveDependencies(d).some((x) => grantsKeyUse(x, identityId)));
      if (waited) continue;
      const direct = deps.some((d) => grantsKeyUse(d, identityId));
      report(
        formatViolation({
          what:
            `storage account ${account.name} is encrypted through identity ${String(identityId)} ` +
            (direct
              ? "right after that identity's role on the key is assigned, without waiting"
              : "without depending on that identity's role on the key") +
            ": Azure takes up to 10 minutes to apply a role assignment and refuses to create the account while the identity cannot reach the key",
          where: at(account, "encryption.encryptionIdentity"),
          fix: "add a time.Sleep (createDuration 120s) that depends on the Key Vault Crypto Service Encryption User assignment, and make the account depend on the sleep",
        }),
        account.urn,
      );
    }
  },
});
