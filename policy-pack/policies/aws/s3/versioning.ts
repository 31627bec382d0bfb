/** S3 versioning (C9) on every bucket. */
import * as s3 from "@pulumi/aws/s3";
import { stackPolicy, tokens } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, describe } from "../../../lib/values";
import { bucketCoverage, bucketName } from "../../../lib/s3-buckets";
import { propsOf } from "../../../lib/props";

const versioning = propsOf(s3.BucketVersioning);
const bucketProps = propsOf(s3.Bucket);

// ---------------------------------------------------------------- C9

/** Severity high. Stack: every bucket has versioning enabled. */
export const bucketEnableVersioning = stackPolicy({
  name: "aws-s3-bucket-enable-versioning",
  control: "C9",
  severity: "high",
  description: "Every S3 bucket has versioning enabled.",
  remediationSteps: `Add \`new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } })\` and a lifecycle rule that expires noncurrent versions.`,
  url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
  checks: ["CKV_AWS_21"],
  frameworks: [
    ["nist-800-53-r5", "CP-9"],
    ["nist-800-53-r5", "CP-10"],
  ],
  validateStack: (args, report) => {
    const types = tokens(s3.BucketVersioning, s3.BucketVersioningV2);
    for (const { target, matches, undetermined } of bucketCoverage(args, types)) {
      if (matches.length > 0) {
        const statuses = matches.map((m) => versioning.str(m.props, "versioningConfiguration", "status"));
        if (statuses.some((s) => s === "Enabled" || s === UNKNOWN)) continue;
        report(
          formatViolation({
            what: `versioning of S3 bucket ${bucketName(target)} is ${describe(statuses[0])}, not "Enabled"`,
            where: at(matches[0], "versioningConfiguration.status"),
            fix: `set versioningConfiguration.status to "Enabled"`,
          }),
          matches[0].urn,
        );
        continue;
      }
      if (undetermined.length > 0) continue;
      const inline = bucketProps.bool(target.props, "versioning", "enabled");
      if (inline === true || inline === UNKNOWN) continue;
      report(
        formatViolation({
          what: `S3 bucket ${bucketName(target)} has no versioning`,
          where: at(target),
          fix: `add an aws.s3.BucketVersioning with bucket = this bucket's id and versioningConfiguration.status "Enabled"`,
        }),
        target.urn,
      );
    }
  },
});
