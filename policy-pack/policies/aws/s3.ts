/**
 * S3 policies (AWS): public access (C3), customer-key encryption (C1), TLS
 * only (C5), access logging (C8) and versioning (C9).
 *
 * `@pulumi/aws` v7 configures a bucket through separate resources
 * (`BucketPublicAccessBlock`, `BucketServerSideEncryptionConfiguration`,
 * ...) that name the bucket, so most checks are stack policies that match
 * each bucket to its configuration resources by bucket name/id, or by the
 * engine's property dependencies while values are unknown (preview). The
 * deprecated inline bucket arguments are honoured where they still exist.
 * Docs: https://www.pulumi.com/registry/packages/aws/api-docs/s3/
 */
import * as s3 from "@pulumi/aws/s3";
import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { remediateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, settings, stackPolicy, tokens, typeToken, validateResourcesOfTypes } from "../shared/define";
import { globMatch, grantsAction, isAllow, isDeny, label, parseDocument, conditionsOn, baseOperator, Statement } from "../shared/iam";
import { Coverage, coverage, ofTypes, refersTo, targetsOf } from "../shared/match";
import { at, formatViolation, quoted } from "../shared/messages";
import { UNKNOWN, arr, bool, describe, get, known, str } from "../shared/values";

export const BUCKET_TYPES = tokens(s3.Bucket, s3.BucketV2);
const BUCKET_IDS = ["bucket", "id"] as const;

const PAB_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;
const ALL_FLAGS_FIX =
  "set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true on the bucket's aws.s3.BucketPublicAccessBlock";

/** Buckets of the stack with the configuration resources of `configTypes` that name them (property `bucket`). */
function bucketCoverage(args: StackValidationArgs, configTypes: readonly string[]): Coverage[] {
  return coverage(targetsOf(args, BUCKET_TYPES, "S3 buckets"), ofTypes(args.resources, configTypes), "bucket", BUCKET_IDS);
}

function bucketName(bucket: PolicyResource): string {
  const b = str(bucket.props, "bucket");
  return known(b) ? `${bucket.name} (${b})` : bucket.name;
}

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
      const full = matches.some((block) => PAB_FLAGS.every((f) => bool(block.props, f) === true));
      if (full) continue;
      for (const block of matches) {
        if (PAB_FLAGS.some((f) => bool(block.props, f) === UNKNOWN)) continue;
        const off = PAB_FLAGS.filter((f) => bool(block.props, f) !== true);
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
  validateResource: validateResourcesOfTypes([s3.BucketPublicAccessBlock], (props, args, report) => {
    const off = PAB_FLAGS.filter((f) => {
      const v = bool(props, f);
      return v !== true && v !== UNKNOWN;
    });
    if (off.length === 0) return;
    report(
      formatViolation({
        what: `${off.join(", ")} ${off.length === 1 ? "is" : "are"} not true (${off.map((f) => `${f}: ${describe(get(props, f))}`).join(", ")})`,
        where: at(args, off.join(", ")),
        fix: ALL_FLAGS_FIX,
      }),
    );
  }),
  remediateResource: remediateResourceOfType(s3.BucketPublicAccessBlock, (props) => {
    const off = PAB_FLAGS.filter((f) => bool(props, f) !== true);
    for (const f of off) props[f] = true;
    return off.length > 0 ? props : undefined;
  }),
});

const PUBLIC_CANNED_ACLS = ["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_GROUP_URIS = ["http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"];

function publicGrantee(grantee: unknown): boolean {
  const uri = str(grantee, "uri");
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
  validateResource: validateResourcesOfTypes(
    [s3.Bucket, s3.BucketV2, s3.BucketAcl, s3.BucketAclV2, s3.BucketObject, s3.BucketObjectv2],
    (props, args, report) => {
      const acl = str(props, "acl");
      if (known(acl) && PUBLIC_CANNED_ACLS.includes(acl.toLowerCase())) {
        report(formatViolation({ what: `canned ACL "${acl}" makes the data public`, where: at(args, "acl"), fix: `remove acl or set it to "private"` }));
      }
      const grants = arr(props, "grants");
      (grants === UNKNOWN ? [] : grants ?? []).forEach((g, i) => {
        if (publicGrantee(g)) {
          report(formatViolation({ what: `grant ${i} gives ${describe(get(g, "uri"))} access`, where: at(args, `grants[${i}]`), fix: "remove the grant to the AllUsers/AuthenticatedUsers group" }));
        }
      });
      const acpGrants = arr(props, "accessControlPolicy", "grants");
      (acpGrants === UNKNOWN ? [] : acpGrants ?? []).forEach((g, i) => {
        if (publicGrantee(get(g, "grantee"))) {
          report(
            formatViolation({
              what: `grant ${i} gives ${describe(get(g, "grantee", "uri"))} ${describe(get(g, "permission"))}`,
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
        const ownership = str(oc.props, "rule", "objectOwnership");
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

/** Severity critical. Resource: a bucket policy allows nobody-in-particular (`*`) without a condition. */
export const bucketPolicyDisallowPublicAccess = resourcePolicy({
  name: "aws-s3-bucket-policy-disallow-public-access",
  control: "C3",
  severity: "critical",
  description: "No S3 bucket policy allows a wildcard principal (\"*\") without a condition.",
  remediationSteps: "Name the principals (roles of this account) in Allow statements, or add a condition that restricts the caller (e.g. aws:SourceVpce, aws:PrincipalAccount).",
  url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status",
  validateResource: validateResourcesOfTypes([s3.BucketPolicy, s3.Bucket, s3.BucketV2], (props, args, report) => {
    const doc = parseDocument(get(props, "policy"));
    if (doc.kind === "malformed" && args.type === typeToken(s3.BucketPolicy)) {
      report(formatViolation({ what: `the bucket policy cannot be read: ${doc.reason}`, where: at(args, "policy"), fix: "pass a typed aws.iam.PolicyDocument serialised with JSON.stringify" }));
      return;
    }
    if (doc.kind !== "document") return;
    for (const st of doc.statements) {
      if (isAllow(st) && st.principal?.wildcard && st.conditions.length === 0 && !st.conditionUnknown) {
        report(
          formatViolation({
            what: `${label(st)} allows ${quoted(st.action)} to any principal ("*") without a condition`,
            where: at(args, `policy.Statement[${st.index}]`),
            fix: "name the allowed principals or add a restricting condition",
          }),
        );
      }
    }
  }),
});

// ---------------------------------------------------------------- C1

const encryptionSchema = {
  properties: {
    requireBucketKey: { type: "boolean" as const, default: true, description: "Also require the S3 Bucket Key (bucketKeyEnabled) with SSE-KMS." },
  },
};

interface SseRule {
  readonly algorithm: string | typeof UNKNOWN | undefined;
  readonly keyId: string | typeof UNKNOWN | undefined;
  readonly bucketKey: boolean | typeof UNKNOWN | undefined;
  readonly property: string;
}

function sseRules(config: PolicyResource): SseRule[] {
  const rules = arr(config.props, "rules");
  if (rules === UNKNOWN) return [{ algorithm: UNKNOWN, keyId: UNKNOWN, bucketKey: UNKNOWN, property: "rules" }];
  return (rules ?? []).map((r, i) => ({
    algorithm: str(r, "applyServerSideEncryptionByDefault", "sseAlgorithm"),
    keyId: str(r, "applyServerSideEncryptionByDefault", "kmsMasterKeyId"),
    bucketKey: bool(r, "bucketKeyEnabled"),
    property: `rules[${i}]`,
  }));
}

function inlineSseRule(bucket: PolicyResource): SseRule | undefined {
  const rule = get(bucket.props, "serverSideEncryptionConfiguration", "rule");
  if (rule === undefined || rule === null) return undefined;
  return {
    algorithm: str(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm"),
    keyId: str(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId"),
    bucketKey: bool(rule, "bucketKeyEnabled"),
    property: "serverSideEncryptionConfiguration.rule",
  };
}

/** Why an SSE rule does not name a customer key; undefined when it does (or cannot be judged yet). */
function sseProblem(rule: SseRule, requireBucketKey: boolean): string | undefined {
  if (rule.algorithm === UNKNOWN) return undefined;
  if (rule.algorithm !== "aws:kms" && rule.algorithm !== "aws:kms:dsse") return `sseAlgorithm is ${describe(rule.algorithm)}, not "aws:kms"`;
  if (rule.keyId === UNKNOWN) return undefined;
  if (rule.keyId === undefined || rule.keyId === "") return "no kmsMasterKeyId, so S3 uses the AWS managed aws/s3 key";
  if (/(^|:)alias\/aws\//.test(rule.keyId)) return `kmsMasterKeyId ${describe(rule.keyId)} is an AWS managed key`;
  if (requireBucketKey && rule.bucketKey !== true && rule.bucketKey !== UNKNOWN) return "bucketKeyEnabled is not true";
  return undefined;
}

/** Severity critical. Stack: every bucket has an SSE-KMS configuration naming a customer managed key. */
export const bucketMissingKmsEncryption = stackPolicy({
  name: "aws-s3-bucket-missing-kms-encryption",
  control: "C1",
  severity: "critical",
  description: "Every S3 bucket has a server-side encryption configuration with aws:kms and a customer managed KMS key (bucket key on).",
  remediationSteps:
    `Add \`new aws.s3.BucketServerSideEncryptionConfiguration(name, { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }] })\` with the environment's aws.kms.Key.`,
  url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
  configSchema: encryptionSchema,
  validateStack: (args, report) => {
    const { requireBucketKey } = settings<{ requireBucketKey: boolean }>(args, encryptionSchema);
    const types = tokens(s3.BucketServerSideEncryptionConfiguration, s3.BucketServerSideEncryptionConfigurationV2);
    for (const { target, matches, undetermined } of bucketCoverage(args, types)) {
      const fix = `use sseAlgorithm "aws:kms" with kmsMasterKeyId = the environment's aws.kms.Key ARN${requireBucketKey ? " and bucketKeyEnabled: true" : ""}`;
      if (matches.length > 0) {
        for (const config of matches) {
          const rules = sseRules(config);
          const problems = rules.map((r) => ({ r, p: sseProblem(r, requireBucketKey) }));
          if (rules.length > 0 && problems.some((x) => x.p === undefined)) continue;
          const first = problems[0];
          report(
            formatViolation({
              what: `encryption of S3 bucket ${bucketName(target)}: ${first ? first.p : "the configuration has no rules"}`,
              where: at(config, first ? first.r.property : "rules"),
              fix,
            }),
            config.urn,
          );
        }
        continue;
      }
      if (undetermined.length > 0) continue;
      const inline = inlineSseRule(target);
      const inlineProblem = inline ? sseProblem(inline, requireBucketKey) : undefined;
      if (inline && inlineProblem === undefined) continue;
      report(
        formatViolation({
          what: `S3 bucket ${bucketName(target)} has no SSE-KMS encryption with a customer managed key${inlineProblem ? ` (${inlineProblem})` : ""}`,
          where: at(target, inline ? inline.property : undefined),
          fix: `add an aws.s3.BucketServerSideEncryptionConfiguration with bucket = this bucket's id; ${fix}`,
        }),
        target.urn,
      );
    }
  },
});

// ---------------------------------------------------------------- C5

const tlsSchema = {
  properties: {
    minimumTlsVersion: { type: "string" as const, default: "1.2", description: "The s3:TlsVersion below which the bucket policy must deny requests." },
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
  description: "Every S3 bucket has a bucket policy that denies requests without TLS (aws:SecureTransport false) and with TLS older than 1.2 (s3:TlsVersion).",
  remediationSteps:
    `Attach an aws.s3.BucketPolicy with two Deny statements for Principal "*", Action "s3:*", Resource [bucketArn, bucketArn + "/*"]: one with Condition { Bool: { "aws:SecureTransport": "false" } }, one with Condition { NumericLessThan: { "s3:TlsVersion": "1.2" } }.`,
  url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit",
  configSchema: tlsSchema,
  validateStack: (args, report) => {
    const { minimumTlsVersion } = settings<{ minimumTlsVersion: string }>(args, tlsSchema);
    for (const { target, matches, undetermined } of bucketCoverage(args, tokens(s3.BucketPolicy))) {
      const docs: { source: PolicyResource; property: string; value: unknown }[] = matches.map((m) => ({ source: m, property: "policy", value: get(m.props, "policy") }));
      const inline = get(target.props, "policy");
      if (inline !== undefined && inline !== null && inline !== "") docs.push({ source: target, property: "policy", value: inline });
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
      const arn = get(target.props, "arn");
      let secure = false;
      let tls = false;
      let undecided = false;
      for (const d of docs) {
        const doc = parseDocument(d.value);
        if (doc.kind === "unknown") undecided = true;
        if (doc.kind !== "document") continue;
        for (const st of doc.statements) {
          if (st.conditionUnknown) undecided = true;
          if (!denyAllS3ToAnyone(st) || !coversBucket(st, arn)) continue;
          secure = secure || deniesInsecureTransport(st);
          tls = tls || deniesOldTls(st, minimumTlsVersion);
        }
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
          where: at(where.source, where.property),
          fix: "add the missing Deny statement(s) with Resource [bucketArn, bucketArn + \"/*\"]",
        }),
        where.source.urn,
      );
    }
  },
});

// ---------------------------------------------------------------- C8

/** A log bucket: the target of another bucket's access logging (a bucket logging into itself is no log bucket). */
function isLogTarget(bucket: PolicyResource, loggings: readonly PolicyResource[]): boolean {
  const ofOthers = loggings.filter((l) => refersTo(l, "bucket", bucket, BUCKET_IDS) === "no");
  return coverage([bucket], ofOthers, "targetBucket", BUCKET_IDS)[0].matches.length > 0;
}

/** Severity medium. Stack: every data bucket (any bucket that is not itself a log target) logs access to another bucket. */
export const bucketEnableAccessLogging = stackPolicy({
  name: "aws-s3-bucket-enable-access-logging",
  control: "C8",
  severity: "medium",
  description: "Every S3 data bucket (a bucket that does not itself receive access logs) writes server access logs to a separate log bucket.",
  remediationSteps: `Add \`new aws.s3.BucketLogging(name, { bucket: bucket.id, targetBucket: logBucket.id, targetPrefix: "<bucket>/" })\`; the log bucket carries the same encryption, public-access and versioning settings.`,
  url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html",
  validateStack: (args, report) => {
    const loggingTypes = tokens(s3.BucketLogging, s3.BucketLoggingV2);
    const loggings = ofTypes(args.resources, loggingTypes);
    for (const { target, matches, undetermined } of bucketCoverage(args, loggingTypes)) {
      if (isLogTarget(target, loggings)) continue;
      const selfLogging = matches.find((m) => coverage([target], [m], "targetBucket", BUCKET_IDS)[0].matches.length > 0);
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
      const inlineTarget = get(target.props, "logging", "targetBucket");
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

// ---------------------------------------------------------------- C9

/** Severity high. Stack: every bucket has versioning enabled. */
export const bucketEnableVersioning = stackPolicy({
  name: "aws-s3-bucket-enable-versioning",
  control: "C9",
  severity: "high",
  description: "Every S3 bucket has versioning enabled.",
  remediationSteps: `Add \`new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } })\` and a lifecycle rule that expires noncurrent versions.`,
  url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
  validateStack: (args, report) => {
    const types = tokens(s3.BucketVersioning, s3.BucketVersioningV2);
    for (const { target, matches, undetermined } of bucketCoverage(args, types)) {
      if (matches.length > 0) {
        const statuses = matches.map((m) => str(m.props, "versioningConfiguration", "status"));
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
      const inline = bool(target.props, "versioning", "enabled");
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

export const policies = [
  bucketMissingPublicAccessBlock,
  publicAccessBlockEnableAllFlags,
  bucketDisallowPublicAcl,
  bucketEnforceOwnerEnforced,
  bucketPolicyDisallowPublicAccess,
  bucketMissingKmsEncryption,
  bucketMissingTlsPolicy,
  bucketEnableAccessLogging,
  bucketEnableVersioning,
];
