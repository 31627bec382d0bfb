/**
 * Several processes of one policy pack, each started as the Pulumi CLI
 * starts a pack, all configured alike (`GetAnalyzerInfo` once, `Configure`
 * on each). Per-resource analysis is independent, so `Analyze` calls are
 * spread over the processes (many calls in flight on each); `AnalyzeStack`
 * goes to one of them, once.
 */
import * as os from "os";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { PackLaunchOptions, PackProcess, PolicyPackProject, readPolicyPackProject, SpawnedPack, unary } from "./launch";
import { configureRequest, packMetadataOf } from "./metadata";
import { PackMetadata, PolicyConfigMap, reconcilePolicyConfig, ReconciledConfig } from "./policy-config";

/**
 * Resources a single pack process handles before another one pays for its
 * start (about 1 s of CPU with the transpile cache warm; a pack process
 * analyzes about 2,000 resources per CPU second): measured on 2 cores, two
 * processes win from about 1,000 resources on, one is as fast at 500.
 */
export const RESOURCES_PER_PROCESS = 800;

/** Pack processes worth starting for `resources` resources on this machine. */
export function autoProcesses(resources: number): number {
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, Math.ceil(resources / RESOURCES_PER_PROCESS)));
}

export class PackPool {
  private readonly packs: PackProcess[] = [];
  private configureReq?: analyzerpb.ConfigureAnalyzerRequest;
  private _metadata?: PackMetadata;
  private _reconciled?: ReconciledConfig;
  /** When the first process was asked to start (for "start of pack to last diagnostic"). */
  readonly startedAt: number;
  private readonly project: PolicyPackProject;

  private constructor(
    private readonly launch: PackLaunchOptions,
    startedAt: number,
  ) {
    this.project = readPolicyPackProject(launch.packDir);
    this.startedAt = startedAt;
  }

  /**
   * Starts `processes` pack processes in parallel (the first may be one
   * spawned earlier, at `spawnedAt`) and reads the pack's metadata.
   */
  static async start(launch: PackLaunchOptions, processes = 1, spawned?: Promise<SpawnedPack>, spawnedAt = Date.now()): Promise<PackPool> {
    const pool = new PackPool(launch, spawnedAt);
    try {
      await pool.grow(processes, spawned);
      const first = pool.packs[0];
      let info: analyzerpb.AnalyzerInfo;
      try {
        info = await unary(first.client, "getAnalyzerInfo", new Empty(), 60_000);
      } catch (e) {
        throw first.failure("GetAnalyzerInfo", e);
      }
      pool._metadata = packMetadataOf(info);
      // The CLI prefers the version in PulumiPolicy.yaml over the pack's own.
      if (pool.project.version) pool._metadata = { ...pool._metadata, version: pool.project.version };
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  get metadata(): PackMetadata {
    if (!this._metadata) throw new Error("PackPool: not started");
    return this._metadata;
  }

  get reconciled(): ReconciledConfig {
    if (!this._reconciled) throw new Error("PackPool: not configured");
    return this._reconciled;
  }

  get processes(): readonly PackProcess[] {
    return this.packs;
  }

  /** Adds processes until there are `processes`; new ones get the current config. */
  async grow(processes: number, spawned?: Promise<SpawnedPack>): Promise<void> {
    const missing = processes - this.packs.length;
    if (missing <= 0) return;
    const settled = await Promise.allSettled(
      Array.from({ length: missing }, (_, i) => PackProcess.launch(this.launch, this.project, i === 0 ? spawned : undefined)),
    );
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    for (const s of settled) if (s.status === "fulfilled") this.packs.push(s.value);
    if (failed) throw failed.reason;
    if (this.configureReq) await Promise.all(this.packs.slice(-missing).map((p) => this.sendConfigure(p)));
  }

  private async sendConfigure(pack: PackProcess): Promise<void> {
    try {
      await unary(pack.client, "configure", this.configureReq!, 60_000);
    } catch (e) {
      throw pack.failure("Configure", e);
    }
  }

  /**
   * Reconciles `given` (a parsed policy config file, `where` names it) with
   * the pack's defaults and schemas and sends it to every process.
   */
  async configure(given: PolicyConfigMap, where: string): Promise<ReconciledConfig> {
    const reconciled = reconcilePolicyConfig(this.metadata, given, where);
    this._reconciled = reconciled;
    this.configureReq = configureRequest(reconciled.config);
    // Like the CLI, skip Configure when there is nothing to say.
    if (Object.keys(reconciled.config).length > 0) await Promise.all(this.packs.map((p) => this.sendConfigure(p)));
    return reconciled;
  }

  async close(): Promise<void> {
    await Promise.all(this.packs.map((p) => p.close()));
  }
}
