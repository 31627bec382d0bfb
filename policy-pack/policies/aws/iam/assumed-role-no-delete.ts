/**
 * IAM (C6): a role that people or CI assume (its trust names IAM roles or
 * users: the data ingest role of `npm run data`) may never delete data. It
 * loads datasets and reads job outputs; deleting objects or versions, bucket
 * settings or whole buckets is left to administrators, so a leaked ingest
 * session cannot destroy what training depends on.
 */
import * as iam from "@pulumi/aws/iam";
import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, tokens } from "../../../lib/define";
import { grantsAction, isAllow, label, parseDocument } from "../../../lib/iam";
import { refersTo, ofTypes } from "../../../lib/match";
import { at, formatViolation } from "../../../lib/messages";
import { propsOf } from "../../../lib/props";
import { known } from "../../../lib/values";

const roleProps = propsOf(iam.Role);
const inlinePolicyProps = roleProps.sub("inlinePolicies", 0);
const rolePolicyProps = propsOf(iam.RolePolicy);

/** Destructive S3 actions an assumed role must not be granted (by name or through a wildcard). */
export const DATA_DELETE_ACTIONS = [
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:DeleteBucket",
  "s3:DeleteBucketPolicy",
  "s3:PutLifecycleConfiguration",
  "s3:PutBucketVersioning",
  "s3:PutBucketPolicy",
] as const;

/** Whether a role's trust names IAM principals (people or CI) rather than only services. */
function assumedByIamPrincipals(role: PolicyResource): boolean {
  const doc = parseDocument(roleProps.get(role.props, "assumeRolePolicy"));
  if (doc.kind !== "document") return false;
  return doc.statements.some((st) => isAllow(st) && (st.principal?.aws.some(known) ?? false));
}

/** Severity high. Stack: roles assumed by IAM roles/users (the data ingest role) are granted no S3 delete or bucket-settings action. */
export const ingestRoleDisallowDataDeletion = stackPolicy({
  name: "aws-iam-ingest-role-disallow-data-deletion",
  control: "C6",
  severity: "high",
  description:
    "A role that IAM roles or users assume (the data ingest role) is granted no S3 delete action and no change of bucket policy, versioning or lifecycle, by name or through a wildcard.",
  remediationSteps:
    "Grant the ingest role only s3:PutObject, s3:AbortMultipartUpload, s3:ListMultipartUploadParts and s3:GetObject on <data bucket>/datasets/*, read on the job outputs, and kms:GenerateDataKey/kms:Decrypt through S3 (stacks/aws/data-ingest.ts).",
  url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
  frameworks: [
    ["nist-800-53-r5", "AC-6"],
    ["nist-800-53-r5", "CP-9"],
  ],
  validateStack: (args, report) => {
    const roles = ofTypes(args.resources, tokens(iam.Role)).filter(assumedByIamPrincipals);
    if (roles.length === 0) return;
    const rolePolicies = ofTypes(args.resources, tokens(iam.RolePolicy));
    for (const role of roles) {
      const docs: { source: PolicyResource; property: string; value: unknown }[] = [];
      const inline = roleProps.get(role.props, "inlinePolicies");
      if (Array.isArray(inline))
        inline.forEach((p, i) =>
          docs.push({ source: role, property: `inlinePolicies[${i}].policy`, value: inlinePolicyProps.get(p, "policy") }),
        );
      for (const rp of rolePolicies)
        if (refersTo(rp, "role", role, ["name", "id", "arn"]) === "yes")
          docs.push({ source: rp, property: "policy", value: rolePolicyProps.get(rp.props, "policy") });
      for (const d of docs) {
        const doc = parseDocument(d.value);
        if (doc.kind !== "document") continue;
        for (const st of doc.statements) {
          if (!isAllow(st)) continue;
          const bad = DATA_DELETE_ACTIONS.filter((a) => grantsAction(st, a));
          if (bad.length === 0) continue;
          report(
            formatViolation({
              what: `${label(st)} lets the role ${role.name}, which IAM principals assume, ${bad.join(", ")}: a leaked session could delete the data or remove its protection`,
              where: at(d.source, d.property),
              fix: "grant only write (PutObject, multipart) and read actions on the dataset prefix; leave deletion to administrators",
            }),
            d.source.urn,
          );
        }
      }
    }
  },
});
