/**
 * Runs a Pulumi TypeScript program in this process under Pulumi's mock
 * monitor, with one stack's config, and records every resource it registers
 * exactly as the engine would receive it: URN, type, name, inputs (as sent
 * on the wire, secrets and unknowns kept), parent, provider, dependencies,
 * resource options and the program's source position.
 *
 * The same recording feeds the unit tests and `npm run check`.
 */
import * as fs from "fs";
import * as path from "path";
import * as url from "url";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { realisticMocks } from "./mocks";

export interface SourceLocation {
  /** Path relative to the program directory (absolute when outside it). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface ResourceOptionsRecord {
  readonly protect?: boolean;
  readonly retainOnDelete?: boolean;
  readonly ignoreChanges: readonly string[];
  readonly deleteBeforeReplace?: boolean;
  readonly replaceOnChanges: readonly string[];
  readonly additionalSecretOutputs: readonly string[];
  readonly deletedWith?: string;
  readonly importId?: string;
  readonly customTimeouts?: { readonly create?: string; readonly update?: string; readonly delete?: string };
}

export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** Inputs as the engine receives them (wire form: secret and unknown markers kept). */
  readonly wireInputs: Record<string, unknown>;
  /** Inputs as plain values: secrets unwrapped, unknowns as `UNKNOWN`. */
  readonly inputs: Record<string, any>;
  /**
   * Outputs the engine answered with: the mocks' values, or in a preview the
   * program's own inputs and, for everything the provider computes, the
   * engine's unknown marker (`rpc.unknownValue`), as the analyzer receives it.
   */
  readonly outputs: Record<string, any>;
  readonly parent?: string;
  /** Provider reference `urn::id`, when not the default provider. */
  readonly provider?: string;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly options: ResourceOptionsRecord;
  readonly source?: SourceLocation;
}

export interface Recording {
  readonly project: string;
  readonly stack: string;
  readonly resources: RecordedResource[];
  readonly outputs?: Record<string, unknown>;
}

/** Stands for a value the engine does not know yet (preview). */
export const UNKNOWN = "<unknown>";

export interface RecordOptions {
  /** Directory holding Pulumi.yaml. */
  readonly programDir: string;
  /** Module to load, relative to programDir (Pulumi.yaml `main`). */
  readonly main: string;
  readonly project: string;
  readonly stack: string;
  /** Fully qualified config, as `PULUMI_CONFIG` carries it. */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys?: readonly string[];
  /**
   * Run as `pulumi preview` runs a new stack: a created resource's id and every
   * output the provider computes are unknown (only the program's own inputs
   * come back), so `apply` callbacks over them do not run; invokes, `get`s and
   * imports still answer (a preview reads existing state). Default false: the
   * mocks answer every output, as after `pulumi up`.
   */
  readonly preview?: boolean;
  readonly mocks?: pulumi.runtime.Mocks;
}

/** Converts wire-form values into plain ones for assertions (unknowns as `unknown`, by default `UNKNOWN`). */
export function toPlain(value: unknown, unknown: string = UNKNOWN): any {
  const plain = (v: unknown): any => toPlain(v, unknown);
  if (value === rpc.unknownValue) return unknown;
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const sig = obj[rpc.specialSigKey];
    if (sig === rpc.specialSecretSig) return plain(obj.value);
    if (sig === rpc.specialResourceSig) return obj.urn;
    if (sig === rpc.specialOutputValueSig) return "value" in obj ? plain(obj.value) : unknown;
    if (sig !== undefined) return obj;
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

function sourceOf(req: any, programDir: string): SourceLocation | undefined {
  let pos = req.getSourceposition?.();
  // The SDK takes a fixed stack depth; for deeper class hierarchies (providers) that frame is in
  // node_modules: use the first frame of the stack trace that is the program's own code.
  if (pos?.getUri()?.includes("/node_modules/")) {
    const frames: any[] = req.getStacktrace?.()?.getFramesList() ?? [];
    pos = frames.map((f) => f.getPc()).find((p) => p?.getUri() && !p.getUri().includes("/node_modules/")) ?? pos;
  }
  if (!pos || !pos.getUri()) return undefined;
  let file = pos.getUri();
  if (file.startsWith("file://")) file = url.fileURLToPath(file);
  const rel = path.relative(programDir, file);
  return { file: rel.startsWith("..") ? file : rel.split(path.sep).join("/"), line: pos.getLine(), column: pos.getColumn() };
}

/**
 * Other mocks (given with `mocks`) as a preview sees them: a resource the
 * program creates comes back with its inputs only (id and computed outputs
 * unknown); a resource read or imported by id comes back as the mocks answer.
 */
export function previewMocks(mocks: pulumi.runtime.Mocks): pulumi.runtime.Mocks {
  return {
    call: (args) => mocks.call(args),
    newResource(args) {
      if (args.id || args.type.startsWith("pulumi:providers:")) return mocks.newResource(args);
      return { id: undefined, state: { ...args.inputs } };
    },
  };
}

class RecordingMonitor extends MockMonitor {
  readonly records: RecordedResource[] = [];
  /**
   * Preview only: per resource type, the properties its SDK class declares
   * (inputs and outputs), seen by a stack transformation before registration.
   */
  readonly declared = new Map<string, Set<string>>();

  constructor(
    mocks: pulumi.runtime.Mocks,
    private readonly programDir: string,
    private readonly preview: boolean,
  ) {
    super(mocks);
  }

  /** The stack's outputs as the engine received them (unknowns as `rpc.unknownValue`). */
  stackOutputs: Record<string, unknown> | undefined;

  registerResourceOutputs(req: any, callback: (err: any, response: any) => void): void {
    if (req.getUrn().includes("::pulumi:pulumi:Stack::"))
      this.stackOutputs = toPlain(req.getOutputs()?.toJavaScript() ?? {}, rpc.unknownValue) as Record<string, unknown>;
    super.registerResourceOutputs(req, callback);
  }

  /** A stack transformation that notes the properties each resource class declares (it changes nothing). */
  readonly noteDeclared: pulumi.ResourceTransformation = (args) => {
    let keys = this.declared.get(args.type);
    if (!keys) this.declared.set(args.type, (keys = new Set()));
    for (const k of Object.keys(args.props ?? {})) keys.add(k);
    return undefined;
  };

  /**
   * What the engine answers a registration with. In a preview, a provider
   * plans the properties of its schema only: keys the SDK class does not
   * declare (the mocks answer some generically) are left out.
   */
  private outputsOf(req: any, response: any): Record<string, unknown> {
    const outputs = toPlain(response.getObject()?.toJavaScript() ?? {}, rpc.unknownValue) as Record<string, unknown>;
    const declared = this.declared.get(req.getType());
    if (!this.preview || !declared || !req.getCustom() || req.getImportid()) return outputs;
    for (const k of Object.keys(outputs)) if (!declared.has(k)) delete outputs[k];
    return outputs;
  }

  async registerResource(req: any, callback: (err: any, response: any) => void): Promise<void> {
    return super.registerResource(req, (err: any, response: any) => {
      if (!err) {
        const wireInputs = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
        const timeouts = req.getCustomtimeouts?.();
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
          propertyDependencies[key] = deps.getUrnsList();
        });
        this.records.push({
          urn: response.getUrn(),
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          wireInputs,
          inputs: toPlain(wireInputs),
          outputs: this.outputsOf(req, response),
          parent: req.getParent() || undefined,
          provider: req.getProvider() || undefined,
          dependencies: req.getDependenciesList(),
          propertyDependencies,
          options: {
            protect: req.hasProtect() ? req.getProtect() : undefined,
            retainOnDelete: req.hasRetainondelete() ? req.getRetainondelete() : undefined,
            ignoreChanges: req.getIgnorechangesList(),
            deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
            replaceOnChanges: req.getReplaceonchangesList(),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            deletedWith: req.getDeletedwith() || undefined,
            importId: req.getImportid() || undefined,
            customTimeouts: timeouts
              ? {
                  create: timeouts.getCreate() || undefined,
                  update: timeouts.getUpdate() || undefined,
                  delete: timeouts.getDelete() || undefined,
                }
              : undefined,
          },
          source: sourceOf(req, this.programDir),
        });
      }
      callback(err, response);
    });
  }
}

/**
 * Drops the program's own modules from the require cache so a second run
 * re-executes them (node_modules and the recorder itself stay loaded). Errors
 * from a run are therefore instances of the run's copy of a class: match them
 * by `name`, not `instanceof`.
 */
function forgetProgramModules(programDir: string): void {
  const root = path.resolve(programDir) + path.sep;
  for (const key of Object.keys(require.cache)) {
    const own = key.startsWith(__dirname + path.sep);
    if (key.startsWith(root) && !own && !key.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[key];
  }
}

let running = false;

/** `import()` that TypeScript's CommonJS output leaves alone (as @pulumi/pulumi's cmd/run does). */
const dynamicImport = (0, eval)("(u) => import(u)") as (specifier: string) => Promise<Record<string, unknown>>;

let esmHooks: string | undefined;

/**
 * ts-node's ES-module hooks, registered once per process with `module.register`
 * (transpile-only, the program's own tsconfig.json), as the Node.js language
 * host does for a program whose package.json says `"type": "module"`.
 */
function registerEsmHooks(programDir: string): void {
  if (esmHooks !== undefined) {
    if (esmHooks !== programDir)
      throw new Error(`recordProgram: ES-module hooks are registered for ${esmHooks}; one ES-module program per process`);
    return;
  }
  const saved = { ...process.env };
  const tsconfig = path.join(programDir, "tsconfig.json");
  process.env.TS_NODE_TRANSPILE_ONLY = "true";
  if (fs.existsSync(tsconfig)) process.env.TS_NODE_PROJECT = tsconfig;
  else {
    delete process.env.TS_NODE_PROJECT;
    process.env.TS_NODE_SKIP_PROJECT = "true";
  }
  try {
    // The hooks thread starts here and reads its settings from this environment.
    (require("module") as { register(specifier: string, parentURL: string): void }).register(
      url.pathToFileURL(require.resolve("ts-node/esm", { paths: [programDir, __dirname] })).href,
      url.pathToFileURL(path.join(programDir, path.sep)).href,
    );
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
  esmHooks = programDir;
}

/**
 * Source positions for ES-module programs. The SDK reads a resource's
 * position from `new Error().stack`, matching only frames of the form
 * `at fn (file:line:column)`; an ES module's top-level code shows as
 * `at file:///path/index.ts:line:column`, so its resources got none. This
 * makes the SDK's frame matcher also read that form (as a path), and turns
 * on Node's own source maps so lines are those of the TypeScript source:
 * ts-node's ES-module hooks emit inline maps, which the `source-map-support`
 * handler ts-node installs for CommonJS (`Error.prepareStackTrace`) does not
 * see, so that handler is removed (Node's maps cover ts-node's CommonJS
 * output too). Frames the SDK already read are unchanged.
 */
function readModuleFrames(): void {
  const R = pulumi.Resource as unknown as { framePositionRegExp: FrameMatcher & { moduleFrames?: true } };
  const original = R.framePositionRegExp;
  if (!original || typeof original.exec !== "function" || original.moduleFrames) return;
  const moduleFrame = /^\s*at (?:async )?(?<file>file:\/\/[^()\s]*):(?<line>[0-9]+):(?<column>[0-9]+)$/;
  const matcher: FrameMatcher & { moduleFrames: true } = {
    moduleFrames: true,
    exec(frame: string) {
      const m = original.exec(frame) ?? moduleFrame.exec(frame);
      const file = m?.groups?.file;
      if (!m || !file?.startsWith("file://")) return m;
      return { groups: { ...m.groups, file: url.fileURLToPath(file) } };
    },
  };
  R.framePositionRegExp = matcher;
  process.setSourceMapsEnabled?.(true);
  delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
}

type FrameMatcher = { exec(frame: string): { groups?: Record<string, string | undefined> } | null };

function isEsmProgram(programDir: string): boolean {
  try {
    return JSON.parse(fs.readFileSync(path.join(programDir, "package.json"), "utf8")).type === "module";
  } catch {
    return false;
  }
}

/** The program's entry file for `main` (a directory means its index file, as Node resolves it). */
function entryFile(programDir: string, main: string): string {
  const abs = path.resolve(programDir, main);
  if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) {
    for (const f of ["index.js", "index.mjs", "index.ts", "index.mts"]) if (fs.existsSync(path.join(abs, f))) return path.join(abs, f);
    throw new Error(`no entry point (index.js, index.mjs, index.ts or index.mts) in ${abs}`);
  }
  return abs;
}

/**
 * Loads the program as the Node.js language host does: `require` for a
 * CommonJS program, `import()` for an ES-module one (`"type": "module"`),
 * whose default export (if any) is the program.
 */
async function loadProgram(programDir: string, main: string): Promise<unknown> {
  if (!isEsmProgram(programDir)) {
    const exported = require(path.resolve(programDir, main));
    return exported && exported.__esModule && exported.default ? exported.default : exported;
  }
  registerEsmHooks(programDir);
  readModuleFrames();
  const mod = await dynamicImport(url.pathToFileURL(entryFile(programDir, main)).href);
  if (Object.getOwnPropertyDescriptor(mod, "default") !== undefined) {
    if (Object.keys(mod).length !== 1)
      throw new Error("expected entrypoint module to have either a default export or named exports but not both");
    return mod.default;
  }
  return { ...mod };
}

/**
 * Runs the program once and returns what it registered. Throws what the
 * program threw (after the engine would have seen it), with the partial
 * recording attached as `error.recording`.
 */
export async function recordProgram(opts: RecordOptions): Promise<Recording> {
  if (running) throw new Error("recordProgram: one program at a time per process (the Pulumi runtime is global)");
  running = true;
  const programDir = path.resolve(opts.programDir);
  const region = opts.config["aws:region"] ?? Object.entries(opts.config).find(([k]) => k.endsWith(":region"))?.[1];
  const preview = opts.preview ?? false;
  const mocks = opts.mocks ? (preview ? previewMocks(opts.mocks) : opts.mocks) : realisticMocks({ awsRegion: region, preview });
  const monitor = new RecordingMonitor(mocks, programDir, preview);
  const previousCwd = process.cwd();
  try {
    pulumi.runtime.setAllConfig({ ...opts.config }, [...(opts.secretKeys ?? [])]);
    await pulumi.runtime.setMocks(monitor.mocks, opts.project, opts.stack, preview);
    pulumi.runtime.setMockOptions(monitor, opts.project, opts.stack, preview);
    process.chdir(programDir);
    forgetProgramModules(programDir);
    let outputs: Record<string, unknown> | undefined;
    let failure: unknown;
    try {
      outputs = (await pulumi.runtime.runInPulumiStack(async () => {
        if (preview) pulumi.runtime.registerStackTransformation(monitor.noteDeclared);
        // Loaded inside the stack, as the Pulumi language host does, so resources parent to it.
        const exported = await loadProgram(programDir, opts.main);
        return typeof exported === "function" ? await exported() : exported;
      })) as Record<string, unknown> | undefined;
    } catch (e) {
      failure = e;
    }
    // Let in-flight registrations finish so the recording is complete either way.
    await (pulumi.runtime as any).waitForRPCs?.();
    const recording: Recording = {
      project: opts.project,
      stack: opts.stack,
      resources: monitor.records.filter((r) => r.type !== "pulumi:pulumi:Stack"),
      // As the engine received them (each unknown output unknown, where the SDK's own promise is all or nothing).
      outputs: monitor.stackOutputs ?? (outputs ? toPlain(outputs) : undefined),
    };
    if (failure !== undefined) {
      const err = failure instanceof Error ? failure : new Error(String(failure));
      (err as Error & { recording?: Recording }).recording = recording;
      throw err;
    }
    return recording;
  } finally {
    process.chdir(previousCwd);
    running = false;
  }
}
