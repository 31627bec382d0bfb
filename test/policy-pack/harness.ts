/**
 * Runs CrossGuard policies the way the policy runtime does, without the
 * gRPC server (loading the pack's entry file would start it).
 *
 * Mirrors `@pulumi/policy` 1.21 `server.js` and the CLI:
 * - properties travel as the engine sends them (wire form: unknown sentinels,
 *   secret markers; resource references downgraded to ids/URNs, output
 *   values to their value or an unknown) through a protobuf Struct, the SDK's
 *   own `deserializeProperties` and unknown-checking proxy, so touching an
 *   unknown value throws `UnknownValueError` exactly as in a preview;
 * - the type token comes from the resource class (`__pulumiType`);
 * - config is reconciled like the CLI's `ReconcilePolicyPackConfig`
 *   (schema defaults, then `all`, then per-policy entries) and validated
 *   against each policy's `configSchema`; `getConfig()` returns the
 *   properties, the enforcement level comes from the config;
 * - `notApplicable`, the fast type check of `validateResourceOfType`, the
 *   "can't run during preview" advisory for unknowns, the description
 *   prefix of messages, remediation before analysis;
 * - resource options (`protect`, ...) and the provider are passed as the
 *   analyzer receives them; stack resources get parents and dependencies
 *   linked to each other.
 * Recordings of `engine/recorder` (e.g. `runStack`) feed in directly.
 */
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import type {
  EnforcementLevel,
  Policies,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { Recording, RecordedResource } from "../../engine/recorder";
import { UNKNOWN as RECORDED_UNKNOWN } from "../../engine/recorder";

// The runtime's own (internal) building blocks, so values behave exactly as in the server.
const sdkProxy = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy<T>(v: T): T;
  UnknownValueError: new (...args: any[]) => Error;
};
const sdkDeserialize = require("@pulumi/policy/deserialize") as {
  deserializeProperties(s: Struct, proxySecrets: boolean): Record<string, any>;
  serializeProperties(v: unknown): Promise<any>;
};

export const PACK_DIR = path.resolve(__dirname, "..", "..", "policy-pack");
export const PACK_NAME = "secure-ml-training";
const PACK_VERSION: string = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")).version;

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;
type ResourceClassLike = { new (...args: any[]): any };

// ---------------------------------------------------------------- wire values

/** The engine's sentinels for values unknown during preview (as sent to the analyzer). */
export const UNKNOWN_VALUES = {
  string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  boolean: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;

/** A value unknown during preview, in wire form. */
export function unknown(kind: keyof typeof UNKNOWN_VALUES = "string"): string {
  return UNKNOWN_VALUES[kind];
}

/** A secret value in wire form (the runtime unwraps it for validation). */
export function secret(value: unknown): Record<string, unknown> {
  return { [rpc.specialSigKey]: rpc.specialSecretSig, value };
}

/**
 * What the engine sends the analyzer for a value the program registered:
 * resource references become the resource's id (custom) or URN, output
 * values their value (or an unknown), `undefined` members disappear.
 */
export function toAnalyzerWire(value: unknown): unknown {
  if (value === RECORDED_UNKNOWN) return rpc.unknownValue;
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : toAnalyzerWire(v)));
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    const sig = o[rpc.specialSigKey];
    if (sig === rpc.specialResourceSig) return typeof o.id === "string" && o.id !== "" ? o.id : o.urn;
    if (sig === rpc.specialOutputValueSig) {
      if (!("value" in o)) return rpc.unknownValue;
      const inner = toAnalyzerWire(o.value);
      return o.secret ? secret(inner) : inner;
    }
    if (sig === rpc.specialSecretSig) return secret(toAnalyzerWire(o.value));
    if (sig !== undefined) return o;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = toAnalyzerWire(v);
    return out;
  }
  return value;
}

function struct(wire: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(toAnalyzerWire(wire) as any);
}

/** Properties as a validation sees them: deserialized and behind the unknown-checking proxy. */
function validationProps(wire: Record<string, unknown>): Record<string, any> {
  return sdkProxy.unknownCheckingProxy(sdkDeserialize.deserializeProperties(struct(wire), false));
}

// ---------------------------------------------------------------- inputs

export interface ProviderSpec {
  readonly type: string;
  readonly name: string;
  readonly urn?: string;
  /** Provider inputs in wire form (complex values JSON-encoded, as the SDK sends them). */
  readonly props?: Record<string, unknown>;
}

export interface ResourceSpec {
  /** Type token or the resource class (its `__pulumiType` is used). */
  readonly type: string | ResourceClassLike;
  readonly name?: string;
  readonly urn?: string;
  /** Inputs (resource policies) or outputs (stack policies), wire form allowed. */
  readonly props?: Record<string, unknown>;
  readonly opts?: Partial<PolicyResourceOptions>;
  readonly provider?: ProviderSpec;
  readonly parent?: string;
  readonly dependencies?: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

export function tokenOf(type: string | ResourceClassLike): string {
  if (typeof type === "string") return type;
  const t = (type as { __pulumiType?: unknown }).__pulumiType;
  if (typeof t !== "string" || t === "") throw new Error(`${type.name} has no __pulumiType`);
  return t;
}

function nameOf(spec: ResourceSpec, i = 0): string {
  return spec.name ?? `${tokenOf(spec.type).split(":").pop()!.toLowerCase()}${i ? `-${i}` : ""}`;
}

export function urnOf(spec: ResourceSpec, i = 0): string {
  return spec.urn ?? `urn:pulumi:test::${PACK_NAME}::${tokenOf(spec.type)}::${nameOf(spec, i)}`;
}

function optionsOf(spec: ResourceSpec): PolicyResourceOptions {
  const o = spec.opts ?? {};
  const opts: PolicyResourceOptions = {
    protect: o.protect ?? false,
    ignoreChanges: [...(o.ignoreChanges ?? [])],
    aliases: [...(o.aliases ?? [])],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0, ...(o.customTimeouts ?? {}) },
    additionalSecretOutputs: [...(o.additionalSecretOutputs ?? [])],
  };
  if (o.deleteBeforeReplace !== undefined) opts.deleteBeforeReplace = o.deleteBeforeReplace;
  const parent = o.parent ?? spec.parent;
  if (parent) opts.parent = parent;
  return opts;
}

function providerOf(spec: ResourceSpec) {
  const p = spec.provider;
  if (!p) return undefined;
  return {
    type: p.type,
    name: p.name,
    urn: p.urn ?? `urn:pulumi:test::${PACK_NAME}::${p.type}::${p.name}`,
    props: validationProps(p.props ?? {}),
  };
}

// ---------------------------------------------------------------- config (CLI semantics)

export type PackConfigFile = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface ReconciledPolicyConfig {
  readonly enforcementLevel: EnforcementLevel;
  readonly properties: Record<string, unknown>;
}

const ENFORCEMENT_LEVELS: readonly string[] = ["advisory", "mandatory", "remediate", "disabled"];

/** Reads `policy-pack/config/<tier>.json`. */
export function loadPackConfig(tier: string): PackConfigFile {
  return JSON.parse(fs.readFileSync(path.join(PACK_DIR, "config", `${tier}.json`), "utf8"));
}

/**
 * The config each policy receives: schema defaults, then the file's `all`
 * enforcement level, then its per-policy entries (shallow merge), validated
 * against the policy's schema. Throws listing every problem, like the CLI.
 */
export function reconcileConfig(
  policies: readonly AnyPolicy[],
  file: PackConfigFile = {},
  packLevel: EnforcementLevel = "advisory",
): Map<string, ReconciledPolicyConfig> {
  const problems: string[] = [];
  const result = new Map<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }>();
  for (const p of policies) {
    const properties: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
      if (s && typeof s === "object" && "default" in s) properties[k] = JSON.parse(JSON.stringify((s as { default: unknown }).default));
    }
    result.set(p.name, { enforcementLevel: p.enforcementLevel ?? packLevel, properties });
  }
  const parse = (key: string, v: unknown): { level?: EnforcementLevel; props: Record<string, unknown> } => {
    if (typeof v === "string") {
      if (!ENFORCEMENT_LEVELS.includes(v)) problems.push(`${key}: "${v}" is not a valid enforcement level`);
      return { level: v as EnforcementLevel, props: {} };
    }
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      problems.push(`${key}: ${JSON.stringify(v)} is not a valid value; must be a string or object`);
      return { props: {} };
    }
    const { enforcementLevel, ...props } = v as Record<string, unknown>;
    if (enforcementLevel !== undefined && (typeof enforcementLevel !== "string" || !ENFORCEMENT_LEVELS.includes(enforcementLevel))) {
      problems.push(`${key}: ${JSON.stringify(enforcementLevel)} is not a valid enforcement level`);
    }
    return { level: enforcementLevel as EnforcementLevel | undefined, props };
  };
  if (file.all !== undefined) {
    const all = parse("all", file.all);
    if (all.level) for (const c of result.values()) c.enforcementLevel = all.level;
  }
  for (const [key, value] of Object.entries(file)) {
    const given = parse(key, value);
    const c = result.get(key);
    if (!c) continue; // the CLI ignores entries for policies the pack does not have ("all" included)
    if (given.level) c.enforcementLevel = given.level;
    Object.assign(c.properties, given.props);
  }
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const p of policies) {
    if (!p.configSchema) continue;
    const schema = {
      type: "object",
      properties: p.configSchema.properties,
      ...(p.configSchema.required ? { required: p.configSchema.required } : {}),
    };
    const validate = ajv.compile(schema);
    if (!validate(result.get(p.name)!.properties)) {
      for (const e of validate.errors ?? []) problems.push(`${p.name}: ${e.instancePath || "(root)"} ${e.message}`);
    }
  }
  if (problems.length > 0) throw new Error(`invalid policy pack config:\n  ${problems.join("\n  ")}`);
  return result;
}

// ---------------------------------------------------------------- results

export interface Diagnostic {
  readonly policyName: string;
  readonly description: string;
  /** As the engine shows it: the policy's description, a newline, the message. */
  readonly message: string;
  readonly urn?: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly severity?: Severity;
}

export interface AnalyzeResult {
  readonly diagnostics: Diagnostic[];
  readonly notApplicable: { readonly policyName: string; readonly reason?: string }[];
}

export interface RunOptions {
  /** A `--policy-pack-config` file's content. Default: none (schema defaults and policy levels). */
  readonly config?: PackConfigFile;
  readonly stackTags?: Readonly<Record<string, string>>;
  /** The pack's enforcement level (PolicyPackArgs); the runtime's default is advisory. */
  readonly packEnforcementLevel?: EnforcementLevel;
}

class NotApplicableError extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicableError(reason);
}

function freezeMap(entries: Readonly<Record<string, string>> = {}): ReadonlyMap<string, string> {
  const map = new Map(Object.entries(entries));
  return Object.freeze({
    entries: map.entries.bind(map),
    forEach: map.forEach.bind(map),
    get: map.get.bind(map),
    has: map.has.bind(map),
    keys: map.keys.bind(map),
    size: map.size,
    values: map.values.bind(map),
    [Symbol.iterator]: map[Symbol.iterator].bind(map),
  }) as ReadonlyMap<string, string>;
}

function isTypeOf(type: string, cls: { __pulumiType?: unknown }): boolean {
  const t = typeof cls.__pulumiType === "string" && cls.__pulumiType !== "" ? cls.__pulumiType : undefined;
  if (t) return type === t;
  const isInstance = (cls as { isInstance?: unknown }).isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

function pulumiTypeOf(fn: unknown): string | undefined {
  const t = (fn as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof t === "string" && t.length > 0 ? t : undefined;
}

function asPolicies(p: AnyPolicy | Policies): AnyPolicy[] {
  return Array.isArray(p) ? [...p] : [p as AnyPolicy];
}

function isResourcePolicy(p: AnyPolicy): p is ResourceValidationPolicy {
  const r = p as ResourceValidationPolicy;
  return typeof r.validateResource === "function" || Array.isArray(r.validateResource) || typeof r.remediateResource === "function";
}

function isStackPolicy(p: AnyPolicy): p is StackValidationPolicy {
  return typeof (p as StackValidationPolicy).validateStack === "function";
}

interface Context {
  readonly config: Map<string, ReconciledPolicyConfig>;
  readonly stackTags: ReadonlyMap<string, string>;
}

function contextOf(policies: AnyPolicy[], options: RunOptions): Context {
  return {
    config: reconcileConfig(policies, options.config ?? {}, options.packEnforcementLevel ?? "advisory"),
    stackTags: freezeMap(options.stackTags),
  };
}

function levelOf(ctx: Context, p: AnyPolicy, packLevel: EnforcementLevel): EnforcementLevel {
  return ctx.config.get(p.name)?.enforcementLevel || p.enforcementLevel || packLevel;
}

function getConfigFun(ctx: Context, name: string) {
  return <T extends object>(): T => {
    const c = ctx.config.get(name);
    return (c ? JSON.parse(JSON.stringify(c.properties)) : {}) as T;
  };
}

function reporter(p: AnyPolicy, level: EnforcementLevel, ds: Diagnostic[]) {
  return (message: string, urn?: string) => {
    ds.push({
      policyName: p.name,
      description: p.description,
      message: message ? `${p.description}\n${message}` : p.description,
      urn,
      enforcementLevel: level,
      severity: p.severity,
    });
  };
}

function previewDiagnostic(p: AnyPolicy, e: Error): Diagnostic {
  return {
    policyName: p.name,
    description: p.description,
    message: `can't run policy '${p.name}' from policy pack '${PACK_NAME}@v${PACK_VERSION}' during preview: ${e.message}`,
    enforcementLevel: "advisory",
    severity: p.severity,
  };
}

function rethrow(p: AnyPolicy, e: unknown): never {
  const err = new Error(
    `Error validating resource with policy '${p.name}' from policy pack '${PACK_NAME}@v${PACK_VERSION}': ${(e as Error)?.stack ?? String(e)}`,
  );
  throw err;
}

// ---------------------------------------------------------------- resource policies

/** `ResourceValidationArgs` for one policy and one resource, as `Analyze` builds them. */
export function resourceArgs(
  policy: AnyPolicy,
  spec: ResourceSpec,
  options: RunOptions = {},
  ctx = contextOf([policy], options),
): ResourceValidationArgs {
  const type = tokenOf(spec.type);
  const props = validationProps(spec.props ?? {});
  const args: ResourceValidationArgs = {
    type,
    props,
    urn: urnOf(spec),
    name: nameOf(spec),
    opts: optionsOf(spec),
    stackTags: ctx.stackTags,
    isType: (cls: any) => isTypeOf(type, cls),
    asType: ((cls: any) => (isTypeOf(type, cls) ? props : undefined)) as ResourceValidationArgs["asType"],
    getConfig: getConfigFun(ctx, policy.name),
    notApplicable: throwNotApplicable,
  };
  const provider = providerOf(spec);
  if (provider) args.provider = provider;
  return args;
}

/** Runs the resource policies on one resource, as the analyzer's `Analyze` call does. */
export async function analyzeResource(
  policies: AnyPolicy | Policies,
  spec: ResourceSpec,
  options: RunOptions = {},
): Promise<AnalyzeResult> {
  const list = asPolicies(policies);
  const ctx = contextOf(list, options);
  const packLevel = options.packEnforcementLevel ?? "advisory";
  const type = tokenOf(spec.type);
  const ds: Diagnostic[] = [];
  const notApplicable: AnalyzeResult["notApplicable"] = [];
  for (const p of list) {
    let level = levelOf(ctx, p, packLevel);
    if (level === "disabled" || !isResourcePolicy(p)) continue;
    if (!p.validateResource) {
      notApplicable.push({ policyName: p.name, reason: "Policy does not implement validateResource" });
      continue;
    }
    if (level === "remediate") level = "mandatory";
    if (!Array.isArray(p.validateResource)) {
      const t = pulumiTypeOf(p.validateResource);
      if (t && t !== type) {
        notApplicable.push({ policyName: p.name, reason: `Policy only applies to resources of type '${t}'` });
        continue;
      }
    }
    const report = reporter(p, level, ds);
    const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
    for (const validation of validations) {
      try {
        await Promise.resolve(validation(resourceArgs(p, spec, options, ctx), (m, _urn) => report(m)));
      } catch (e) {
        if (e instanceof sdkProxy.UnknownValueError) ds.push(previewDiagnostic(p, e));
        else if (e instanceof NotApplicableError) notApplicable.push({ policyName: p.name, reason: e.reason });
        else rethrow(p, e);
      }
    }
  }
  return { diagnostics: ds, notApplicable };
}

export interface RemediateResult {
  /** The resource's properties after every remediation (plain, secrets as wire markers). */
  readonly props: Record<string, unknown>;
  readonly remediations: { readonly policyName: string; readonly properties?: Record<string, unknown>; readonly diagnostic?: string }[];
  readonly notApplicable: { readonly policyName: string; readonly reason?: string }[];
}

/** Runs the remediations whose enforcement level is `remediate`, as the analyzer's `Remediate` call does. */
export async function remediateResource(
  policies: AnyPolicy | Policies,
  spec: ResourceSpec,
  options: RunOptions = {},
): Promise<RemediateResult> {
  const list = asPolicies(policies);
  const ctx = contextOf(list, options);
  const packLevel = options.packEnforcementLevel ?? "advisory";
  const type = tokenOf(spec.type);
  let props: Record<string, any> = sdkProxy.unknownCheckingProxy(sdkDeserialize.deserializeProperties(struct(spec.props ?? {}), true));
  let current: Record<string, unknown> = (await sdkDeserialize.serializeProperties(props)) as Record<string, unknown>;
  const remediations: RemediateResult["remediations"] = [];
  const notApplicable: RemediateResult["notApplicable"] = [];
  for (const p of list) {
    if (levelOf(ctx, p, packLevel) !== "remediate" || !isResourcePolicy(p)) continue;
    if (!p.remediateResource) {
      notApplicable.push({ policyName: p.name, reason: "Policy does not implement remediateResource" });
      continue;
    }
    const t = pulumiTypeOf(p.remediateResource);
    if (t && t !== type) {
      notApplicable.push({ policyName: p.name, reason: `Policy only applies to resources of type '${t}'` });
      continue;
    }
    const args = { ...resourceArgs(p, spec, options, ctx), props };
    args.asType = ((cls: any) => (isTypeOf(type, cls) ? props : undefined)) as ResourceValidationArgs["asType"];
    let result: Record<string, unknown> | undefined;
    let diagnostic: string | undefined;
    try {
      result = (await Promise.resolve(p.remediateResource(args))) ?? undefined;
      if (result) props = result;
    } catch (e) {
      if (e instanceof sdkProxy.UnknownValueError)
        diagnostic = `can't run remediation '${p.name}' from policy pack '${PACK_NAME}@v${PACK_VERSION}' during preview: ${(e as Error).message}`;
      else if (e instanceof NotApplicableError) notApplicable.push({ policyName: p.name, reason: e.reason });
      else rethrow(p, e);
    }
    if (result || diagnostic) {
      const serialized = result ? ((await sdkDeserialize.serializeProperties(result)) as Record<string, unknown>) : undefined;
      if (serialized) current = serialized;
      remediations.push({ policyName: p.name, properties: serialized, diagnostic });
    }
  }
  return { props: current, remediations, notApplicable };
}

/** The engine's two passes: remediate, then analyze the remediated properties. */
export async function remediateThenAnalyze(
  policies: AnyPolicy | Policies,
  spec: ResourceSpec,
  options: RunOptions = {},
): Promise<AnalyzeResult & { props: Record<string, unknown> }> {
  const r = await remediateResource(policies, spec, options);
  const a = await analyzeResource(policies, { ...spec, props: r.props }, options);
  return { ...a, props: r.props };
}

// ---------------------------------------------------------------- stack policies

/** `StackValidationArgs` for one policy, as `AnalyzeStack` builds them (props are outputs). */
export function stackArgs(
  policy: AnyPolicy,
  specs: readonly ResourceSpec[],
  options: RunOptions = {},
  ctx = contextOf([policy], options),
): StackValidationArgs {
  const intermediates = specs.map((spec, i) => {
    const type = tokenOf(spec.type);
    const props = validationProps(spec.props ?? {});
    const resource: PolicyResource = {
      type,
      props,
      urn: urnOf(spec, i),
      name: nameOf(spec, i),
      opts: optionsOf(spec),
      dependencies: [],
      propertyDependencies: {},
      isType: (cls: any) => isTypeOf(type, cls),
      asType: ((cls: any) => (isTypeOf(type, cls) ? props : undefined)) as PolicyResource["asType"],
    };
    const provider = providerOf(spec);
    if (provider) resource.provider = provider;
    return { resource, spec };
  });
  const byUrn = new Map(intermediates.map((i) => [i.resource.urn, i.resource]));
  for (const { resource, spec } of intermediates) {
    const parent = spec.parent ?? spec.opts?.parent;
    if (parent && byUrn.has(parent)) resource.parent = byUrn.get(parent);
    resource.dependencies = (spec.dependencies ?? []).map((d) => byUrn.get(d)).filter((d): d is PolicyResource => !!d);
    for (const [k, urns] of Object.entries(spec.propertyDependencies ?? {})) {
      resource.propertyDependencies[k] = urns.map((d) => byUrn.get(d)).filter((d): d is PolicyResource => !!d);
    }
  }
  return {
    resources: intermediates.map((i) => i.resource),
    getConfig: getConfigFun(ctx, policy.name),
    stackTags: ctx.stackTags,
    notApplicable: throwNotApplicable,
  };
}

/** Runs the stack policies over the resources, as the analyzer's `AnalyzeStack` call does. */
export async function analyzeStack(
  policies: AnyPolicy | Policies,
  specs: readonly ResourceSpec[],
  options: RunOptions = {},
): Promise<AnalyzeResult> {
  const list = asPolicies(policies);
  const ctx = contextOf(list, options);
  const packLevel = options.packEnforcementLevel ?? "advisory";
  const ds: Diagnostic[] = [];
  const notApplicable: AnalyzeResult["notApplicable"] = [];
  for (const p of list) {
    let level = levelOf(ctx, p, packLevel);
    if (level === "disabled" || !isStackPolicy(p)) continue;
    if (level === "remediate") level = "mandatory";
    const t = pulumiTypeOf(p.validateStack);
    if (t && !specs.some((s) => tokenOf(s.type) === t)) {
      notApplicable.push({ policyName: p.name, reason: `Policy only applies to resources of type '${t}'` });
      continue;
    }
    try {
      await Promise.resolve(p.validateStack(stackArgs(p, specs, options, ctx), reporter(p, level, ds)));
    } catch (e) {
      if (e instanceof sdkProxy.UnknownValueError) ds.push(previewDiagnostic(p, e));
      else if (e instanceof NotApplicableError) notApplicable.push({ policyName: p.name, reason: e.reason });
      else rethrow(p, e);
    }
  }
  return { diagnostics: ds, notApplicable };
}

// ---------------------------------------------------------------- recordings

function timeoutSeconds(v: string | undefined): number {
  if (!v) return 0;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(v.trim());
  if (!m) return 0;
  const n = Number(m[1]);
  return m[2] === "ms" ? n / 1000 : m[2] === "s" ? n : m[2] === "m" ? n * 60 : n * 3600;
}

function outputsToWire(value: unknown): unknown {
  if (value === RECORDED_UNKNOWN) return rpc.unknownValue;
  if (Array.isArray(value)) return value.map(outputsToWire);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, outputsToWire(v)]));
  return value;
}

/** Resource specs of a recording: `inputs` for resource policies, `outputs` for stack policies. */
export function specsOf(rec: Recording): { inputs: ResourceSpec[]; outputs: ResourceSpec[] } {
  const byUrn = new Map(rec.resources.map((r) => [r.urn, r]));
  const providerOf = (r: RecordedResource): ProviderSpec | undefined => {
    if (!r.provider) return undefined;
    const urn = r.provider.split("::").slice(0, -1).join("::");
    const p = byUrn.get(urn);
    return p ? { type: p.type, name: p.name, urn: p.urn, props: p.wireInputs } : undefined;
  };
  const stackUrn = rec.resources.map((r) => r.parent).find((p) => p && p.includes("::pulumi:pulumi:Stack::"));
  const spec = (r: RecordedResource, props: Record<string, unknown>): ResourceSpec => ({
    type: r.type,
    name: r.name,
    urn: r.urn,
    props,
    parent: r.parent,
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
    provider: providerOf(r),
    opts: {
      protect: r.options.protect ?? false,
      ignoreChanges: [...r.options.ignoreChanges],
      deleteBeforeReplace: r.options.deleteBeforeReplace,
      additionalSecretOutputs: [...r.options.additionalSecretOutputs],
      customTimeouts: {
        createSeconds: timeoutSeconds(r.options.customTimeouts?.create),
        updateSeconds: timeoutSeconds(r.options.customTimeouts?.update),
        deleteSeconds: timeoutSeconds(r.options.customTimeouts?.delete),
      },
      parent: r.parent,
    },
  });
  const stack: ResourceSpec[] = stackUrn
    ? [
        {
          type: "pulumi:pulumi:Stack",
          name: `${rec.project}-${rec.stack}`,
          urn: stackUrn,
          props: outputsToWire(rec.outputs ?? {}) as Record<string, unknown>,
        },
      ]
    : [];
  return {
    inputs: rec.resources.map((r) => spec(r, r.wireInputs)),
    outputs: [...stack, ...rec.resources.map((r) => spec(r, outputsToWire(r.outputs) as Record<string, unknown>))],
  };
}

export interface RecordingResult {
  readonly diagnostics: Diagnostic[];
  /** Policies that judged at least one resource (or the stack) instead of being not applicable. */
  readonly applied: Set<string>;
}

/**
 * What `pulumi preview`/`up` with the pack reports for a recorded stack:
 * every resource through `Analyze` (inputs), then `AnalyzeStack` (outputs).
 */
export async function analyzeRecording(policies: Policies, rec: Recording, options: RunOptions = {}): Promise<RecordingResult> {
  const { inputs, outputs } = specsOf(rec);
  const diagnostics: Diagnostic[] = [];
  const applied = new Set<string>();
  const resourcePolicies = policies.filter(isResourcePolicy);
  for (const spec of inputs) {
    const r = await analyzeResource(policies, spec, options);
    diagnostics.push(...r.diagnostics.map((d) => ({ ...d, urn: d.urn ?? urnOf(spec) })));
    const na = new Set(r.notApplicable.map((n) => n.policyName));
    for (const p of resourcePolicies) if (!na.has(p.name)) applied.add(p.name);
  }
  const s = await analyzeStack(policies, outputs, options);
  diagnostics.push(...s.diagnostics);
  const na = new Set(s.notApplicable.map((n) => n.policyName));
  for (const p of policies.filter(isStackPolicy)) if (!na.has(p.name)) applied.add(p.name);
  return { diagnostics, applied };
}

/** One line per diagnostic, for assertion messages. */
export function describeDiagnostics(ds: readonly Diagnostic[]): string {
  return ds
    .map((d) => `[${d.enforcementLevel}] ${d.policyName} ${d.urn ?? ""}\n    ${d.message.split("\n").slice(1).join(" ") || d.message}`)
    .join("\n");
}
