/**
 * `npm run train` in-process: parse and validate everything first (flags,
 * stack, outputs, hyperparameters), then build the request, then either print
 * it (--dry-run) or send it. Every side effect goes through `TrainDeps`, so
 * tests inject fake clients, files and clocks.
 *
 * stdout carries exactly one JSON line {jobName, cloud, status, consoleUrl}
 * once a job exists (or the request document for --dry-run, or --help);
 * everything else goes to stderr.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { checkForCloud, loadHyperparameters, parseTrainArgs, USAGE, type TrainArgs } from "./args";
import { awsDryRun, buildAwsPlan, submitAws, type SubmitOutcome } from "./aws";
import {
  azCliTokenProvider,
  azureDryRun,
  buildAzurePlan,
  fetchHttpClient,
  selectCluster,
  submitAzure,
  type HttpClient,
  type TokenProvider,
} from "./azure";
import { EXIT, type ExitCode, TrainError } from "./errors";
import { type CommandRunner, runCommand } from "./exec";
import { PROJECT_ROOT } from "../../engine/project";
import { parseAwsOutputs, parseAzureOutputs, readStackAndOutputs, type StackInfo } from "./outputs";
import { explainError } from "../data/cloud-errors";
import { resolveDataset, type DatasetRef } from "../data/dataset-ref";
import { realClients, resolveTarget, type ClientFactory, type DataTarget } from "../data/target";
import { type Clock, realClock } from "./wait";

export interface TrainDeps {
  /** Project directory: holds Pulumi.yaml and the Pulumi.<stack>.yaml files. */
  readonly root: string;
  /** Directory relative file paths (--outputs, --hyperparameters) resolve against. */
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (file: string) => string;
  /** Runs `pulumi` / `az`. */
  readonly run: CommandRunner;
  readonly sagemaker: (region: string) => SageMakerClient;
  readonly http: HttpClient;
  readonly token: TokenProvider;
  readonly clock: Clock;
  readonly pollIntervalMs: number;
  /** Random hex for generated job names. */
  readonly randomHex: (chars: number) => string;
  /** Storage clients (npm run data's) that read a --dataset manifest. */
  readonly clients: ClientFactory;
}

export function defaultDeps(): TrainDeps {
  return {
    root: PROJECT_ROOT,
    // npm runs scripts in the package root; INIT_CWD is where the user typed the command.
    cwd: process.env.INIT_CWD ?? process.cwd(),
    stdout: (t) => process.stdout.write(`${t}\n`),
    stderr: (t) => process.stderr.write(`${t}\n`),
    readFile: (f) => fs.readFileSync(f, "utf8"),
    run: runCommand,
    sagemaker: (region) => new SageMakerClient({ region }),
    http: fetchHttpClient,
    token: azCliTokenProvider(runCommand),
    clock: realClock,
    pollIntervalMs: 30_000,
    randomHex: (n) =>
      crypto
        .randomBytes(Math.ceil(n / 2))
        .toString("hex")
        .slice(0, n),
    clients: realClients,
  };
}

/** `<namePrefix>-<tier>-<yyyymmdd>-<hhmmss>-<4 hex>` in UTC: at most 8+1+4+1+8+1+6+1+4 = 34 characters. */
export function defaultJobName(stack: StackInfo, now: number, randomHex: (n: number) => string): string {
  const t = new Date(now).toISOString(); // 2025-01-02T03:04:05.678Z
  const stamp = `${t.slice(0, 10).replace(/-/g, "")}-${t.slice(11, 19).replace(/:/g, "")}`;
  return `${stack.config.namePrefix}-${stack.config.tier}-${stamp}-${randomHex(4)}`;
}

function resultLine(jobName: string, cloud: string, status: string, consoleUrl: string): string {
  return JSON.stringify({ jobName, cloud, status, consoleUrl });
}

/** Runs the tool; returns the exit code. Never throws for expected failures. */
export async function runTrain(argv: readonly string[], deps: TrainDeps): Promise<ExitCode> {
  const progress = (line: string) => deps.stderr(`train: ${line}`);
  try {
    const args: TrainArgs = parseTrainArgs(argv);
    if (args.help) {
      deps.stdout(USAGE);
      return EXIT.OK;
    }
    const readFile = (f: string) => deps.readFile(path.resolve(deps.cwd, f));

    // 1. Everything is validated before anything is built or sent.
    let hyperparameters: Record<string, string> = {};
    const { stack, raw, source } = await readStackAndOutputs({
      root: deps.root,
      stack: args.stack,
      outputsFile: args.outputsFile,
      readFile,
      run: deps.run,
      log: progress,
      check: (s) => {
        checkForCloud(args, s.config.cloud, s.config.cloud === "aws" ? s.config.region : undefined);
        hyperparameters = loadHyperparameters(args.hyperparametersFile, readFile);
      },
    });
    const jobName = args.jobName ?? defaultJobName(stack, deps.clock.now(), deps.randomHex);
    const dataset = args.dataset === undefined ? undefined : await readDataset(args, args.dataset, { raw, source, stack }, deps, progress);

    if (stack.config.cloud === "aws") {
      const outputs = parseAwsOutputs(raw, stack, source); // its region is the stack config's region (checked)
      const plan = buildAwsPlan({ args, outputs, stack, hyperparameters, jobName, dataset });
      if (args.dryRun) {
        deps.stdout(JSON.stringify(awsDryRun(plan), null, 2));
        progress("dry run: nothing was sent");
        return EXIT.OK;
      }
      const outcome = await submitAws(plan, outputs, {
        client: deps.sagemaker(outputs.region),
        wait: args.wait,
        waitTimeoutSeconds: args.waitTimeoutSeconds,
        pollIntervalMs: deps.pollIntervalMs,
        clock: deps.clock,
        progress,
      });
      return finish(outcome, jobName, "aws", plan.consoleUrl, deps);
    }

    const outputs = selectCluster(args, parseAzureOutputs(raw, stack, source));
    const plan = buildAzurePlan({ args, outputs, stack, hyperparameters, jobName, dataset });
    if (args.dryRun) {
      deps.stdout(JSON.stringify(azureDryRun(plan), null, 2));
      progress(
        `dry run: nothing was sent (a real run first reads compute ${outputs.computeName} to check it against --instance-type and its guardrails)`,
      );
      return EXIT.OK;
    }
    const outcome = await submitAzure(plan, outputs, args, {
      http: deps.http,
      token: deps.token,
      wait: args.wait,
      waitTimeoutSeconds: args.waitTimeoutSeconds,
      pollIntervalMs: deps.pollIntervalMs,
      clock: deps.clock,
      progress,
    });
    return finish(outcome, jobName, "azure", outcome.consoleUrl, deps);
  } catch (e) {
    if (e instanceof TrainError) {
      deps.stderr(`train: error: ${e.message}`);
      return e.exitCode;
    }
    deps.stderr(`train: internal error: ${(e as Error)?.stack ?? String(e)}`);
    return EXIT.FAILED;
  }
}

/**
 * `--dataset`: the manifest and the files it lists, read from the stack's data location through
 * `npm run data`'s store. Missing or incomplete is exit 2; a cloud that refuses or cannot be
 * reached is exit 3 (API rejected), no credentials exit 2: nothing is sent either way.
 */
async function readDataset(
  args: TrainArgs,
  name: string,
  outputs: { raw: Record<string, unknown>; source: string; stack: StackInfo },
  deps: TrainDeps,
  progress: (line: string) => void,
): Promise<DatasetRef> {
  let target: DataTarget | undefined;
  try {
    target = resolveTarget({ ...outputs, clients: deps.clients, concurrency: 1, profile: args.dataProfile });
    progress(`reading the manifest of dataset ${name} from ${target.data.location}`);
    const ref = await resolveDataset(target.data, name, outputs.stack.name);
    progress(`dataset ${ref.name}: ${ref.files} files, ${ref.bytes} bytes, manifest sha256 ${ref.sha256}`);
    return ref;
  } catch (e) {
    const err = explainError(e, target, `reading dataset ${name}`);
    throw err.exitCode === EXIT.FAILED ? new TrainError(err.message, EXIT.REJECTED) : err;
  }
}

function finish(outcome: SubmitOutcome, jobName: string, cloud: string, consoleUrl: string, deps: TrainDeps): ExitCode {
  if (outcome.submitted) deps.stdout(resultLine(jobName, cloud, outcome.status, consoleUrl));
  if (outcome.error) deps.stderr(`train: error: ${outcome.error.message}`);
  return outcome.exitCode;
}
