/**
 * aws-s3-bucket-disable-kms-on-access-log-target (C11) and the C1
 * exception it comes with: the dedicated access-log bucket uses SSE-S3.
 */
import { expect } from "chai";
import * as s3 from "@pulumi/aws/s3";
import { bucketDisableKmsOnAccessLogTarget } from "../../../../../policy-pack/policies/aws/s3/access-log-target-encryption";
import { bucketMissingKmsEncryption } from "../../../../../policy-pack/policies/aws/s3/encryption";
import { ACCESS_LOG_SSE } from "../../../../../stacks/aws/storage";
import { expectControl, expectStackPass, expectStackViolations, onStack } from "../../../expect";
import { unknown } from "../../../harness";
import { DATA, KEY_ARN, LOGS, bucket, bucketConfig, bucketStack, urn, withProps } from "../../../fixtures/aws";

const SSE_S3 = { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] };
const SSE_KMS = {
  rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true }],
};

/** The compliant stack with the log bucket on SSE-S3 (as the program builds it). */
const withSseS3Logs = (change: (r: Record<string, any>) => void = () => undefined) =>
  bucketStack((r) => {
    r["logs.sse"] = withProps(r["logs.sse"], SSE_S3);
    change(r);
  });

describe("policy pack: aws-s3-bucket-disable-kms-on-access-log-target (C11, stack)", () => {
  const p = bucketDisableKmsOnAccessLogTarget;
  it("proves C11 and cites the S3 user guide", () => {
    expectControl(p, "C11");
    expect(p.url).to.equal("https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html");
  });
  it("the program's log bucket encryption is SSE-S3", () => expect(ACCESS_LOG_SSE).to.equal("AES256"));
  it("passes a log target on SSE-S3 while the data bucket stays on SSE-KMS", () => expectStackPass(p, withSseS3Logs()));
  it("reports a log target on SSE-KMS (or DSSE-KMS), at its encryption configuration, saying the logs may never arrive", async () => {
    await expectStackViolations(p, bucketStack(), [
      [
        urn(bucketConfig(LOGS).sse),
        [
          'logs (mltrain-dev-logs-5d6e7f8) receives server access logs of "mltrain-dev-data-1a2b3c4"',
          '("aws:kms")',
          "may never be delivered",
          "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm",
          'sseAlgorithm "AES256"',
        ],
      ],
    ]);
    await expectStackViolations(
      p,
      withSseS3Logs(
        (r) =>
          (r["logs.sse"] = withProps(r["logs.sse"], {
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms:dsse", kmsMasterKeyId: KEY_ARN } }],
          })),
      ),
      [[urn(bucketConfig(LOGS).sse), ['"aws:kms:dsse"']]],
    );
  });
  it("reports SSE-KMS set inline on a log target bucket", () =>
    expectStackViolations(
      p,
      withSseS3Logs((r) => {
        delete r["logs.sse"];
        r.logs = bucket(LOGS, {
          serverSideEncryptionConfiguration: {
            rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN } },
          },
        });
      }),
      [[urn(bucket(LOGS)), ["serverSideEncryptionConfiguration.rule"]]],
    ));
  it("does not judge unknown rules (preview), and is not applicable without access logging", async () => {
    await expectStackPass(
      p,
      withSseS3Logs((r) => (r["logs.sse"] = withProps(r["logs.sse"], { rules: unknown("array") }))),
    );
    const f = await onStack(
      p,
      withSseS3Logs((r) => delete r.logging),
    );
    expect(f.notApplicable).to.equal(true);
    expect(f.violations).to.deep.equal([]);
  });
  it("follows a logging resource that names its target by reference (preview: dependencies)", () =>
    expectStackViolations(
      p,
      bucketStack((r) => {
        r.logging = {
          ...r.logging!,
          props: { bucket: DATA.physical, targetBucket: unknown(), targetPrefix: "data/" },
          propertyDependencies: { targetBucket: [urn(r.logs)] },
        };
      }),
      [[urn(bucketConfig(LOGS).sse), ["receives server access logs"]]],
    ));
});

describe("policy pack: aws-s3-bucket-missing-kms-encryption (C1): the access-log exception", () => {
  const p = bucketMissingKmsEncryption;
  it("accepts SSE-S3 on the dedicated access-log bucket (a log target that logs nothing itself)", () =>
    expectStackPass(p, withSseS3Logs()));
  it("still reports SSE-S3 on a data bucket, and on a log target that itself logs elsewhere", async () => {
    await expectStackViolations(
      p,
      withSseS3Logs((r) => (r["data.sse"] = withProps(r["data.sse"], SSE_S3))),
      [[urn(bucketConfig(DATA).sse), ['sseAlgorithm is "AES256"']]],
    );
    // A bucket that both receives logs and sends its own is not the dedicated log bucket.
    await expectStackViolations(
      p,
      withSseS3Logs(
        (r) =>
          (r.logsLogging = {
            type: s3.BucketLogging,
            name: "logs-logging",
            props: { bucket: LOGS.physical, targetBucket: DATA.physical, targetPrefix: "logs/" },
          }),
      ),
      [[urn(bucketConfig(LOGS).sse), ['sseAlgorithm is "AES256"']]],
    );
  });
  it("accepts SSE-KMS with the customer key on the log bucket too (C1 holds; C11 reports it)", () => expectStackPass(p, bucketStack()));
  it("reports a log bucket without any encryption configuration", () =>
    expectStackViolations(
      p,
      withSseS3Logs((r) => delete r["logs.sse"]),
      [[urn(bucket(LOGS)), ["has no SSE-KMS encryption"]]],
    ));
  it("SSE_KMS fixture is the compliant rule", () => expect(bucketConfig(DATA).sse.props).to.deep.include(SSE_KMS));
});
