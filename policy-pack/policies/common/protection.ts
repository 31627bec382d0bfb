/**
 * Protection policy (AWS and Azure), control C9: in production, data
 * stores and keys are `protect`ed so that no `pulumi destroy` or accidental
 * replacement deletes them. The analyzer receives each resource's `protect`
 * option (not `retainOnDelete`), so `protect` is what this checks.
 * Docs: https://www.pulumi.com/docs/iac/concepts/options/protect/
 */
import type { PolicyResource } from "@pulumi/policy";
import { settings, stackPolicy } from "../../lib/define";
import { targetsOf } from "../../lib/match";
import { at, formatViolation } from "../../lib/messages";
import { ENVIRONMENTS_SETTING, appliesToEnvironment, environmentOf, isTaggable } from "../../lib/tags";
import { Unknown, describe } from "../../lib/values";

/**
 * Data stores and keys that must be protected: S3 buckets and their
 * versioning (destroying a BucketVersioning suspends versioning), KMS keys,
 * storage accounts and their blob containers (destroying one deletes its
 * blobs), Key Vaults and their keys.
 */
export const DEFAULT_DATA_STORE_TYPES = [
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketV2:BucketV2",
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketVersioningV2:BucketVersioningV2",
  "aws:kms/key:Key",
  "aws:kms/replicaKey:ReplicaKey",
  "azure-native:storage:StorageAccount",
  "azure-native:storage:BlobContainer",
  "azure-native:keyvault:Vault",
  "azure-native:keyvault:Key",
];

interface StoreEnvironment {
  readonly env: string | Unknown | undefined;
  /** The resource the tag was read from when it is not the store itself. */
  readonly from?: string;
}

/**
 * The environments a data store belongs to: its own `environment` tag (over
 * its provider's default tags); for a type that takes no tags (a blob
 * container, a BucketVersioning) without such a tag, the tags of the tagged
 * resources its inputs were computed from (the storage account, the
 * bucket). Nothing found: one undefined environment, which the policy checks
 * (fail closed).
 */
function environmentsOf(r: PolicyResource): StoreEnvironment[] {
  const own = environmentOf(r.props, r.provider);
  if (own !== undefined || isTaggable(r.type)) return [{ env: own }];
  const found: StoreEnvironment[] = [];
  const deps = r.propertyDependencies && typeof r.propertyDependencies === "object" ? Object.values(r.propertyDependencies) : [];
  for (const list of deps) {
    for (const d of Array.isArray(list) ? list : []) {
      if (!d || typeof d.type !== "string" || d.urn === r.urn || found.some((f) => f.from === d.name) || !isTaggable(d.type)) continue;
      const env = environmentOf(d.props, d.provider);
      if (env !== undefined) found.push({ env, from: d.name });
    }
  }
  return found.length > 0 ? found : [{ env: own }];
}

/** What a destroy or replacement of an unprotected store does, for messages. */
function consequence(type: string): string {
  if (/^aws:s3\/bucketVersioning(V2)?:/.test(type)) return "suspends the bucket's versioning";
  if (/^aws:kms\/|^azure-native:keyvault:Key$/.test(type))
    return "deletes (or schedules the deletion of) the key and with it access to the data it encrypts";
  return "deletes its data";
}

const protectionSchema = {
  properties: {
    dataStoreTypes: {
      type: "array" as const,
      items: { type: "string" as const },
      default: DEFAULT_DATA_STORE_TYPES,
      description: "Type tokens of the data stores and keys that must be protected.",
    },
    environments: ENVIRONMENTS_SETTING,
  },
};

/** Severity high. Stack: production data stores and keys have `protect: true`. */
export const dataStoreEnforceProtection = stackPolicy({
  name: "common-stack-data-store-enforce-protection",
  control: "C9",
  severity: "high",
  description:
    "In production (tag environment in the configured list, default prod; an untagged container or versioning resource takes the tag of the account or bucket it belongs to) every data store and key (S3 bucket and its versioning, KMS key, storage account and blob container, Key Vault and key) is protected (protect: true).",
  remediationSteps:
    "Create the resource with `{ protect: true, retainOnDelete: true }` when the tier is prod (the stack config's tier decides).",
  url: "https://www.pulumi.com/docs/iac/concepts/options/protect/",
  checks: [],
  frameworks: [["nist-800-53-r5", "CP-9"]],
  configSchema: protectionSchema,
  validateStack: (args, report) => {
    const { dataStoreTypes, environments } = settings<{ dataStoreTypes: string[]; environments: string[] }>(args, protectionSchema);
    for (const r of targetsOf(args, dataStoreTypes, "data stores or keys")) {
      if (r.opts?.protect === true) continue;
      const applies = environmentsOf(r).find((e) => appliesToEnvironment(e.env, environments) === true);
      if (!applies) continue;
      report(
        formatViolation({
          what: `data store ${r.name} (environment tag ${describe(applies.env)}${applies.from ? ` of ${applies.from}` : ""}) is not protected, so a destroy or replacement ${consequence(r.type)}`,
          where: at(r, "opts.protect"),
          fix: "create it with protect: true (and retainOnDelete: true)",
        }),
        r.urn,
      );
    }
  },
});
