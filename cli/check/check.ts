/**
 * `npm run check` end to end: validate the inputs, evaluate the stack in a
 * child process while the policy pack starts, configure the pack, analyze
 * every resource (spread over pack processes) and the stack once, and build
 * the report with its optional sections (the idle-cost estimate). Output
 * formats are rendered by `render`.
 */
import * as fs from "fs";
import * as path from "path";
import { Analysis, analyzeModel } from "../../engine/analyze";
import type { CheckArgs, OutputFormat } from "./args";
import { PROJECT_ROOT } from "../../engine/project";
import { EXIT_MANDATORY, EXIT_OK } from "./errors";
import { renderTable } from "./format/table";
import { toSarif } from "./format/sarif";
import { renderEngineEvents, toEngineEvents } from "./format/engine-events";
import { toStackExport } from "./format/stack-export";
import { buildStackModel, StackModel } from "../../engine/model";
import { autoProcesses, PackPool } from "../../engine/pack/pool";
import { addSections, buildReport, CheckReport, ReportSection, repoRootOf } from "./report";
import { SECTIONS } from "./sections";
import { Progress, StartedCheck, startCheck } from "./start";

export { tierOf } from "./start";
export type { Progress } from "./start";

export interface CheckResult {
  readonly report: CheckReport;
  readonly exitCode: typeof EXIT_OK | typeof EXIT_MANDATORY;
  /** Repository root the report's paths are relative to. */
  readonly root: string;
  /** The program's main file, relative to root (SARIF location for results without a source). */
  readonly mainFile: string;
  /** The optional sections the report was built with (the table renders them). */
  readonly sections: readonly ReportSection[];
  /** The engine's view of the stack (stack-export renders it). */
  readonly model: StackModel;
  /** The stack's config, fully qualified, and its secret keys (engine-events' prelude). */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
  /** The pack's not-applicable answers (engine-events' passed lists); only with --format engine-events. */
  readonly notApplicable?: Analysis["notApplicable"];
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function toolVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

/** Runs a whole check (both halves). `sections`: the optional report sections (default: all of them). */
export async function runCheck(
  args: CheckArgs,
  progress: Progress = () => undefined,
  sections: readonly ReportSection[] = SECTIONS,
): Promise<CheckResult> {
  return finishCheck(startCheck(args, progress), progress, sections);
}

/**
 * The second half: read the policy config, configure the pack, analyze,
 * report. A section that fails is reported in the report and as a warning;
 * it never changes the exit code.
 */
export async function finishCheck(
  started: StartedCheck,
  progress: Progress = () => undefined,
  sections: readonly ReportSection[] = SECTIONS,
): Promise<CheckResult> {
  const { args, project, stackFile, tier } = started;
  let pool: PackPool | undefined;
  try {
    const { policyConfigFile: file, policyConfig: given, policyConfigWhere: where } = started;

    // A program that throws makes the pack pointless: stop it at once. Both are settled before acting,
    // so a failure of one never leaves the other's process behind.
    started.evaluation.catch(() => started.cancel());
    const [ev, ps] = await Promise.allSettled([started.evaluation, PackPool.start(started.launch, 1, started.pack, started.startedAt)]);
    if (ps.status === "fulfilled") pool = ps.value;
    if (ev.status === "rejected") throw ev.reason;
    if (ps.status === "rejected") throw ps.reason;
    const { recording, wallMs: evaluateMs } = ev.value;
    progress(`recorded ${recording.resources.length} resources in ${seconds(evaluateMs)}`);

    const reconciled = await pool!.configure(given, where);
    for (const name of reconciled.unknownPolicies) progress(`warning: ${where} configures "${name}", which the pack does not have`);
    const meta = pool!.metadata;
    progress(`policy pack ${meta.name}@${meta.version}: ${meta.policies.length} policies, config ${file ?? "none"} (tier ${tier})`);

    const model = buildStackModel({ recording, programDir: args.programDir, config: stackFile.config, secretKeys: stackFile.secretKeys });
    const processes = args.jobs ?? autoProcesses(model.resources.length);
    if (processes > 1) await pool!.grow(processes);
    // The engine's policy summaries need each response's not-applicable list: decode them only for that format.
    const analysis = await analyzeModel(pool!, model, { notApplicable: args.format === "engine-events" });
    progress(
      `analyzed ${model.resources.length} resources with ${analysis.timings.processes} pack process(es) in ${seconds(analysis.timings.analyzeMs)}; stack policies in ${seconds(analysis.timings.analyzeStackMs)}`,
    );

    // Report paths (and SARIF's %SRCROOT%) start at the program's repository, or at the program's folder.
    const root = repoRootOf(args.programDir, args.programDir);
    let report = buildReport({
      toolVersion: toolVersion(),
      programDir: args.programDir,
      programMain: project.main,
      packDir: args.policyPackDir,
      policyConfigFile: file,
      pack: meta,
      reconciled,
      model,
      analysis,
      evaluateMs,
      totalMs: Date.now() - started.startedAt,
      root,
    });
    report = await addSections(report, sections, {
      recording,
      model,
      config: stackFile.config,
      secretKeys: stackFile.secretKeys,
      warn: (m) => progress(`warning: ${m}`),
    });
    const mainFile = path
      .relative(root, path.resolve(args.programDir, mainFileOf(args.programDir, project.main)))
      .split(path.sep)
      .join("/");
    return {
      report,
      exitCode: report.summary.passed ? EXIT_OK : EXIT_MANDATORY,
      root,
      mainFile,
      sections,
      model,
      config: stackFile.config,
      secretKeys: stackFile.secretKeys,
      notApplicable: analysis.notApplicable,
    };
  } finally {
    if (pool) await pool.close();
    else started.cancel();
  }
}

/** The file Pulumi loads for `main` (a directory means its index). */
function mainFileOf(programDir: string, main: string): string {
  const abs = path.resolve(programDir, main);
  if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) {
    for (const f of ["index.ts", "index.js"]) if (fs.existsSync(path.join(abs, f))) return path.join(main, f);
    return path.join(main, "index.ts");
  }
  return main;
}

export function render(result: CheckResult, format: OutputFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(result.report, null, 2) + "\n";
    case "sarif":
      return JSON.stringify(toSarif(result.report, result.root, result.mainFile), null, 2) + "\n";
    case "engine-events":
      return renderEngineEvents(toEngineEvents(result.report, result.config, result.secretKeys, Date.now(), result.notApplicable));
    case "stack-export":
      return JSON.stringify(toStackExport(result.model), null, 2) + "\n";
    default:
      return renderTable(result.report, result.sections);
  }
}
