/**
 * The first, light half of `npm run check`: validate the inputs and start
 * the two slow things at once, before the check loads gRPC and the rest —
 * the program's evaluation (child process) and the first policy pack process.
 * Only Node built-ins, yaml and the recorder's stack-file reader load here.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { readProject, readStackFile, StackFileError } from "../../engine/recorder/stack-file";
import type { ProjectFile, StackConfigFile } from "../../engine/recorder/stack-file";
import type { CheckArgs } from "./args";
import { CheckUsageError } from "./errors";
import { Evaluation, evaluateStack } from "../../engine/evaluate";
import { PolicyConfigMap, readPolicyConfigFile } from "../../engine/pack/policy-config";
import { PackLaunchOptions, PendingPack, PolicyPackProject, readPolicyPackProject, SpawnedPack, spawnPack } from "../../engine/pack/spawn";

export type Progress = (message: string) => void;

export interface StartedCheck {
  readonly args: CheckArgs;
  readonly startedAt: number;
  readonly project: ProjectFile;
  readonly stackFile: StackConfigFile;
  readonly tier: string;
  /** The policy config file used, if any, and what it says (parsed, not yet reconciled with the pack). */
  readonly policyConfigFile?: string;
  readonly policyConfig: PolicyConfigMap;
  /** Names the config's origin in messages. */
  readonly policyConfigWhere: string;
  readonly packProject: PolicyPackProject;
  readonly launch: PackLaunchOptions;
  readonly evaluation: Promise<Evaluation>;
  readonly pack: Promise<SpawnedPack>;
  /** Stops both children (when the check fails before the pack pool owns the pack). */
  cancel(): void;
}

/** Tier of a stack: its `<project>:tier` config value, else the stack name's suffix (`azure-prod` -> `prod`). */
export function tierOf(project: string, stack: string, config: Readonly<Record<string, string>>): string {
  return config[`${project}:tier`] ?? stack.split("-").pop() ?? stack;
}

function readInputs(args: CheckArgs): { project: ProjectFile; stackFile: StackConfigFile; description?: string } {
  if (!fs.existsSync(args.programDir) || !fs.statSync(args.programDir).isDirectory()) {
    throw new CheckUsageError(
      `--program ${args.programDir}: no such directory; give the directory of a Pulumi program (the one with Pulumi.yaml)`,
    );
  }
  if (!fs.existsSync(path.join(args.programDir, "Pulumi.yaml"))) {
    throw new CheckUsageError(
      `--program ${args.programDir}: no Pulumi.yaml there; give the directory of a Pulumi program (the one with Pulumi.yaml)`,
    );
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
  if (!fs.existsSync(file)) return { config: {}, where: "the pack's defaults" };
  return { file, config: readPolicyConfigFile(file, "policy config"), where: `policy config ${file}` };
}

export function startCheck(args: CheckArgs, progress: Progress = () => undefined): StartedCheck {
  const startedAt = Date.now();
  const { project, stackFile, description } = readInputs(args);
  const packProject = readPolicyPackProject(args.policyPackDir);
  const tier = tierOf(project.name, args.stack, stackFile.config);
  const policyConfig = policyConfigOf(args, tier);
  const launch: PackLaunchOptions = {
    packDir: args.policyPackDir,
    project: project.name,
    stack: args.stack,
    config: stackFile.config,
    secretKeys: stackFile.secretKeys,
    tags: { "pulumi:project": project.name, "pulumi:runtime": "nodejs", ...(description ? { "pulumi:description": description } : {}) },
    typeCheck: args.packTypeCheck,
  };

  progress(`evaluating stack ${args.stack} of ${args.programDir} under mocks`);
  const abort = new AbortController();
  const evaluation = evaluateStack({ programDir: args.programDir, stack: args.stack, signal: abort.signal });
  progress(`starting policy pack ${args.policyPackDir}`);
  let pending: PendingPack;
  try {
    pending = spawnPack(launch, packProject);
  } catch (e) {
    abort.abort();
    evaluation.catch(() => undefined);
    throw e;
  }
  const pack = pending.ready;
  // Awaited later; never an unhandled rejection meanwhile.
  evaluation.catch(() => undefined);
  pack.catch(() => undefined);
  return {
    args,
    startedAt,
    project,
    stackFile,
    tier,
    policyConfigFile: policyConfig.file,
    policyConfig: policyConfig.config,
    policyConfigWhere: policyConfig.where,
    packProject,
    launch,
    evaluation,
    pack,
    cancel() {
      abort.abort();
      pending.child.kill("SIGKILL");
    },
  };
}
