/**
 * Tests of policy-pack/policies/aws/s3/sse-kms-on-put.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { bucketPolicyEnforceSseKmsOnExemptPut } from "../../../../../policy-pack/policies/aws/s3/sse-kms-on-put";
import { expectControl, expectStackPass, expectStackViolations } from "../../../expect";
import { bucketConfig, bucketStack, DATA, INGEST_ROLE, ingestPolicyDoc, urn, withProps } from "../../../fixtures/aws";

const withDataPolicy = (doc: unknown) =>
  bucketStack((r) => (r["data.policy"] = withProps(r["data.policy"], { policy: JSON.stringify(doc) })));
const dataPolicyUrn = urn(bucketConfig(DATA).policy);
const sid = (sts: Record<string, any>[], s: string) => sts.find((x) => x.Sid === s)!;

describe("policy pack: AWS S3", () => {
  describe("aws-s3-bucket-policy-enforce-sse-kms-on-exempt-put (C1, stack)", () => {
    const p = bucketPolicyEnforceSseKmsOnExemptPut;
    it("proves C1", () => expectControl(p, "C1"));
    it("passes the program's policy, and buckets without an exempted writer", async () => {
      await expectStackPass(p, withDataPolicy(ingestPolicyDoc()));
      await expectStackPass(p, bucketStack());
    });
    it("reports a writable-from-outside bucket without the SSE-KMS denies, naming what is missing", async () => {
      await expectStackViolations(
        p,
        withDataPolicy(
          ingestPolicyDoc((sts) =>
            sts.splice(
              sts.findIndex((s) => s.Sid === "DenyPutWithOtherEncryption"),
              1,
            ),
          ),
        ),
        [[dataPolicyUrn, [INGEST_ROLE, 'when s3:x-amz-server-side-encryption is not "aws:kms"', "IfExists"]]],
      );
      await expectStackViolations(
        p,
        withDataPolicy(
          ingestPolicyDoc((sts) =>
            sts.splice(
              sts.findIndex((s) => s.Sid === "DenyPutWithOtherKmsKey"),
              1,
            ),
          ),
        ),
        [[dataPolicyUrn, ["s3:x-amz-server-side-encryption-aws-kms-key-id is not the environment's key ARN"]]],
      );
    });
    it("does not count a deny that names a wildcard key, another algorithm or an extra condition", async () => {
      for (const change of [
        (sts: Record<string, any>[]) =>
          (sid(sts, "DenyPutWithOtherKmsKey").Condition.StringNotEqualsIfExists["s3:x-amz-server-side-encryption-aws-kms-key-id"] =
            "arn:aws:kms:*"),
        (sts: Record<string, any>[]) =>
          (sid(sts, "DenyPutWithOtherEncryption").Condition.StringNotEqualsIfExists["s3:x-amz-server-side-encryption"] = "AES256"),
        (sts: Record<string, any>[]) => (sid(sts, "DenyPutWithOtherEncryption").Condition.Bool = { "aws:SecureTransport": "true" }),
      ]) {
        await expectStackViolations(p, withDataPolicy(ingestPolicyDoc(change)), [[dataPolicyUrn, ["lacks"]]]);
      }
    });
  });
});
