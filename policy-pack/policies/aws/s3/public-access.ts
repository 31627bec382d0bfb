/** S3 public access (C3): a full public access block on every bucket, no public ACL, BucketOwnerEnforced ownership. */
import * as s3 from "@pulumi/aws/s3";
import { remediateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, stackPolicy, tokens, validateResourcesOfTypes } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, describe, known } from "../../../lib/values";
import { ALL_FLAGS_FIX, PAB_FLAGS, bucketCoverage, bucketName } from "../../../lib/s3-buckets";
import { propsOf } from "../../../lib/props";

const pab = propsOf(s3.BucketPublicAccessBlock);
const bucketProps = propsOf(s3.Bucket);
const bucketGrant = bucketProps.sub("grants", 0);
const aclProps = propsOf(s3.BucketAcl);
const aclGrant = aclProps.sub("accessControlPolicy", "grants", 0);
const ownershipControls = propsOf(s3.BucketOwnershipControls);

// ---------------------------------------------------------------- C3

/** Severity critical. Stack: every bucket has a `BucketPublicAccessBlock` with all four flags true. */
export const bucketMissingPublicAccessBlock = stackPolicy({
  name: "aws-s3-bucket-missing-public-access-block",
  control: "C3",
  severity: "critical",
  description: "Every S3 bucket has a BucketPublicAccessBlock with all four flags true.",
  remediationSteps:
    "For each bucket add `new aws.s3.BucketPublicAccessBlock(name, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true })`.",
  url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
  checks: ["CKV2_AWS_6"],
  frameworks: [
    ["cis-aws-5.0.0", "2.1.4"],
    ["nist-800-53-r5", "AC-3"],
    ["nist-800-53-r5", "AC-4"],
    ["nist-800-53-r5", "AC-6"],
    ["nist-800-53-r5", "SC-7"],
  ],
  validateStack: (args, report) => {
    for (const { target, matches, undetermined } of bucketCoverage(args, tokens(s3.BucketPublicAccessBlock))) {
      if (matches.length === 0) {
        if (undetermined.length > 0) continue;
        report(
          formatViolation({
            what: `S3 bucket ${bucketName(target)} has no BucketPublicAccessBlock, so public ACLs and policies are not blocked`,
            where: at(target),
            fix: "add an aws.s3.BucketPublicAccessBlock with bucket = this bucket's id and blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true",
          }),
          target.urn,
        );
        continue;
      }
      const full = matches.some((block) => PAB_FLAGS.every((f) => pab.bool(block.props, f) === true));
      if (full) continue;
      for (const block of matches) {
        if (PAB_FLAGS.some((f) => pab.bool(block.props, f) === UNKNOWN)) continue;
        const off = PAB_FLAGS.filter((f) => pab.bool(block.props, f) !== true);
        report(
          formatViolation({
            what: `the public access block of S3 bucket ${bucketName(target)} leaves ${off.join(", ")} off`,
            where: at(block, off.join(", ")),
            fix: ALL_FLAGS_FIX,
          }),
          block.urn,
        );
      }
    }
  },
});

/** Severity high. Resource: a `BucketPublicAccessBlock` sets all four flags; remediation sets them. */
export const publicAccessBlockEnableAllFlags = resourcePolicy({
  name: "aws-s3-bucket-public-access-block-enable-all-flags",
  control: "C3",
  severity: "high",
  description: "A BucketPublicAccessBlock sets blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true.",
  remediationSteps: `Set all four flags to true (remediation does this automatically when the policy's enforcement level is "remediate").`,
  url: "https://www.pulumi.com/registry/packages/aws/api-docs/s3/bucketpublicaccessblock/",
  checks: ["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"],
  frameworks: [
    ["cis-aws-5.0.0", "2.1.4"],
    ["nist-800-53-r5", "AC-3"],
    ["nist-800-53-r5", "AC-4"],
    ["nist-800-53-r5", "AC-6"],
    ["nist-800-53-r5", "SC-7"],
  ],
  validateResource: validateResourcesOfTypes([s3.BucketPublicAccessBlock], (props, args, report) => {
    const off = PAB_FLAGS.filter((f) => {
      const v = pab.bool(props, f);
      return v !== true && v !== UNKNOWN;
    });
    if (off.length === 0) return;
    report(
      formatViolation({
        what: `${off.join(", ")} ${off.length === 1 ? "is" : "are"} not true (${off.map((f) => `${f}: ${describe(pab.get(props, f))}`).join(", ")})`,
        where: at(args, off.join(", ")),
        fix: ALL_FLAGS_FIX,
      }),
    );
  }),
  remediateResource: remediateResourceOfType(s3.BucketPublicAccessBlock, (props) => {
    const off = PAB_FLAGS.filter((f) => pab.bool(props, f) !== true);
    for (const f of off) props[f] = true;
    return off.length > 0 ? props : undefined;
  }),
});

const PUBLIC_CANNED_ACLS = ["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_GROUP_URIS = ["http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"];

function publicGrantee(grantee: unknown): boolean {
  const uri = bucketGrant.str(grantee, "uri");
  return known(uri) && PUBLIC_GROUP_URIS.some((u) => u.toLowerCase() === uri.toLowerCase().replace(/^https:/, "http:"));
}

/** Severity critical. Resource: no public canned ACL or grant to AllUsers/AuthenticatedUsers on buckets, ACLs or objects. */
export const bucketDisallowPublicAcl = resourcePolicy({
  name: "aws-s3-bucket-disallow-public-acl",
  control: "C3",
  severity: "critical",
  description: "No S3 bucket, bucket ACL or object uses a public canned ACL or grants access to AllUsers or AuthenticatedUsers.",
  remediationSteps:
    "Remove the `acl`/`grants` (or use `private`) and rely on `aws.s3.BucketOwnershipControls` with `BucketOwnerEnforced`, which disables ACLs; grant access through IAM policies instead.",
  url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl",
  checks: ["CKV_AWS_20", "CKV_AWS_57", "CKV_AWS_375", "CKV2_AWS_43"],
  frameworks: [
    ["nist-800-53-r5", "AC-3"],
    ["nist-800-53-r5", "AC-6"],
    ["nist-800-53-r5", "SC-7"],
  ],
  validateResource: validateResourcesOfTypes(
    [s3.Bucket, s3.BucketV2, s3.BucketAcl, s3.BucketAclV2, s3.BucketObject, s3.BucketObjectv2],
    (props, args, report) => {
      const acl = bucketProps.str(props, "acl");
      if (known(acl) && PUBLIC_CANNED_ACLS.includes(acl.toLowerCase())) {
        report(
          formatViolation({
            what: `canned ACL "${acl}" makes the data public`,
            where: at(args, "acl"),
            fix: `remove acl or set it to "private"`,
          }),
        );
      }
      const grants = bucketProps.arr(props, "grants");
      (grants === UNKNOWN ? [] : (grants ?? [])).forEach((g, i) => {
        if (publicGrantee(g)) {
          report(
            formatViolation({
              what: `grant ${i} gives ${describe(bucketGrant.get(g, "uri"))} access`,
              where: at(args, `grants[${i}]`),
              fix: "remove the grant to the AllUsers/AuthenticatedUsers group",
            }),
          );
        }
      });
      const acpGrants = aclProps.arr(props, "accessControlPolicy", "grants");
      (acpGrants === UNKNOWN ? [] : (acpGrants ?? [])).forEach((g, i) => {
        if (publicGrantee(aclGrant.get(g, "grantee"))) {
          report(
            formatViolation({
              what: `grant ${i} gives ${describe(aclGrant.get(g, "grantee", "uri"))} ${describe(aclGrant.get(g, "permission"))}`,
              where: at(args, `accessControlPolicy.grants[${i}]`),
              fix: "remove the grant to the AllUsers/AuthenticatedUsers group",
            }),
          );
        }
      });
    },
  ),
});

/** Severity high. Stack: every bucket has `BucketOwnershipControls` with `BucketOwnerEnforced` (ACLs disabled). */
export const bucketEnforceOwnerEnforced = stackPolicy({
  name: "aws-s3-bucket-enforce-bucket-owner-enforced",
  control: "C3",
  severity: "high",
  description: "Every S3 bucket has BucketOwnershipControls with objectOwnership BucketOwnerEnforced, which disables ACLs.",
  remediationSteps: `Add \`new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } })\` for each bucket.`,
  url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html",
  checks: ["CKV_AWS_20", "CKV_AWS_57", "CKV2_AWS_65"],
  frameworks: [
    ["nist-800-53-r5", "AC-3"],
    ["nist-800-53-r5", "AC-6"],
  ],
  validateStack: (args, report) => {
    for (const { target, matches, undetermined } of bucketCoverage(args, tokens(s3.BucketOwnershipControls))) {
      if (matches.length === 0) {
        if (undetermined.length === 0) {
          report(
            formatViolation({
              what: `S3 bucket ${bucketName(target)} has no BucketOwnershipControls, so object ACLs stay enabled`,
              where: at(target),
              fix: `add an aws.s3.BucketOwnershipControls with bucket = this bucket's id and rule.objectOwnership = "BucketOwnerEnforced"`,
            }),
            target.urn,
          );
        }
        continue;
      }
      for (const oc of matches) {
        const ownership = ownershipControls.str(oc.props, "rule", "objectOwnership");
        if (ownership === UNKNOWN || ownership === "BucketOwnerEnforced") continue;
        report(
          formatViolation({
            what: `object ownership of S3 bucket ${bucketName(target)} is ${describe(ownership)}, not "BucketOwnerEnforced"`,
            where: at(oc, "rule.objectOwnership"),
            fix: `set rule.objectOwnership to "BucketOwnerEnforced"`,
          }),
          oc.urn,
        );
      }
    }
  },
});
