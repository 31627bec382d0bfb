/**
 * C9, no data loss: in prod, neither `pulumi destroy` nor a replacement can
 * delete the training data or the keys that decrypt it. Asserted on the
 * resources prod and azure-prod register (recorded under the mocks):
 *
 *   AWS   data, artifacts and log buckets `protect`ed, not force-destroyable,
 *         versioned (versioning resource protected too), noncurrent versions
 *         kept for a while and current data never expired; the KMS key and
 *         its alias protected, rotation on, 30-day deletion window; the
 *         flow-log group protected.
 *   Azure storage account, blob service and containers protected; blob
 *         versioning, blob and container soft delete; vault protected with
 *         purge protection and 90-day soft delete; the key protected.
 *
 * That the policy pack enforces it is proven by the mutation suite
 * (test/tools/mutate/mutation.test.ts, `npm run mutate`): the mutations that
 * drop protect (buckets, their versioning, the KMS key, the storage
 * account, the data container, the vault and its key), purge protection,
 * soft delete, the deletion window, versioning or the noncurrent-version
 * lifecycle are killed there by the listed policies, which the prod policy
 * config makes mandatory. This file checks that those mutations exist with
 * those expectations rather than running them again.
 */
import { expect } from "chai";
import { knownGaps, MUTATIONS } from "../../../tools/mutate/catalog";
import type { Recording, RecordedResource } from "../../../engine/recorder";
import { ofType, runStack, single } from "../../harness";
import { loadPackConfig, reconcileConfig } from "../../policy-pack/harness";
import { ALL_POLICIES } from "../../policy-pack/pack";
import { DEFAULT_DATA_STORE_TYPES } from "../../../policy-pack/policies/common/protection";

function named(rec: Recording, type: string, suffix: string): RecordedResource {
  const found = ofType(rec, type).filter((r) => r.name.endsWith(`-${suffix}`));
  if (found.length !== 1) throw new Error(`${rec.stack}: expected one ${type} named *-${suffix}, found ${found.length}`);
  return found[0];
}

/** The resource of `type` whose `bucket` input names this bucket. */
function forBucket(rec: Recording, type: string, bucket: RecordedResource): RecordedResource {
  const found = ofType(rec, type).filter((r) => r.inputs.bucket === bucket.outputs.bucket);
  if (found.length !== 1) throw new Error(`${rec.stack}: expected one ${type} for bucket ${bucket.name}, found ${found.length}`);
  return found[0];
}

const BUCKETS = ["data", "artifacts", "logs"] as const;

describe("no data loss (C9): prod AWS", function () {
  this.timeout(120_000);
  let rec: Recording;
  before(async () => {
    rec = await runStack("prod");
  });

  for (const b of BUCKETS) {
    it(`the ${b} bucket is protected, cannot be force-destroyed and keeps versions`, () => {
      const bucket = named(rec, "aws:s3/bucket:Bucket", b);
      expect(bucket.options.protect, "protect").to.equal(true);
      expect(bucket.inputs.forceDestroy ?? false, "forceDestroy (a destroy would empty the bucket first)").to.equal(false);
      const versioning = forBucket(rec, "aws:s3/bucketVersioning:BucketVersioning", bucket);
      expect(versioning.inputs.versioningConfiguration.status).to.equal("Enabled");
      expect(versioning.options.protect, "destroying BucketVersioning suspends versioning").to.equal(true);
    });

    it(`the ${b} bucket keeps noncurrent versions for at least 30 days${b === "logs" ? "" : " and never expires current data"}`, () => {
      const rules = forBucket(
        rec,
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        named(rec, "aws:s3/bucket:Bucket", b),
      ).inputs.rules as any[];
      const noncurrent = rules.filter((r) => r.status === "Enabled" && r.noncurrentVersionExpiration);
      expect(noncurrent.length, "a noncurrent-version rule").to.be.greaterThan(0);
      for (const r of noncurrent) expect(r.noncurrentVersionExpiration.noncurrentDays).to.be.at.least(30);
      if (b !== "logs")
        expect(
          rules.filter((r) => r.status === "Enabled" && r.expiration),
          "no expiry of current objects",
        ).to.deep.equal([]);
    });
  }

  it("the KMS key is protected, rotates and waits 30 days before deletion; its alias is protected", () => {
    const key = single(rec, "aws:kms/key:Key");
    expect(key.options.protect).to.equal(true);
    expect(key.inputs.deletionWindowInDays).to.equal(30);
    expect(key.inputs.enableKeyRotation).to.equal(true);
    expect(single(rec, "aws:kms/alias:Alias").options.protect).to.equal(true);
  });

  it("the flow-log group (audit data) is protected", () => {
    expect(single(rec, "aws:cloudwatch/logGroup:LogGroup").options.protect).to.equal(true);
  });
});

describe("no data loss (C9): prod Azure", function () {
  this.timeout(120_000);
  let rec: Recording;
  before(async () => {
    rec = await runStack("azure-prod");
  });

  it("the storage account, its blob service and both containers are protected", () => {
    expect(single(rec, "azure-native:storage:StorageAccount").options.protect).to.equal(true);
    expect(single(rec, "azure-native:storage:BlobServiceProperties").options.protect).to.equal(true);
    const containers = ofType(rec, "azure-native:storage:BlobContainer");
    expect(containers.map((c) => c.inputs.containerName).sort()).to.deep.equal(["artifacts", "data"]);
    for (const c of containers) expect(c.options.protect, c.name).to.equal(true);
  });

  it("blob versioning, blob soft delete and container soft delete are on", () => {
    const svc = single(rec, "azure-native:storage:BlobServiceProperties");
    expect(svc.inputs.isVersioningEnabled).to.equal(true);
    expect(svc.inputs.deleteRetentionPolicy.enabled).to.equal(true);
    expect(svc.inputs.deleteRetentionPolicy.days).to.be.at.least(7);
    expect(svc.inputs.containerDeleteRetentionPolicy.enabled).to.equal(true);
    expect(svc.inputs.containerDeleteRetentionPolicy.days).to.be.at.least(7);
  });

  it("the vault is protected, with purge protection and 90-day soft delete; the key is protected", () => {
    const vault = single(rec, "azure-native:keyvault:Vault");
    expect(vault.options.protect).to.equal(true);
    expect(vault.inputs.properties.enablePurgeProtection).to.equal(true);
    expect(vault.inputs.properties.enableSoftDelete).to.not.equal(false);
    expect(vault.inputs.properties.softDeleteRetentionInDays).to.equal(90);
    expect(single(rec, "azure-native:keyvault:Key").options.protect).to.equal(true);
  });
});

describe("no data loss (C9): the policy pack enforces it (mutations killed in test/tools/mutate/mutation.test.ts)", () => {
  const levels = reconcileConfig(ALL_POLICIES, loadPackConfig("prod"));
  /** Each data-loss weakening, the mutation that makes it and the policy that must kill it. */
  const ENFORCED: [what: string, mutation: string, stack: string, policy: string][] = [
    ["data bucket unprotected", "s3-data-bucket-unprotected", "prod", "common-stack-data-store-enforce-protection"],
    ["artifacts bucket unprotected", "s3-artifacts-bucket-unprotected", "prod", "common-stack-data-store-enforce-protection"],
    ["log bucket unprotected", "s3-logs-bucket-unprotected", "prod", "common-stack-data-store-enforce-protection"],
    ["KMS key unprotected", "kms-key-unprotected", "prod", "common-stack-data-store-enforce-protection"],
    ["KMS deletion window 7 days", "kms-key-deletion-window-7-days", "prod", "aws-kms-key-configure-deletion-window"],
    ["versioning suspended", "s3-versioning-suspended", "prod", "aws-s3-bucket-enable-versioning"],
    ["versioning removed", "s3-versioning-removed", "prod", "aws-s3-bucket-enable-versioning"],
    ["BucketVersioning unprotected", "s3-versioning-resource-unprotected", "prod", "common-stack-data-store-enforce-protection"],
    [
      "noncurrent-version lifecycle removed",
      "s3-noncurrent-version-lifecycle-removed",
      "prod",
      "aws-s3-bucket-configure-noncurrent-version-lifecycle",
    ],
    [
      "noncurrent versions expire after 1 day",
      "s3-noncurrent-versions-expire-next-day",
      "prod",
      "aws-s3-bucket-configure-noncurrent-version-lifecycle",
    ],
    ["storage account unprotected", "azure-storage-account-unprotected", "azure-prod", "common-stack-data-store-enforce-protection"],
    ["vault unprotected", "azure-vault-unprotected", "azure-prod", "common-stack-data-store-enforce-protection"],
    ["Key Vault key unprotected", "azure-key-unprotected", "azure-prod", "common-stack-data-store-enforce-protection"],
    ["data container unprotected", "azure-data-container-unprotected", "azure-prod", "common-stack-data-store-enforce-protection"],
    ["vault purge protection off", "azure-vault-purge-protection-off", "azure-prod", "azure-keyvault-vault-enable-purge-protection"],
    ["vault soft delete 7 days", "azure-vault-soft-delete-7-days", "azure-prod", "azure-keyvault-vault-enable-soft-delete"],
    ["blob versioning off", "azure-blob-versioning-off", "azure-prod", "azure-storage-blob-service-enable-versioning-soft-delete"],
    ["blob soft delete off", "azure-blob-soft-delete-off", "azure-prod", "azure-storage-blob-service-enable-versioning-soft-delete"],
  ];

  for (const [what, name, stack, policy] of ENFORCED) {
    it(`${what}: mutation ${name} runs on ${stack} and must be killed by ${policy}, mandatory in prod`, () => {
      const m = MUTATIONS.find((x) => x.name === name);
      expect(m, `mutation ${name} is in the catalog`).to.not.equal(undefined);
      expect(m!.stacks).to.include(stack);
      expect(m!.expect).to.include(policy);
      expect(["C2", "C9"]).to.include(m!.control);
      expect(levels.get(policy)?.enforcementLevel, `${policy} in policy-pack/config/prod.json`).to.equal("mandatory");
    });
  }

  it("nothing the program protects is left as a known gap: the protection policy's default types cover versioning, the vault key and containers", () => {
    expect(knownGaps.map((g) => g.name)).to.deep.equal([]);
    for (const type of ["aws:s3/bucketVersioning:BucketVersioning", "azure-native:keyvault:Key", "azure-native:storage:BlobContainer"]) {
      expect(DEFAULT_DATA_STORE_TYPES, type).to.include(type);
    }
  });
});
