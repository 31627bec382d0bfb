/**
 * Tests of policy-pack/policies/aws/s3/bucket-policy-public.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { bucketPolicyDisallowPublicAccess } from "../../../../../policy-pack/policies/aws/s3/bucket-policy-public";
import { expectControl, expectPass, expectViolation } from "../../../expect";
import { bucketConfig, DATA, withProps } from "../../../fixtures/aws";

describe("policy pack: AWS S3", () => {
  describe("aws-s3-bucket-policy-disallow-public-access (C3)", () => {
    const p = bucketPolicyDisallowPublicAccess;
    const policy = bucketConfig(DATA).policy;
    const allowAll = {
      Version: "2012-10-17",
      Statement: [{ Sid: "Public", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${DATA.physical}/*` }],
    };
    it("proves C3", () => expectControl(p, "C3"));
    it("passes the TLS-only policy (Deny statements)", () => expectPass(p, policy));
    it("reports an Allow to everyone without a condition, as string or typed document", async () => {
      await expectViolation(p, withProps(policy, { policy: JSON.stringify(allowAll) }), [
        'Statement 0 ("Public") allows "s3:GetObject" to any principal',
        "policy.Statement[0]",
      ]);
      await expectViolation(p, withProps(policy, { policy: allowAll }), ["to any principal"]);
    });
    it("passes an Allow to everyone restricted by a condition", () => {
      const st = { ...allowAll.Statement[0], Condition: { StringEquals: { "aws:SourceVpce": "vpce-1" } } };
      return expectPass(p, withProps(policy, { policy: { ...allowAll, Statement: [st] } }));
    });
    it("reports a bucket policy that is not valid JSON", () =>
      expectViolation(p, withProps(policy, { policy: "{not json" }), ["cannot be read: not valid JSON"]));
  });
});
