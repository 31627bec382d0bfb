/**
 * Bucket-policy lockout (AWS, C11): a Deny to every principal ("*") of
 * s3:* (or of the bucket-policy actions) with no condition refuses every
 * request, the deployer's included. S3 then accepts a change to the
 * policy only from the account's root user: `pulumi up` and `pulumi
 * destroy` fail with AccessDenied until someone signs in as root.
 */
import * as s3 from "@pulumi/aws/s3";
import { resourcePolicy, validateResourcesOfTypes } from "../../../lib/define";
import { grantsAction, isDeny, label, parseDocument } from "../../../lib/iam";
import { at, formatViolation, quoted } from "../../../lib/messages";
import { propsOf } from "../../../lib/props";

const bucketPolicyProps = propsOf(s3.BucketPolicy);

/** Actions whose unconditioned denial to everyone locks the policy itself. */
const LOCKING_ACTIONS = ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:GetBucketPolicy"];

/** Severity high. Resource: no bucket policy denies the policy actions to everyone without a condition. */
export const bucketPolicyDisallowUnconditionalDeny = resourcePolicy({
  name: "aws-s3-bucket-policy-disallow-unconditional-deny",
  control: "C11",
  severity: "high",
  description:
    'No S3 bucket policy denies s3:* or the bucket-policy actions to every principal ("*") without a condition, which would lock out everyone but the account\'s root user, Pulumi included.',
  remediationSteps:
    "Add a condition to the Deny (e.g. aws:SecureTransport false, aws:SourceVpce, aws:PrincipalArn not the deployer) or name the principals it applies to.",
  url: "https://repost.aws/knowledge-center/s3-accidentally-denied-access",
  checks: ["CKV_AWS_93"],
  frameworks: [["nist-800-53-r5", "CM-6"]],
  validateResource: validateResourcesOfTypes([s3.BucketPolicy], (props, args, report) => {
    const doc = parseDocument(bucketPolicyProps.get(props, "policy"));
    if (doc.kind !== "document") return;
    for (const st of doc.statements) {
      if (!isDeny(st) || !st.principal?.wildcard || st.conditions.length > 0 || st.conditionUnknown || st.hasNotAction) continue;
      const locked = LOCKING_ACTIONS.filter((a) => grantsAction(st, a));
      if (locked.length === 0) continue;
      report(
        formatViolation({
          what: `${label(st)} denies ${quoted(st.action)} to everyone without a condition: S3 will refuse ${locked.join(", ")} even to the deployer, so pulumi up and destroy fail with AccessDenied until the account's root user deletes the policy`,
          where: at(args, `policy.Statement[${st.index}]`),
          fix: "add a condition to the Deny or name the principals it applies to",
        }),
      );
    }
  }),
});
