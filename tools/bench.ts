/**
 * `npm run bench`: how fast `npm run check` is.
 *
 * - For each shipped stack: the time to evaluate the program (child process,
 *   fork to recording) and to analyze its resources (start of the pack
 *   processes to the last diagnostic), and the whole check as a user runs it
 *   (`npm run check -- --stack S`, process start to exit).
 * - For synthetic stacks of 100, 1,000 and 10,000 resources (copies of the
 *   dev stack's resources): the analyze time from the start of the pack to
 *   the last diagnostic, resources per second, and the 1k -> 10k growth.
 *
 * Figures are medians of --runs runs (default 3). Flags: --runs N,
 * --policy-pack DIR (default ./policy-pack), --jobs N (pack processes;
 * default automatic), --stacks a,b (default: all four; --stacks= for none),
 * --sizes 100,1000,10000 (synthetic sizes; --sizes= for none), --start-runs N (runs of the
 * start figures under the Pulumi CLI; default 5), --skip-cli (leave those out), --skip-data (leave out
 * the data path's push throughput, tools/bench-data.ts).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import type { Recording, RecordedResource } from "../engine/recorder";
import { readProject, readStackFile } from "../engine/recorder/stack-file";
import { analyzeModel } from "../engine/analyze";
import { POLICY_PACK_DIR, PROJECT_ROOT, shippedStackNames } from "../engine/project";
import { tierOf } from "../cli/check/check";
import { evaluateStack } from "../engine/evaluate";
import { buildStackModel, StackModel } from "../engine/model";
import { PolicyConfigMap, readPolicyConfigFile } from "../engine/pack/policy-config";
import { autoProcesses, PackPool } from "../engine/pack/pool";
import { checkPackStartMs, packStartMs, programStart, typeScriptEntryCopy } from "./cli-start";
import { benchData } from "./bench-data";

const SHIPPED = shippedStackNames();
const SIZES = [100, 1_000, 10_000];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Setup {
  readonly packDir: string;
  readonly jobs?: number;
}

function stackInputs(stack: string) {
  const project = readProject(PROJECT_ROOT);
  const file = readStackFile(project, stack);
  return { project, file, tier: tierOf(project.name, stack, file.config) };
}

function policyConfig(packDir: string, tier: string): PolicyConfigMap {
  try {
    return readPolicyConfigFile(path.join(packDir, "config", `${tier}.json`));
  } catch {
    return {};
  }
}

/** CPU seconds a process has used (Linux /proc; undefined elsewhere). */
function processCpu(pid: number | undefined): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100 on Linux)
  } catch {
    return undefined;
  }
}

interface AnalyzeRun {
  readonly ms: number;
  readonly processes: number;
  readonly diagnostics: number;
  readonly policies: number;
  /** CPU seconds of the check's process during the analysis, and of all pack processes (start included). */
  readonly cpuCheck: number;
  readonly cpuPacks?: number;
}

/** Starts the pack processes, configures them and analyzes `model`; ms from the start of the packs to the last diagnostic. */
async function analyzeOnce(setup: Setup, stack: string, model: StackModel): Promise<AnalyzeRun> {
  const { project, file, tier } = stackInputs(stack);
  const processes = setup.jobs ?? autoProcesses(model.resources.length);
  const cpu0 = process.cpuUsage();
  const pool = await PackPool.start(
    { packDir: setup.packDir, project: project.name, stack, config: file.config, secretKeys: file.secretKeys },
    processes,
  );
  try {
    await pool.configure(policyConfig(setup.packDir, tier), "bench");
    const a = await analyzeModel(pool, model);
    const cpu = process.cpuUsage(cpu0);
    const packs = pool.processes.map((p) => processCpu(p.pid));
    return {
      ms: a.timings.totalMs,
      processes,
      diagnostics: a.diagnostics.length,
      policies: pool.metadata.policies.length,
      cpuCheck: (cpu.user + cpu.system) / 1e6,
      cpuPacks: packs.every((c) => c !== undefined) ? packs.reduce((x, y) => x! + y!, 0) : undefined,
    };
  } finally {
    await pool.close();
  }
}

function wholeCheck(stack: string, packDir: string): Promise<{ ms: number; code: number | null }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "-s", "check", "--", "--stack", stack, "--policy-pack", packDir, "--format", "json"], {
      cwd: PROJECT_ROOT,
      stdio: ["ignore", "ignore", "ignore"],
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ ms: Date.now() - started, code }));
  });
}

/** Replaces `from` with `to` in every string of a JSON-like value. */
function renameIn<T>(value: T, from: string, to: string): T {
  if (typeof value === "string") return value.split(from).join(to) as T;
  if (Array.isArray(value)) return value.map((v) => renameIn(v, from, to)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, renameIn(v, from, to)])) as T;
  }
  return value;
}

/**
 * `n` resources' worth of copies of `template`'s resources: URNs, names and
 * references renamed per copy, and the physical names, ids and ARNs in the
 * properties too (every string containing a top-level resource's name, such
 * as the `mltrain-dev` prefix, or that name without its dashes, as in Azure
 * storage account names), so copies are distinct environments as in a real
 * large stack, not 190 resources sharing one bucket name.
 */
export function syntheticRecording(template: Recording, n: number): Recording {
  const base = template.resources;
  const topLevel = [...new Set(base.filter((r) => !base.some((p) => p.urn === r.parent)).map((r) => r.name))].filter(
    (name) => name.length >= 4,
  );
  const roots = [...topLevel, ...topLevel.map((name) => name.replace(/-/g, "")).filter((name) => !topLevel.includes(name))];
  const extra = new Set(base.map((r) => r.urn));
  const resources: RecordedResource[] = [];
  // The model adds the stack root and about one default provider per package.
  const target = Math.max(1, n - 1 - new Set(base.filter((r) => r.custom && !r.provider).map((r) => r.type.split(":")[0])).size);
  for (let copy = 0; resources.length < target; copy++) {
    const rename = (urn: string) => (extra.has(urn) ? `${urn}-s${copy}` : urn);
    const renameRef = (ref: string | undefined) => {
      if (!ref) return ref;
      const i = ref.lastIndexOf("::");
      return extra.has(ref.slice(0, i)) ? `${rename(ref.slice(0, i))}${ref.slice(i)}` : ref;
    };
    for (const r of base) {
      if (resources.length >= target) break;
      let props = { wireInputs: r.wireInputs, inputs: r.inputs, outputs: r.outputs };
      for (const root of roots) props = renameIn(props, root, `${root}-s${copy}`);
      resources.push({
        ...r,
        ...props,
        urn: rename(r.urn),
        name: `${r.name}-s${copy}`,
        parent: r.parent ? rename(r.parent) : undefined,
        provider: renameRef(r.provider),
        dependencies: r.dependencies.map(rename),
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map(rename)])),
      });
    }
  }
  return { ...template, resources };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "3" },
      "policy-pack": { type: "string" },
      jobs: { type: "string" },
      stacks: { type: "string" },
      sizes: { type: "string" },
      "start-runs": { type: "string", default: "5" },
      "skip-cli": { type: "boolean", default: false },
      "skip-data": { type: "boolean", default: false },
    },
    strict: true,
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs ${values.runs}: give a positive integer`);
  const packDir = path.resolve(values["policy-pack"] ?? POLICY_PACK_DIR);
  const jobs = values.jobs ? Number(values.jobs) : undefined;
  const stacks = values.stacks === undefined ? SHIPPED : values.stacks.split(",").filter(Boolean);
  const sizes = values.sizes === undefined ? SIZES : values.sizes.split(",").filter(Boolean).map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`--sizes ${values.sizes}: give positive integers, e.g. 100,1000,10000`);
  const setup: Setup = { packDir, jobs };

  console.log(
    `npm run bench: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  console.log(`policy pack ${path.relative(PROJECT_ROOT, packDir) || "."}; medians of ${runs} run(s)\n`);

  const startRuns = Number(values["start-runs"]);
  if (!Number.isInteger(startRuns) || startRuns < 1) throw new Error(`--start-runs ${values["start-runs"]}: give a positive integer`);
  if (!values["skip-cli"]) {
    console.log(`Start under the Pulumi CLI (medians of ${startRuns})`);
    const compiled: number[] = [];
    for (let i = 0; i < startRuns; i++) compiled.push(await packStartMs(packDir));
    const tsDir = typeScriptEntryCopy(packDir);
    const tsEntry: number[] = [];
    try {
      for (let i = 0; i < startRuns; i++) tsEntry.push(await packStartMs(tsDir));
    } finally {
      fs.rmSync(tsDir, { recursive: true, force: true });
    }
    const checkWay: number[] = [];
    for (let i = 0; i < startRuns; i++) checkWay.push(await checkPackStartMs(packDir));
    const c = median(compiled);
    const t = median(tsEntry);
    console.log(
      `  pack start, compiled entry (as shipped)   ${sec(c).padEnd(9)} [${compiled.map((x) => (x / 1000).toFixed(2)).join(" ")}]  (target: <= 2.5 s)`,
    );
    console.log(`  pack start, TypeScript entry (type-check) ${sec(t).padEnd(9)} [${tsEntry.map((x) => (x / 1000).toFixed(2)).join(" ")}]`);
    console.log(`  compiled is ${(t / c).toFixed(1)}x faster (target: >= 4x)`);
    console.log(
      `  pack start, npm run check's way (TypeScript held back) ${sec(median(checkWay)).padEnd(9)} [${checkWay.map((x) => (x / 1000).toFixed(2)).join(" ")}]`,
    );
    for (const transpileOnly of [false, true]) {
      const xs = Array.from({ length: Math.min(startRuns, 3) }, () => programStart(PROJECT_ROOT, "dev", transpileOnly));
      const label = transpileOnly ? "PULUMI_NODEJS_TRANSPILE_ONLY=true (workflows)" : "type-checked (the CLI's default)";
      console.log(
        `  program start, stack dev, ${label.padEnd(45)} ${sec(median(xs.map((x) => x.loadedMs))).padEnd(9)} ${median(xs.map((x) => x.rssMB))} MB  [${xs.map((x) => (x.loadedMs / 1000).toFixed(2)).join(" ")}]`,
      );
    }
    console.log("");
  }

  if (stacks.length) {
    console.log("Shipped stacks");
    console.log("  stack        resources  evaluate   analyze    whole check (npm run check)  violations");
  }
  for (const stack of stacks) {
    const evals: number[] = [];
    const analyses: number[] = [];
    const wholes: number[] = [];
    let resources = 0;
    let diagnostics = 0;
    let policies = 0;
    let exitCode: number | null = null;
    for (let i = 0; i < runs; i++) {
      const ev = await evaluateStack({ programDir: PROJECT_ROOT, stack, log: () => undefined });
      evals.push(ev.wallMs);
      const { file } = stackInputs(stack);
      const model = buildStackModel({
        recording: ev.recording,
        programDir: PROJECT_ROOT,
        config: file.config,
        secretKeys: file.secretKeys,
      });
      resources = model.resources.length;
      const a = await analyzeOnce(setup, stack, model);
      analyses.push(a.ms);
      diagnostics = a.diagnostics;
      policies = a.policies;
      const w = await wholeCheck(stack, packDir);
      wholes.push(w.ms);
      exitCode = w.code;
    }
    console.log(
      `  ${stack.padEnd(12)} ${String(resources).padStart(9)}  ${sec(median(evals)).padEnd(9)}  ${sec(median(analyses)).padEnd(9)}  ${`${sec(median(wholes))} (exit ${exitCode})`.padEnd(27)}  ${diagnostics} (${policies} policies)`,
    );
  }

  if (!values["skip-data"]) await benchData((line) => console.log(line));
  if (!sizes.length) return;
  // Every value known (as `pulumi up` analyzes each resource once its dependencies exist): the pack's heaviest case;
  // a preview's unknowns let many policies stop early.
  const devRecording = (await evaluateStack({ programDir: PROJECT_ROOT, stack: "dev", log: () => undefined, preview: false })).recording;
  const { file } = stackInputs("dev");
  console.log(
    `\nSynthetic stacks (copies of the dev stack's ${devRecording.resources.length} resources, every value known as in pulumi up), start of the pack to the last diagnostic`,
  );
  console.log("  resources  processes  analyze    resources/s  CPU s: check + packs");
  const bySize = new Map<number, number>();
  for (const n of sizes) {
    const model = buildStackModel({
      recording: syntheticRecording(devRecording, n),
      programDir: PROJECT_ROOT,
      config: file.config,
      secretKeys: file.secretKeys,
    });
    const runsOf: AnalyzeRun[] = [];
    for (let i = 0; i < runs; i++) runsOf.push(await analyzeOnce(setup, "dev", model));
    const ms = median(runsOf.map((r) => r.ms));
    bySize.set(n, ms);
    const cpuCheck = median(runsOf.map((r) => r.cpuCheck));
    const packs = runsOf.map((r) => r.cpuPacks).filter((c): c is number => c !== undefined);
    const cpu = `${cpuCheck.toFixed(1)} + ${packs.length ? median(packs).toFixed(1) : "?"}`;
    console.log(
      `  ${String(model.resources.length).padStart(9)}  ${String(runsOf[0].processes).padStart(9)}  ${sec(ms).padEnd(9)}  ${String(Math.round(model.resources.length / (ms / 1000))).padEnd(11)}  ${cpu}`,
    );
  }
  const k1 = bySize.get(1_000);
  const k10 = bySize.get(10_000);
  if (k1 && k10) console.log(`\n  growth 1,000 -> 10,000 resources: ${(k10 / k1).toFixed(2)}x (target: within 11x)`);
  console.log("  targets: dev whole check < 5 s; 10,000 resources < 5 s");
}

if (require.main === module) {
  main().catch((e) => {
    console.error(`bench failed: ${(e as Error)?.stack ?? e}`);
    process.exit(1);
  });
}
