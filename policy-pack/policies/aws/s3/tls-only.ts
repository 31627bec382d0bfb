/** S3 bucket policies (C5): deny requests without TLS and below the minimum TLS version. */
import * as s3 from "@pulumi/aws/s3";
import { settings, stackPolicy, tokens } from "../../../lib/define";
import { globMatch, grantsAction, isDeny, conditionsOn, baseOperator, Statement } from "../../../lib/iam";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, known } from "../../../lib/values";
import { bucketCoverage, bucketName, bucketPolicyDocuments, bucketPolicyStatements } from "../../../lib/s3-buckets";
import { propsOf } from "../../../lib/props";

const bucketProps = propsOf(s3.Bucket);

// ---------------------------------------------------------------- C5

const tlsSchema = {
  properties: {
    minimumTlsVersion: {
      type: "string" as const,
      default: "1.2",
      description: "The s3:TlsVersion below which the bucket policy must deny requests.",
    },
  },
};

/** Matches every S3 action only through a wildcard (`s3:*` or `*`). */
const EVERY_S3_ACTION = "s3:EveryActionWildcardProbe";

function denyAllS3ToAnyone(st: Statement): boolean {
  return isDeny(st) && st.principal?.wildcard === true && grantsAction(st, EVERY_S3_ACTION);
}

function coversBucket(st: Statement, arn: unknown): boolean {
  if (!known(arn)) return true; // cannot tell yet (preview)
  if (st.resource.some((r) => r === UNKNOWN)) return true;
  const resources = st.resource.filter(known);
  return resources.some((r) => globMatch(r, arn)) && resources.some((r) => globMatch(r, `${arn}/object-key`));
}

function deniesInsecureTransport(st: Statement): boolean {
  return conditionsOn(st, "aws:SecureTransport").some((c) => baseOperator(c.operator) === "Bool" && c.values.some((v) => v === "false"));
}

function deniesOldTls(st: Statement, minimum: string): boolean {
  const min = Number(minimum);
  return conditionsOn(st, "s3:TlsVersion").some(
    (c) => baseOperator(c.operator) === "NumericLessThan" && c.values.some((v) => known(v) && Number(v) >= min),
  );
}

/** Severity high. Stack: every bucket's policy denies requests without TLS and with TLS older than 1.2. */
export const bucketMissingTlsPolicy = stackPolicy({
  name: "aws-s3-bucket-missing-tls-policy",
  control: "C5",
  severity: "high",
  description:
    "Every S3 bucket has a bucket policy that denies requests without TLS (aws:SecureTransport false) and with TLS older than 1.2 (s3:TlsVersion).",
  remediationSteps: `Attach an aws.s3.BucketPolicy with two Deny statements for Principal "*", Action "s3:*", Resource [bucketArn, bucketArn + "/*"]: one with Condition { Bool: { "aws:SecureTransport": "false" } }, one with Condition { NumericLessThan: { "s3:TlsVersion": "1.2" } }.`,
  url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit",
  checks: ["CKV_AWS_379"],
  frameworks: [
    ["cis-aws-5.0.0", "2.1.1"],
    ["nist-800-53-r5", "SC-8"],
    ["nist-800-53-r5", "SC-23"],
  ],
  configSchema: tlsSchema,
  validateStack: (args, report) => {
    const { minimumTlsVersion } = settings<{ minimumTlsVersion: string }>(args, tlsSchema);
    for (const { target, matches, undetermined } of bucketCoverage(args, tokens(s3.BucketPolicy))) {
      const docs = bucketPolicyDocuments(target, matches);
      if (docs.length === 0) {
        if (undetermined.length > 0) continue;
        report(
          formatViolation({
            what: `S3 bucket ${bucketName(target)} has no bucket policy, so requests without TLS are not denied`,
            where: at(target),
            fix: `add an aws.s3.BucketPolicy that denies aws:SecureTransport = false and s3:TlsVersion < ${minimumTlsVersion}`,
          }),
          target.urn,
        );
        continue;
      }
      const arn = bucketProps.get(target.props, "arn");
      let secure = false;
      let tls = false;
      const { statements, undecided: docsUndecided } = bucketPolicyStatements(docs);
      let undecided = docsUndecided;
      for (const st of statements) {
        if (st.conditionUnknown) undecided = true;
        if (!denyAllS3ToAnyone(st) || !coversBucket(st, arn)) continue;
        secure = secure || deniesInsecureTransport(st);
        tls = tls || deniesOldTls(st, minimumTlsVersion);
      }
      if ((secure && tls) || undecided) continue;
      const missing = [
        secure ? undefined : `a Deny of s3:* for "*" when aws:SecureTransport is false`,
        tls ? undefined : `a Deny of s3:* for "*" when s3:TlsVersion < ${minimumTlsVersion}`,
      ].filter(Boolean);
      const where = docs[0];
      report(
        formatViolation({
          what: `the bucket policy of S3 bucket ${bucketName(target)} lacks ${missing.join(" and ")} covering the bucket and its objects`,
          where: at(where.source, "policy"),
          fix: 'add the missing Deny statement(s) with Resource [bucketArn, bucketArn + "/*"]',
        }),
        where.source.urn,
      );
    }
  },
});
