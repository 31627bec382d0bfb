/**
 * What an IAM statement that allows creating SageMaker jobs lets through,
 * read from its conditions: which instance storage classes its
 * `sagemaker:InstanceTypes` restriction admits, and whether it requires the
 * volume key. Shared by the C7 job-guardrail policy and the C11 volume-key
 * policies, so both read a statement the same way.
 *
 * `sagemaker:InstanceTypes` is multi-valued (every instance type of the
 * request); only `ForAllValues:StringEquals` / `ForAllValues:StringLike`
 * with `Null: false` on the key restricts every type of the request (a
 * `ForAllValues` condition alone holds for a request without the key).
 * A `StringLike` value restricts to one class only when it is a literal type
 * or exactly a family pattern `ml.<family>.*` (a broader wildcard could admit
 * a future family of the other class).
 */
import { Statement, baseOperator, conditionsOn, constrains } from "./iam";
import { instanceStorage, type InstanceStorage } from "./sagemaker-instance-storage";
import { isUnknown } from "./values";

export const INSTANCE_TYPES_KEY = "sagemaker:InstanceTypes";
/** The volume key condition (the ARN form; the short name is deprecated). */
export const VOLUME_KEY = "sagemaker:VolumeKmsKeyArn";
/** Deprecated short names and what replaced them (service authorization reference for SageMaker). */
export const DEPRECATED_KEYS: Readonly<Record<string, string>> = {
  "sagemaker:volumekmskey": "sagemaker:VolumeKmsKeyArn",
  "sagemaker:outputkmskey": "sagemaker:OutputKmsKeyArn",
};

/** A class a value admits: a storage class, `unclassified` (unknown family or broad wildcard) or `unknown` (preview). */
export type AdmittedClass = InstanceStorage | "unclassified" | "unknown";

export type InstanceTypeScope =
  { readonly restricted: false } | { readonly restricted: true; readonly classes: ReadonlySet<AdmittedClass> };

const FAMILY_PATTERN_RE = /^ml\.([a-z][a-z0-9-]*)\.\*$/;

function classOf(value: unknown, like: boolean): AdmittedClass {
  if (isUnknown(value) || typeof value !== "string") return "unknown";
  if (like && /[*?]/.test(value)) {
    const family = FAMILY_PATTERN_RE.exec(value)?.[1];
    return (family && instanceStorage(`ml.${family}.xlarge`)) || "unclassified";
  }
  return instanceStorage(value) ?? "unclassified";
}

/** The instance storage classes a statement admits through `sagemaker:InstanceTypes`. */
export function instanceTypeScope(st: Statement): InstanceTypeScope {
  const required =
    constrains(st, INSTANCE_TYPES_KEY) && conditionsOn(st, INSTANCE_TYPES_KEY).some((c) => baseOperator(c.operator) === "Null");
  const restricting = conditionsOn(st, INSTANCE_TYPES_KEY).filter(
    (c) => /^ForAllValues:(StringEquals|StringLike)$/.test(c.operator) && c.values.length > 0,
  );
  if (!required || restricting.length === 0) return { restricted: false };
  // Several restricting conditions all hold: the admitted classes are their intersection.
  const sets = restricting.map((c) => new Set(c.values.map((v) => classOf(v, c.operator.endsWith("StringLike")))));
  const classes = new Set<AdmittedClass>([...sets[0]].filter((x) => sets.every((set) => set.has(x))));
  if (sets.some((set) => set.has("unknown"))) classes.add("unknown");
  return { restricted: true, classes };
}

/** True when the statement admits only instance types with local NVMe storage (so it may, and must, omit the volume key). */
export function admitsOnlyNvme(st: Statement): boolean {
  const scope = instanceTypeScope(st);
  return scope.restricted && [...scope.classes].every((c) => c === "nvme");
}

/** True when some admitted value is unknown during preview (the caller then cannot decide). */
export function scopeUnknown(st: Statement): boolean {
  const scope = instanceTypeScope(st);
  return scope.restricted && scope.classes.has("unknown");
}

/** True when the statement requires a volume key in the request (a condition that fails without one). */
export function requiresVolumeKey(st: Statement): boolean {
  return constrains(st, VOLUME_KEY);
}

/** True when the statement can let through some instance type with local NVMe storage. */
export function admitsNvme(st: Statement): boolean {
  const scope = instanceTypeScope(st);
  return !scope.restricted || scope.classes.has("nvme");
}
