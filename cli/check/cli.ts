/**
 * `npm run check -- [flags]`: the offline preview + policy check of a stack.
 * Progress goes to stderr, the report to stdout (or --output).
 * Exit codes: 0 no mandatory violation, 1 mandatory violation(s), 2 usage or program error.
 */
import * as fs from "fs";
import * as path from "path";
import { parseCheckArgs, USAGE } from "./args";
import type * as Check from "./check";
import { CheckUsageError, EXIT_OK, EXIT_USAGE, PolicyPackError, ProgramError } from "./errors";
import { startCheck } from "./start";

/** Writes atomically: the file appears whole or not at all. */
function writeOutput(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new CheckUsageError(
      `--output ${file}: cannot write it (${(e as NodeJS.ErrnoException).code ?? String(e)}); give a path in an existing, writable directory`,
    );
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  const progress = (m: string) => process.stderr.write(`check: ${m}\n`);
  try {
    // npm runs scripts from the package root; relative paths mean the caller's directory (INIT_CWD).
    const args = parseCheckArgs(argv, process.env.INIT_CWD || process.cwd());
    if (args.help) {
      process.stdout.write(USAGE);
      return EXIT_OK;
    }
    if (args.output && !fs.existsSync(path.dirname(args.output))) {
      throw new CheckUsageError(`--output ${args.output}: directory ${path.dirname(args.output)} does not exist`);
    }
    // Start the program's evaluation and the policy pack first, then load gRPC and the rest while they start;
    // --help and usage errors never load them.
    const started = startCheck(args, progress);
    let check: typeof Check;
    try {
      check = require("./check") as typeof Check;
    } catch (e) {
      started.cancel();
      throw e;
    }
    const { render, finishCheck } = check;
    const result = await finishCheck(started, progress);
    const text = render(result, args.format);
    if (args.output) {
      writeOutput(args.output, text);
      progress(`wrote ${args.format} report to ${args.output}`);
    } else {
      process.stdout.write(text);
    }
    const s = result.report.summary;
    progress(`${s.passed ? "passed" : "FAILED"}: ${s.violations.mandatory} mandatory, ${s.violations.advisory} advisory violation(s)`);
    return result.exitCode;
  } catch (e) {
    if (e instanceof CheckUsageError) {
      process.stderr.write(`error: ${e.message}\n`);
      if (/unknown flag|unexpected argument|needs a value|takes no value/.test(e.message)) process.stderr.write(`\n${USAGE}`);
    } else if (e instanceof ProgramError || e instanceof PolicyPackError) {
      process.stderr.write(`error: ${e.message}\n`);
      if (e.detail) process.stderr.write(`${e.detail.trim()}\n`);
    } else {
      process.stderr.write(`error: ${(e as Error)?.stack ?? String(e)}\n`);
    }
    return EXIT_USAGE;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      // Let stdout drain before exiting (large reports through a pipe).
      process.stdout.write("", () => process.exit(code));
    },
    (e) => {
      process.stderr.write(`error: ${String(e)}\n`);
      process.exit(EXIT_USAGE);
    },
  );
}
