/**
 * Policies for both clouds: required tags (C10) and protection of
 * production data stores (C9).
 */
import { expect } from "chai";
import * as s3 from "@pulumi/aws/s3";
import * as storage from "@pulumi/azure-native/storage";
import { resourceMissingRequiredTags } from "../../policy-pack/policies/common/tags";
import { dataStoreEnforceProtection } from "../../policy-pack/policies/common/protection";
import { isTaggable } from "../../policy-pack/lib/tags";
import { ResourceSpec, unknown, urnOf } from "./harness";
import { expectControl, expectNotApplicable, expectPass, expectStackPass, expectStackViolations, expectViolation, onStack } from "./expect";

const TAGS = { environment: "prod", project: "secure-ml-training", owner: "ml@example.com", "data-classification": "restricted" };
const awsProvider = (tags: Record<string, string>) => ({ type: "pulumi:providers:aws", name: "aws", props: { region: "eu-west-1", defaultTags: JSON.stringify({ tags }) } });

describe("policy pack: common", () => {
  describe("common-tagging-resource-missing-required-tags (C10)", () => {
    const p = resourceMissingRequiredTags;
    const bucket = (props: Record<string, unknown>): ResourceSpec => ({ type: s3.Bucket, name: "data", props });
    it("proves C10", () => expectControl(p, "C10"));
    it("passes AWS and Azure resources with every tag", async () => {
      await expectPass(p, bucket({ tags: TAGS }));
      await expectPass(p, { type: storage.StorageAccount, name: "acct", props: { kind: "StorageV2", tags: TAGS } });
    });
    it("reports missing and empty tags", async () => {
      const { owner: _o, ...noOwner } = TAGS;
      await expectViolation(p, bucket({ tags: { ...noOwner, project: "" } }), ["missing tags project, owner", "property tags"]);
      await expectViolation(p, { type: storage.StorageAccount, name: "acct", props: { kind: "StorageV2" } }, ["missing tags environment, project, owner, data-classification (the resource sets no tags)"]);
    });
    it("counts the AWS provider's default tags and tagsAll", async () => {
      await expectPass(p, { ...bucket({}), provider: awsProvider(TAGS) });
      await expectPass(p, { ...bucket({ tags: { owner: "me" } }), provider: awsProvider({ ...TAGS, owner: "" }) });
      await expectPass(p, bucket({ tagsAll: TAGS }));
    });
    it("reads the required keys from config", () => expectViolation(p, bucket({ tags: TAGS }), ["missing tag cost-center"], { config: { [p.name]: { requiredTags: ["cost-center"] } } }));
    it("does not judge unknown tags (preview) and accepts unknown values", async () => {
      await expectPass(p, bucket({ tags: unknown("object") }));
      await expectPass(p, bucket({ tags: { ...TAGS, owner: unknown() } }));
    });
    it("does not apply to untaggable types, providers and components", async () => {
      await expectNotApplicable(p, { type: s3.BucketPublicAccessBlock, name: "pab", props: { bucket: "b" } });
      await expectNotApplicable(p, { type: storage.BlobContainer, name: "c", props: {} });
      await expectNotApplicable(p, { type: "pulumi:providers:aws", name: "aws", props: {} });
      await expectNotApplicable(p, { type: "secure-ml:aws:TrainingEnvironment", name: "env", props: {} });
    });
    it("knows taggability from the provider SDKs", () => {
      expect(["aws:kms/key:Key", "aws:ec2/vpc:Vpc", "azure-native:keyvault:Vault", "azure-native:network:PrivateEndpoint"].map(isTaggable)).to.deep.equal([true, true, true, true]);
      expect(["aws:s3/bucketPolicy:BucketPolicy", "azure-native:authorization:RoleAssignment", "aws:nosuch/thing:Thing", "random:index/randomId:RandomId"].map(isTaggable)).to.deep.equal([false, false, false, false]);
    });
  });

  describe("common-stack-data-store-enforce-protection (C9, stack)", () => {
    const p = dataStoreEnforceProtection;
    const store = (type: string, name: string, tags: unknown, protect: boolean): ResourceSpec => ({ type, name, props: { tagsAll: tags, tags }, opts: { protect } });
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
      await expectStackViolations(p, [bucket, account, vault, untagged], [
        [urnOf(bucket), ['data store data (environment tag "prod") is not protected', "property opts.protect", "Fix: create it with protect: true"]],
        [urnOf(account), ["acct"]],
        [urnOf(untagged), ["(environment tag missing)"]],
      ]);
    });
    it("reads the environment from the provider's default tags", () =>
      expectStackViolations(p, [{ ...store("aws:s3/bucket:Bucket", "data", undefined, false), provider: awsProvider(TAGS) }], [[urnOf(store("aws:s3/bucket:Bucket", "data", undefined, false)), ["not protected"]]]));
    it("uses the configured environments and types", async () => {
      const staging = store("aws:s3/bucket:Bucket", "data", { ...TAGS, environment: "staging" }, false);
      await expectStackViolations(p, [staging], [[urnOf(staging), ["not protected"]]], { config: { [p.name]: { environments: ["prod", "staging"] } } });
      await expectStackPass(p, [store("aws:s3/bucket:Bucket", "data", TAGS, false), store("aws:kms/key:Key", "k", TAGS, true)], { config: { [p.name]: { dataStoreTypes: ["aws:kms/key:Key"] } } });
    });
    it("does not judge while tags are unknown (preview)", () => expectStackPass(p, [store("aws:s3/bucket:Bucket", "data", unknown("object"), false)]));
    it("is not applicable to a stack without data stores", async () => expect((await onStack(p, [store("aws:ec2/vpc:Vpc", "vpc", TAGS, false)])).notApplicable).to.equal(true));

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
        await expectStackViolations(p, [account, c, key, v], [
          [urnOf(c), ['data store data (environment tag "prod" of acct) is not protected', "deletes its data", "property opts.protect"]],
          [urnOf(key), ["data store cmk", "deletes (or schedules the deletion of) the key"]],
          [urnOf(v), ['data store data-versioning (environment tag "prod") is not protected', "suspends the bucket's versioning"]],
        ]);
      });
      it("checks a container whose account carries no environment tag (fail closed), and skips one whose account's tags are unknown (preview)", async () => {
        const untagged = store("azure-native:storage:StorageAccount", "acct", {}, true);
        await expectStackViolations(p, [untagged, container("data", untagged, false)], [[urnOf(container("data", untagged, false)), ["(environment tag missing)"]]]);
        await expectStackViolations(p, [container("lone", undefined, false)], [[urnOf(container("lone", undefined, false)), ["(environment tag missing)"]]]);
        const pending = store("azure-native:storage:StorageAccount", "acct", unknown("object"), true);
        await expectStackPass(p, [pending, container("data", pending, false)]);
      });
      it("keeps the types configurable", () =>
        expectStackPass(p, [account, container("data", account, false)], { config: { [p.name]: { dataStoreTypes: ["azure-native:storage:StorageAccount"] } } }));
    });
  });
});
