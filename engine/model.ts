/**
 * The engine's view of a recorded stack, as the Pulumi CLI would hand it to
 * a policy pack during a preview: the program's resources plus what the
 * engine itself adds (the `pulumi:pulumi:Stack` root and one default
 * provider per package used without an explicit provider), properties in
 * the analyzer's wire form (the engine's marshalling: secrets and unknowns
 * kept, resource references and output values downgraded, internal `__`
 * keys dropped), options, dependencies and the provider each resource uses.
 */
import * as fs from "fs";
import * as path from "path";
import type { Recording, RecordedResource, SourceLocation } from "./recorder";
// Not from "./recorder": its index loads the Pulumi SDK (the check keeps it out of its process).
const RECORDED_UNKNOWN = "<unknown>";

/** The engine's sentinels for values unknown during preview, one per type (`marshalUnknownProperty`); the SDK sends `string`. */
export const UNKNOWN_SENTINELS = {
  string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  boolean: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
  asset: "030794c1-ac77-496b-92df-f27374a8bd58",
  archive: "e48ece36-62e2-4504-bad9-02848725956a",
} as const;

/**
 * The wire protocol's markers (values of `@pulumi/pulumi/runtime/rpc`, which
 * is not imported here: it loads most of the SDK into the check's process).
 * test/cli/check/units.test.ts asserts they equal the SDK's.
 */
export const rpc = {
  specialSigKey: "4dabf18193072939515e22adb298388d",
  specialSecretSig: "1b47061264138c4ac30d75fd1eb44270",
  specialResourceSig: "5cf8f73096256a8f31e491e813e4eb8e",
  specialOutputValueSig: "d0e6a833031e9bbcd3f4e8bde6ca49a4",
  unknownValue: UNKNOWN_SENTINELS.string,
} as const;

export interface ProviderRef {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly properties: Record<string, unknown>;
}

export interface ModelOptions {
  readonly protect: boolean;
  readonly ignoreChanges: readonly string[];
  readonly deleteBeforeReplace?: boolean;
  readonly additionalSecretOutputs: readonly string[];
  readonly aliases: readonly string[];
  /** Seconds, as the analyzer protocol carries them (0 = not set). */
  readonly customTimeouts: { readonly create: number; readonly update: number; readonly delete: number };
  readonly parent?: string;
  /** Carried for reports; the analyzer protocol has no field for it. */
  readonly retainOnDelete?: boolean;
}

export interface ModelResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent?: string;
  /** Inputs as `Analyze` receives them (wire form). */
  readonly inputs: Record<string, unknown>;
  /** Outputs as `AnalyzeStack` receives them (wire form). */
  readonly outputs: Record<string, unknown>;
  readonly options: ModelOptions;
  readonly provider?: ProviderRef;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly source?: SourceLocation;
  /** Added by the engine, not by the program. */
  readonly synthetic?: "stack" | "default-provider";
}

export interface StackModel {
  readonly project: string;
  readonly stack: string;
  /** In registration order; the Stack first, default providers before their first user. */
  readonly resources: readonly ModelResource[];
}

/** A secret in wire form. */
export function secretValue(value: unknown): Record<string, unknown> {
  return { [rpc.specialSigKey]: rpc.specialSecretSig, value };
}
const SECRET = secretValue;

function isSecret(v: unknown): boolean {
  return v !== null && typeof v === "object" && (v as Record<string, unknown>)[rpc.specialSigKey] === rpc.specialSecretSig;
}

/**
 * One value as the engine marshals it for analyzers (`MarshalPropertyValue`
 * with KeepUnknowns and KeepSecrets, without KeepResources or
 * KeepOutputValues), from the wire form the SDK sends (`serializeProperty`):
 * - secrets stay secret markers around the marshalled value;
 * - a resource reference becomes its id (custom resource; an empty or
 *   unknown id is unknown) or its URN (component);
 * - an output value becomes its value (secret if marked), or unknown;
 * - unknown sentinels, assets and archives travel as they are;
 * - `undefined` array elements become null and `undefined` members
 *   disappear, as the SDK serializes them (JSON semantics);
 * - nested `__` keys are kept: the engine skips internal keys only at the
 *   top level (see `engineProperties`).
 */
export function engineValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : engineValue(v)));
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  const sig = obj[rpc.specialSigKey];
  if (sig === rpc.specialSecretSig) return SECRET(engineValue(obj.value));
  if (sig === rpc.specialResourceSig) {
    // Without KeepResources a reference becomes its id (custom) or URN (component).
    if ("id" in obj) return obj.id === "" || obj.id === undefined ? rpc.unknownValue : engineValue(obj.id);
    return obj.urn;
  }
  if (sig === rpc.specialOutputValueSig) {
    const inner = "value" in obj ? engineValue(obj.value) : rpc.unknownValue;
    return obj.secret ? SECRET(inner) : inner;
  }
  if (sig !== undefined) return obj; // assets and archives travel as they are
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = engineValue(v);
  return out;
}

/**
 * A property map as the engine marshals it for an analyzer
 * (`MarshalProperties`): `Analyze`, `AnalyzeStack` and provider properties
 * skip internal (`__`) keys at the top level only; `Remediate` keeps them
 * (`skipInternalKeys: false`).
 */
export function engineProperties(
  props: Readonly<Record<string, unknown>>,
  opts: { readonly skipInternalKeys?: boolean } = {},
): Record<string, unknown> {
  const skip = opts.skipInternalKeys ?? true;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || (skip && k.startsWith("__"))) continue;
    out[k] = engineValue(v);
  }
  return out;
}

/**
 * A recorded output (plain: the recorder's `UNKNOWN` marks a value the
 * mocks left unknown in a preview) in wire form: unknown markers become the
 * engine's unknown sentinel.
 */
export function recordedOutputValue(value: unknown): unknown {
  if (value === RECORDED_UNKNOWN) return rpc.unknownValue;
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : recordedOutputValue(v)));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = recordedOutputValue(v);
    return out;
  }
  return value;
}

/** Go duration string (`1h30m`, `5m`, `90s`, `300ms`) to seconds; 0 when unset or unreadable. */
export function durationSeconds(d: string | undefined): number {
  if (!d) return 0;
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  let rest = d.trim();
  const re = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/;
  while (rest) {
    const m = re.exec(rest);
    if (!m) return 0;
    total += Number(m[1]) * unit[m[2]];
    rest = rest.slice(m[0].length);
  }
  return total;
}

export function stackUrn(project: string, stack: string): string {
  return `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
}

/** Package of a type token: `aws:s3/bucket:Bucket` -> `aws`. */
export function packageOf(type: string): string {
  return type.split(":")[0];
}

interface PackageJson {
  readonly version?: unknown;
  readonly dependencies?: Record<string, string>;
  readonly pulumi?: { readonly resource?: boolean; readonly name?: string };
}

function readJson(file: string): PackageJson | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as PackageJson;
  } catch {
    return undefined;
  }
}

function dependencyPackageJson(name: string, programDir: string): PackageJson | undefined {
  try {
    return readJson(require.resolve(`${name}/package.json`, { paths: [programDir] }));
  } catch {
    return undefined;
  }
}

/**
 * The version the program's SDK of Pulumi package `pkg` registers its
 * resources with (its package.json `version`, as the generated
 * `utilities.getVersion` reads it): `@pulumi/<pkg>`, else the dependency
 * of the program whose package.json says `pulumi.name` is `pkg`
 * (`@pulumiverse/time` provides `time`).
 */
function packageVersion(pkg: string, programDir: string): string | undefined {
  let meta = dependencyPackageJson(`@pulumi/${pkg}`, programDir);
  if (!meta) {
    const deps = Object.keys(readJson(path.join(programDir, "package.json"))?.dependencies ?? {});
    meta = deps.map((d) => dependencyPackageJson(d, programDir)).find((m) => m?.pulumi?.resource === true && m.pulumi.name === pkg);
  }
  const v = meta?.version;
  return typeof v === "string" ? v.replace(/^v/, "") : undefined;
}

/**
 * Outputs in wire form: the mocks' plain outputs, secret where the input was
 * secret or the output is listed in additionalSecretOutputs (as the engine does).
 */
function outputsOf(r: RecordedResource): Record<string, unknown> {
  const secretKeys = new Set(r.options.additionalSecretOutputs);
  for (const [k, v] of Object.entries(r.wireInputs)) if (isSecret(v)) secretKeys.add(k);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r.outputs ?? {})) {
    if (k.startsWith("__") || v === undefined) continue;
    const wire = recordedOutputValue(v);
    out[k] = secretKeys.has(k) ? SECRET(wire) : wire;
  }
  return out;
}

/** Options and links of a resource the engine adds itself (the Stack, default providers): none set. */
const ENGINE_ADDED: Pick<ModelResource, "options" | "dependencies" | "propertyDependencies"> = {
  options: {
    protect: false,
    ignoreChanges: [],
    additionalSecretOutputs: [],
    aliases: [],
    customTimeouts: { create: 0, update: 0, delete: 0 },
  },
  dependencies: [],
  propertyDependencies: {},
};

export interface ModelInput {
  readonly recording: Recording;
  /** Directory of the program (resolves provider package versions). */
  readonly programDir: string;
  /** The stack's config, fully qualified (default providers' inputs). */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
}

export function buildStackModel(input: ModelInput): StackModel {
  const { recording, programDir } = input;
  const { project, stack } = recording;
  const root = stackUrn(project, stack);
  const secrets = new Set(input.secretKeys);
  const resources: ModelResource[] = [];
  const byUrn = new Map<string, ModelResource>();
  const push = (r: ModelResource) => {
    resources.push(r);
    byUrn.set(r.urn, r);
  };

  push({
    urn: root,
    type: "pulumi:pulumi:Stack",
    name: `${project}-${stack}`,
    custom: false,
    inputs: {},
    outputs: engineProperties(recordedOutputValue(recording.outputs ?? {}) as Record<string, unknown>),
    ...ENGINE_ADDED,
    synthetic: "stack",
  });

  const defaults = new Map<string, ProviderRef>();
  const defaultProvider = (pkg: string): ProviderRef => {
    let p = defaults.get(pkg);
    if (p) return p;
    const version = packageVersion(pkg, programDir);
    const name = version ? `default_${version.replace(/[.+-]/g, "_")}` : "default";
    const properties: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input.config)) {
      if (!k.startsWith(`${pkg}:`)) continue;
      const key = k.slice(pkg.length + 1);
      properties[key] = secrets.has(k) ? SECRET(v) : v;
    }
    if (version) properties.version = version;
    p = { urn: `urn:pulumi:${stack}::${project}::pulumi:providers:${pkg}::${name}`, type: `pulumi:providers:${pkg}`, name, properties };
    defaults.set(pkg, p);
    push({
      urn: p.urn,
      type: p.type,
      name,
      custom: true,
      inputs: properties,
      outputs: properties,
      ...ENGINE_ADDED,
      synthetic: "default-provider",
    });
    return p;
  };

  /** One reference per explicit provider, shared by its resources (wire.ts encodes each reference once). */
  const explicit = new Map<string, ProviderRef>();
  for (const r of recording.resources) {
    let provider: ProviderRef | undefined;
    if (r.custom && !r.type.startsWith("pulumi:providers:")) {
      if (r.provider) {
        const urn = r.provider.slice(0, r.provider.lastIndexOf("::"));
        const p = byUrn.get(urn);
        provider = explicit.get(urn);
        if (!provider && p) {
          provider = { urn: p.urn, type: p.type, name: p.name, properties: p.inputs };
          explicit.set(urn, provider);
        }
      } else {
        provider = defaultProvider(packageOf(r.type));
      }
    }
    const t = r.options.customTimeouts;
    push({
      urn: r.urn,
      type: r.type,
      name: r.name,
      custom: r.custom,
      parent: r.parent,
      inputs: engineProperties(r.wireInputs),
      outputs: outputsOf(r),
      options: {
        protect: r.options.protect ?? false,
        ignoreChanges: r.options.ignoreChanges,
        deleteBeforeReplace: r.options.deleteBeforeReplace,
        additionalSecretOutputs: r.options.additionalSecretOutputs,
        aliases: [],
        customTimeouts: { create: durationSeconds(t?.create), update: durationSeconds(t?.update), delete: durationSeconds(t?.delete) },
        parent: r.parent,
        retainOnDelete: r.options.retainOnDelete,
      },
      provider,
      dependencies: r.dependencies,
      propertyDependencies: r.propertyDependencies,
      source: r.source,
    });
  }
  return { project, stack, resources };
}

/** A source location relative to `base` (forward slashes), from one relative to the program directory. */
export function rebaseSource(source: SourceLocation | undefined, programDir: string, base: string): SourceLocation | undefined {
  if (!source) return undefined;
  const abs = path.isAbsolute(source.file) ? source.file : path.join(programDir, source.file);
  const rel = path.relative(base, abs);
  return { ...source, file: rel.startsWith("..") || path.isAbsolute(rel) ? abs : rel.split(path.sep).join("/") };
}
