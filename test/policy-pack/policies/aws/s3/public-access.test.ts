/**
 * Tests of policy-pack/policies/aws/s3/public-access.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { expect } from "chai";
import * as s3 from "@pulumi/aws/s3";
import {
  bucketDisallowPublicAcl,
  bucketEnforceOwnerEnforced,
  bucketMissingPublicAccessBlock,
  publicAccessBlockEnableAllFlags,
} from "../../../../../policy-pack/policies/aws/s3/public-access";
import {
  expectControl,
  expectNotApplicable,
  expectPass,
  expectStackPass,
  expectStackViolations,
  expectViolation,
  onStack,
} from "../../../expect";
import { bucket, bucketConfig, bucketStack, DATA, LOGS, urn, withProps } from "../../../fixtures/aws";
import { remediateResource, remediateThenAnalyze, unknown } from "../../../harness";

describe("policy pack: AWS S3", () => {
  describe("aws-s3-bucket-missing-public-access-block (C3, stack)", () => {
    const p = bucketMissingPublicAccessBlock;
    it("proves C3", () => expectControl(p, "C3"));
    it("passes when every bucket has a full public access block", () => expectStackPass(p, bucketStack()));
    it("reports a bucket without a block, at the bucket", async () => {
      const stack = bucketStack((r) => delete r["logs.pab"]);
      await expectStackViolations(p, stack, [
        [
          urn(stack.find((s) => s.name === "logs")),
          ["S3 bucket logs (mltrain-dev-logs-5d6e7f8) has no BucketPublicAccessBlock", "Fix: add an aws.s3.BucketPublicAccessBlock"],
        ],
      ]);
    });
    it("reports a block that leaves a flag off, at the block", async () => {
      let pab: any;
      const stack = bucketStack((r) => (pab = r["data.pab"] = withProps(r["data.pab"], { restrictPublicBuckets: false })));
      await expectStackViolations(p, stack, [[urn(pab), ["leaves restrictPublicBuckets off"]]]);
    });
    it("matches by property dependencies when the bucket name is unknown (preview)", async () => {
      const dataUrn = urn(bucket(DATA));
      const ok = bucketStack(
        (r) => (r["data.pab"] = { ...withProps(r["data.pab"], { bucket: unknown() }), propertyDependencies: { bucket: [dataUrn] } }),
      );
      await expectStackPass(p, ok);
      const logsUrn = urn(bucket(LOGS));
      const wrong = bucketStack(
        (r) => (r["data.pab"] = { ...withProps(r["data.pab"], { bucket: unknown() }), propertyDependencies: { bucket: [logsUrn] } }),
      );
      await expectStackViolations(p, wrong, [[dataUrn, ["has no BucketPublicAccessBlock"]]]);
    });
    it("does not guess when neither the name nor the dependencies are known", () =>
      expectStackPass(
        p,
        bucketStack((r) => (r["data.pab"] = withProps(r["data.pab"], { bucket: unknown() }))),
      ));
    it("is not applicable to a stack without buckets", async () => {
      const f = await onStack(p, [{ type: "aws:kms/key:Key", name: "k", props: {} }]);
      expect(f.notApplicable).to.equal(true);
    });
  });

  describe("aws-s3-bucket-public-access-block-enable-all-flags (C3, remediable)", () => {
    const p = publicAccessBlockEnableAllFlags;
    const pab = bucketConfig(DATA).pab;
    it("proves C3", () => expectControl(p, "C3"));
    it("passes with all four flags true", () => expectPass(p, pab));
    it("reports flags that are false or missing", () =>
      expectViolation(
        p,
        withProps(pab, { bucket: DATA.physical, blockPublicAcls: false, ignorePublicAcls: true, blockPublicPolicy: true }, true),
        [
          "blockPublicAcls, restrictPublicBuckets are not true",
          "blockPublicAcls: false",
          "restrictPublicBuckets: missing",
          "property blockPublicAcls, restrictPublicBuckets",
        ],
      ));
    it("does not judge a flag that is unknown (preview)", () => expectPass(p, withProps(pab, { blockPublicPolicy: unknown("boolean") })));
    it("remediates: sets every flag to true, after which the policy passes", async () => {
      const r = await remediateThenAnalyze(p, withProps(pab, { blockPublicAcls: false, restrictPublicBuckets: false }), {
        config: { [p.name]: "remediate" },
      });
      expect(r.props).to.include({
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
        bucket: DATA.physical,
      });
      expect(r.diagnostics).to.deep.equal([]);
    });
    it("remediates only at enforcement level remediate, and leaves compliant blocks alone", async () => {
      const off = withProps(pab, { blockPublicAcls: false });
      expect((await remediateResource(p, off, { config: { [p.name]: "mandatory" } })).remediations).to.deep.equal([]);
      expect((await remediateResource(p, pab, { config: { [p.name]: "remediate" } })).remediations).to.deep.equal([]);
    });
  });

  describe("aws-s3-bucket-disallow-public-acl (C3)", () => {
    const p = bucketDisallowPublicAcl;
    it("proves C3", () => expectControl(p, "C3"));
    it("passes a bucket without ACLs and a private ACL", async () => {
      await expectPass(p, bucket(DATA));
      await expectPass(p, { type: s3.BucketAclV2, name: "acl", props: { bucket: DATA.physical, acl: "private" } });
    });
    it("reports a public canned ACL on a bucket", () =>
      expectViolation(p, bucket(DATA, { acl: "public-read" }), ['canned ACL "public-read"', "property acl"]));
    it("reports a grant to AllUsers", () =>
      expectViolation(
        p,
        bucket(DATA, { grants: [{ type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers", permissions: ["READ"] }] }),
        ["grants[0]", "AllUsers"],
      ));
    it("reports an access control policy grant to AuthenticatedUsers", () =>
      expectViolation(
        p,
        {
          type: s3.BucketAcl,
          name: "acl",
          props: {
            bucket: DATA.physical,
            accessControlPolicy: {
              owner: { id: "o" },
              grants: [
                { permission: "READ", grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" } },
              ],
            },
          },
        },
        ["accessControlPolicy.grants[0]", "AuthenticatedUsers"],
      ));
    it("reports a public object ACL", () =>
      expectViolation(p, { type: s3.BucketObjectv2, name: "o", props: { bucket: DATA.physical, key: "k", acl: "public-read-write" } }, [
        '"public-read-write"',
      ]));
    it("is not applicable to other types", () => expectNotApplicable(p, bucketConfig(DATA).pab));
  });

  describe("aws-s3-bucket-enforce-bucket-owner-enforced (C3, stack)", () => {
    const p = bucketEnforceOwnerEnforced;
    it("proves C3", () => expectControl(p, "C3"));
    it("passes when every bucket enforces bucket-owner ownership", () => expectStackPass(p, bucketStack()));
    it("reports a missing ownership control and a weaker one", async () => {
      let oc: any;
      const stack = bucketStack((r) => {
        delete r["logs.ownership"];
        oc = r["data.ownership"] = withProps(r["data.ownership"], { rule: { objectOwnership: "ObjectWriter" } });
      });
      await expectStackViolations(p, stack, [
        [urn(bucket(LOGS)), ["has no BucketOwnershipControls"]],
        [urn(oc), ['is "ObjectWriter", not "BucketOwnerEnforced"', "property rule.objectOwnership"]],
      ]);
    });
  });
});
