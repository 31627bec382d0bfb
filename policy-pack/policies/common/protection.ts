/**
 * Protection policy (AWS and Azure), control C9: in production, data
 * stores and keys are `protect`ed so that no `pulumi destroy` or accidental
 * replacement deletes them. The analyzer receives each resource's `protect`
 * option (not `retainOnDelete`), so `protect` is what this checks.
 * Docs: https://www.pulumi.com/docs/iac/concepts/options/protect/
 */
import { settings, stackPolicy } from "../shared/define";
import { targetsOf } from "../shared/match";
import { at, formatViolation } from "../shared/messages";
import { ENVIRONMENTS_SETTING, appliesToEnvironment, environmentOf } from "../shared/tags";
import { describe } from "../shared/values";

/** Data stores and keys that must be protected: S3 buckets, KMS keys, storage accounts, Key Vaults. */
export const DEFAULT_DATA_STORE_TYPES = [
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketV2:BucketV2",
  "aws:kms/key:Key",
  "aws:kms/replicaKey:ReplicaKey",
  "azure-native:storage:StorageAccount",
  "azure-native:keyvault:Vault",
];

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
  description: "In production (tag environment in the configured list, default prod) every data store and key (S3 bucket, KMS key, storage account, Key Vault) is protected (protect: true).",
  remediationSteps: "Create the resource with `{ protect: true, retainOnDelete: true }` when the tier is prod (the stack config's tier decides).",
  url: "https://www.pulumi.com/docs/iac/concepts/options/protect/",
  configSchema: protectionSchema,
  validateStack: (args, report) => {
    const { dataStoreTypes, environments } = settings<{ dataStoreTypes: string[]; environments: string[] }>(args, protectionSchema);
    for (const r of targetsOf(args, dataStoreTypes, "data stores or keys")) {
      const env = environmentOf(r.props, r.provider);
      if (appliesToEnvironment(env, environments) !== true) continue;
      if (r.opts?.protect === true) continue;
      report(
        formatViolation({
          what: `data store ${r.name} (environment tag ${describe(env)}) is not protected, so a destroy or replacement deletes its data`,
          where: at(r, "opts.protect"),
          fix: "create it with protect: true (and retainOnDelete: true)",
        }),
        r.urn,
      );
    }
  },
});

export const policies = [dataStoreEnforceProtection];
