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
 * One deviation, on purpose: the run-policy-pack runner type-checks the pack
 * with ts-node on every start; here it runs transpile-only unless `typeCheck`
 * is set, and the pack exits if the check dies (transpile-only-preload.js).
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
  /** Type-check the pack's TypeScript on start, as the CLI does. Default false. */
  readonly typeCheck?: boolean;
  readonly startTimeoutMs?: number;
}

export interface PolicyPackProject {
  readonly dir: string;
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
const PRELOAD = path.join(__dirname, "transpile-only-preload.js");

/** Reads PulumiPolicy.yaml; only Node.js packs are supported (that is what @pulumi/policy serves). */
export function readPolicyPackProject(packDir: string): PolicyPackProject {
  const file = path.join(packDir, "PulumiPolicy.yaml");
  let doc: unknown;
  try {
    doc = YAML.parse(fs.readFileSync(file, "utf8")) ?? {};
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new CheckUsageError(`--policy-pack ${packDir}: no PulumiPolicy.yaml there; a policy pack directory holds PulumiPolicy.yaml and package.json`);
    }
    throw new CheckUsageError(`--policy-pack: ${file} is not readable YAML: ${(e as Error).message}`);
  }
  const d = doc as { runtime?: unknown; version?: unknown };
  const rt = d.runtime;
  const runtime = typeof rt === "string" ? rt : typeof rt === "object" && rt !== null ? (rt as { name?: unknown }).name : undefined;
  if (runtime !== "nodejs") {
    throw new CheckUsageError(`--policy-pack: ${file} has runtime ${JSON.stringify(runtime)}; allowed: nodejs (packs written with @pulumi/policy)`);
  }
  const options = typeof rt === "object" && rt !== null ? ((rt as { options?: Record<string, unknown> }).options ?? {}) : {};
  return { dir: packDir, runtime, runtimeOptions: options, version: typeof d.version === "string" ? d.version : undefined };
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

/** Starts one pack process; `ready` resolves with its port once printed. */
export function spawnPack(opts: PackLaunchOptions, project: PolicyPackProject = readPolicyPackProject(opts.packDir)): PendingPack {
  const runner = resolveRunner(opts.packDir);
  const args = [ENGINE_ADDRESS, "."];
  for (const [k, v] of Object.entries(project.runtimeOptions)) {
    const s = v === undefined || v === null ? "" : String(v);
    if (s !== "") args.push(`-${k}=${s}`);
  }
  const dryRun = String(opts.dryRun ?? true);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_NODEJS_PROJECT: opts.project,
    PULUMI_NODEJS_STACK: opts.stack,
    PULUMI_NODEJS_DRY_RUN: dryRun,
    PULUMI_PROJECT: opts.project,
    PULUMI_STACK: opts.stack,
    PULUMI_DRY_RUN: dryRun,
    CHECK_RUN_POLICY_PACK: runner,
    CHECK_PACK_TYPE_CHECK: opts.typeCheck ? "1" : "0",
  };
  if (Object.keys(opts.config).length > 0) env.PULUMI_CONFIG = JSON.stringify(opts.config);
  if (opts.organization) {
    env.PULUMI_NODEJS_ORGANIZATION = opts.organization;
    env.PULUMI_ORGANIZATION = opts.organization;
  }
  // ts-node settings of the check itself must not leak into the pack.
  for (const k of Object.keys(env)) if (k.startsWith("TS_NODE_")) delete env[k];

  const nodeArgs = ["-r", PRELOAD, runner, ...args];
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
    const timer = setTimeout(() => fail(new PolicyPackError(`policy pack ${opts.packDir} did not print its port within ${timeoutMs / 1000} s`, stderrTail())), timeoutMs);
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
      setImmediate(() => fail(new PolicyPackError(`policy pack ${opts.packDir} exited (${signal ?? `code ${code}`}) before printing its port`, stderrTail()))),
    );
  });
  return { child, ready };
}
