/**
 * A running policy pack process (started by spawn.ts as the Pulumi CLI starts
 * one) with its analyzer gRPC client, after the CLI's opening calls:
 * `Handshake` and `ConfigureStack` (both optional: UNIMPLEMENTED is fine, as
 * for the CLI).
 */
import type { ChildProcess } from "child_process";
import * as http2 from "http2";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { PolicyPackError } from "../../cli/check/errors";
import { ENGINE_ADDRESS, PackLaunchOptions, PolicyPackProject, SpawnedPack, spawnPack } from "./spawn";

export { readPolicyPackProject, spawnPack } from "./spawn";
export type { PackLaunchOptions, PolicyPackProject, SpawnedPack } from "./spawn";

/** As the policy SDK's server: room for AnalyzeStack on large stacks. */
const MAX_MESSAGE = 400 * 1024 * 1024;

export function unary<Req, Res>(client: grpc.Client, method: string, req: Req, deadlineMs?: number): Promise<Res> {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- a generated client's method, called with its own signature
  const fn = (client as unknown as Record<string, Function>)[method];
  return new Promise<Res>((resolve, reject) => {
    const opts: grpc.CallOptions = deadlineMs ? { deadline: Date.now() + deadlineMs } : {};
    fn.call(client, req, new grpc.Metadata(), opts, (err: grpc.ServiceError | null, res: Res) => (err ? reject(err) : resolve(res)));
  });
}

/** A gRPC error as grpc-js reports one (code, details), for failure() and the callers. */
function statusError(code: number, details: string): grpc.ServiceError {
  return Object.assign(new Error(`${code} ${grpc.status[code] ?? "UNKNOWN"}: ${details}`), {
    code,
    details,
    metadata: new grpc.Metadata(),
  }) as grpc.ServiceError;
}

/**
 * gRPC unary calls with encoded requests straight over one HTTP/2 session
 * (the protocol's framing: a 5-byte prefix, the message, `grpc-status` in the
 * trailers): the per-resource calls of a 10,000-resource stack spent about
 * as much of the check's CPU in grpc-js's per-call layers (call stacks,
 * filters, metadata, deadlines) as in HTTP/2 itself.
 */
export class RawChannel {
  private session?: http2.ClientHttp2Session;
  private inFlight = 0;

  constructor(private readonly authority: string) {}

  private open(): http2.ClientHttp2Session {
    if (!this.session || this.session.closed || this.session.destroyed) {
      const session = http2.connect(`http://${this.authority}`, { maxSessionMemory: 1024, settings: { initialWindowSize: 1 << 24 } });
      session.on("error", () => undefined); // reported on the streams
      // Like grpc-js, the connection keeps the process alive only while calls are in flight.
      session.unref();
      this.session = session;
    }
    return this.session;
  }

  unary(method: string, request: Uint8Array): Promise<Buffer> {
    const session = this.open();
    if (this.inFlight++ === 0) session.ref();
    return new Promise<Buffer>((resolve, reject) => this.send(session, method, request, resolve, reject)).finally(() => {
      if (--this.inFlight === 0 && !session.destroyed) session.unref();
    });
  }

  private send(
    session: http2.ClientHttp2Session,
    method: string,
    request: Uint8Array,
    resolve: (b: Buffer) => void,
    reject: (e: unknown) => void,
  ): void {
    let stream: http2.ClientHttp2Stream;
    try {
      stream = session.request({
        ":method": "POST",
        ":path": `/pulumirpc.Analyzer/${method}`,
        "content-type": "application/grpc",
        te: "trailers",
      });
    } catch (e) {
      reject(statusError(grpc.status.UNAVAILABLE, (e as Error).message));
      return;
    }
    const chunks: Buffer[] = [];
    let status: number | undefined;
    let message = "";
    const statusOf = (h: http2.IncomingHttpHeaders) => {
      const s = h["grpc-status"];
      if (s === undefined) return;
      status = Number(s);
      const m = h["grpc-message"];
      try {
        message = typeof m === "string" ? decodeURIComponent(m) : "";
      } catch {
        message = String(m);
      }
    };
    stream.on("response", statusOf);
    stream.on("trailers", statusOf);
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("error", (e) => reject(statusError(grpc.status.UNAVAILABLE, e.message)));
    stream.on("close", () => {
      if (status === undefined) return reject(statusError(grpc.status.UNAVAILABLE, `${method}: the stream closed without a status`));
      if (status !== grpc.status.OK) return reject(statusError(status, message));
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      if (body.length < 5 || body[0] !== 0 || body.readUInt32BE(1) !== body.length - 5)
        return reject(statusError(grpc.status.INTERNAL, `${method}: a response that is not one uncompressed gRPC message`));
      resolve(body.subarray(5));
    });
    const prefix = Buffer.allocUnsafe(5);
    prefix[0] = 0;
    prefix.writeUInt32BE(request.byteLength, 1);
    stream.write(prefix);
    stream.end(Buffer.from(request.buffer, request.byteOffset, request.byteLength));
  }

  close(): void {
    this.session?.close();
  }
}

function isUnimplemented(e: unknown): boolean {
  return (e as grpc.ServiceError)?.code === grpc.status.UNIMPLEMENTED;
}

/** A running pack process and its analyzer client. */
export class PackProcess {
  private closed = false;
  /** The per-resource calls (see RawChannel). */
  readonly raw: RawChannel;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly client: AnalyzerClient,
    private readonly stderrTail: () => string,
  ) {
    this.raw = new RawChannel(`127.0.0.1:${port}`);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The last lines the pack wrote to stderr (for error messages). */
  stderr(): string {
    return this.stderrTail();
  }

  /** Spawns a pack process (or takes one spawned early) and connects to it. */
  static async launch(opts: PackLaunchOptions, project?: PolicyPackProject, spawned?: Promise<SpawnedPack>): Promise<PackProcess> {
    const { child, port, stderrTail: tail } = await (spawned ?? spawnPack(opts, project).ready);
    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": MAX_MESSAGE,
      "grpc.max_send_message_length": MAX_MESSAGE,
      // Per-call bookkeeping the check does not need (thousands of calls in flight).
      "grpc.enable_retries": 0,
      "grpc.enable_channelz": 0,
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
    this.raw.close();
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
