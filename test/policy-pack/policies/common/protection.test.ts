/**
 * Tests of policy-pack/policies/common/protection.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { expect } from "chai";
import { dataStoreEnforceProtection } from "../../../../policy-pack/policies/common/protection";
import { expectControl, expectStackPass, expectStackViolations, onStack } from "../../expect";
import { ResourceSpec, unknown, urnOf } from "../../harness";
import { awsProviderWithDefaultTags, PROD_TAGS } from "../../fixtures/aws";

const TAGS = PROD_TAGS;
const awsProvider = awsProviderWithDefaultTags;

describe("policy pack: common", () => {
  describe("common-stack-data-store-enforce-protection (C9, stack)", () => {
    const p = dataStoreEnforceProtection;
    const store = (type: string, name: string, tags: unknown, protect: boolean): ResourceSpec => ({
      type,
      name,
      props: { tagsAll: tags, tags },
      opts: { protect },
    });
    it("proves C9", () => expectControl(p, "C9"));
    it("passes protected prod stores and unprotected dev stores", () =>
      expectStackPass(p, [
        store("aws:s3/bucket:Bucket", "data", TAGS, true),
        store("aws:kms/key:Key", "key", TAGS, true),
        store("aws:s3/bucket:Bucket", "dev-data", { ...TAGS, environment: "dev" }, false),
        store("aws:ec2/vpc:Vpc", "vpc", TAGS, false),
      ]));
    it("reports unprotected prod stores on both clouds, and stores without an environment tag", async () => {
      const bucket = store("aws:s3/bucket:Bucket", "data", TAGS, false);
      const account = store("azure-native:storage:StorageAccount", "acct", TAGS, false);
      const vault = store("azure-native:keyvault:Vault", "kv", TAGS, true);
      const untagged = store("aws:kms/key:Key", "key", {}, false);
      await expectStackViolations(
        p,
        [bucket, account, vault, untagged],
        [
          [
            urnOf(bucket),
            ['data store data (environment tag "prod") is not protected', "property opts.protect", "Fix: create it with protect: true"],
          ],
          [urnOf(account), ["acct"]],
          [urnOf(untagged), ["(environment tag missing)"]],
        ],
      );
    });
    it("reads the environment from the provider's default tags", () =>
      expectStackViolations(
        p,
        [{ ...store("aws:s3/bucket:Bucket", "data", undefined, false), provider: awsProvider(TAGS) }],
        [[urnOf(store("aws:s3/bucket:Bucket", "data", undefined, false)), ["not protected"]]],
      ));
    it("uses the configured environments and types", async () => {
      const staging = store("aws:s3/bucket:Bucket", "data", { ...TAGS, environment: "staging" }, false);
      await expectStackViolations(p, [staging], [[urnOf(staging), ["not protected"]]], {
        config: { [p.name]: { environments: ["prod", "staging"] } },
      });
      await expectStackPass(p, [store("aws:s3/bucket:Bucket", "data", TAGS, false), store("aws:kms/key:Key", "k", TAGS, true)], {
        config: { [p.name]: { dataStoreTypes: ["aws:kms/key:Key"] } },
      });
    });
    it("does not judge while tags are unknown (preview)", () =>
      expectStackPass(p, [store("aws:s3/bucket:Bucket", "data", unknown("object"), false)]));
    it("is not applicable to a stack without data stores", async () =>
      expect((await onStack(p, [store("aws:ec2/vpc:Vpc", "vpc", TAGS, false)])).notApplicable).to.equal(true));

    describe("versioning, Key Vault keys and blob containers (types without tags take the environment of what they belong to)", () => {
      const account = store("azure-native:storage:StorageAccount", "acct", TAGS, true);
      const devAccount = store("azure-native:storage:StorageAccount", "dev-acct", { ...TAGS, environment: "dev" }, false);
      const container = (name: string, of: ResourceSpec | undefined, protect: boolean): ResourceSpec => ({
        type: "azure-native:storage:BlobContainer",
        name,
        props: { containerName: name, accountName: "acct", publicAccess: "None" },
        opts: { protect },
        propertyDependencies: of ? { accountName: [urnOf(of)], containerName: [] } : undefined,
      });
      const versioning = (protect: boolean, provider = awsProvider(TAGS)): ResourceSpec => ({
        type: "aws:s3/bucketVersioning:BucketVersioning",
        name: "data-versioning",
        props: { bucket: "b", versioningConfiguration: { status: "Enabled" } },
        opts: { protect },
        provider,
      });
      it("passes them protected in prod, and unprotected in dev", () =>
        expectStackPass(p, [
          account,
          container("data", account, true),
          devAccount,
          container("dev-data", devAccount, false),
          store("azure-native:keyvault:Key", "cmk", TAGS, true),
          store("azure-native:keyvault:Key", "dev-cmk", { ...TAGS, environment: "dev" }, false),
          versioning(true),
          versioning(false, awsProvider({ ...TAGS, environment: "dev" })),
        ]));
      it("reports an unprotected prod container, key and bucket versioning, each with what its loss means", async () => {
        const c = container("data", account, false);
        const key = store("azure-native:keyvault:Key", "cmk", TAGS, false);
        const v = versioning(false);
        await expectStackViolations(
          p,
          [account, c, key, v],
          [
            [urnOf(c), ['data store data (environment tag "prod" of acct) is not protected', "deletes its data", "property opts.protect"]],
            [urnOf(key), ["data store cmk", "deletes (or schedules the deletion of) the key"]],
            [urnOf(v), ['data store data-versioning (environment tag "prod") is not protected', "suspends the bucket's versioning"]],
          ],
        );
      });
      it("checks a container whose account carries no environment tag (fail closed), and skips one whose account's tags are unknown (preview)", async () => {
        const untagged = store("azure-native:storage:StorageAccount", "acct", {}, true);
        await expectStackViolations(
          p,
          [untagged, container("data", untagged, false)],
          [[urnOf(container("data", untagged, false)), ["(environment tag missing)"]]],
        );
        await expectStackViolations(
          p,
          [container("lone", undefined, false)],
          [[urnOf(container("lone", undefined, false)), ["(environment tag missing)"]]],
        );
        const pending = store("azure-native:storage:StorageAccount", "acct", unknown("object"), true);
        await expectStackPass(p, [pending, container("data", pending, false)]);
      });
      it("keeps the types configurable", () =>
        expectStackPass(p, [account, container("data", account, false)], {
          config: { [p.name]: { dataStoreTypes: ["azure-native:storage:StorageAccount"] } },
        }));
    });
  });
});
