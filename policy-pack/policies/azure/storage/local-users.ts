/**
 * Storage local users and SFTP (Azure, C6): local users authenticate with
 * passwords or SSH keys the storage account itself issues, outside
 * Microsoft Entra ID, RBAC and the disabled Shared Key. The account turns
 * the feature off (`isLocalUserEnabled: false`, `isSftpEnabled` not true)
 * and the stack creates no `storage.LocalUser`.
 */
import * as storage from "@pulumi/azure-native/storage";
import { resourcePolicy, validateResourcesOfTypes } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { propsOf } from "../../../lib/props";
import { UNKNOWN, describe } from "../../../lib/values";

const accountProps = propsOf(storage.StorageAccount);

/** Severity high. Resource: no local users, no SFTP. */
export const accountDisableLocalUsers = resourcePolicy({
  name: "azure-storage-account-disable-local-users",
  control: "C6",
  severity: "high",
  description:
    "Every storage account disables local users (isLocalUserEnabled false) and SFTP (isSftpEnabled not true), and the stack creates no storage LocalUser, so only Microsoft Entra identities reach the data.",
  remediationSteps:
    "Set `isLocalUserEnabled: false` and `isSftpEnabled: false` on the storage.StorageAccount, remove storage.LocalUser resources, and give people and jobs RBAC roles on the container instead.",
  url: "https://learn.microsoft.com/azure/storage/blobs/secure-file-transfer-protocol-support-authorize-access",
  checks: ["CKV_AZURE_244"],
  frameworks: [
    ["nist-800-53-r5", "IA-2"],
    ["nist-800-53-r5", "AC-2"],
  ],
  validateResource: validateResourcesOfTypes([storage.StorageAccount, storage.LocalUser], (props, args, report) => {
    if (args.type === "azure-native:storage:LocalUser") {
      report(
        formatViolation({
          what: "a storage local user authenticates with its own password or SSH key, outside Microsoft Entra ID",
          where: at(args),
          fix: "remove the LocalUser and grant an Entra identity an RBAC role instead",
        }),
      );
      return;
    }
    const local = accountProps.bool(props, "isLocalUserEnabled");
    if (local !== UNKNOWN && local !== false) {
      report(
        formatViolation({
          what: `isLocalUserEnabled is ${describe(local)}${local === undefined ? " (not set: the service default applies, so state it)" : ""}`,
          where: at(args, "isLocalUserEnabled"),
          fix: "set isLocalUserEnabled to false",
        }),
      );
    }
    if (accountProps.bool(props, "isSftpEnabled") === true) {
      report(
        formatViolation({
          what: "isSftpEnabled is true: the account accepts SFTP logins of local users",
          where: at(args, "isSftpEnabled"),
          fix: "set isSftpEnabled to false",
        }),
      );
    }
  }),
});
