/**
 * S3 bucket policies (C1): a bucket that lets a principal (the data ingest
 * role) write from outside the VPC endpoint also denies every PutObject that
 * asks for other encryption than SSE-KMS with the environment's key.
 *
 * Why: S3 encrypts an object with the key the request names; the bucket's
 * default encryption only applies when the request names none. A writer
 * outside the VPC could otherwise store data under SSE-S3 or a key of its own
 * choosing. `...IfExists` is required to keep multipart uploads working:
 * UploadPart carries no SSE header, so a plain StringNotEquals (or a Null
 * check) on the header denies every part (boto/botocore#471).
 */
import * as s3 from "@pulumi/aws/s3";
import { stackPolicy, tokens } from "../../../lib/define";
import { baseOperator, grantsAction, isDeny, Statement } from "../../../lib/iam";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, known } from "../../../lib/values";
import { bucketCoverage, bucketName, bucketPolicyDocuments, bucketPolicyStatements } from "../../../lib/s3-buckets";

const VPC_KEYS = ["aws:sourcevpce", "aws:sourcevpc"];
export const SSE_HEADER = "s3:x-amz-server-side-encryption";
export const SSE_KEY_HEADER = "s3:x-amz-server-side-encryption-aws-kms-key-id";

const lower = (s: string) => s.toLowerCase();

/** A VPC-endpoint deny on PutObject that exempts principals by aws:PrincipalArn: who may write from outside. */
function exemptWriters(st: Statement): string[] | undefined {
  if (!isDeny(st) || !grantsAction(st, "s3:PutObject")) return undefined;
  if (!st.conditions.some((c) => VPC_KEYS.includes(lower(c.key)))) return undefined;
  const p = st.conditions.filter((c) => lower(c.key) === "aws:principalarn");
  if (p.length === 0) return undefined;
  return p.flatMap((c) => c.values.map((v) => (known(v) ? v : "(unknown until deployed)")));
}

/** Whether the statement denies PutObject for everyone when `key` is present and not one of the allowed values. */
function deniesOther(st: Statement, key: string, valueOk: (v: string) => boolean): boolean | "unknown" {
  if (st.effect === UNKNOWN || st.conditionUnknown) return "unknown";
  if (!isDeny(st) || st.principal?.wildcard !== true || !grantsAction(st, "s3:PutObject")) return false;
  if (st.conditions.length !== 1) return false;
  const c = st.conditions[0];
  if (lower(c.key) !== key || baseOperator(c.operator) !== "StringNotEquals" || c.values.length !== 1) return false;
  const v = c.values[0];
  if (!known(v)) return "unknown";
  return valueOk(v);
}

const KEY_ARN_RE =
  /^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$|^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/mrk-[0-9a-f]{32}$/;

/** Severity high. Stack: a bucket writable from outside the VPC endpoint denies PutObject with other encryption than SSE-KMS with one named key. */
export const bucketPolicyEnforceSseKmsOnExemptPut = stackPolicy({
  name: "aws-s3-bucket-policy-enforce-sse-kms-on-exempt-put",
  control: "C1",
  severity: "high",
  description:
    "A bucket whose VPC-endpoint deny exempts a writer (aws:PrincipalArn) also denies every PutObject whose s3:x-amz-server-side-encryption is not aws:kms or whose KMS key is not the environment's (StringNotEqualsIfExists).",
  remediationSteps:
    'Add to the bucket policy two statements: { Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: bucketArn + "/*", Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" } } } and the same with { "s3:x-amz-server-side-encryption-aws-kms-key-id": <the key ARN> } (requireKmsKeyArn in stacks/aws/bucket-policy.ts).',
  url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html",
  frameworks: [
    ["nist-800-53-r5", "SC-28"],
    ["nist-800-53-r5", "SC-12"],
  ],
  validateStack: (args, report) => {
    for (const { target, matches } of bucketCoverage(args, tokens(s3.BucketPolicy))) {
      const docs = bucketPolicyDocuments(target, matches);
      const { statements, undecided } = bucketPolicyStatements(docs);
      const writers = statements.flatMap((st) => exemptWriters(st) ?? []);
      if (writers.length === 0 || undecided) continue;
      const alg = statements.map((st) => deniesOther(st, SSE_HEADER, (v) => v === "aws:kms"));
      const key = statements.map((st) => deniesOther(st, SSE_KEY_HEADER, (v) => KEY_ARN_RE.test(v)));
      if (alg.includes("unknown") || key.includes("unknown")) continue;
      const missing = [
        alg.includes(true) ? "" : `a Deny of s3:PutObject for "*" when ${SSE_HEADER} is not "aws:kms"`,
        key.includes(true)
          ? ""
          : `a Deny of s3:PutObject for "*" when ${SSE_KEY_HEADER} is not the environment's key ARN (one full key ARN, no wildcard)`,
      ].filter(Boolean);
      if (missing.length === 0) continue;
      report(
        formatViolation({
          what:
            `S3 bucket ${bucketName(target)} lets ${writers.join(", ")} write from outside the VPC endpoint but its policy lacks ${missing.join(" and ")}; ` +
            "S3 encrypts an object with the key the request names, so a writer could store data under SSE-S3 or a key of its own",
          where: at(docs[0]?.source ?? target, "policy"),
          fix: "add the two StringNotEqualsIfExists denies (IfExists: UploadPart carries no SSE header, a plain StringNotEquals would deny every multipart upload)",
        }),
        (docs[0]?.source ?? target).urn,
      );
    }
  },
});
