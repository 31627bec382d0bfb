/** S3 server access logging (C8) on data buckets. */
import * as s3 from "@pulumi/aws/s3";
import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, tokens } from "../../../lib/define";
import { ofTypes, ReferenceIndex, refersTo } from "../../../lib/match";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, known } from "../../../lib/values";
import { BUCKET_IDS, bucketCoverage, bucketName } from "../../../lib/s3-buckets";
import { propsOf } from "../../../lib/props";

const bucketProps = propsOf(s3.Bucket);

// ---------------------------------------------------------------- C8

/**
 * Whether a bucket is a log bucket: the target of another bucket's access
 * logging (a bucket logging into itself is no log bucket). The loggings are
 * indexed by target once, so testing every bucket of a stack stays linear.
 */
export function logTargetTest(loggings: readonly PolicyResource[]): (bucket: PolicyResource) => boolean {
  const byTarget = new ReferenceIndex(loggings, "targetBucket");
  return (bucket) => byTarget.match(bucket, BUCKET_IDS).matches.some((l) => refersTo(l, "bucket", bucket, BUCKET_IDS) === "no");
}

/** Severity medium. Stack: every data bucket (any bucket that is not itself a log target) logs access to another bucket. */
export const bucketEnableAccessLogging = stackPolicy({
  name: "aws-s3-bucket-enable-access-logging",
  control: "C8",
  severity: "medium",
  description:
    "Every S3 data bucket (a bucket that does not itself receive access logs) writes server access logs to a separate log bucket.",
  remediationSteps: `Add \`new aws.s3.BucketLogging(name, { bucket: bucket.id, targetBucket: logBucket.id, targetPrefix: "<bucket>/" })\`; the log bucket carries the same encryption, public-access and versioning settings.`,
  url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html",
  checks: ["CKV_AWS_18"],
  frameworks: [
    ["nist-800-53-r5", "AU-2"],
    ["nist-800-53-r5", "AU-3"],
    ["nist-800-53-r5", "AU-12"],
  ],
  validateStack: (args, report) => {
    const loggingTypes = tokens(s3.BucketLogging, s3.BucketLoggingV2);
    const isLogTarget = logTargetTest(ofTypes(args.resources, loggingTypes));
    for (const { target, matches, undetermined } of bucketCoverage(args, loggingTypes)) {
      if (isLogTarget(target)) continue;
      const selfLogging = matches.find((m) => refersTo(m, "targetBucket", target, BUCKET_IDS) === "yes");
      if (selfLogging) {
        report(
          formatViolation({
            what: `S3 bucket ${bucketName(target)} writes its access logs into itself`,
            where: at(selfLogging, "targetBucket"),
            fix: "send the logs to a dedicated log bucket",
          }),
          selfLogging.urn,
        );
        continue;
      }
      if (matches.length > 0 || undetermined.length > 0) continue;
      const inlineTarget = bucketProps.get(target.props, "logging", "targetBucket");
      if (known(inlineTarget) || inlineTarget === UNKNOWN) continue;
      report(
        formatViolation({
          what: `S3 data bucket ${bucketName(target)} has no server access logging`,
          where: at(target),
          fix: "add an aws.s3.BucketLogging with bucket = this bucket's id and targetBucket = the environment's log bucket",
        }),
        target.urn,
      );
    }
  },
});
