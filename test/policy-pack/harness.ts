/**
 * Runs CrossGuard policies the way the policy runtime does, without the
 * gRPC server (loading the pack's entry file would start it).
 *
 * The engine's side is the check's own (engine/): recordings become the
 * stack model of engine/model.ts (the Stack, default providers, wire
 * values as the engine marshals them for analyzers), and config is
 * reconciled by engine/pack/policy-config.ts from the metadata the
 * runtime's own `GetAnalyzerInfo` encoder reports. The pack's side mirrors
 * `@pulumi/policy` 1.21 `server.js`:
 * - properties travel through a protobuf Struct, the SDK's own
 *   `deserializeProperties` and unknown-checking proxy, so touching an
 *   unknown value throws `UnknownValueError` exactly as in a preview;
 * - the type token comes from the resource class (`__pulumiType`);
 * - `getConfig()` returns the configured properties, the enforcement level
 *   is the configured one, else the policy's, else the pack's;
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
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
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
import { buildStackModel, engineProperties, ModelResource, secretValue, UNKNOWN_SENTINELS } from "../../engine/model";
import { configureRequest, enforcementLevelOf, packMetadataOf } from "../../engine/pack/metadata";
import { PackMetadata, parsePolicyConfig, reconcilePolicyConfig } from "../../engine/pack/policy-config";
import { POLICY_PACK_DIR, PROJECT_ROOT } from "../../engine/project";
import { readProject, readStackFile, Recording } from "../../engine/recorder";

// The runtime's own (internal) building blocks, so values behave exactly as in the server.
const sdkProxy = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy<T>(v: T): T;
  UnknownValueError: new (...args: any[]) => Error;
};
const sdkDeserialize = require("@pulumi/policy/deserialize") as {
  deserializeProperties(s: Struct, proxySecrets: boolean): Record<string, any>;
  serializeProperties(v: unknown): Promise<any>;
};
const sdkProtoutil = require("@pulumi/policy/protoutil") as {
  makeAnalyzerInfo(
    name: string,
    version: string,
    level: EnforcementLevel,
    args: { policies: AnyPolicy[] },
    initial: undefined,
  ): analyzerpb.AnalyzerInfo;
};

export const PACK_DIR = POLICY_PACK_DIR;
export const PACK_NAME = "secure-ml-training";
const PACK_VERSION: string = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")).version;

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;
type ResourceClassLike = { new (...args: any[]): any };

// ---------------------------------------------------------------- wire values (engine/model.ts)

/** A value unknown during preview, in wire form. */
export function unknown(kind: keyof typeof UNKNOWN_SENTINELS = "string"): string {
  return UNKNOWN_SENTINELS[kind];
}

/** A secret value in wire form (the runtime unwraps it for validation). */
export const secret = secretValue;

/** The Struct the analyzer receives for a property map (`Remediate` keeps internal keys). */
function struct(wire: Record<string, unknown>, skipInternalKeys = true): Struct {
  return Struct.fromJavaScript(engineProperties(wire, { skipInternalKeys }) as any);
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

// ---------------------------------------------------------------- config (engine/pack/policy-config.ts)

/** A `--policy-pack-config` file's content. */
export type PackConfigFile = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

/** A policy's config as the pack holds it after `Configure`. */
export interface ReconciledPolicyConfig {
  readonly enforcementLevel: EnforcementLevel;
  readonly properties: Record<string, unknown>;
}

/** Reads `policy-pack/config/<tier>.json`. */
export function loadPackConfig(tier: string): PackConfigFile {
  return JSON.parse(fs.readFileSync(path.join(PACK_DIR, "config", `${tier}.json`), "utf8"));
}

/** The pack's metadata as the CLI reads it: the runtime's own `GetAnalyzerInfo` encoder, the check's decoder. */
export function packMetadata(policies: readonly AnyPolicy[], packLevel: EnforcementLevel = "advisory"): PackMetadata {
  const info = sdkProtoutil.makeAnalyzerInfo(PACK_NAME, PACK_VERSION, packLevel, { policies: [...policies] }, undefined);
  return packMetadataOf(analyzerpb.AnalyzerInfo.deserializeBinary(info.serializeBinary()));
}

/**
 * The config each policy receives, as the check computes it
 * (engine/pack/policy-config.ts: parsed like the CLI's
 * `--policy-pack-config`, schema defaults, then `all`, then per-policy
 * entries, validated against each policy's schema) and the pack receives it
 * with `Configure`. Throws the check's usage error listing the problems.
 */
export function reconcileConfig(
  policies: readonly AnyPolicy[],
  file: PackConfigFile = {},
  packLevel: EnforcementLevel = "advisory",
): Map<string, ReconciledPolicyConfig> {
  const where = "policy pack config";
  const { config } = reconcilePolicyConfig(packMetadata(policies, packLevel), parsePolicyConfig(JSON.stringify(file), where), where);
  const request = analyzerpb.ConfigureAnalyzerRequest.deserializeBinary(configureRequest(config).serializeBinary());
  const result = new Map<string, ReconciledPolicyConfig>();
  request.getPolicyconfigMap().forEach((v, name) => {
    result.set(name, {
      enforcementLevel: enforcementLevelOf(v.getEnforcementlevel()),
      properties: (v.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
    });
  });
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
  let props: Record<string, any> = sdkProxy.unknownCheckingProxy(
    sdkDeserialize.deserializeProperties(struct(spec.props ?? {}, false), true),
  );
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

/** Config of a recording's stack file, when the project has one (default providers' inputs). */
function stackFileConfig(rec: Recording): { config: Record<string, string>; secretKeys: readonly string[] } {
  try {
    const file = readStackFile(readProject(PROJECT_ROOT), rec.stack);
    return { config: { ...file.config }, secretKeys: file.secretKeys };
  } catch {
    return { config: {}, secretKeys: [] };
  }
}

function specOf(r: ModelResource, props: Record<string, unknown>): ResourceSpec {
  const t = r.options.customTimeouts;
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    props,
    parent: r.parent,
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
    provider: r.provider && { type: r.provider.type, name: r.provider.name, urn: r.provider.urn, props: r.provider.properties },
    opts: {
      protect: r.options.protect,
      ignoreChanges: [...r.options.ignoreChanges],
      deleteBeforeReplace: r.options.deleteBeforeReplace,
      additionalSecretOutputs: [...r.options.additionalSecretOutputs],
      aliases: [...r.options.aliases],
      customTimeouts: { createSeconds: t.create, updateSeconds: t.update, deleteSeconds: t.delete },
      parent: r.options.parent,
    },
  };
}

/**
 * Resource specs of a recording, from the check's stack model
 * (engine/model.ts): the Stack, the default providers and the program's
 * resources, `inputs` for resource policies, `outputs` for stack policies.
 * Default providers get the config of the recording's stack file, or
 * `stackConfig` (e.g. for a recording made with overrides).
 */
export function specsOf(
  rec: Recording,
  stackConfig: { config: Readonly<Record<string, string>>; secretKeys: readonly string[] } = stackFileConfig(rec),
): { inputs: ResourceSpec[]; outputs: ResourceSpec[] } {
  const model = buildStackModel({ recording: rec, programDir: PROJECT_ROOT, ...stackConfig });
  return {
    inputs: model.resources.map((r) => specOf(r, r.inputs)),
    outputs: model.resources.map((r) => specOf(r, r.outputs)),
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
