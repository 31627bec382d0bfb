/**
 * Builders every policy module uses, so each policy carries the same
 * metadata: a sentence-like name, its control id (C1-C11 of docs/controls.md, ids in ../controls.ts) as
 * the description prefix `[Cn]` and as a tag, a severity, remediation steps,
 * a default enforcement level, and settings with defaults (`configSchema`).
 */
import type {
  EnforcementLevel,
  PolicyConfigSchema,
  ReportViolation,
  ResourceRemediation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidation,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { Resource } from "@pulumi/pulumi";
import { CONTROL_IDS, ControlId } from "../controls";
import { FrameworkRef, complianceFramework, frameworkTag } from "./frameworks";

/** `<cloud>-<service>-<resource>-<verb>-<what>` with verbs from a small set. */
export const POLICY_NAME_RE = /^(aws|azure|common)(-[a-z0-9]+){2,}-(missing|disallow|enable|disable|configure|enforce)(-[a-z0-9]+)+$/;

interface PolicyBase {
  readonly name: string;
  readonly control: ControlId;
  readonly severity: Severity;
  /** One sentence saying what must be true; `[Cn] ` is prefixed. */
  readonly description: string;
  readonly remediationSteps: string;
  readonly url?: string;
  readonly configSchema?: PolicyConfigSchema;
  /** Default `mandatory` (secure by default); the tier's config file relaxes it. */
  readonly enforcementLevel?: EnforcementLevel;
  /**
   * Ids of the scanner checks this policy answers (Checkov `CKV_*`, Trivy
   * `AWS-0123`/`AZU-0123`): the coverage matrix (docs/coverage.md) is
   * generated from them and policy-pack/coverage/checkov.json.
   */
  readonly checks?: readonly string[];
  /** Compliance framework controls the policy implements; the first is its `framework` metadata, all become tags. */
  readonly frameworks?: readonly FrameworkRef[];
}

/** What a policy answers: the scanner checks and framework controls given to its builder. */
export interface PolicyCoverage {
  readonly checks: readonly string[];
  readonly frameworks: readonly FrameworkRef[];
}

const COVERAGE = new WeakMap<object, PolicyCoverage>();

/** The checks and framework controls a policy was built with (empty for a policy not built here). */
export function coverageOf(policy: object): PolicyCoverage {
  return COVERAGE.get(policy) ?? { checks: [], frameworks: [] };
}

function remember<T extends object>(policy: T, p: PolicyBase): T {
  COVERAGE.set(policy, { checks: p.checks ?? [], frameworks: p.frameworks ?? [] });
  return policy;
}

function base(p: PolicyBase) {
  return {
    name: p.name,
    description: `[${p.control}] ${p.description}`,
    enforcementLevel: p.enforcementLevel ?? ("mandatory" as EnforcementLevel),
    severity: p.severity,
    remediationSteps: p.remediationSteps,
    url: p.url,
    configSchema: p.configSchema,
    framework: complianceFramework(p.frameworks),
    tags: [p.control, p.name.split("-")[0], ...(p.frameworks ?? []).map(frameworkTag)],
  };
}

export function resourcePolicy(
  p: PolicyBase & { readonly validateResource: ResourceValidation; readonly remediateResource?: ResourceRemediation },
): ResourceValidationPolicy {
  const policy: ResourceValidationPolicy = { ...base(p), validateResource: p.validateResource };
  if (p.remediateResource) policy.remediateResource = p.remediateResource;
  return remember(policy, p);
}

export function stackPolicy(
  p: PolicyBase & {
    readonly validateStack: StackValidation;
    /**
     * The one resource class whose absence makes the policy not applicable
     * (its validation calls `targetsOf` with that type before it reports
     * anything). The policy runtime then answers "not applicable" for a
     * stack without it before turning every resource of the stack into a
     * policy resource for this policy (the runtime's reason: "Policy only
     * applies to resources of type '<token>'").
     */
    readonly targetType?: ResourceClass;
  },
): StackValidationPolicy {
  if (!p.targetType) return remember({ ...base(p), validateStack: p.validateStack }, p);
  const validate = p.validateStack;
  const validateStack: StackValidation = (args, reportViolation) => validate(args, reportViolation);
  (validateStack as { __pulumiType?: string }).__pulumiType = typeToken(p.targetType);
  return remember({ ...base(p), validateStack }, p);
}

/** The control id a policy proves, read from its description prefix. */
export function controlOf(policy: { readonly description: string }): ControlId | undefined {
  const m = /^\[(C\d+)\] /.exec(policy.description);
  return m && (CONTROL_IDS as readonly string[]).includes(m[1]) ? (m[1] as ControlId) : undefined;
}

// ---------- resource classes and type tokens ----------

/** A Pulumi resource class (what `validateResourceOfType` takes). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any constructor signature (parameters are contravariant)
export type ResourceClass = { new (...rest: any[]): Resource };

/** The type token a generated resource class carries (`aws:s3/bucket:Bucket`). */
export function typeToken(cls: ResourceClass): string {
  const t = (cls as unknown as { __pulumiType?: unknown }).__pulumiType;
  if (typeof t !== "string" || t === "") throw new Error(`${cls.name} has no Pulumi type token`);
  return t;
}

/** Type tokens of several classes (e.g. a v7 `Bucket` and its deprecated `BucketV2`). */
export function tokens(...classes: ResourceClass[]): readonly string[] {
  return classes.map(typeToken);
}

/**
 * `args.notApplicable(reason)` without the cost of a stack trace: the
 * runtime's NotApplicableError is caught by the runtime, which reads only
 * its reason, yet capturing the stack of each one cost about half of a
 * type-gated policy's time in `Analyze` (one per resource of another type).
 */
export function notApplicable(args: { notApplicable(reason?: string): never }, reason: string): never {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return args.notApplicable(reason);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * Marks a validation that is not applicable to some types (it calls
 * `notApplicable(args, reason(type))` for them first thing): the pack's
 * entry (lib/type-dispatch.ts) then answers "not applicable" with that
 * reason for those types without calling it. Returns the validation.
 */
export function gated(
  applies: (type: string) => boolean,
  reason: (type: string) => string,
  validation: ResourceValidation,
): ResourceValidation {
  return Object.assign(validation, { __appliesTo: applies, __notApplicableReason: reason });
}

/**
 * Like `validateResourceOfType`, for a policy that covers several resource
 * classes: runs `validate` for any of them and marks the policy not
 * applicable to every other type.
 */
export function validateResourcesOfTypes(
  classes: readonly ResourceClass[],
  validate: (props: Record<string, unknown>, args: ResourceValidationArgs, reportViolation: ReportViolation) => void | Promise<void>,
): ResourceValidation {
  const types = classes.map(typeToken);
  const reason = `Policy only applies to resources of type ${types.map((t) => `'${t}'`).join(", ")}`;
  const validation: ResourceValidation = (args, reportViolation) => {
    if (!types.includes(args.type)) {
      return notApplicable(args, reason);
    }
    return validate(args.props, args, reportViolation);
  };
  // With one type, carry it as `validateResourceOfType` does: the policy runtime then answers
  // "not applicable" (with this same reason) for other types before deserializing their properties.
  if (types.length === 1) (validation as { __pulumiType?: string }).__pulumiType = types[0];
  // With several, lib/type-dispatch.ts answers the same for other types without calling the validation.
  else
    gated(
      (t) => types.includes(t),
      () => reason,
      validation,
    );
  return validation;
}

// ---------- settings ----------

type SchemaDefault = { default?: unknown; type?: unknown; items?: { type?: unknown } };

function fits(value: unknown, schema: SchemaDefault): boolean {
  switch (schema.type) {
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "array":
      return Array.isArray(value) && (schema.items?.type !== "string" || value.every((e) => typeof e === "string"));
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    default:
      return value !== undefined;
  }
}

/**
 * The policy's settings: the schema's defaults overlaid with what
 * `getConfig()` returns (the CLI already fills defaults and validates; this
 * keeps the policy correct when run without a config, and ignores values
 * of the wrong type instead of throwing).
 */
export function settings<T extends object>(args: { getConfig<C extends object>(): C }, schema: PolicyConfigSchema): T {
  let given: Record<string, unknown> = {};
  try {
    const c = args.getConfig<Record<string, unknown>>();
    if (c && typeof c === "object") given = c;
  } catch {
    given = {};
  }
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(schema.properties) as [string, SchemaDefault][]) {
    const v = given[key];
    out[key] = v !== undefined && fits(v, s) ? v : s.default;
  }
  return out as T;
}
