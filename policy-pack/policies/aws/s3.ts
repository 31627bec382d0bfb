/**
 * S3 policies (AWS): public access (C3), customer-key encryption (C1), TLS
 * only (C5), access only through the VPC endpoint (C4), access logging
 * (C8), versioning and the noncurrent-version lifecycle (C9).
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
import { globMatch, grantsAction, isDeny, label, parseDocument, conditionsOn, baseOperator, Statement, unconditionedPublicGrants } from "../shared/iam";
import { Coverage, coverage, ofTypes, ReferenceIndex, refersTo, targetsOf } from "../shared/match";
import { at, formatViolation, quoted } from "../shared/messages";
import { UNKNOWN, Unknown, arr, bool, describe, get, known, num, str } from "../shared/values";

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
    for (const st of unconditionedPublicGrants(doc.statements)) {
      report(
        formatViolation({
          what: `${label(st)} allows ${quoted(st.action)} to any principal ("*") without a condition`,
          where: at(args, `policy.Statement[${st.index}]`),
          fix: "name the allowed principals or add a restricting condition",
        }),
      );
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

/**
 * Whether a bucket is a log bucket: the target of another bucket's access
 * logging (a bucket logging into itself is no log bucket). The loggings are
 * indexed by target once, so testing every bucket of a stack stays linear.
 */
function logTargetTest(loggings: readonly PolicyResource[]): (bucket: PolicyResource) => boolean {
  const byTarget = new ReferenceIndex(loggings, "targetBucket");
  return (bucket) => byTarget.match(bucket, BUCKET_IDS).matches.some((l) => refersTo(l, "bucket", bucket, BUCKET_IDS) === "no");
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

// ---------------------------------------------------------------- C9 (noncurrent versions)

const lifecycleSchema = {
  properties: {
    minNoncurrentDays: {
      type: "integer" as const,
      default: 30,
      description: "Fewest days a lifecycle rule must keep a noncurrent object version before expiring it, so an overwritten or deleted object stays recoverable.",
    },
  },
};

interface LifecycleRule {
  /** Where the rule is, for messages: `rules[0]` or `lifecycleRules[0]`. */
  readonly property: string;
  readonly id: string | undefined;
  readonly enabled: boolean | Unknown;
  /** The rule applies to every object (no prefix, tag or size filter). */
  readonly wholeBucket: boolean | Unknown;
  /** `noncurrentVersionExpiration` days; undefined when the rule does not expire noncurrent versions. */
  readonly noncurrentDays: number | Unknown | undefined;
  /** The rule transitions noncurrent versions to another storage class (keeps them). */
  readonly transitions: boolean | Unknown;
}

/** A scope value that limits a rule to some objects (a non-empty prefix, tag, size bound or `and` block). */
function limitsScope(v: unknown): boolean {
  if (v === undefined || v === null || v === "" || v === 0) return false;
  return !(typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0);
}

/** True when nothing in the rule's scope limits it to some objects; UNKNOWN while a part is unknown. */
function appliesToWholeBucket(rule: unknown): boolean | Unknown {
  const parts = [get(rule, "prefix"), get(rule, "tags")];
  for (const k of ["prefix", "tag", "and", "objectSizeGreaterThan", "objectSizeLessThan"]) parts.push(get(rule, "filter", k));
  if (parts.includes(UNKNOWN)) return UNKNOWN;
  return !parts.some(limitsScope);
}

/** A v7 `BucketLifecycleConfiguration` rule (`status`) or a deprecated inline bucket rule (`enabled`). */
function lifecycleRule(rule: unknown, property: string, inline: boolean): LifecycleRule {
  const status = inline ? bool(rule, "enabled") : str(rule, "status");
  const expiration = get(rule, "noncurrentVersionExpiration");
  const days = expiration === UNKNOWN ? UNKNOWN : expiration === undefined || expiration === null ? undefined : num(rule, "noncurrentVersionExpiration", inline ? "days" : "noncurrentDays");
  const transitions = arr(rule, "noncurrentVersionTransitions");
  const id = str(rule, "id");
  return {
    property,
    id: known(id) ? id : undefined,
    enabled: status === UNKNOWN ? UNKNOWN : inline ? status === true : typeof status === "string" && status.toLowerCase() === "enabled",
    wholeBucket: appliesToWholeBucket(rule),
    noncurrentDays: days,
    transitions: transitions === UNKNOWN ? UNKNOWN : (transitions ?? []).length > 0,
  };
}

/** Whether a bucket's versioning is Enabled: true, false, or UNKNOWN (preview, or matching undetermined). */
function versioningEnabled(bucket: PolicyResource, c: Coverage): boolean | Unknown {
  const statuses = c.matches.map((m) => str(m.props, "versioningConfiguration", "status"));
  if (statuses.includes("Enabled")) return true;
  if (statuses.includes(UNKNOWN) || c.undetermined.length > 0) return UNKNOWN;
  if (c.matches.length > 0) return false;
  const inline = bool(bucket.props, "versioning", "enabled");
  return inline === UNKNOWN ? UNKNOWN : inline === true;
}

/** Severity medium. Stack: every versioned bucket has an enabled whole-bucket lifecycle rule for noncurrent versions that keeps them long enough. */
export const bucketConfigureNoncurrentVersionLifecycle = stackPolicy({
  name: "aws-s3-bucket-configure-noncurrent-version-lifecycle",
  control: "C9",
  severity: "medium",
  description:
    "Every versioned S3 bucket has an enabled lifecycle rule covering the whole bucket that expires (after at least minNoncurrentDays, default 30) or transitions its noncurrent versions, and no rule expires them sooner.",
  remediationSteps:
    `Add \`new aws.s3.BucketLifecycleConfiguration(name, { bucket: bucket.id, rules: [{ id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 90 } }] }, { dependsOn: [versioning] })\`; keep noncurrentDays at or above the configured minimum.`,
  url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html",
  configSchema: lifecycleSchema,
  validateStack: (args, report) => {
    const { minNoncurrentDays } = settings<{ minNoncurrentDays: number }>(args, lifecycleSchema);
    const buckets = targetsOf(args, BUCKET_TYPES, "S3 buckets");
    const versionings = coverage(buckets, ofTypes(args.resources, tokens(s3.BucketVersioning, s3.BucketVersioningV2)), "bucket", BUCKET_IDS);
    const lifecycles = coverage(buckets, ofTypes(args.resources, tokens(s3.BucketLifecycleConfiguration, s3.BucketLifecycleConfigurationV2)), "bucket", BUCKET_IDS);
    buckets.forEach((target, i) => {
      // Unversioned buckets have no noncurrent versions; aws-s3-bucket-enable-versioning reports them.
      if (versioningEnabled(target, versionings[i]) !== true) return;
      const { matches, undetermined } = lifecycles[i];
      const rules: { source: PolicyResource; rule: LifecycleRule }[] = [];
      let undecided = undetermined.length > 0;
      for (const config of matches) {
        const list = arr(config.props, "rules");
        if (list === UNKNOWN) undecided = true;
        (list === UNKNOWN ? [] : list ?? []).forEach((r, j) => rules.push({ source: config, rule: lifecycleRule(r, `rules[${j}]`, false) }));
      }
      const inline = arr(target.props, "lifecycleRules");
      if (inline === UNKNOWN) undecided = true;
      (inline === UNKNOWN ? [] : inline ?? []).forEach((r, j) => rules.push({ source: target, rule: lifecycleRule(r, `lifecycleRules[${j}]`, true) }));

      const short = rules.filter(({ rule }) => rule.enabled === true && typeof rule.noncurrentDays === "number" && rule.noncurrentDays < minNoncurrentDays);
      for (const { source, rule } of short) {
        report(
          formatViolation({
            what: `lifecycle rule ${rule.id ? JSON.stringify(rule.id) : rule.property} of S3 bucket ${bucketName(target)} expires noncurrent versions after ${String(rule.noncurrentDays)} day(s), fewer than ${minNoncurrentDays}, so an overwritten or deleted object is soon unrecoverable`,
            where: at(source, `${rule.property}.noncurrentVersionExpiration`),
            fix: `keep noncurrent versions at least ${minNoncurrentDays} days (noncurrentVersionExpiration.noncurrentDays >= ${minNoncurrentDays})`,
          }),
          source.urn,
        );
      }
      if (short.length > 0) return;
      const covers = (r: LifecycleRule) => r.enabled === true && r.wholeBucket === true && (typeof r.noncurrentDays === "number" || r.transitions === true);
      if (rules.some(({ rule }) => covers(rule))) return;
      const pending = (r: LifecycleRule) => r.enabled === UNKNOWN || r.wholeBucket === UNKNOWN || r.noncurrentDays === UNKNOWN || r.transitions === UNKNOWN;
      if (undecided || rules.some(({ rule }) => pending(rule))) return;
      const where = matches[0] ?? target;
      report(
        formatViolation({
          what: `S3 bucket ${bucketName(target)} is versioned but ${matches.length > 0 ? "no enabled lifecycle rule covering the whole bucket" : "has no lifecycle configuration that"} expires or transitions its noncurrent versions, so they are kept without a retention decision`,
          where: at(where, matches.length > 0 ? "rules" : undefined),
          fix: `${matches.length > 0 ? "add a rule" : "add an aws.s3.BucketLifecycleConfiguration with bucket = this bucket's id and a rule"} { status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: ${Math.max(minNoncurrentDays, 90)} } }`,
        }),
        where.urn,
      );
    });
  },
});

// ---------------------------------------------------------------- C4

const vpcEndpointSchema = {
  properties: {
    requireVpcEndpointDeny: {
      type: "boolean" as const,
      default: true,
      description:
        "Require every data bucket's policy to deny object access that does not come through a VPC endpoint. Set false only for stacks whose enforceVpcEndpoint switch is off (the contract's per-stack switch).",
    },
    objectActions: {
      type: "array" as const,
      items: { type: "string" as const },
      default: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"],
      description: "Object actions the deny must cover, by exact name or through a wildcard (s3:GetObject*, s3:*).",
    },
    exemptionConditionKeys: {
      type: "array" as const,
      items: { type: "string" as const },
      default: ["aws:PrincipalIsAWSService", "aws:ViaAWSService"],
      description:
        'Condition keys that may narrow the deny with Bool "false" (exempting AWS services that act as themselves or for a caller); any other extra condition means the deny does not hold for every request.',
    },
    includeLogBuckets: {
      type: "boolean" as const,
      default: false,
      description: "Also require the deny on access-log buckets (targets of another bucket's BucketLogging), which may be shared log archives.",
    },
  },
};

interface VpcEndpointSettings {
  readonly requireVpcEndpointDeny: boolean;
  readonly objectActions: string[];
  readonly exemptionConditionKeys: string[];
  readonly includeLogBuckets: boolean;
}

const VPC_CONDITION_KEYS = ["aws:sourcevpce", "aws:sourcevpc"];
/** Negated string operators: true when the request's endpoint is not the listed one (or has none). */
const NEGATED_STRING_OPERATOR = /^(StringNotEquals|StringNotEqualsIgnoreCase|StringNotLike)(IfExists)?$/;

/** Whether a statement's resources cover the bucket's objects; true while the bucket ARN is unknown. */
function coversObjects(st: Statement, arn: unknown): boolean {
  if (!known(arn)) return true;
  const object = `${arn}/object-key`;
  if (st.hasNotResource) return st.notResource.every((r) => known(r) && !globMatch(r, object));
  return st.resource.some((r) => r === UNKNOWN || (known(r) && globMatch(r, object)));
}

type VpceVerdict = { readonly kind: "deny"; readonly actions: string[] } | { readonly kind: "unknown" } | { readonly kind: "weak"; readonly reason: string };

/**
 * What a statement contributes to "deny object access outside the VPC
 * endpoint": undefined when it is no such statement, the object actions it
 * denies, "unknown" (preview), or why it falls short.
 */
function vpcEndpointDeny(st: Statement, arn: unknown, s: VpcEndpointSettings): VpceVerdict | undefined {
  if (st.effect === UNKNOWN) return { kind: "unknown" };
  if (!isDeny(st)) return undefined;
  const vpc = st.conditions.filter((c) => VPC_CONDITION_KEYS.includes(c.key.toLowerCase()));
  if (vpc.length === 0) return st.conditionUnknown ? { kind: "unknown" } : undefined;
  if (st.conditionUnknown || st.principal?.unknown || st.action.includes(UNKNOWN) || st.notAction.includes(UNKNOWN)) return { kind: "unknown" };
  const where = label(st);
  if (st.principal?.wildcard !== true) return { kind: "weak", reason: `${where} does not apply to every principal ("*")` };
  const badVpc = vpc.find((c) => !NEGATED_STRING_OPERATOR.test(c.operator) || c.values.length === 0 || c.values.some((v) => !known(v) || /^\**$/.test(v)));
  if (badVpc) return { kind: "weak", reason: `${where} uses ${badVpc.operator} ${quoted(badVpc.values)} on ${badVpc.key}, which does not deny requests from outside the endpoint` };
  const exempt = s.exemptionConditionKeys.map((k) => k.toLowerCase());
  const narrowing = st.conditions.find(
    (c) => !VPC_CONDITION_KEYS.includes(c.key.toLowerCase()) && !(exempt.includes(c.key.toLowerCase()) && baseOperator(c.operator) === "Bool" && c.values.length > 0 && c.values.every((v) => v === "false")),
  );
  if (narrowing) return { kind: "weak", reason: `${where} only applies when ${narrowing.operator} ${narrowing.key} ${quoted(narrowing.values)}` };
  if (!coversObjects(st, arn)) return { kind: "weak", reason: `${where} does not cover the bucket's objects (Resource)` };
  return { kind: "deny", actions: s.objectActions.filter((a) => grantsAction(st, a)) };
}

/** Severity high. Stack: every data bucket's policy denies object access that does not come through a VPC endpoint. */
export const bucketEnforceVpcEndpointOnly = stackPolicy({
  name: "aws-s3-bucket-enforce-vpc-endpoint-only",
  control: "C4",
  severity: "high",
  description:
    "Every S3 data bucket (not an access-log target) has a bucket policy that denies object access to everyone (\"*\") unless the request comes through the VPC endpoint (aws:SourceVpce); setting requireVpcEndpointDeny follows the stack's enforceVpcEndpoint switch.",
  remediationSteps:
    `Set enforceVpcEndpoint: true in the stack config, or add to the bucket policy a statement { Effect: "Deny", Principal: "*", Action: ["s3:GetObject*", "s3:PutObject*", "s3:DeleteObject*"], Resource: [bucketArn, bucketArn + "/*"], Condition: { StringNotEquals: { "aws:SourceVpce": s3Endpoint.id }, Bool: { "aws:PrincipalIsAWSService": "false", "aws:ViaAWSService": "false" } } }.`,
  url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies-vpc-endpoint.html",
  configSchema: vpcEndpointSchema,
  validateStack: (args, report) => {
    const s = settings<VpcEndpointSettings>(args, vpcEndpointSchema);
    if (!s.requireVpcEndpointDeny) return args.notApplicable("requireVpcEndpointDeny is false (the stack's enforceVpcEndpoint switch is off)");
    const isLogTarget = logTargetTest(ofTypes(args.resources, tokens(s3.BucketLogging, s3.BucketLoggingV2)));
    for (const { target, matches, undetermined } of bucketCoverage(args, tokens(s3.BucketPolicy))) {
      if (!s.includeLogBuckets && isLogTarget(target)) continue;
      const docs: { source: PolicyResource; value: unknown }[] = matches.map((m) => ({ source: m, value: get(m.props, "policy") }));
      const inline = get(target.props, "policy");
      if (inline !== undefined && inline !== null && inline !== "") docs.push({ source: target, value: inline });
      const fix = `add a Deny for Principal "*" of the object actions on [bucketArn, bucketArn + "/*"] with Condition StringNotEquals aws:SourceVpce = the S3 gateway endpoint's id (stack config enforceVpcEndpoint: true)`;
      if (docs.length === 0) {
        if (undetermined.length > 0) continue;
        report(
          formatViolation({
            what: `S3 bucket ${bucketName(target)} has no bucket policy, so its objects are reachable from outside the VPC endpoint`,
            where: at(target),
            fix: `add an aws.s3.BucketPolicy; ${fix}`,
          }),
          target.urn,
        );
        continue;
      }
      const arn = get(target.props, "arn");
      const denied = new Set<string>();
      const reasons: string[] = [];
      let undecided = false;
      for (const d of docs) {
        const doc = parseDocument(d.value);
        if (doc.kind === "unknown") undecided = true;
        if (doc.kind !== "document") continue;
        for (const st of doc.statements) {
          const v = vpcEndpointDeny(st, arn, s);
          if (v?.kind === "unknown") undecided = true;
          else if (v?.kind === "weak") reasons.push(v.reason);
          else if (v?.kind === "deny") v.actions.forEach((a) => denied.add(a));
        }
      }
      const missing = s.objectActions.filter((a) => !denied.has(a));
      if (missing.length === 0 || undecided) continue;
      report(
        formatViolation({
          what: `the bucket policy of S3 bucket ${bucketName(target)} does not deny ${quoted(missing)} to "*" for requests that do not come through the VPC endpoint${reasons.length > 0 ? ` (${reasons.join("; ")})` : ""}`,
          where: at(docs[0].source, "policy"),
          fix,
        }),
        docs[0].source.urn,
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
  bucketConfigureNoncurrentVersionLifecycle,
  bucketEnforceVpcEndpointOnly,
];
