/**
 * Tests of policy-pack/policies/aws/s3/encryption.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { bucketMissingKmsEncryption } from "../../../../../policy-pack/policies/aws/s3/encryption";
import { expectControl, expectStackPass, expectStackViolations } from "../../../expect";
import { bucket, bucketStack, KEY_ARN, LOGS, urn, withProps } from "../../../fixtures/aws";
import { unknown } from "../../../harness";

describe("policy pack: AWS S3", () => {
  describe("aws-s3-bucket-missing-kms-encryption (C1, stack)", () => {
    const p = bucketMissingKmsEncryption;
    const rule = (algo: string, key?: string, bucketKey = true) => ({
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: algo, ...(key ? { kmsMasterKeyId: key } : {}) },
          bucketKeyEnabled: bucketKey,
        },
      ],
    });
    it("proves C1", () => expectControl(p, "C1"));
    it("passes when every bucket uses SSE-KMS with a customer key and bucket key", () => expectStackPass(p, bucketStack()));
    it("reports AES256, a missing key, the AWS managed key and a missing bucket key, at the configuration", async () => {
      for (const [props, fragment] of [
        [rule("AES256"), 'sseAlgorithm is "AES256", not "aws:kms"'],
        [rule("aws:kms"), "no kmsMasterKeyId"],
        [rule("aws:kms", "alias/aws/s3"), "is an AWS managed key"],
        [rule("aws:kms", KEY_ARN, false), "bucketKeyEnabled is not true"],
      ] as const) {
        let sse: any;
        const stack = bucketStack((r) => (sse = r["data.sse"] = withProps(r["data.sse"], props)));
        await expectStackViolations(p, stack, [[urn(sse), [fragment, "property rules[0]"]]]);
      }
    });
    it("allows turning the bucket-key requirement off in config", () =>
      expectStackPass(
        p,
        bucketStack((r) => (r["data.sse"] = withProps(r["data.sse"], rule("aws:kms", KEY_ARN, false)))),
        { config: { [p.name]: { requireBucketKey: false } } },
      ));
    it("reports a bucket without encryption configuration, at the bucket", () =>
      expectStackViolations(
        p,
        bucketStack((r) => delete r["logs.sse"]),
        [[urn(bucket(LOGS)), ["has no SSE-KMS encryption with a customer managed key"]]],
      ));
    it("accepts the deprecated inline configuration when it names a customer key", () =>
      expectStackPass(
        p,
        bucketStack((r) => {
          delete r["logs.sse"];
          r.logs = bucket(LOGS, {
            serverSideEncryptionConfiguration: {
              rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true },
            },
          });
        }),
      ));
    it("does not judge an unknown key (preview)", () =>
      expectStackPass(
        p,
        bucketStack((r) => (r["data.sse"] = withProps(r["data.sse"], rule("aws:kms", unknown())))),
      ));
  });
});
