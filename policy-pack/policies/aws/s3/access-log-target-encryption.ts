/**
 * S3 server access log targets (C11): the bucket that receives server access
 * logs must not use SSE-KMS default encryption. The S3 user guide: "You can
 * use default bucket encryption on the target bucket only if you use
 * server-side encryption with Amazon S3 managed keys (SSE-S3) ... Default
 * server-side encryption with AWS Key Management Service (AWS KMS) keys
 * (SSE-KMS) is not supported." Nothing fails at deploy time: the logs may
 * simply never arrive.
 */
import * as s3 from "@pulumi/aws/s3";
import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, tokens } from "../../../lib/define";
import { ReferenceIndex, ofTypes } from "../../../lib/match";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, known } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const sseConfig = propsOf(s3.BucketServerSideEncryptionConfiguration);
const sseRule = sseConfig.sub("rules", 0);
const bucketProps = propsOf(s3.Bucket);
/** BucketLogging and BucketLoggingV2 name the logged bucket in `bucket`. */
const loggingProps = propsOf(s3.BucketLogging);
import { BUCKET_IDS, bucketCoverage, bucketName } from "../../../lib/s3-buckets";

export const ACCESS_LOG_TARGET_DOC = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html";

const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

export const LOGGING_TYPES = tokens(s3.BucketLogging, s3.BucketLoggingV2);
export const SSE_TYPES = tokens(s3.BucketServerSideEncryptionConfiguration, s3.BucketServerSideEncryptionConfigurationV2);

/** The SSE-KMS algorithms of a configuration's rules, with their property paths (unknown rules are not judged). */
function kmsRules(config: PolicyResource): { algorithm: string; property: string }[] {
  const rules = sseConfig.arr(config.props, "rules");
  if (rules === UNKNOWN || rules === undefined) return [];
  return rules.flatMap((r, i) => {
    const algorithm = sseRule.str(r, "applyServerSideEncryptionByDefault", "sseAlgorithm");
    return known(algorithm) && KMS_ALGORITHMS.includes(algorithm)
      ? [{ algorithm, property: `rules[${i}].applyServerSideEncryptionByDefault.sseAlgorithm` }]
      : [];
  });
}

/** Severity medium. Stack: a bucket that receives S3 server access logs does not use SSE-KMS default encryption. */
export const bucketDisableKmsOnAccessLogTarget = stackPolicy({
  name: "aws-s3-bucket-disable-kms-on-access-log-target",
  control: "C11",
  severity: "medium",
  description:
    "A bucket that receives S3 server access logs (the targetBucket of a BucketLogging) uses SSE-S3 (AES256) default encryption, never SSE-KMS, which S3 log delivery does not support.",
  remediationSteps:
    'On the log bucket\'s aws.s3.BucketServerSideEncryptionConfiguration use rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]. Access-log records (bucket, key, requester, IP) are the one documented exception to customer-key encryption; for KMS-encrypted object-level audit use CloudTrail data events instead.',
  url: ACCESS_LOG_TARGET_DOC,
  validateStack: (args, report) => {
    const loggings = ofTypes(args.resources, LOGGING_TYPES);
    if (loggings.length === 0) return args.notApplicable("the stack has no S3 server access logging");
    const byTarget = new ReferenceIndex(loggings, "targetBucket");
    for (const { target, matches } of bucketCoverage(args, SSE_TYPES)) {
      const sources = byTarget.match(target, BUCKET_IDS).matches;
      if (sources.length === 0) continue;
      const from = sources
        .map((l) => loggingProps.get(l.props, "bucket"))
        .filter(known)
        .map((b) => JSON.stringify(b));
      const what = (algorithm: string) =>
        `S3 bucket ${bucketName(target)} receives server access logs${from.length > 0 ? ` of ${from.join(", ")}` : ""} but its default encryption is SSE-KMS ("${algorithm}"): S3 does not support SSE-KMS default encryption on a log target bucket, so the access logs may never be delivered`;
      const fix = 'set the log bucket\'s default encryption to sseAlgorithm "AES256" (SSE-S3)';
      for (const config of matches) {
        for (const rule of kmsRules(config))
          report(formatViolation({ what: what(rule.algorithm), where: at(config, rule.property), fix }), config.urn);
      }
      const inline = bucketProps.str(
        target.props,
        "serverSideEncryptionConfiguration",
        "rule",
        "applyServerSideEncryptionByDefault",
        "sseAlgorithm",
      );
      if (known(inline) && KMS_ALGORITHMS.includes(inline)) {
        report(formatViolation({ what: what(inline), where: at(target, "serverSideEncryptionConfiguration.rule"), fix }), target.urn);
      }
    }
  },
});
