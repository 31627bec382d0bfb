/**
 * Starts a CrossGuard policy pack the way the Pulumi CLI does for a Node.js
 * pack (`NewPolicyAnalyzer` + the `pulumi-analyzer-policy` shim):
 *
 *   cwd  = the pack directory (the one with PulumiPolicy.yaml)
 *   argv = node <@pulumi/pulumi/cmd/run-policy-pack resolved from the pack> <engine-address> . [-<opt>=<value> for runtime options]
 *   env  = this environment + PULUMI_CONFIG (the stack's config as JSON), PULUMI_NODEJS_PROJECT/STACK/DRY_RUN,
 *          PULUMI_PROJECT/STACK/DRY_RUN
 *
 * then reads the port the pack prints as its first stdout line, connects an
 * analyzer gRPC client and performs the CLI's opening calls: `Handshake` and
 * `ConfigureStack` (both optional: UNIMPLEMENTED is fine, as for the CLI).
 *
 * One deviation, on purpose: the run-policy-pack runner type-checks the pack
 * with ts-node on every start; here it runs transpile-only (see
 * transpile-only-preload.js) unless `typeCheck` is set.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as YAML from "yaml";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { CheckUsageError, PolicyPackError } from "../errors";

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

/** The engine address the CLI passes first; the Node.js runner drops it, nothing dials it. */
const ENGINE_ADDRESS = "127.0.0.1:0";
const PRELOAD = path.join(__dirname, "transpile-only-preload.js");
/** As the policy SDK's server: room for AnalyzeStack on large stacks. */
const MAX_MESSAGE = 400 * 1024 * 1024;

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

export function unary<Req, Res>(client: grpc.Client, method: string, req: Req, deadlineMs?: number): Promise<Res> {
  const fn = (client as unknown as Record<string, Function>)[method];
  return new Promise<Res>((resolve, reject) => {
    const opts: grpc.CallOptions = deadlineMs ? { deadline: Date.now() + deadlineMs } : {};
    fn.call(client, req, new grpc.Metadata(), opts, (err: grpc.ServiceError | null, res: Res) => (err ? reject(err) : resolve(res)));
  });
}

const identity = (b: Buffer) => b;

/**
 * A unary call with a request already encoded (see wire.ts); resolves with the
 * response's bytes, decoded by the caller only when there is something in them.
 */
export function rawUnary(client: grpc.Client, method: string, request: Uint8Array): Promise<Buffer> {
  const body = Buffer.from(request.buffer, request.byteOffset, request.byteLength);
  return new Promise<Buffer>((resolve, reject) => {
    client.makeUnaryRequest(`/pulumirpc.Analyzer/${method}`, identity, identity, body, (err: grpc.ServiceError | null, res?: Buffer) =>
      err ? reject(err) : resolve(res ?? Buffer.alloc(0)),
    );
  });
}

function isUnimplemented(e: unknown): boolean {
  return (e as grpc.ServiceError)?.code === grpc.status.UNIMPLEMENTED;
}

/** A running pack process and its analyzer client. */
export class PackProcess {
  private closed = false;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly client: AnalyzerClient,
    private readonly stderrTail: () => string,
  ) {}

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The last lines the pack wrote to stderr (for error messages). */
  stderr(): string {
    return this.stderrTail();
  }

  static async launch(opts: PackLaunchOptions, project: PolicyPackProject = readPolicyPackProject(opts.packDir)): Promise<PackProcess> {
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
    };
    if (Object.keys(opts.config).length > 0) env.PULUMI_CONFIG = JSON.stringify(opts.config);
    if (opts.organization) {
      env.PULUMI_NODEJS_ORGANIZATION = opts.organization;
      env.PULUMI_ORGANIZATION = opts.organization;
    }
    // ts-node settings of the check itself must not leak into the pack.
    for (const k of Object.keys(env)) if (k.startsWith("TS_NODE_")) delete env[k];

    const nodeArgs = opts.typeCheck ? [runner, ...args] : ["-r", PRELOAD, runner, ...args];
    const child = spawn(process.execPath, nodeArgs, { cwd: opts.packDir, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-20_000);
    });
    const tail = () => stderr.trim().split("\n").slice(-25).join("\n");

    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      const timeoutMs = opts.startTimeoutMs ?? 120_000;
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new PolicyPackError(`policy pack ${opts.packDir} did not print its port within ${timeoutMs / 1000} s`, tail()));
      }, timeoutMs);
      const onData = (d: Buffer) => {
        out += d.toString();
        const nl = out.indexOf("\n");
        if (nl < 0) return;
        const first = out.slice(0, nl).trim();
        child.stdout!.off("data", onData);
        // Keep draining stdout so a chatty pack never blocks on a full pipe.
        child.stdout!.resume();
        clearTimeout(timer);
        const port = Number(first);
        if (!/^\d+$/.test(first) || port <= 0 || port > 65535) {
          child.kill("SIGKILL");
          reject(new PolicyPackError(`policy pack ${opts.packDir} printed ${JSON.stringify(first)} where its port was expected`, tail()));
        } else resolve(port);
      };
      child.stdout!.on("data", onData);
      child.on("error", (e) => {
        clearTimeout(timer);
        reject(new PolicyPackError(`could not start policy pack ${opts.packDir}: ${e.message}`));
      });
      child.on("exit", (code, signal) => {
        clearTimeout(timer);
        // Give stderr a moment to drain so the reason is in the message.
        setImmediate(() =>
          reject(new PolicyPackError(`policy pack ${opts.packDir} exited (${signal ?? `code ${code}`}) before printing its port`, tail())),
        );
      });
    });

    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": MAX_MESSAGE,
      "grpc.max_send_message_length": MAX_MESSAGE,
    });
    const pack = new PackProcess(child, port, client, tail);
    child.on("exit", () => {
      pack.closed = true;
    });
    try {
      await pack.openingCalls(opts);
    } catch (e) {
      await pack.close();
      throw e;
    }
    return pack;
  }

  /** Handshake + ConfigureStack, each optional as in the CLI. */
  private async openingCalls(opts: PackLaunchOptions): Promise<void> {
    const hs = new analyzerpb.AnalyzerHandshakeRequest();
    hs.setEngineAddress(ENGINE_ADDRESS);
    hs.setRootDirectory(opts.packDir);
    hs.setProgramDirectory(opts.packDir);
    try {
      await unary(this.client, "handshake", hs, 30_000);
    } catch (e) {
      if (!isUnimplemented(e)) throw this.failure("Handshake", e);
    }
    const cs = new analyzerpb.AnalyzerStackConfigureRequest();
    cs.setStack(opts.stack);
    cs.setProject(opts.project);
    cs.setOrganization(opts.organization ?? "");
    cs.setDryRun(opts.dryRun ?? true);
    cs.setConfigSecretKeysList([...opts.secretKeys]);
    for (const [k, v] of Object.entries(opts.config)) cs.getConfigMap().set(k, v);
    for (const [k, v] of Object.entries(opts.tags ?? {})) cs.getTagsMap().set(k, v);
    try {
      await unary(this.client, "configureStack", cs, 30_000);
    } catch (e) {
      if (!isUnimplemented(e)) throw this.failure("ConfigureStack", e);
    }
  }

  /** A PolicyPackError for a failed call, with the pack's stderr. */
  failure(call: string, e: unknown): PolicyPackError {
    const err = e as grpc.ServiceError;
    const detail = err.details || err.message || String(e);
    return new PolicyPackError(`policy pack call ${call} failed: ${detail}`, this.stderr());
  }

  async close(): Promise<void> {
    this.client.close();
    if (this.closed || this.child.exitCode !== null) return;
    this.closed = true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill("SIGKILL");
        resolve();
      }, 2_000);
      this.child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.kill("SIGTERM");
    });
  }
}
