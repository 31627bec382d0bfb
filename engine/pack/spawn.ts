/**
 * Starts a CrossGuard policy pack process the way the Pulumi CLI does for a
 * Node.js pack (`NewPolicyAnalyzer` + the `pulumi-analyzer-policy` shim):
 *
 *   cwd  = the pack directory (the one with PulumiPolicy.yaml)
 *   argv = node <@pulumi/pulumi/cmd/run-policy-pack resolved from the pack> <engine-address> .
 *          [-<option>=<value> for each of PulumiPolicy.yaml's runtime options]
 *   env  = this environment + PULUMI_CONFIG (the stack's config as JSON), PULUMI_NODEJS_PROJECT/STACK/DRY_RUN,
 *          PULUMI_PROJECT/STACK/DRY_RUN (and ..._ORGANIZATION when known)
 *
 * and reads the port the pack prints as its first stdout line. Kept free of
 * gRPC so `npm run check` can start the pack before loading the rest.
 *
 * A JavaScript pack (this project's: `main` is the compiled `bin/index.js`)
 * starts so, with compiled-pack-preload.js, which holds back the runner's
 * ts-node registration (and the TypeScript compiler) until a TypeScript file
 * is required, and orphan-guard.js, which ends the pack when the check that
 * started it is gone (as plugins die with the CLI). A compiled pack whose
 * JavaScript no longer matches its TypeScript (source maps with sources) is
 * refused: run its build. A TypeScript pack (`main` is a .ts file, as in
 * other people's packs) runs transpile-only by default
 * (transpile-only-preload.js; the runner would type-check it on every
 * start). With `typeCheck`, any pack starts exactly as the CLI starts it
 * (only the orphan guard preloaded).
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { CheckUsageError, PolicyPackError } from "../../cli/check/errors";

export interface PackLaunchOptions {
  /** Absolute directory holding PulumiPolicy.yaml. */
  readonly packDir: string;
  readonly project: string;
  readonly stack: string;
  readonly organization?: string;
  /** The stack's config, fully qualified keys (PULUMI_CONFIG and ConfigureStack). */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
  /** Stack tags for ConfigureStack (the CLI sends pulumi:project, pulumi:runtime, ...). */
  readonly tags?: Readonly<Record<string, string>>;
  /** A preview (default true): the check never deploys. */
  readonly dryRun?: boolean;
  /**
   * Start the pack exactly as the CLI does (a TypeScript pack type-checked, a compiled one with ts-node
   * registered up front). Default false: transpile only, ts-node registered on the first TypeScript file.
   */
  readonly typeCheck?: boolean;
  readonly startTimeoutMs?: number;
}

export interface PolicyPackProject {
  readonly dir: string;
  /** The file `require(<pack dir>)` loads (package.json `main`), absolute. */
  readonly entry: string;
  /** The entry is TypeScript (the runner's ts-node compiles it on every start). */
  readonly typeScript: boolean;
  readonly runtime: string;
  readonly runtimeOptions: Readonly<Record<string, unknown>>;
  readonly version?: string;
}

/** A pack process that is starting: kill it any time; `ready` resolves once it printed its port. */
export interface PendingPack {
  readonly child: ChildProcess;
  readonly ready: Promise<SpawnedPack>;
}

export interface SpawnedPack {
  readonly child: ChildProcess;
  readonly port: number;
  /** The last lines the pack wrote to stderr. */
  readonly stderrTail: () => string;
}

/** The engine address the CLI passes first; the Node.js runner drops it, nothing dials it. */
export const ENGINE_ADDRESS = "127.0.0.1:0";
const ORPHAN_GUARD = path.join(__dirname, "orphan-guard.js");
const TRANSPILE_ONLY = path.join(__dirname, "transpile-only-preload.js");
const COMPILED_PACK = path.join(__dirname, "compiled-pack-preload.js");

/** Reads PulumiPolicy.yaml; only Node.js packs are supported (that is what @pulumi/policy serves). */
export function readPolicyPackProject(packDir: string): PolicyPackProject {
  const file = path.join(packDir, "PulumiPolicy.yaml");
  let doc: unknown;
  try {
    doc = YAML.parse(fs.readFileSync(file, "utf8")) ?? {};
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new CheckUsageError(
        `--policy-pack ${packDir}: no PulumiPolicy.yaml there; a policy pack directory holds PulumiPolicy.yaml and package.json`,
      );
    }
    throw new CheckUsageError(`--policy-pack: ${file} is not readable YAML: ${(e as Error).message}`);
  }
  const d = doc as { runtime?: unknown; version?: unknown };
  const rt = d.runtime;
  const runtime = typeof rt === "string" ? rt : typeof rt === "object" && rt !== null ? (rt as { name?: unknown }).name : undefined;
  if (runtime !== "nodejs") {
    throw new CheckUsageError(
      `--policy-pack: ${file} has runtime ${JSON.stringify(runtime)}; allowed: nodejs (packs written with @pulumi/policy)`,
    );
  }
  const options = typeof rt === "object" && rt !== null ? ((rt as { options?: Record<string, unknown> }).options ?? {}) : {};
  const entry = packEntry(packDir);
  return {
    dir: packDir,
    entry,
    typeScript: /\.[cm]?tsx?$/.test(entry),
    runtime,
    runtimeOptions: options,
    version: typeof d.version === "string" ? d.version : undefined,
  };
}

/**
 * The file the runner's `require(<pack dir>)` loads: package.json `main`
 * (default index.js) as Node resolves it, with `.ts` as ts-node (which the
 * runner registers) adds it.
 */
export function packEntry(packDir: string): string {
  let main = "index.js";
  const pkgFile = path.join(packDir, "package.json");
  if (fs.existsSync(pkgFile)) {
    try {
      const m = (JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: unknown }).main;
      if (typeof m === "string" && m.trim() !== "") main = m;
    } catch (e) {
      throw new CheckUsageError(`--policy-pack: ${pkgFile} is not valid JSON: ${(e as Error).message}`);
    }
  }
  const base = path.resolve(packDir, main);
  const candidates = [
    base,
    `${base}.js`,
    `${base}.ts`,
    path.join(base, "index.js"),
    path.join(base, "index.ts"),
    path.join(packDir, "index.js"),
    path.join(packDir, "index.ts"),
  ];
  const found = candidates.find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
  if (!found) {
    const built = /\.js$/.test(main) ? `; if it is built from TypeScript, run its build (npm install in ${packDir} runs it)` : "";
    throw new CheckUsageError(`--policy-pack ${packDir}: package.json "main" is ${JSON.stringify(main)}, which does not exist${built}`);
  }
  return found;
}

interface SourceMap {
  readonly sources?: readonly string[];
  readonly sourcesContent?: readonly (string | null)[];
  readonly sourceRoot?: string;
}

function* mapFiles(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules") continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* mapFiles(p);
    else if (e.name.endsWith(".js.map")) yield p;
  }
}

/**
 * For a compiled pack whose source maps carry their sources (tsc
 * `inlineSources`): the TypeScript files that changed since the build (their
 * text differs from the one compiled), relative to the pack. Content, not
 * mtimes: an incremental `tsc -b` leaves unchanged outputs untouched.
 */
export function staleSources(project: Pick<PolicyPackProject, "dir" | "entry" | "typeScript">): string[] {
  if (project.typeScript || !fs.existsSync(`${project.entry}.map`)) return [];
  const stale: string[] = [];
  for (const mapFile of mapFiles(path.dirname(project.entry))) {
    let map: SourceMap;
    try {
      map = JSON.parse(fs.readFileSync(mapFile, "utf8")) as SourceMap;
    } catch {
      continue;
    }
    (map.sources ?? []).forEach((src, i) => {
      const compiled = map.sourcesContent?.[i];
      if (typeof compiled !== "string") return;
      const file = path.resolve(path.dirname(mapFile), map.sourceRoot ?? "", src);
      let current: string | undefined;
      try {
        current = fs.readFileSync(file, "utf8");
      } catch {
        return; // a pack shipped without its sources
      }
      if (current !== compiled) stale.push(path.relative(project.dir, file).split(path.sep).join("/"));
    });
  }
  return stale;
}

function resolveRunner(packDir: string): string {
  try {
    return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
  } catch {
    throw new CheckUsageError(
      `--policy-pack ${packDir}: cannot resolve @pulumi/pulumi/cmd/run-policy-pack from there; the pack's dependencies are not installed (run npm install)`,
    );
  }
}

/** The node arguments that start the pack (the runner and its arguments, after the preload). */
export function packNodeArgs(opts: PackLaunchOptions, project: PolicyPackProject, runner: string): string[] {
  const args = [ENGINE_ADDRESS, "."];
  for (const [k, v] of Object.entries(project.runtimeOptions)) {
    const s = v === undefined || v === null ? "" : String(v);
    if (s !== "") args.push(`-${k}=${s}`);
  }
  const preload = opts.typeCheck ? ORPHAN_GUARD : project.typeScript ? TRANSPILE_ONLY : COMPILED_PACK;
  return ["-r", preload, runner, ...args];
}

/** Starts one pack process; `ready` resolves with its port once printed. */
export function spawnPack(opts: PackLaunchOptions, project: PolicyPackProject = readPolicyPackProject(opts.packDir)): PendingPack {
  const stale = staleSources(project);
  if (stale.length > 0) {
    const more = stale.length > 3 ? ` and ${stale.length - 3} more` : "";
    throw new CheckUsageError(
      `--policy-pack ${opts.packDir}: its compiled JavaScript (${path.relative(opts.packDir, project.entry)}) is older than its TypeScript ` +
        `(${stale.slice(0, 3).join(", ")}${more} changed since the build); run \`npm run build\` in ${opts.packDir} (npm install runs it too)`,
    );
  }
  const runner = resolveRunner(opts.packDir);
  const dryRun = String(opts.dryRun ?? true);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_NODEJS_PROJECT: opts.project,
    PULUMI_NODEJS_STACK: opts.stack,
    PULUMI_NODEJS_DRY_RUN: dryRun,
    PULUMI_PROJECT: opts.project,
    PULUMI_STACK: opts.stack,
    PULUMI_DRY_RUN: dryRun,
  };
  // The preloads other than the orphan guard patch what the runner registers, so they need to know it.
  if (!opts.typeCheck) env.CHECK_RUN_POLICY_PACK = runner;
  if (Object.keys(opts.config).length > 0) env.PULUMI_CONFIG = JSON.stringify(opts.config);
  if (opts.organization) {
    env.PULUMI_NODEJS_ORGANIZATION = opts.organization;
    env.PULUMI_ORGANIZATION = opts.organization;
  }
  // ts-node settings of the check itself must not leak into the pack.
  for (const k of Object.keys(env)) if (k.startsWith("TS_NODE_")) delete env[k];

  const nodeArgs = packNodeArgs(opts, project, runner);
  const child = spawn(process.execPath, nodeArgs, { cwd: opts.packDir, env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-20_000);
  });
  const stderrTail = () => stderr.trim().split("\n").slice(-25).join("\n");

  const ready = new Promise<SpawnedPack>((resolve, reject) => {
    let out = "";
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(e);
    };
    const timeoutMs = opts.startTimeoutMs ?? 120_000;
    const timer = setTimeout(
      () => fail(new PolicyPackError(`policy pack ${opts.packDir} did not print its port within ${timeoutMs / 1000} s`, stderrTail())),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf("\n");
      if (nl < 0 || settled) return;
      const first = out.slice(0, nl).trim();
      child.stdout!.off("data", onData);
      // Keep draining stdout so a chatty pack never blocks on a full pipe.
      child.stdout!.resume();
      const port = Number(first);
      if (!/^\d+$/.test(first) || port <= 0 || port > 65535) {
        fail(new PolicyPackError(`policy pack ${opts.packDir} printed ${JSON.stringify(first)} where its port was expected`, stderrTail()));
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve({ child, port, stderrTail });
    };
    child.stdout!.on("data", onData);
    child.on("error", (e) => fail(new PolicyPackError(`could not start policy pack ${opts.packDir}: ${e.message}`)));
    // Give stderr a moment to drain so the reason is in the message.
    child.on("exit", (code, signal) =>
      setImmediate(() =>
        fail(
          new PolicyPackError(`policy pack ${opts.packDir} exited (${signal ?? `code ${code}`}) before printing its port`, stderrTail()),
        ),
      ),
    );
  });
  return { child, ready };
}
