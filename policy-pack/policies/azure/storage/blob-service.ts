/**
 * Blob service policies (Azure), control C9: every account keeps versions
 * and soft-deleted blobs.
 * Docs: https://learn.microsoft.com/azure/storage/blobs/data-protection-overview
 */
import * as storage from "@pulumi/azure-native/storage";
import { stackPolicy, tokens } from "../../../lib/define";
import { coverage, ofTypes, targetsOf } from "../../../lib/match";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, describe } from "../../../lib/values";
import { ACCOUNT_IDS } from "./account";
import { propsOf } from "../../../lib/props";

const serviceProps = propsOf(storage.BlobServiceProperties);

const blobServiceTypes = tokens(storage.BlobServiceProperties);

/** Severity high. Stack: every account's blob service keeps versions and soft-deleted blobs. */
export const blobServiceEnableVersioningSoftDelete = stackPolicy({
  name: "azure-storage-blob-service-enable-versioning-soft-delete",
  control: "C9",
  severity: "high",
  description: "Every storage account has blob service properties with versioning on and blob soft delete enabled.",
  remediationSteps:
    'Add `new storage.BlobServiceProperties(name, { accountName: account.name, resourceGroupName, blobServicesName: "default", isVersioningEnabled: true, deleteRetentionPolicy: { enabled: true, days: 30 }, containerDeleteRetentionPolicy: { enabled: true, days: 30 } })`.',
  url: "https://learn.microsoft.com/azure/storage/blobs/data-protection-overview",
  checks: ["CKV2_AZURE_38"],
  frameworks: [
    ["cis-azure-4.0.0", "10.2.1"],
    ["cis-azure-4.0.0", "10.2.2"],
    ["nist-800-53-r5", "CP-9"],
    ["nist-800-53-r5", "CP-10"],
  ],
  targetType: storage.StorageAccount,
  validateStack: (args, report) => {
    const accounts = targetsOf(args, tokens(storage.StorageAccount), "storage accounts");
    for (const { target, matches, undetermined } of coverage(
      accounts,
      ofTypes(args.resources, blobServiceTypes),
      "accountName",
      ACCOUNT_IDS,
    )) {
      if (matches.length === 0) {
        if (undetermined.length > 0) continue;
        report(
          formatViolation({
            what: `storage account ${target.name} has no blob service properties, so versioning and soft delete are off`,
            where: at(target),
            fix: "add a storage.BlobServiceProperties for the account with isVersioningEnabled and deleteRetentionPolicy enabled",
          }),
          target.urn,
        );
        continue;
      }
      for (const svc of matches) {
        const versioning = serviceProps.bool(svc.props, "isVersioningEnabled");
        const softDelete = serviceProps.bool(svc.props, "deleteRetentionPolicy", "enabled");
        const days = serviceProps.num(svc.props, "deleteRetentionPolicy", "days");
        const problems: string[] = [];
        if (versioning !== true && versioning !== UNKNOWN) problems.push(`isVersioningEnabled is ${describe(versioning)}`);
        if (softDelete !== true && softDelete !== UNKNOWN) problems.push(`deleteRetentionPolicy.enabled is ${describe(softDelete)}`);
        if (typeof days === "number" && days < 1) problems.push(`deleteRetentionPolicy.days is ${days}`);
        if (problems.length === 0) continue;
        report(
          formatViolation({
            what: `blob service of storage account ${target.name}: ${problems.join("; ")}`,
            where: at(svc, "isVersioningEnabled, deleteRetentionPolicy"),
            fix: "set isVersioningEnabled: true and deleteRetentionPolicy: { enabled: true, days: 7 or more }",
          }),
          svc.urn,
        );
      }
    }
  },
});
