/** S3 bucket policies (C3): no unconditioned grant to everyone. */
import * as s3 from "@pulumi/aws/s3";
import { resourcePolicy, typeToken, validateResourcesOfTypes } from "../../../lib/define";
import { reportUnconditionedPublicGrants } from "../../../lib/iam";
import { propsOf } from "../../../lib/props";

/** Typed reader; a deprecated inline bucket `policy` has the same name. */
const bucketPolicy = propsOf(s3.BucketPolicy);

/** Severity critical. Resource: a bucket policy allows nobody-in-particular (`*`) without a condition. */
export const bucketPolicyDisallowPublicAccess = resourcePolicy({
  name: "aws-s3-bucket-policy-disallow-public-access",
  control: "C3",
  severity: "critical",
  description: 'No S3 bucket policy allows a wildcard principal ("*") without a condition.',
  remediationSteps:
    "Name the principals (roles of this account) in Allow statements, or add a condition that restricts the caller (e.g. aws:SourceVpce, aws:PrincipalAccount).",
  url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status",
  checks: ["CKV_AWS_70", "CKV_AWS_283"],
  frameworks: [
    ["nist-800-53-r5", "AC-3"],
    ["nist-800-53-r5", "AC-6"],
    ["nist-800-53-r5", "SC-7"],
  ],
  validateResource: validateResourcesOfTypes([s3.BucketPolicy, s3.Bucket, s3.BucketV2], (props, args, report) =>
    reportUnconditionedPublicGrants(bucketPolicy.get(props, "policy"), args, report, {
      document: "bucket policy",
      property: "policy",
      // Only a BucketPolicy's unreadable document is reported, not a bucket's deprecated inline one.
      malformedIsViolation: args.type === typeToken(s3.BucketPolicy),
      fix: "name the allowed principals or add a restricting condition",
    }),
  ),
});
