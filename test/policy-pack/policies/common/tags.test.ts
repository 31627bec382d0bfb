/**
 * Tests of policy-pack/policies/common/tags.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { expect } from "chai";
import * as s3 from "@pulumi/aws/s3";
import * as storage from "@pulumi/azure-native/storage";
import { isTaggable } from "../../../../policy-pack/lib/tags";
import { resourceMissingRequiredTags } from "../../../../policy-pack/policies/common/tags";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../expect";
import { ResourceSpec, unknown } from "../../harness";
import { awsProviderWithDefaultTags, PROD_TAGS } from "../../fixtures/aws";

const TAGS = PROD_TAGS;
const awsProvider = awsProviderWithDefaultTags;

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
      await expectViolation(p, { type: storage.StorageAccount, name: "acct", props: { kind: "StorageV2" } }, [
        "missing tags environment, project, owner, data-classification (the resource sets no tags)",
      ]);
    });
    it("counts the AWS provider's default tags and tagsAll", async () => {
      await expectPass(p, { ...bucket({}), provider: awsProvider(TAGS) });
      await expectPass(p, { ...bucket({ tags: { owner: "me" } }), provider: awsProvider({ ...TAGS, owner: "" }) });
      await expectPass(p, bucket({ tagsAll: TAGS }));
    });
    it("reads the required keys from config", () =>
      expectViolation(p, bucket({ tags: TAGS }), ["missing tag cost-center"], { config: { [p.name]: { requiredTags: ["cost-center"] } } }));
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
      expect(
        ["aws:kms/key:Key", "aws:ec2/vpc:Vpc", "azure-native:keyvault:Vault", "azure-native:network:PrivateEndpoint"].map(isTaggable),
      ).to.deep.equal([true, true, true, true]);
      expect(
        [
          "aws:s3/bucketPolicy:BucketPolicy",
          "azure-native:authorization:RoleAssignment",
          "aws:nosuch/thing:Thing",
          "random:index/randomId:RandomId",
        ].map(isTaggable),
      ).to.deep.equal([false, false, false, false]);
    });
  });
});
