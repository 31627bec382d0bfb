/**
 * Command-line flags of `npm run check`, parsed strictly with Node's
 * `util.parseArgs`: an unknown flag, a missing value or a bad value is a
 * `CheckUsageError` naming the flag, the value and what is allowed.
 */
import * as path from "path";
import { POLICY_PACK_DIR, PROJECT_ROOT } from "../../engine/project";
import { parseArgs } from "util";
import { CheckUsageError } from "./errors";

/** Root of this repository (the default program). */

export const FORMATS = ["table", "json", "sarif", "engine-events", "stack-export"] as const;
export type OutputFormat = (typeof FORMATS)[number];

export interface CheckArgs {
  readonly stack: string;
  /** Absolute directory holding the program's Pulumi.yaml. */
  readonly programDir: string;
  /** Absolute directory holding the pack's PulumiPolicy.yaml. */
  readonly policyPackDir: string;
  /** Absolute path of an explicit policy config file, if given. */
  readonly policyConfig?: string;
  readonly format: OutputFormat;
  /** Absolute path to write the report to (stdout when absent). */
  readonly output?: string;
  /** Number of policy pack processes; undefined = automatic. */
  readonly jobs?: number;
  /** Let the pack type-check its TypeScript on start, as the Pulumi CLI does (slower). */
  readonly packTypeCheck: boolean;
  readonly help: boolean;
}

const OPTIONS = {
  stack: { type: "string", default: "dev" },
  program: { type: "string" },
  "policy-pack": { type: "string" },
  "policy-config": { type: "string" },
  format: { type: "string", default: "table" },
  output: { type: "string" },
  jobs: { type: "string" },
  "pack-type-check": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

export const USAGE = `Usage: npm run check -- [flags]

Runs a stack of a Pulumi TypeScript program offline under mocks, sends every
resource to a CrossGuard policy pack over the analyzer protocol (as the
Pulumi CLI does) and reports the violations.

Flags:
  --stack NAME            stack to check; reads Pulumi.NAME.yaml (default: dev)
  --program DIR           directory of the program's Pulumi.yaml (default: this project)
  --policy-pack DIR       directory of the pack's PulumiPolicy.yaml (default: ./policy-pack)
  --policy-config FILE    policy config JSON, as for pulumi --policy-pack-config
                          (default: <policy-pack>/config/<tier>.json when it exists;
                          tier from the stack's <project>:tier, else the stack name's suffix)
  --format FORMAT         table | json | sarif | engine-events | stack-export (default: table)
                          engine-events: the Pulumi engine's JSON events, one per line
                          (policyEvent, summaries), as pulumi preview --json streams them;
                          stack-export: the recorded plan as a pulumi stack export
                          deployment (version 3), for pulumi policy analyze --file
  --output FILE           write the report to FILE instead of stdout
  --jobs N                policy pack processes, 1-64 (default: automatic)
  --pack-type-check       let the pack type-check its TypeScript on start, as the
                          Pulumi CLI does (slower; default: transpile only)
  -h, --help              show this help

Exit codes: 0 no mandatory violation, 1 mandatory violation(s), 2 usage or program error.
`;

function allowedFlags(): string {
  return Object.keys(OPTIONS)
    .map((f) => `--${f}`)
    .join(", ");
}

/** Rephrases util.parseArgs errors so they name the flag and what is allowed. */
function usageErrorFrom(e: unknown): CheckUsageError {
  const err = e as NodeJS.ErrnoException;
  const msg = err.message ?? String(e);
  switch (err.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const flag = /'([^']+)'/.exec(msg)?.[1] ?? msg;
      return new CheckUsageError(`unknown flag ${flag}; allowed flags: ${allowedFlags()} (see --help)`);
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const flag =
        /'(-[^']+)'/
          .exec(msg)?.[1]
          ?.replace(/^-\w, /, "")
          .split(" ")[0] ?? "";
      return new CheckUsageError(`flag ${flag || msg} ${/argument missing/.test(msg) ? "needs a value" : "takes no value"} (see --help)`);
    }
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL": {
      const arg = /'([^']+)'/.exec(msg)?.[1] ?? msg;
      return new CheckUsageError(
        `unexpected argument ${JSON.stringify(arg)}; flags take the form --flag VALUE, allowed: ${allowedFlags()}`,
      );
    }
    default:
      return new CheckUsageError(msg);
  }
}

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === "") throw new CheckUsageError(`--${flag} needs a non-empty value`);
  return value;
}

/** Parses the flags; relative paths resolve against `cwd`. */
export function parseCheckArgs(argv: readonly string[], cwd: string = process.cwd()): CheckArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw usageErrorFrom(e);
  }
  const format = values.format as string;
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new CheckUsageError(`--format ${JSON.stringify(format)} is not supported; allowed: ${FORMATS.join(", ")}`);
  }
  const stack = values.stack as string;
  if (!/^[\w.-]+$/.test(stack)) {
    throw new CheckUsageError(`--stack ${JSON.stringify(stack)} is not a valid stack name; allowed: letters, digits, '_', '.', '-'`);
  }
  let jobs: number | undefined;
  if (values.jobs !== undefined) {
    const raw = values.jobs as string;
    jobs = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(jobs >= 1 && jobs <= 64))
      throw new CheckUsageError(`--jobs ${JSON.stringify(raw)} is not valid; allowed: an integer from 1 to 64`);
  }
  const resolve = (p: string | undefined) => (p === undefined ? undefined : path.resolve(cwd, p));
  const programDir = resolve(nonEmpty("program", values.program as string | undefined)) ?? PROJECT_ROOT;
  return {
    stack,
    programDir,
    policyPackDir: resolve(nonEmpty("policy-pack", values["policy-pack"] as string | undefined)) ?? POLICY_PACK_DIR,
    policyConfig: resolve(nonEmpty("policy-config", values["policy-config"] as string | undefined)),
    format: format as OutputFormat,
    output: resolve(nonEmpty("output", values.output as string | undefined)),
    jobs,
    packTypeCheck: values["pack-type-check"] === true,
    help: values.help === true,
  };
}
