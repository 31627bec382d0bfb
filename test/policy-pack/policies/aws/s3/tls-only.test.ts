/**
 * Tests of policy-pack/policies/aws/s3/tls-only.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { bucketMissingTlsPolicy } from "../../../../../policy-pack/policies/aws/s3/tls-only";
import { expectControl, expectStackPass, expectStackViolations } from "../../../expect";
import { bucket, bucketConfig, bucketStack, DATA, LOGS, tlsPolicy, urn, withProps } from "../../../fixtures/aws";

describe("policy pack: AWS S3", () => {
  describe("aws-s3-bucket-missing-tls-policy (C5, stack)", () => {
    const p = bucketMissingTlsPolicy;
    it("proves C5", () => expectControl(p, "C5"));
    it("passes when every bucket policy denies non-TLS and TLS < 1.2", () => expectStackPass(p, bucketStack()));
    it("accepts the policy as a typed document", () =>
      expectStackPass(
        p,
        bucketStack((r) => (r["data.policy"] = withProps(r["data.policy"], { policy: tlsPolicy(DATA.physical) }))),
      ));
    it("reports a bucket without a policy, at the bucket", () =>
      expectStackViolations(
        p,
        bucketStack((r) => delete r["data.policy"]),
        [[urn(bucket(DATA)), ["has no bucket policy", "Fix: add an aws.s3.BucketPolicy"]]],
      ));
    it("reports a policy that lacks the TLS version deny", async () => {
      let pol: any;
      const doc = tlsPolicy(DATA.physical) as { Statement: unknown[] };
      const stack = bucketStack(
        (r) =>
          (pol = r["data.policy"] = withProps(r["data.policy"], { policy: JSON.stringify({ ...doc, Statement: [doc.Statement[0]] }) })),
      );
      await expectStackViolations(p, stack, [[urn(pol), ['lacks a Deny of s3:* for "*" when s3:TlsVersion < 1.2']]]);
    });
    it("reports deny statements that do not cover this bucket's objects", async () => {
      let pol: any;
      const other = tlsPolicy("some-other-bucket");
      const stack = bucketStack((r) => (pol = r["data.policy"] = withProps(r["data.policy"], { policy: JSON.stringify(other) })));
      await expectStackViolations(p, stack, [[urn(pol), ["aws:SecureTransport is false and a Deny"]]]);
    });
    it("uses the configured minimum TLS version", () =>
      expectStackViolations(
        p,
        bucketStack(),
        [
          [urn(bucketConfig(DATA).policy), ["s3:TlsVersion < 1.3"]],
          [urn(bucketConfig(LOGS).policy), ["s3:TlsVersion < 1.3"]],
        ],
        { config: { [p.name]: { minimumTlsVersion: "1.3" } } },
      ));
  });
});
