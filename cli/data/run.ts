/**
 * `npm run data` in-process: validate the command line, the stack and its
 * outputs first (exit 2, nothing sent), then push, pull or ls through the
 * stores of target.ts. Every side effect goes through `DataDeps`, so tests
 * inject clients pointed at local servers, a progress sink and captured output.
 *
 * stdout: one JSON line with the result (ls: a table, or JSON with --json);
 * everything else on stderr, prefixed `data:`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCommand, type CommandRunner } from "../train/exec";
import { PROJECT_ROOT } from "../../engine/project";
import { readStackAndOutputs } from "../train/outputs";
import { TrainError } from "../train/errors";
import { parseDataArgs, USAGE, type DataArgs } from "./args";
import { explainError } from "./cloud-errors";
import { EXIT, type DataExitCode } from "./errors";
import { formatListing, listAll } from "./ls";
import { defaultProgress, type Progress } from "./progress";
import { pull } from "./pull";
import { push } from "./push";
import { defaultResumeDir } from "./s3-multipart";
import { realClients, resolveTarget, type ClientFactory, type DataTarget } from "./target";

export interface DataDeps {
  /** Project directory: holds Pulumi.yaml and the Pulumi.<stack>.yaml files. */
  readonly root: string;
  /** Where relative paths (DIR, DEST, --outputs) resolve. */
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (file: string) => string;
  readonly run: CommandRunner;
  readonly clients: ClientFactory;
  readonly progress: Progress;
  /** AWS: journal of multipart uploads in progress (a resumed push continues them part by part). */
  readonly resumeDir: string;
}

export function defaultDeps(): DataDeps {
  return {
    root: PROJECT_ROOT,
    cwd: process.env.INIT_CWD ?? process.cwd(),
    stdout: (t) => process.stdout.write(`${t}\n`),
    stderr: (t) => process.stderr.write(`${t}\n`),
    readFile: (f) => fs.readFileSync(f, "utf8"),
    run: runCommand,
    clients: realClients,
    progress: defaultProgress(process.stderr, process.env),
    resumeDir: defaultResumeDir(process.env, os.homedir()),
  };
}

/** Runs the tool; returns the exit code. Never throws for expected failures. */
export async function runData(argv: readonly string[], deps: DataDeps): Promise<DataExitCode> {
  const log = (line: string) => deps.stderr(`data: ${line}`);
  let target: DataTarget | undefined;
  let operation = "data";
  try {
    const args: DataArgs = parseDataArgs(argv, (d) => path.basename(path.resolve(deps.cwd, d)));
    if (args.command === "help") {
      deps.stdout(USAGE);
      return EXIT.OK;
    }
    const abs = (p: string) => path.resolve(deps.cwd, p);
    const { stack, raw, source } = await readStackAndOutputs({
      root: deps.root,
      stack: args.stack,
      outputsFile: args.outputsFile,
      readFile: (f) => deps.readFile(abs(f)),
      run: deps.run,
      log,
    });
    target = resolveTarget({
      raw,
      source,
      stack,
      endpoint: args.endpoint,
      clients: deps.clients,
      concurrency: args.concurrency,
      resumeDir: deps.resumeDir,
    });

    if (args.command === "push") {
      operation = `push to ${target.data.location}`;
      const r = await push({
        dir: abs(args.dir),
        dataset: args.dataset,
        store: target.data,
        concurrency: args.concurrency,
        progress: deps.progress,
        log,
        manifestOut: args.manifestOut === undefined ? undefined : abs(args.manifestOut),
      });
      log(
        r.unchanged
          ? `dataset ${r.dataset} unchanged (${r.files} files)`
          : `dataset ${r.dataset}: ${r.uploaded} uploaded, ${r.skipped} already there; manifest ${r.manifest} written last`,
      );
      deps.stdout(JSON.stringify({ command: "push", ...r }));
      return EXIT.OK;
    }
    if (args.command === "pull") {
      const prefix = args.source.includes("/") ? target.outputPrefix + args.source : `${target.outputPrefix}${args.source}/`;
      operation = `pull from ${target.outputs.location}/${prefix}`;
      const r = await pull({
        store: target.outputs,
        prefix,
        dest: abs(args.dest),
        overwrite: args.overwrite,
        concurrency: args.concurrency,
        progress: deps.progress,
      });
      if (r.unverified > 0)
        log(`${r.unverified} of ${r.files} files had no stored checksum to compare (written by the job, not by this tool)`);
      deps.stdout(JSON.stringify({ command: "pull", ...r }));
      return EXIT.OK;
    }
    operation = `ls of ${target.data.location}`;
    const listing = await listAll(target.data, target.outputs, target.outputPrefix);
    deps.stdout(
      args.json
        ? JSON.stringify({ command: "ls", ...listing })
        : formatListing(listing, target.data.location, `${target.outputs.location}/${target.outputPrefix}`),
    );
    return EXIT.OK;
  } catch (e) {
    const err = explainError(e, target, operation);
    if (err instanceof TrainError && err.exitCode !== EXIT.OK) {
      deps.stderr(`data: error: ${err.message}`);
      return err.exitCode === EXIT.BAD_INPUT ? EXIT.BAD_INPUT : EXIT.FAILED;
    }
    deps.stderr(`data: internal error: ${(e as Error)?.stack ?? String(e)}`);
    return EXIT.FAILED;
  }
}
