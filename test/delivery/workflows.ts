/**
 * The delivery model the tests reason about, read from the repository's files:
 * the stack files (Pulumi.<stack>.yaml), the workflows, and from them every
 * "stack run": which workflow/job runs which command (preview, up, check) for
 * which stack, in which GitHub Environment, under which concurrency group,
 * after which jobs, and with which Pulumi CLI command lines.
 *
 * Everything is computed by pure functions over parsed files, so a test can
 * run the same checks over a temporary copy of the repository (e.g. with an
 * extra Pulumi.staging.yaml) or over a synthetic list of stacks.
 */
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../engine/project";
import * as YAML from "yaml";
import { Contexts, UNKNOWN, Value, condition, resolveValue } from "./expressions";

export const REPO_ROOT = PROJECT_ROOT;
export const WORKFLOW_DIR = path.join(".github", "workflows");

/** The reusable workflows the delivery paths call. */
export const PULUMI_STACK_WORKFLOW = "./.github/workflows/pulumi-stack.yml";
export const CHECKS_WORKFLOW = "./.github/workflows/checks.yml";

/** Actions that exchange the job's OIDC token for cloud or Pulumi credentials. */
export const OIDC_ACTIONS = ["aws-actions/configure-aws-credentials", "azure/login", "pulumi/auth-actions"];

// ---------------------------------------------------------------- workflow types

export type Permissions = "read-all" | "write-all" | Readonly<Record<string, string>>;

export interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly if?: string | boolean;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, unknown>>;
}

export interface Job {
  readonly name?: string;
  readonly if?: string | boolean;
  readonly needs?: string | readonly string[];
  readonly permissions?: Permissions;
  readonly environment?: string | { readonly name: string; readonly url?: string };
  readonly concurrency?: string | { readonly group: string; readonly "cancel-in-progress"?: boolean | string };
  readonly strategy?: { readonly matrix?: unknown; readonly "fail-fast"?: boolean | string };
  readonly uses?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly secrets?: unknown;
  readonly steps?: readonly Step[];
}

export interface WorkflowDoc {
  readonly name?: string;
  readonly on: unknown;
  readonly permissions?: Permissions;
  readonly concurrency?: Job["concurrency"];
  readonly jobs: Readonly<Record<string, Job>>;
}

export interface Workflow {
  /** File name in .github/workflows, e.g. deploy.yml. */
  readonly file: string;
  readonly source: string;
  readonly doc: WorkflowDoc;
}

export type Workflows = ReadonlyMap<string, Workflow>;

export function loadWorkflows(root: string = REPO_ROOT): Workflows {
  const dir = path.join(root, WORKFLOW_DIR);
  const map = new Map<string, Workflow>();
  for (const file of fs.readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(file)) continue;
    const source = fs.readFileSync(path.join(dir, file), "utf8");
    map.set(file, { file, source, doc: YAML.parse(source) as WorkflowDoc });
  }
  return map;
}

/** Trigger names of a workflow's `on:` (string, list or map form). */
export function triggers(doc: WorkflowDoc): Record<string, unknown> {
  const on = doc.on;
  if (typeof on === "string") return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((t) => [String(t), null]));
  return (on ?? {}) as Record<string, unknown>;
}

export function isReusable(doc: WorkflowDoc): boolean {
  return "workflow_call" in triggers(doc);
}

export function needsOf(job: Job): string[] {
  if (job.needs === undefined) return [];
  return typeof job.needs === "string" ? [job.needs] : [...job.needs];
}

/** A local reusable workflow (`uses: ./.github/workflows/x.yml`) by file name. */
export function calledWorkflow(job: Job, workflows: Workflows): Workflow | undefined {
  if (!job.uses?.startsWith("./.github/workflows/")) return undefined;
  const called = workflows.get(path.basename(job.uses));
  if (!called) throw new Error(`job calls ${job.uses}, which does not exist`);
  return called;
}

// ---------------------------------------------------------------- matrices

export type MatrixCombo = Readonly<Record<string, string>>;

/**
 * Expands `strategy.matrix` as GitHub does: the cartesian product of the
 * axes, `exclude` removed, then each `include` entry extends every matching
 * combination or, when it matches none, is added as its own combination.
 */
export function expandMatrix(matrix: unknown): MatrixCombo[] {
  if (matrix === undefined || matrix === null) return [{}];
  if (typeof matrix !== "object" || Array.isArray(matrix)) {
    throw new Error(`matrix must be a mapping of literal values to be checked offline, got ${JSON.stringify(matrix)}`);
  }
  const m = matrix as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
  const entries = (v: unknown): Record<string, string>[] =>
    Array.isArray(v) ? v.map((e) => Object.fromEntries(Object.entries(e as object).map(([k, x]) => [k, str(x)]))) : [];
  let combos: Record<string, string>[] = [{}];
  const axes = Object.keys(m).filter((k) => k !== "include" && k !== "exclude");
  for (const axis of axes) {
    const values = m[axis];
    if (!Array.isArray(values)) throw new Error(`matrix axis ${axis} is not a literal list: ${JSON.stringify(values)}`);
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [axis]: str(v) })));
  }
  if (axes.length === 0) combos = [];
  const matches = (combo: Record<string, string>, e: Record<string, string>, keys: string[]) => keys.every((k) => combo[k] === e[k]);
  for (const ex of entries(m.exclude)) {
    combos = combos.filter((c) => !matches(c, ex, Object.keys(ex)));
  }
  for (const inc of entries(m.include)) {
    const axisKeys = Object.keys(inc).filter((k) => axes.includes(k));
    const hit = combos.filter((c) => axisKeys.length > 0 && matches(c, inc, axisKeys));
    if (hit.length > 0) hit.forEach((c) => Object.assign(c, inc));
    else combos.push({ ...inc });
  }
  return combos;
}

// ---------------------------------------------------------------- stack files

export interface StackMeta {
  readonly stack: string;
  readonly file: string;
  readonly cloud?: string;
  readonly tier?: string;
  readonly region?: string;
}

/** Stack names from file names: `Pulumi.<stack>.yaml|yml`, never `Pulumi.yaml` itself. */
export function stackNamesFromFiles(files: readonly string[]): string[] {
  return files
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(f))?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

export function projectName(root: string = REPO_ROOT): string {
  const doc = YAML.parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name?: unknown };
  if (typeof doc?.name !== "string") throw new Error(`${root}/Pulumi.yaml has no project name`);
  return doc.name;
}

export function readStacks(root: string = REPO_ROOT): StackMeta[] {
  const project = projectName(root);
  const files = fs.readdirSync(root).filter((f) => /^Pulumi\..+\.ya?ml$/.test(f));
  return stackNamesFromFiles(files).map((stack) => {
    const file = files.find((f) => stackNamesFromFiles([f])[0] === stack)!;
    const doc = (YAML.parse(fs.readFileSync(path.join(root, file), "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const get = (key: string) => {
      const v = doc.config?.[`${project}:${key}`];
      return typeof v === "string" ? v : undefined;
    };
    return { stack, file, cloud: get("cloud"), tier: get("tier"), region: get("region") };
  });
}

// ---------------------------------------------------------------- stack runs

export type Command = "preview" | "up" | "check";

export interface StackRun {
  readonly workflow: string;
  readonly job: string;
  readonly command: Command;
  readonly stack: string;
  /** As the workflow passes them (preview/up); undefined for checks. */
  readonly cloud?: string;
  readonly tier?: string;
  readonly region?: string;
  readonly environment?: string;
  readonly concurrencyGroup?: string;
  readonly cancelInProgress?: Value;
  readonly failFast?: Value;
  /** The job's own `needs` (in its workflow). */
  readonly needs: readonly string[];
  /** Inputs the reusable workflow receives (preview/up). */
  readonly inputs?: Readonly<Record<string, string>>;
}

function resolvedString(value: unknown, contexts: Contexts, what: string): string {
  const v = resolveValue(value, contexts);
  if (v === UNKNOWN) throw new Error(`${what} cannot be resolved offline: ${JSON.stringify(value)}`);
  return v === null ? "" : String(v);
}

function concurrencyOf(job: Job, contexts: Contexts): { group?: string; cancel?: Value } {
  const c = job.concurrency;
  if (c === undefined) return {};
  if (typeof c === "string") return { group: resolvedString(c, contexts, "concurrency"), cancel: false };
  return {
    group: resolvedString(c.group, contexts, "concurrency.group"),
    cancel: c["cancel-in-progress"] === undefined ? false : resolveValue(c["cancel-in-progress"], contexts),
  };
}

const CHECK_RUN = /npm run check -- (.*)$/m;

/** `npm run check -- ...` commands of a job's steps, with the matrix resolved. */
function checkCommandsOf(job: Job, contexts: Contexts): string[] {
  const out: string[] = [];
  for (const step of job.steps ?? []) {
    const m = step.run ? CHECK_RUN.exec(step.run) : null;
    if (m) out.push(resolvedString(`npm run check -- ${m[1]}`, contexts, "check command"));
  }
  return out;
}

/** The literal value of a flag; undefined when absent or a shell variable (a loop over files). */
function flagValue(command: string, flag: string): string | undefined {
  const parts = command.split(/\s+/);
  const i = parts.indexOf(flag);
  const v = i >= 0 ? parts[i + 1] : undefined;
  return v !== undefined && /^[\w.-]+$/.test(v) ? v : undefined;
}

/** Every preview/up/check of a stack that the workflows run, one per matrix combination. */
export function stackRuns(workflows: Workflows): StackRun[] {
  const runs: StackRun[] = [];
  for (const wf of workflows.values()) {
    if (isReusable(wf.doc)) continue; // reached through their callers
    for (const [jobId, job] of Object.entries(wf.doc.jobs)) {
      for (const matrix of expandMatrix(job.strategy?.matrix)) {
        const contexts: Contexts = { matrix };
        const { group, cancel } = concurrencyOf(job, contexts);
        const failFast = job.strategy?.["fail-fast"] === undefined ? true : resolveValue(job.strategy["fail-fast"], contexts);
        const base: Omit<StackRun, "command" | "stack"> = {
          workflow: wf.file,
          job: jobId,
          needs: needsOf(job),
          concurrencyGroup: group,
          cancelInProgress: cancel,
          failFast,
        };
        const called = calledWorkflow(job, workflows);
        if (job.uses === PULUMI_STACK_WORKFLOW) {
          const inputs = Object.fromEntries(
            Object.entries(job.with ?? {}).map(([k, v]) => [k, resolvedString(v, contexts, `${wf.file} ${jobId} with.${k}`)]),
          );
          const command = inputs.command as Command;
          runs.push({
            ...base,
            command,
            stack: inputs.stack,
            cloud: inputs.cloud,
            tier: inputs.tier,
            region: inputs.region || undefined,
            environment: inputs.environment,
            inputs,
          });
        } else if (called) {
          // A reusable workflow with its own jobs (checks.yml): each of its matrix combinations.
          for (const [calleeId, callee] of Object.entries(called.doc.jobs)) {
            for (const m2 of expandMatrix(callee.strategy?.matrix)) {
              for (const cmd of checkCommandsOf(callee, { matrix: m2 })) {
                const stack = flagValue(cmd, "--stack");
                if (stack) runs.push({ ...base, job: `${jobId}/${calleeId}`, command: "check", stack });
              }
            }
          }
        } else {
          for (const cmd of checkCommandsOf(job, contexts)) {
            const stack = flagValue(cmd, "--stack");
            if (stack) runs.push({ ...base, command: "check", stack });
          }
        }
      }
    }
  }
  return runs;
}

// ---------------------------------------------------------------- coverage

/** Which commands every stack must get, and from which workflow. */
export const REQUIRED_COVERAGE: readonly { readonly workflow: string; readonly command: Command }[] = [
  { workflow: "pr-review.yml", command: "check" },
  { workflow: "pr-review.yml", command: "preview" },
  { workflow: "deploy.yml", command: "check" },
  { workflow: "deploy.yml", command: "up" },
];

/**
 * What is wrong between the stack files and the workflows' runs: a stack
 * file no matrix covers, a stack covered twice, a matrix entry for a stack
 * file that does not exist, or a cloud/tier/region that disagrees with the
 * stack file. Empty when the two agree.
 */
export function coverageProblems(stacks: readonly StackMeta[], runs: readonly StackRun[]): string[] {
  const problems: string[] = [];
  const names = new Set(stacks.map((s) => s.stack));
  for (const s of stacks) {
    for (const { workflow, command } of REQUIRED_COVERAGE) {
      const hits = runs.filter((r) => r.workflow === workflow && r.command === command && r.stack === s.stack);
      if (hits.length === 0) {
        problems.push(`${s.file}: stack '${s.stack}' has no ${command} in ${workflow}; add it to that workflow's matrix`);
      } else if (hits.length > 1) {
        problems.push(
          `${s.file}: stack '${s.stack}' gets ${hits.length} ${command} runs in ${workflow} (${hits.map((h) => h.job).join(", ")}); keep one`,
        );
      }
    }
  }
  for (const r of runs) {
    if (!names.has(r.stack)) {
      problems.push(`${r.workflow} job ${r.job}: ${r.command} of stack '${r.stack}', but there is no Pulumi.${r.stack}.yaml`);
      continue;
    }
    const s = stacks.find((x) => x.stack === r.stack)!;
    if (r.command === "check") continue;
    for (const key of ["cloud", "tier", "region"] as const) {
      if ((r[key] ?? undefined) !== (s[key] ?? undefined)) {
        problems.push(
          `${r.workflow} job ${r.job}: stack '${r.stack}' runs with ${key} '${r[key] ?? ""}' but ${s.file} says '${s[key] ?? ""}'`,
        );
      }
    }
  }
  return problems;
}

/** Jobs a job waits for, directly or through other jobs. */
export function transitiveNeeds(doc: WorkflowDoc, jobId: string): Set<string> {
  const seen = new Set<string>();
  const walk = (id: string) => {
    const job = doc.jobs[id];
    if (!job) throw new Error(`job ${id} does not exist`);
    for (const n of needsOf(job)) {
      if (!seen.has(n)) {
        seen.add(n);
        walk(n);
      }
    }
  };
  walk(jobId);
  return seen;
}

// ---------------------------------------------------------------- pulumi commands

/** pulumi/actions inputs that only change presentation or login, not what the CLI does to the stack. */
const PRESENTATION_INPUTS = new Set([
  "comment-on-pr",
  "comment-on-pr-number",
  "comment-on-summary",
  "always-include-summary",
  "edit-pr-comment",
  "github-token",
  "suppress-progress",
  "suppress-outputs",
  "color",
  "message",
  "cloud-url",
  "pulumi-version",
  "pulumi-version-file",
]);

function lines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/**
 * The Pulumi CLI command a pulumi/actions step stands for, as a user would
 * type it (`pulumi preview --stack dev --policy-pack ... --policy-pack-config ...`).
 * An input that would change the operation but has no mapping here throws,
 * so a new input cannot silently make CI differ from the documented command.
 */
export function pulumiCommandOfStep(step: Step, contexts: Contexts): string {
  const w = step.with ?? {};
  const get = (k: string) => resolvedString(w[k], contexts, `pulumi/actions ${k}`);
  const argv = ["pulumi", get("command"), "--stack", get("stack-name")];
  for (const key of Object.keys(w)) {
    if (key === "command" || key === "stack-name" || PRESENTATION_INPUTS.has(key)) continue;
    if (key === "policyPacks") lines(get(key)).forEach((p) => argv.push("--policy-pack", p));
    else if (key === "policyPackConfigs") lines(get(key)).forEach((p) => argv.push("--policy-pack-config", p));
    else if (key === "refresh" || key === "diff" || key === "expect-no-changes") {
      if (get(key) === "true") argv.push(`--${key}`);
    } else throw new Error(`pulumi/actions input '${key}' has no CLI mapping in test/delivery/workflows.ts: add one`);
  }
  return argv.join(" ");
}

export interface ActiveStep {
  readonly step: Step;
  /** false when the step's `if` is false for this run; "unknown" when it depends on run-time state. */
  readonly active: boolean | "unknown";
}

/** The steps of the reusable stack workflow for one run's inputs, with their `if` evaluated. */
export function stackWorkflowSteps(run: StackRun, workflows: Workflows): ActiveStep[] {
  const callee = workflows.get(path.basename(PULUMI_STACK_WORKFLOW));
  if (!callee) throw new Error(`${PULUMI_STACK_WORKFLOW} does not exist`);
  const contexts: Contexts = { inputs: run.inputs ?? {} };
  return Object.values(callee.doc.jobs).flatMap((job) =>
    (job.steps ?? []).map((step) => {
      const c = condition(step.if, contexts);
      return { step, active: c === UNKNOWN ? ("unknown" as const) : c };
    }),
  );
}

export function isAction(step: Step, action: string): boolean {
  return step.uses !== undefined && step.uses.split("@")[0] === action;
}

/** The Pulumi CLI commands one preview/up run executes, in order. */
export function pulumiCommandsOfRun(run: StackRun, workflows: Workflows): string[] {
  const contexts: Contexts = { inputs: run.inputs ?? {} };
  return stackWorkflowSteps(run, workflows)
    .filter((s) => isAction(s.step, "pulumi/actions") && s.step.with?.command !== undefined)
    .map((s) => {
      if (s.active === "unknown") throw new Error(`the if of step '${s.step.name}' cannot be resolved offline`);
      return s.active ? pulumiCommandOfStep(s.step, contexts) : undefined;
    })
    .filter((c): c is string => c !== undefined);
}

/** The commands of the stack workflow with placeholders, as docs show them: `--stack <stack>`. */
export function genericPulumiCommands(workflows: Workflows, command: "preview" | "up"): string[] {
  const run = {
    inputs: { command, stack: "<stack>", tier: "<tier>", cloud: "<cloud>", region: "", environment: "<env>" },
  } as unknown as StackRun;
  return pulumiCommandsOfRun(run, workflows);
}

// ---------------------------------------------------------------- steps and actions

/** Every step of a job, including the steps of the local reusable workflow it calls. */
export function effectiveSteps(job: Job, workflows: Workflows): Step[] {
  const called = calledWorkflow(job, workflows);
  if (called) return Object.values(called.doc.jobs).flatMap((j) => effectiveSteps(j, workflows));
  return [...(job.steps ?? [])];
}

/** Every `uses:` in every workflow (steps and reusable-workflow calls), with where it is. */
export function allUses(workflows: Workflows): { workflow: string; job: string; uses: string }[] {
  const out: { workflow: string; job: string; uses: string }[] = [];
  for (const wf of workflows.values()) {
    for (const [jobId, job] of Object.entries(wf.doc.jobs)) {
      if (job.uses) out.push({ workflow: wf.file, job: jobId, uses: job.uses });
      for (const s of job.steps ?? []) if (s.uses) out.push({ workflow: wf.file, job: jobId, uses: s.uses });
    }
  }
  return out;
}
