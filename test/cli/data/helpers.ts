/**
 * Shared pieces of the `npm run data` tests: captured output, a deps object
 * for runData pointed at local servers, and folders of files to push.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { defaultDeps, runData, type DataDeps } from "../../../cli/data/run";
import { silentProgress, type Progress } from "../../../cli/data/progress";
import type { ClientFactory } from "../../../cli/data/target";

export const ROOT = path.resolve(__dirname, "..", "..", "..");

export function tmpDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `data-test-${label}-`));
}

/** Writes files (relative path -> content) under dir; returns dir. */
export function writeTree(dir: string, files: Record<string, string | Buffer>): string {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, ...rel.split("/"));
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return dir;
}

export function sha256(data: string | Buffer): string {
  return crypto.createHash("sha256").update(data).digest("hex");
}

/** Deterministic pseudo-random bytes (so failures reproduce). */
export function bytes(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export interface Captured {
  readonly deps: DataDeps;
  readonly stdout: string[];
  readonly stderr: string[];
  run(argv: readonly string[]): Promise<number>;
  /** The JSON line on stdout of the last run. */
  line(): Record<string, any>;
  err(): string;
}

export function capture(cwd: string, progress: Progress = silentProgress, clients?: ClientFactory): Captured {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const deps: DataDeps = {
    ...defaultDeps(),
    root: ROOT,
    cwd,
    stdout: (t) => stdout.push(t),
    stderr: (t) => stderr.push(t),
    run: async () => {
      throw new Error("tests pass --outputs; pulumi must not run");
    },
    progress,
    resumeDir: path.join(cwd, ".s3-uploads"),
    ...(clients ? { clients } : {}),
  };
  return {
    deps,
    stdout,
    stderr,
    async run(argv) {
      stdout.length = 0;
      stderr.length = 0;
      return runData(argv, deps);
    },
    line() {
      expect1(stdout.length === 1, `expected one stdout line, got ${JSON.stringify(stdout)}; stderr: ${stderr.join("\n")}`);
      return JSON.parse(stdout[0]) as Record<string, any>;
    },
    err: () => stderr.join("\n"),
  };
}

function expect1(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}
