/** S3 noncurrent-version lifecycle (C9): old versions expire after a retention, never the current ones. */
import * as s3 from "@pulumi/aws/s3";
import type { PolicyResource } from "@pulumi/policy";
import { settings, stackPolicy, tokens } from "../../../lib/define";
import { Coverage, coverage, ofTypes, targetsOf } from "../../../lib/match";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, Unknown, arr, bool, get, known, num, str } from "../../../lib/values";
import { BUCKET_IDS, BUCKET_TYPES, bucketName } from "../../../lib/s3-buckets";
import { propsOf } from "../../../lib/props";

const versioning = propsOf(s3.BucketVersioning);
const lifecycleConfig = propsOf(s3.BucketLifecycleConfiguration);
const bucketProps = propsOf(s3.Bucket);

// ---------------------------------------------------------------- C9 (noncurrent versions)

const lifecycleSchema = {
  properties: {
    minNoncurrentDays: {
      type: "integer" as const,
      default: 30,
      description:
        "Fewest days a lifecycle rule must keep a noncurrent object version before expiring it, so an overwritten or deleted object stays recoverable.",
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

/**
 * A v7 `BucketLifecycleConfiguration` rule (`status`) or a deprecated inline
 * bucket rule (`enabled`): one reader for both shapes, so its paths are untyped.
 */
function lifecycleRule(rule: unknown, property: string, inline: boolean): LifecycleRule {
  const status = inline ? bool(rule, "enabled") : str(rule, "status");
  const expiration = get(rule, "noncurrentVersionExpiration");
  const days =
    expiration === UNKNOWN
      ? UNKNOWN
      : expiration === undefined || expiration === null
        ? undefined
        : num(rule, "noncurrentVersionExpiration", inline ? "days" : "noncurrentDays");
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
  const statuses = c.matches.map((m) => versioning.str(m.props, "versioningConfiguration", "status"));
  if (statuses.includes("Enabled")) return true;
  if (statuses.includes(UNKNOWN) || c.undetermined.length > 0) return UNKNOWN;
  if (c.matches.length > 0) return false;
  const inline = bucketProps.bool(bucket.props, "versioning", "enabled");
  return inline === UNKNOWN ? UNKNOWN : inline === true;
}

/** Severity medium. Stack: every versioned bucket has an enabled whole-bucket lifecycle rule for noncurrent versions that keeps them long enough. */
export const bucketConfigureNoncurrentVersionLifecycle = stackPolicy({
  name: "aws-s3-bucket-configure-noncurrent-version-lifecycle",
  control: "C9",
  severity: "medium",
  description:
    "Every versioned S3 bucket has an enabled lifecycle rule covering the whole bucket that expires (after at least minNoncurrentDays, default 30) or transitions its noncurrent versions, and no rule expires them sooner.",
  remediationSteps: `Add \`new aws.s3.BucketLifecycleConfiguration(name, { bucket: bucket.id, rules: [{ id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 90 } }] }, { dependsOn: [versioning] })\`; keep noncurrentDays at or above the configured minimum.`,
  url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html",
  checks: ["CKV2_AWS_61"],
  frameworks: [
    ["nist-800-53-r5", "CP-9"],
    ["nist-800-53-r5", "SI-12"],
  ],
  configSchema: lifecycleSchema,
  validateStack: (args, report) => {
    const { minNoncurrentDays } = settings<{ minNoncurrentDays: number }>(args, lifecycleSchema);
    const buckets = targetsOf(args, BUCKET_TYPES, "S3 buckets");
    const versionings = coverage(
      buckets,
      ofTypes(args.resources, tokens(s3.BucketVersioning, s3.BucketVersioningV2)),
      "bucket",
      BUCKET_IDS,
    );
    const lifecycles = coverage(
      buckets,
      ofTypes(args.resources, tokens(s3.BucketLifecycleConfiguration, s3.BucketLifecycleConfigurationV2)),
      "bucket",
      BUCKET_IDS,
    );
    buckets.forEach((target, i) => {
      // Unversioned buckets have no noncurrent versions; aws-s3-bucket-enable-versioning reports them.
      if (versioningEnabled(target, versionings[i]) !== true) return;
      const { matches, undetermined } = lifecycles[i];
      const rules: { source: PolicyResource; rule: LifecycleRule }[] = [];
      let undecided = undetermined.length > 0;
      for (const config of matches) {
        const list = lifecycleConfig.arr(config.props, "rules");
        if (list === UNKNOWN) undecided = true;
        (list === UNKNOWN ? [] : (list ?? [])).forEach((r, j) =>
          rules.push({ source: config, rule: lifecycleRule(r, `rules[${j}]`, false) }),
        );
      }
      const inline = bucketProps.arr(target.props, "lifecycleRules");
      if (inline === UNKNOWN) undecided = true;
      (inline === UNKNOWN ? [] : (inline ?? [])).forEach((r, j) =>
        rules.push({ source: target, rule: lifecycleRule(r, `lifecycleRules[${j}]`, true) }),
      );

      const short = rules.filter(
        ({ rule }) => rule.enabled === true && typeof rule.noncurrentDays === "number" && rule.noncurrentDays < minNoncurrentDays,
      );
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
      const covers = (r: LifecycleRule) =>
        r.enabled === true && r.wholeBucket === true && (typeof r.noncurrentDays === "number" || r.transitions === true);
      if (rules.some(({ rule }) => covers(rule))) return;
      const pending = (r: LifecycleRule) =>
        r.enabled === UNKNOWN || r.wholeBucket === UNKNOWN || r.noncurrentDays === UNKNOWN || r.transitions === UNKNOWN;
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
