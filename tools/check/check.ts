/**
 * `npm run check` end to end: validate the inputs, evaluate the stack in a
 * child process while the policy pack starts, configure the pack, analyze
 * every resource (spread over pack processes) and the stack once, and build
 * the report. Output formats are rendered by `render`.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { readProject, readStackFile, StackFileError } from "../recorder/stack-file";
import type { StackConfigFile, ProjectFile } from "../recorder/stack-file";
import { analyzeModel } from "./analyze";
import type { CheckArgs, OutputFormat } from "./args";
import { PROJECT_ROOT } from "./args";
import { CheckUsageError, EXIT_MANDATORY, EXIT_OK } from "./errors";
import { evaluateStack } from "./evaluate";
import { renderTable } from "./format/table";
import { toSarif } from "./format/sarif";
import { buildStackModel } from "./model";
import { readPolicyPackProject } from "./pack/launch";
import { PolicyConfigMap, readPolicyConfigFile } from "./pack/policy-config";
import { autoProcesses, PackPool } from "./pack/pool";
import { addSections, buildReport, CheckReport, repoRootOf } from "./report";
import { SECTIONS } from "./sections";

export interface CheckResult {
  readonly report: CheckReport;
  readonly exitCode: typeof EXIT_OK | typeof EXIT_MANDATORY;
  /** Repository root the report's paths are relative to. */
  readonly root: string;
  /** The program's main file, relative to root (SARIF location for results without a source). */
  readonly mainFile: string;
}

export type Progress = (message: string) => void;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Tier of a stack: its `<project>:tier` config value, else the stack name's suffix (`azure-prod` -> `prod`). */
export function tierOf(project: string, stack: string, config: Readonly<Record<string, string>>): string {
  return config[`${project}:tier`] ?? stack.split("-").pop() ?? stack;
}

function toolVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

function readInputs(args: CheckArgs): { project: ProjectFile; stackFile: StackConfigFile; description?: string } {
  if (!fs.existsSync(args.programDir) || !fs.statSync(args.programDir).isDirectory()) {
    throw new CheckUsageError(`--program ${args.programDir}: no such directory; give the directory of a Pulumi program (the one with Pulumi.yaml)`);
  }
  if (!fs.existsSync(path.join(args.programDir, "Pulumi.yaml"))) {
    throw new CheckUsageError(`--program ${args.programDir}: no Pulumi.yaml there; give the directory of a Pulumi program (the one with Pulumi.yaml)`);
  }
  try {
    const project = readProject(args.programDir);
    const stackFile = readStackFile(project, args.stack);
    let description: string | undefined;
    try {
      const d = (YAML.parse(fs.readFileSync(path.join(args.programDir, "Pulumi.yaml"), "utf8")) as { description?: unknown }).description;
      description = typeof d === "string" ? d : undefined;
    } catch {
      description = undefined;
    }
    return { project, stackFile, description };
  } catch (e) {
    if (e instanceof StackFileError) {
      const flag = /no stack file|stack name/.test(e.message) ? "--stack" : "--program";
      throw new CheckUsageError(`${flag}: ${e.message}`);
    }
    throw e;
  }
}

function policyConfigOf(args: CheckArgs, tier: string): { file?: string; config: PolicyConfigMap; where: string } {
  if (args.policyConfig) {
    return { file: args.policyConfig, config: readPolicyConfigFile(args.policyConfig), where: `--policy-config ${args.policyConfig}` };
  }
  const file = path.join(args.policyPackDir, "config", `${tier}.json`);
  if (fs.existsSync(file)) return { file, config: readPolicyConfigFile(file, "policy config"), where: `policy config ${file}` };
  return { config: {}, where: "the pack's defaults" };
}

export async function runCheck(args: CheckArgs, progress: Progress = () => undefined): Promise<CheckResult> {
  const started = Date.now();
  const { project, stackFile, description } = readInputs(args);
  readPolicyPackProject(args.policyPackDir);
  const tier = tierOf(project.name, args.stack, stackFile.config);
  const policyConfig = policyConfigOf(args, tier);

  progress(`evaluating stack ${args.stack} of ${args.programDir} under mocks`);
  progress(`starting policy pack ${args.policyPackDir}`);
  const evaluation = evaluateStack({ programDir: args.programDir, stack: args.stack });
  const poolStart = PackPool.start(
    {
      packDir: args.policyPackDir,
      project: project.name,
      stack: args.stack,
      config: stackFile.config,
      secretKeys: stackFile.secretKeys,
      tags: { "pulumi:project": project.name, "pulumi:runtime": "nodejs", ...(description ? { "pulumi:description": description } : {}) },
      typeCheck: args.packTypeCheck,
    },
    1,
  );
  // Settle both before acting, so a failure of one never leaves the other's processes behind.
  const [ev, ps] = await Promise.allSettled([evaluation, poolStart]);
  if (ev.status === "rejected" || ps.status === "rejected") {
    if (ps.status === "fulfilled") await ps.value.close();
    throw ev.status === "rejected" ? ev.reason : (ps as PromiseRejectedResult).reason;
  }
  const { recording, wallMs: evaluateMs } = ev.value;
  const pool = ps.value;
  try {
    progress(`recorded ${recording.resources.length} resources in ${seconds(evaluateMs)}`);
    const reconciled = await pool.configure(policyConfig.config, policyConfig.where);
    for (const name of reconciled.unknownPolicies) progress(`warning: ${policyConfig.where} configures "${name}", which the pack does not have`);
    const meta = pool.metadata;
    progress(`policy pack ${meta.name}@${meta.version}: ${meta.policies.length} policies, config ${policyConfig.file ?? "none"} (tier ${tier})`);

    const model = buildStackModel({ recording, programDir: args.programDir, config: stackFile.config, secretKeys: stackFile.secretKeys });
    const processes = args.jobs ?? autoProcesses(model.resources.length);
    if (processes > 1) await pool.grow(processes);
    const analysis = await analyzeModel(pool, model);
    progress(`analyzed ${model.resources.length} resources with ${analysis.timings.processes} pack process(es) in ${seconds(analysis.timings.analyzeMs)}; stack policies in ${seconds(analysis.timings.analyzeStackMs)}`);

    const root = repoRootOf(args.programDir);
    let report = buildReport({
      toolVersion: toolVersion(),
      programDir: args.programDir,
      programMain: project.main,
      packDir: args.policyPackDir,
      policyConfigFile: policyConfig.file,
      pack: meta,
      reconciled,
      model,
      analysis,
      evaluateMs,
      totalMs: Date.now() - started,
      root,
      })
    report = await addSections(report, SECTIONS, { recording, model, config: stackFile.config });
    const mainFile = path.relative(root, path.resolve(args.programDir, mainFileOf(args.programDir, project.main))).split(path.sep).join("/");
    return { report, exitCode: report.summary.passed ? EXIT_OK : EXIT_MANDATORY, root, mainFile };
  } finally {
    await pool.close();
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
    default:
      return renderTable(result.report, SECTIONS);
  }
}
