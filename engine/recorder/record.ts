/**
 * Runs a Pulumi TypeScript program in this process under Pulumi's mock
 * monitor, with one stack's config, and records every resource it registers
 * exactly as the engine would receive it: URN, type, name, inputs (as sent
 * on the wire, secrets and unknowns kept), parent, provider, dependencies,
 * resource options and the program's source position.
 *
 * The same recording feeds the unit tests and `npm run check`.
 */
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
  /** Outputs the mocks answered with. */
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
  /** Run as a preview (mocks' missing outputs become unknown). Default false. */
  readonly preview?: boolean;
  readonly mocks?: pulumi.runtime.Mocks;
}

/** Converts wire-form values into plain ones for assertions. */
export function toPlain(value: unknown): any {
  if (value === rpc.unknownValue) return UNKNOWN;
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const sig = obj[rpc.specialSigKey];
    if (sig === rpc.specialSecretSig) return toPlain(obj.value);
    if (sig === rpc.specialResourceSig) return obj.urn;
    if (sig === rpc.specialOutputValueSig) return "value" in obj ? toPlain(obj.value) : UNKNOWN;
    if (sig !== undefined) return obj;
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, toPlain(v)]));
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

class RecordingMonitor extends MockMonitor {
  readonly records: RecordedResource[] = [];

  constructor(
    mocks: pulumi.runtime.Mocks,
    private readonly programDir: string,
  ) {
    super(mocks);
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
          outputs: toPlain(response.getObject()?.toJavaScript() ?? {}),
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
              ? { create: timeouts.getCreate() || undefined, update: timeouts.getUpdate() || undefined, delete: timeouts.getDelete() || undefined }
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
  const monitor = new RecordingMonitor(opts.mocks ?? realisticMocks({ awsRegion: region }), programDir);
  const previousCwd = process.cwd();
  try {
    pulumi.runtime.setAllConfig({ ...opts.config }, [...(opts.secretKeys ?? [])]);
    await pulumi.runtime.setMocks(monitor.mocks, opts.project, opts.stack, opts.preview ?? false);
    pulumi.runtime.setMockOptions(monitor, opts.project, opts.stack, opts.preview ?? false);
    process.chdir(programDir);
    forgetProgramModules(programDir);
    let outputs: Record<string, unknown> | undefined;
    let failure: unknown;
    try {
      outputs = (await pulumi.runtime.runInPulumiStack(async () => {
        // Loaded inside the stack, as the Pulumi language host does, so resources parent to it.
        let exported = require(path.resolve(programDir, opts.main));
        if (exported && exported.__esModule && exported.default) exported = exported.default;
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
      outputs: outputs ? toPlain(outputs) : undefined,
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
