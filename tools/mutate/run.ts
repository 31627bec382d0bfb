/**
 * Runs the mutation suite: records the shipped stacks exactly as
 * `npm run check` does (one child process per stack, in parallel), starts
 * the real policy pack once (the analyzer protocol, as the Pulumi CLI
 * drives it) with the prod policy config, analyzes each unmutated stack
 * (the false-positive guard: it must have no violation at all), then every
 * mutation on every stack it targets, and classifies each mutant:
 *
 *   killed        every expected policy raised a mandatory violation
 *   wrong-policy  mandatory violations, but not (all) from the expected policies
 *   survived      no mandatory violation at all
 *   error         the mutation could not be applied (its target is gone)
 *
 * Known gaps run too and are reported apart (never counted, never failing).
 */
import * as path from "path";
import { analyzeModel, Diagnostic } from "../../engine/analyze";
import { POLICY_PACK_DIR, PROJECT_ROOT } from "../../engine/project";
import { evaluateStack } from "../../engine/evaluate";
import { buildStackModel } from "../../engine/model";
import { PackPool } from "../../engine/pack/pool";
import { readPolicyConfigFile } from "../../engine/pack/policy-config";
import type { Recording } from "../../engine/recorder";
import { readProject, readStackFile, StackConfigFile } from "../../engine/recorder/stack-file";
import { knownGaps, MUTATIONS } from "./catalog";
import { Cloud, cloudOf, Control, CONTROLS, Mutation, SHIPPED_STACKS, StackName } from "./types";
import { validateCatalog } from "./validate";

export type MutantStatus = "killed" | "wrong-policy" | "survived" | "error";

export interface Violation {
  readonly policy: string;
  readonly level: string;
  readonly urn?: string;
  /** First line of the policy's message (the violation, without the description). */
  readonly message: string;
}

export interface MutantResult {
  readonly stack: StackName;
  readonly mutation: string;
  readonly control: Control;
  readonly description: string;
  readonly expected: readonly string[];
  readonly status: MutantStatus;
  /** Policies that raised a mandatory violation, sorted. */
  readonly fired: readonly string[];
  /** Expected policies that did not. */
  readonly missing: readonly string[];
  readonly violations: readonly Violation[];
  readonly error?: string;
  readonly ms: number;
}

export interface GapResult {
  readonly stack: StackName;
  readonly mutation: string;
  readonly control: Control;
  readonly description: string;
  /** `caught` when some policy now raises a mandatory violation for it. */
  readonly status: "survived" | "caught" | "error";
  readonly fired: readonly string[];
  readonly error?: string;
}

export interface BaselineResult {
  readonly stack: StackName;
  readonly resources: number;
  readonly violations: readonly Violation[];
}

export interface SuiteSummary {
  /** Distinct mutations run (known gaps excluded). */
  readonly mutations: number;
  /** Mutation x stack applications. */
  readonly mutants: number;
  readonly killed: number;
  readonly wrongPolicy: number;
  readonly survived: number;
  readonly errors: number;
  /** killed / mutants. */
  readonly killRate: number;
  readonly byStack: Readonly<Record<string, { readonly mutants: number; readonly killed: number }>>;
  /** Mutants per control and cloud. */
  readonly byControl: Readonly<Record<string, Readonly<Record<Cloud, number>>>>;
  readonly baselineViolations: number;
  readonly gapsCaught: number;
  /** No survivor, no wrong policy, no error, clean baselines. */
  readonly passed: boolean;
}

export interface SuiteTimings {
  readonly totalMs: number;
  /** Longest stack evaluation (they run in parallel). */
  readonly recordMs: number;
  readonly packStartMs: number;
  readonly baselineMs: number;
  readonly mutantsMs: number;
}

export interface SuiteResult {
  readonly pack: { readonly name: string; readonly version: string; readonly policies: number };
  /** Relative to the program directory. */
  readonly policyConfig: string;
  readonly stacks: readonly StackName[];
  readonly baselines: readonly BaselineResult[];
  readonly mutants: readonly MutantResult[];
  readonly gaps: readonly GapResult[];
  readonly summary: SuiteSummary;
  readonly timings: SuiteTimings;
}

export interface SuiteOptions {
  readonly programDir?: string;
  readonly packDir?: string;
  /** Default: <packDir>/config/prod.json (every policy mandatory). */
  readonly policyConfig?: string;
  /** Default: the four shipped stacks. */
  readonly stacks?: readonly StackName[];
  readonly mutations?: readonly Mutation[];
  readonly gaps?: readonly Mutation[];
  /** Mutants analyzed at once (default 3). */
  readonly concurrency?: number;
  /** Policy pack processes (default 1). */
  readonly processes?: number;
  readonly progress?: (message: string) => void;
}

function violationOf(d: Diagnostic): Violation {
  // The runtime sends "<description>\n<message>"; keep the violation's own first line.
  const text = d.description && d.message.startsWith(d.description) ? d.message.slice(d.description.length) : d.message;
  const line = text.split("\n").find((l) => l.trim() !== "") ?? d.message;
  return { policy: d.policyName, level: d.enforcementLevel, urn: d.urn, message: line.trim() };
}

function mandatoryPolicies(ds: readonly Diagnostic[]): string[] {
  return [...new Set(ds.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.policyName))].sort();
}

/** A mutant's status from the policies it expects and those that raised a mandatory violation. */
export function classify(expected: readonly string[], fired: readonly string[], error?: string): MutantStatus {
  if (error !== undefined) return "error";
  if (expected.length > 0 && expected.every((p) => fired.includes(p))) return "killed";
  return fired.length > 0 ? "wrong-policy" : "survived";
}

/** Runs `jobs` with at most `limit` in flight, keeping their order in the result. */
async function inParallel<T, R>(jobs: readonly T[], limit: number, run: (job: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await run(jobs[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, worker));
  return out;
}

export function summarize(
  mutants: readonly MutantResult[],
  baselines: readonly BaselineResult[],
  gaps: readonly GapResult[],
): SuiteSummary {
  const count = (s: MutantStatus) => mutants.filter((m) => m.status === s).length;
  const byStack: Record<string, { mutants: number; killed: number }> = {};
  const byControl: Record<string, Record<Cloud, number>> = {};
  for (const c of CONTROLS) byControl[c] = { aws: 0, azure: 0 };
  for (const m of mutants) {
    const s = (byStack[m.stack] ??= { mutants: 0, killed: 0 });
    s.mutants++;
    if (m.status === "killed") s.killed++;
    byControl[m.control][cloudOf(m.stack)]++;
  }
  const killed = count("killed");
  const baselineViolations = baselines.reduce((n, b) => n + b.violations.length, 0);
  return {
    mutations: new Set(mutants.map((m) => m.mutation)).size,
    mutants: mutants.length,
    killed,
    wrongPolicy: count("wrong-policy"),
    survived: count("survived"),
    errors: count("error"),
    killRate: mutants.length ? killed / mutants.length : 0,
    byStack,
    byControl,
    baselineViolations,
    gapsCaught: gaps.filter((g) => g.status === "caught").length,
    passed:
      mutants.length + gaps.length > 0 && killed === mutants.length && baselineViolations === 0 && gaps.every((g) => g.status !== "error"),
  };
}

interface StackInput {
  readonly stack: StackName;
  readonly file: StackConfigFile;
  readonly recording: Recording;
  /** The recording as JSON, to prove each mutation left it untouched. */
  readonly json: string;
}

export async function runMutationSuite(options: SuiteOptions = {}): Promise<SuiteResult> {
  const started = Date.now();
  const progress = options.progress ?? (() => undefined);
  const programDir = options.programDir ?? PROJECT_ROOT;
  const packDir = options.packDir ?? POLICY_PACK_DIR;
  const configFile = options.policyConfig ?? path.join(packDir, "config", "prod.json");
  const stacks = options.stacks ?? SHIPPED_STACKS;
  const mutations = options.mutations ?? MUTATIONS;
  const gaps = options.gaps ?? knownGaps;

  const project = readProject(programDir);
  const files = new Map(stacks.map((s) => [s, readStackFile(project, s)]));
  const policyConfig = readPolicyConfigFile(configFile, "policy config");

  progress(`recording ${stacks.join(", ")} and starting the policy pack`);
  // The program's own output is dropped; a failing evaluation's error carries its last lines. Every value known
  // (as `pulumi up` analyzes a resource once its dependencies exist): mutations set and read concrete ids and ARNs.
  const evaluations = Promise.all(
    stacks.map(async (stack) => ({ stack, ev: await evaluateStack({ programDir, stack, log: () => undefined, preview: false }) })),
  );
  const packStarted = Date.now();
  // The pack serves every stack: no policy reads the stack's config, so its stack context is neutral.
  const poolStart = PackPool.start(
    {
      packDir,
      project: project.name,
      stack: "mutation-suite",
      config: {},
      secretKeys: [],
      tags: { "pulumi:project": project.name, "pulumi:runtime": "nodejs" },
    },
    options.processes ?? 1,
  ).then((p) => ({ pool: p, ms: Date.now() - packStarted }));
  const [evs, ps] = await Promise.allSettled([evaluations, poolStart]);
  const pool = ps.status === "fulfilled" ? ps.value.pool : undefined;
  try {
    if (evs.status === "rejected") throw evs.reason;
    if (ps.status === "rejected") throw ps.reason;
    const packStartMs = ps.value.ms;
    const recordMs = Math.max(...evs.value.map((e) => e.ev.wallMs));
    await pool!.configure(policyConfig, `policy config ${configFile}`);
    const meta = pool!.metadata;
    validateCatalog(mutations, gaps, meta.policies);
    progress(`policy pack ${meta.name}@${meta.version}: ${meta.policies.length} policies; recorded in ${(recordMs / 1000).toFixed(1)} s`);

    const inputs = new Map<StackName, StackInput>(
      evs.value.map(({ stack, ev }) => [
        stack,
        { stack, file: files.get(stack)!, recording: ev.recording, json: JSON.stringify(ev.recording) },
      ]),
    );
    const analyze = async (input: StackInput, recording: Recording) => {
      const model = buildStackModel({ recording, programDir, config: input.file.config, secretKeys: input.file.secretKeys });
      return { resources: model.resources.length, analysis: await analyzeModel(pool!, model) };
    };

    const baselineStarted = Date.now();
    const baselines: BaselineResult[] = [];
    for (const stack of stacks) {
      const { resources, analysis } = await analyze(inputs.get(stack)!, inputs.get(stack)!.recording);
      baselines.push({ stack, resources, violations: analysis.diagnostics.map(violationOf) });
    }
    const baselineMs = Date.now() - baselineStarted;

    type Job = { readonly m: Mutation; readonly stack: StackName; readonly gap: boolean };
    const jobs: Job[] = [];
    for (const [list, gap] of [
      [mutations, false],
      [gaps, true],
    ] as const) {
      for (const m of list) for (const stack of m.stacks) if (stacks.includes(stack)) jobs.push({ m, stack, gap });
    }
    progress(`analyzing ${jobs.length} mutants`);
    const mutantsStarted = Date.now();
    let done = 0;
    const outcomes = await inParallel(jobs, options.concurrency ?? 3, async ({ m, stack }) => {
      const t0 = Date.now();
      const input = inputs.get(stack)!;
      try {
        const mutated = m.apply(input.recording);
        if (JSON.stringify(input.recording) !== input.json)
          throw new Error(`the mutation changed the recording it was given (it must return a copy)`);
        if (JSON.stringify(mutated) === input.json) throw new Error(`the mutation changed nothing`);
        const { analysis } = await analyze(input, mutated);
        done++;
        if (done % 20 === 0) progress(`${done}/${jobs.length} mutants analyzed`);
        return { diagnostics: analysis.diagnostics, ms: Date.now() - t0 };
      } catch (e) {
        // A pack failure is not a mutation's fault: let it end the run.
        if ((e as Error).name === "PolicyPackError") throw e;
        return { error: (e as Error).message, ms: Date.now() - t0 };
      }
    });
    const mutantsMs = Date.now() - mutantsStarted;

    const mutants: MutantResult[] = [];
    const gapResults: GapResult[] = [];
    jobs.forEach(({ m, stack, gap }, i) => {
      const o = outcomes[i];
      const diagnostics = "diagnostics" in o ? (o.diagnostics ?? []) : [];
      const fired = mandatoryPolicies(diagnostics);
      const error = "error" in o ? o.error : undefined;
      if (gap) {
        gapResults.push({
          stack,
          mutation: m.name,
          control: m.control,
          description: m.description,
          status: error ? "error" : fired.length ? "caught" : "survived",
          fired,
          error,
        });
        return;
      }
      const missing = m.expect.filter((p) => !fired.includes(p));
      const status = classify(m.expect, fired, error);
      mutants.push({
        stack,
        mutation: m.name,
        control: m.control,
        description: m.description,
        expected: m.expect,
        status,
        fired,
        missing,
        violations: diagnostics.filter((d) => d.enforcementLevel === "mandatory").map(violationOf),
        error,
        ms: o.ms,
      });
    });

    return {
      pack: { name: meta.name, version: meta.version, policies: meta.policies.length },
      policyConfig: path.relative(programDir, configFile).split(path.sep).join("/"),
      stacks,
      baselines,
      mutants,
      gaps: gapResults,
      summary: summarize(mutants, baselines, gapResults),
      timings: { totalMs: Date.now() - started, recordMs, packStartMs, baselineMs, mutantsMs },
    };
  } finally {
    if (pool) await pool.close();
  }
}
