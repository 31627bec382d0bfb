/**
 * Object Lock on the access-log bucket (AWS, C11): S3 does not deliver
 * server access logs to a target bucket that has an Object Lock default
 * retention period ("The destination bucket must not have an S3 Object
 * Lock default retention period configuration"), so such a lock on the
 * log bucket silently ends the audit trail of every bucket logging to it.
 */
import * as s3 from "@pulumi/aws/s3";
import { stackPolicy, tokens } from "../../../lib/define";
import { coverage, ofTypes, targetsOf } from "../../../lib/match";
import { at, formatViolation } from "../../../lib/messages";
import { propsOf } from "../../../lib/props";
import { UNKNOWN } from "../../../lib/values";

/** Both object-lock configuration resources hold the default retention in rule.defaultRetention. */
const lockProps = propsOf(s3.BucketObjectLockConfiguration);

/** Severity high. Stack: no bucket that receives access logs has an Object Lock default retention. */
export const logTargetDisallowObjectLockRetention = stackPolicy({
  name: "aws-s3-bucket-disallow-object-lock-on-log-target",
  control: "C11",
  severity: "high",
  description:
    "No bucket that receives server access logs (a BucketLogging target) has an Object Lock default retention period, which S3 refuses to deliver logs to.",
  remediationSteps:
    "Remove the default retention (rule.defaultRetention) from the log bucket's aws.s3.BucketObjectLockConfiguration; protect the logs with versioning, noncurrent-version retention and `protect` instead.",
  url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html",
  checks: [],
  frameworks: [
    ["nist-800-53-r5", "AU-9"],
    ["nist-800-53-r5", "AU-12"],
  ],
  targetType: s3.BucketLogging,
  validateStack: (args, report) => {
    const loggings = targetsOf(args, tokens(s3.BucketLogging, s3.BucketLoggingV2), "bucket loggings");
    const locks = ofTypes(args.resources, tokens(s3.BucketObjectLockConfiguration, s3.BucketObjectLockConfigurationV2)).filter((l) => {
      const retention = lockProps.get(l.props, "rule", "defaultRetention");
      return retention !== UNKNOWN && retention !== undefined && retention !== null;
    });
    if (locks.length === 0) return;
    const buckets = ofTypes(args.resources, tokens(s3.Bucket, s3.BucketV2));
    for (const { target: bucket, matches: bucketLocks } of coverage(buckets, locks, "bucket", ["bucket", "id"])) {
      if (bucketLocks.length === 0) continue;
      const { matches: sources } = coverage([bucket], loggings, "targetBucket", ["bucket", "id"])[0];
      if (sources.length === 0) continue;
      for (const lock of bucketLocks) {
        report(
          formatViolation({
            what: `bucket ${bucket.name} receives the access logs of ${sources.map((s) => s.name).join(", ")} but has an Object Lock default retention: S3 will not deliver the logs to it`,
            where: at(lock, "rule.defaultRetention"),
            fix: "remove rule.defaultRetention from the log bucket's object lock configuration",
          }),
          lock.urn,
        );
      }
    }
  },
});
