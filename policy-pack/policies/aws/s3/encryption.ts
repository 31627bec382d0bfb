/**
 * S3 default encryption (C1): SSE-KMS with a customer-managed key on every
 * bucket, except the dedicated access-log bucket: a bucket that receives
 * another bucket's server access logs and logs nothing itself may use SSE-S3
 * (AES256), the only default encryption S3 log delivery supports
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html);
 * its objects are request records, not training data or artifacts.
 */
import * as s3 from "@pulumi/aws/s3";
import type { PolicyResource } from "@pulumi/policy";
import { settings, stackPolicy, tokens } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, describe } from "../../../lib/values";
import { BUCKET_IDS, bucketCoverage, bucketName } from "../../../lib/s3-buckets";
import { ReferenceIndex, ofTypes } from "../../../lib/match";
import { logTargetTest } from "./access-logging";
import { LOGGING_TYPES } from "./access-log-target-encryption";
import { propsOf } from "../../../lib/props";

const sseConfig = propsOf(s3.BucketServerSideEncryptionConfiguration);
const sseRule = sseConfig.sub("rules", 0);
const bucketProps = propsOf(s3.Bucket);
const inlineSse = bucketProps.sub("serverSideEncryptionConfiguration", "rule");

// ---------------------------------------------------------------- C1

const encryptionSchema = {
  properties: {
    requireBucketKey: {
      type: "boolean" as const,
      default: true,
      description: "Also require the S3 Bucket Key (bucketKeyEnabled) with SSE-KMS.",
    },
  },
};

interface SseRule {
  readonly algorithm: string | typeof UNKNOWN | undefined;
  readonly keyId: string | typeof UNKNOWN | undefined;
  readonly bucketKey: boolean | typeof UNKNOWN | undefined;
  readonly property: string;
}

function sseRules(config: PolicyResource): SseRule[] {
  const rules = sseConfig.arr(config.props, "rules");
  if (rules === UNKNOWN) return [{ algorithm: UNKNOWN, keyId: UNKNOWN, bucketKey: UNKNOWN, property: "rules" }];
  return (rules ?? []).map((r, i) => ({
    algorithm: sseRule.str(r, "applyServerSideEncryptionByDefault", "sseAlgorithm"),
    keyId: sseRule.str(r, "applyServerSideEncryptionByDefault", "kmsMasterKeyId"),
    bucketKey: sseRule.bool(r, "bucketKeyEnabled"),
    property: `rules[${i}]`,
  }));
}

function inlineSseRule(bucket: PolicyResource): SseRule | undefined {
  const rule = bucketProps.get(bucket.props, "serverSideEncryptionConfiguration", "rule");
  if (rule === undefined || rule === null) return undefined;
  return {
    algorithm: inlineSse.str(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm"),
    keyId: inlineSse.str(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId"),
    bucketKey: inlineSse.bool(rule, "bucketKeyEnabled"),
    property: "serverSideEncryptionConfiguration.rule",
  };
}

/** Why an SSE rule does not name a customer key; undefined when it does (or cannot be judged yet). */
function sseProblem(rule: SseRule, requireBucketKey: boolean): string | undefined {
  if (rule.algorithm === UNKNOWN) return undefined;
  if (rule.algorithm !== "aws:kms" && rule.algorithm !== "aws:kms:dsse")
    return `sseAlgorithm is ${describe(rule.algorithm)}, not "aws:kms"`;
  if (rule.keyId === UNKNOWN) return undefined;
  if (rule.keyId === undefined || rule.keyId === "") return "no kmsMasterKeyId, so S3 uses the AWS managed aws/s3 key";
  if (/(^|:)alias\/aws\//.test(rule.keyId)) return `kmsMasterKeyId ${describe(rule.keyId)} is an AWS managed key`;
  if (requireBucketKey && rule.bucketKey !== true && rule.bucketKey !== UNKNOWN) return "bucketKeyEnabled is not true";
  return undefined;
}

/** Severity critical. Stack: every bucket has an SSE-KMS configuration naming a customer managed key. */
export const bucketMissingKmsEncryption = stackPolicy({
  name: "aws-s3-bucket-missing-kms-encryption",
  control: "C1",
  severity: "critical",
  description:
    "Every S3 bucket has a server-side encryption configuration with aws:kms and a customer managed KMS key (bucket key on); only a dedicated access-log bucket (a log target that logs nothing itself) may use SSE-S3, the only encryption S3 log delivery supports.",
  remediationSteps: `Add \`new aws.s3.BucketServerSideEncryptionConfiguration(name, { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }] })\` with the environment's aws.kms.Key.`,
  url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
  checks: ["CKV_AWS_19", "CKV_AWS_145"],
  frameworks: [
    ["nist-800-53-r5", "SC-28"],
    ["nist-800-53-r5", "SC-13"],
  ],
  configSchema: encryptionSchema,
  validateStack: (args, report) => {
    const { requireBucketKey } = settings<{ requireBucketKey: boolean }>(args, encryptionSchema);
    const types = tokens(s3.BucketServerSideEncryptionConfiguration, s3.BucketServerSideEncryptionConfigurationV2);
    const loggings = ofTypes(args.resources, LOGGING_TYPES);
    const isLogTarget = logTargetTest(loggings);
    const bySource = new ReferenceIndex(loggings, "bucket");
    /** The dedicated access-log bucket: a log target that does not log itself may be SSE-S3 (the C1 exception). */
    const sseS3Allowed = (bucket: PolicyResource) => isLogTarget(bucket) && bySource.match(bucket, BUCKET_IDS).matches.length === 0;
    const isSseS3 = (rule: SseRule) => rule.algorithm === "AES256";
    for (const { target, matches, undetermined } of bucketCoverage(args, types)) {
      const exempt = sseS3Allowed(target);
      const fix = `use sseAlgorithm "aws:kms" with kmsMasterKeyId = the environment's aws.kms.Key ARN${requireBucketKey ? " and bucketKeyEnabled: true" : ""}`;
      if (matches.length > 0) {
        for (const config of matches) {
          const rules = sseRules(config);
          if (exempt && rules.length > 0 && rules.every(isSseS3)) continue;
          const problems = rules.map((r) => ({ r, p: sseProblem(r, requireBucketKey) }));
          if (rules.length > 0 && problems.some((x) => x.p === undefined)) continue;
          const first = problems[0];
          report(
            formatViolation({
              what: `encryption of S3 bucket ${bucketName(target)}: ${first ? first.p : "the configuration has no rules"}`,
              where: at(config, first ? first.r.property : "rules"),
              fix,
            }),
            config.urn,
          );
        }
        continue;
      }
      if (undetermined.length > 0) continue;
      const inline = inlineSseRule(target);
      const inlineProblem = inline ? sseProblem(inline, requireBucketKey) : undefined;
      if (inline && (inlineProblem === undefined || (exempt && isSseS3(inline)))) continue;
      report(
        formatViolation({
          what: `S3 bucket ${bucketName(target)} has no SSE-KMS encryption with a customer managed key${inlineProblem ? ` (${inlineProblem})` : ""}`,
          where: at(target, inline ? inline.property : undefined),
          fix: `add an aws.s3.BucketServerSideEncryptionConfiguration with bucket = this bucket's id; ${fix}`,
        }),
        target.urn,
      );
    }
  },
});
