/**
 * Start-up figures of `npm run bench` taken the Pulumi CLI's way:
 * - a policy pack as `npm run check` starts it (engine/pack/spawn.ts: a compiled pack with the runner's
 *   TypeScript registration held back until a TypeScript file comes), for comparison;
 * - a policy pack as the CLI starts it (`node <@pulumi/pulumi/cmd/run-policy-pack> <engine> .`, the pack
 *   folder as working directory, nothing preloaded), from spawn to the port on its stdout — for the
 *   pack as shipped (compiled JavaScript) and for the same pack with its TypeScript entry (a copy under
 *   node_modules/.cache whose `main` is index.ts, which the runner type-checks with ts-node);
 * - a program as the Node.js language host loads it (tools/program-start.js), type-checked (the CLI's
 *   default) and with PULUMI_NODEJS_TRANSPILE_ONLY=true (what the workflows set).
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { spawnPack } from "../engine/pack/spawn";
import { PROJECT_ROOT } from "../engine/project";

/** Milliseconds from spawning the pack the CLI's way to its port line. */
export function packStartMs(packDir: string, timeoutMs = 300_000): Promise<number> {
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (/^\d+\r?\n/.test(out)) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        clearTimeout(timer);
        child.kill("SIGKILL");
        resolve(ms);
      }
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (!/^\d+\r?\n/.test(out)) reject(new Error(`pack ${packDir} exited (${signal ?? code}) before printing its port:\n${err}`));
    });
  });
}

/** Milliseconds from spawning the pack as `npm run check` does (engine/pack/spawn.ts) to its port. */
export async function checkPackStartMs(packDir: string): Promise<number> {
  const started = process.hrtime.bigint();
  const pending = spawnPack({ packDir, project: "bench", stack: "dev", config: {}, secretKeys: [] });
  try {
    await pending.ready;
    return Number(process.hrtime.bigint() - started) / 1e6;
  } finally {
    pending.child.kill("SIGKILL");
  }
}

/**
 * A copy of `packDir`'s TypeScript sources (no build output) whose package.json `main` is its TypeScript
 * entry, under node_modules/.cache so its dependencies resolve as the pack's do. Returns its directory.
 */
export function typeScriptEntryCopy(packDir: string): string {
  const dir = path.join(PROJECT_ROOT, "node_modules", ".cache", "bench-ts-entry-pack");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(packDir, dir, { recursive: true, filter: (src) => !/[\\/](bin|node_modules)$/.test(src) });
  const pkg = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8"));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...pkg, main: "index.ts", scripts: {} }, null, 2));
  // The pack's tsconfig extends the repository's by a relative path: point it at the same file from here.
  const tsconfig = JSON.parse(fs.readFileSync(path.join(packDir, "tsconfig.json"), "utf8"));
  if (typeof tsconfig.extends === "string") tsconfig.extends = path.resolve(packDir, tsconfig.extends);
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  return dir;
}

export interface ProgramStart {
  readonly loadedMs: number;
  readonly rssMB: number;
}

/** Loads the program's stack as the language host does; `transpileOnly` sets PULUMI_NODEJS_TRANSPILE_ONLY. */
export function programStart(programDir: string, stack: string, transpileOnly: boolean): ProgramStart {
  const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: transpileOnly ? "true" : "false" };
  for (const k of Object.keys(env)) if (k.startsWith("TS_NODE_")) delete env[k];
  const r = spawnSync(process.execPath, [path.join(__dirname, "program-start.js"), programDir, stack], {
    env,
    encoding: "utf8",
    timeout: 600_000,
  });
  const line = r.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as ProgramStart;
  } catch {
    throw new Error(`program start of ${programDir} (${stack}) failed (exit ${r.status}):\n${r.stderr.slice(-3000)}`);
  }
}
