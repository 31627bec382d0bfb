/**
 * `npm run mutate -- [flags]`: the mutation suite (see run.ts). Progress goes
 * to stderr, the report to stdout.
 * Exit codes: 0 every mutant killed by the policy for its control and clean
 * baselines, 1 a survivor, a wrong-policy catch, a mutation that could not be
 * applied or a baseline violation, 2 usage or run error.
 */
import * as path from "path";
import { parseArgs } from "util";
import { knownGaps, MUTATIONS } from "./catalog";
import { renderCatalog, renderJson, renderTable } from "./report";
import type * as Run from "./run";
import { SHIPPED_STACKS, StackName } from "./types";

export const USAGE = `Usage: npm run mutate -- [flags]

Applies security-weakening mutations, one at a time, to the recordings of the
shipped stacks (the same recording npm run check makes), runs the policy pack
over the analyzer protocol with the prod policy config and reports, for each
mutant, whether a mandatory violation was raised and by which policy.

Flags:
  --format FORMAT       table | json (default: table)
  --stack NAME          only this stack (repeatable): ${SHIPPED_STACKS.join(", ")}
  --mutation NAME       only this mutation or known gap (repeatable; see --list)
  --policy-config FILE  policy config JSON (default: policy-pack/config/prod.json)
  --concurrency N       mutants analyzed at once, 1-32 (default: 3)
  --list                list the mutations and known gaps without running them
  -h, --help            show this help

Exit codes: 0 all killed by the expected policy, 1 survivor / wrong policy /
baseline violation, 2 usage or run error.
`;

export class MutateUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MutateUsageError";
  }
}

export interface MutateArgs {
  readonly format: "table" | "json";
  readonly stacks?: readonly StackName[];
  readonly mutations?: readonly string[];
  readonly policyConfig?: string;
  readonly concurrency?: number;
  readonly list: boolean;
  readonly help: boolean;
}

const OPTIONS = {
  format: { type: "string", default: "table" },
  stack: { type: "string", multiple: true },
  mutation: { type: "string", multiple: true },
  "policy-config": { type: "string" },
  concurrency: { type: "string" },
  list: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

export function parseMutateArgs(argv: readonly string[], cwd = process.cwd()): MutateArgs {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    values = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    const flags = Object.keys(OPTIONS)
      .map((f) => `--${f}`)
      .join(", ");
    throw new MutateUsageError(`${(e as Error).message}; allowed flags: ${flags} (see --help)`);
  }
  const format = values.format as string;
  if (format !== "table" && format !== "json")
    throw new MutateUsageError(`--format ${JSON.stringify(format)} is not supported; allowed: table, json`);
  const stacks = values.stack as string[] | undefined;
  for (const s of stacks ?? []) {
    if (!(SHIPPED_STACKS as readonly string[]).includes(s))
      throw new MutateUsageError(`--stack ${JSON.stringify(s)} is not a shipped stack; allowed: ${SHIPPED_STACKS.join(", ")}`);
  }
  const names = values.mutation as string[] | undefined;
  const known = new Set([...MUTATIONS, ...knownGaps].map((m) => m.name));
  for (const n of names ?? [])
    if (!known.has(n)) throw new MutateUsageError(`--mutation ${JSON.stringify(n)} is not in the catalog; see --list for the names`);
  let concurrency: number | undefined;
  if (values.concurrency !== undefined) {
    const raw = values.concurrency as string;
    concurrency = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(concurrency >= 1 && concurrency <= 32))
      throw new MutateUsageError(`--concurrency ${JSON.stringify(raw)} is not valid; allowed: an integer from 1 to 32`);
  }
  const config = values["policy-config"] as string | undefined;
  if (config !== undefined && config.trim() === "") throw new MutateUsageError("--policy-config needs a non-empty value");
  return {
    format,
    stacks: stacks as StackName[] | undefined,
    mutations: names,
    policyConfig: config === undefined ? undefined : path.resolve(cwd, config),
    concurrency,
    list: values.list === true,
    help: values.help === true,
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseMutateArgs(argv);
    if (args.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    const pick = <T extends { name: string }>(list: readonly T[]) =>
      args.mutations ? list.filter((m) => args.mutations!.includes(m.name)) : list;
    if (args.list) {
      process.stdout.write(renderCatalog(pick(MUTATIONS), pick(knownGaps)));
      return 0;
    }
    // Loaded after the flags are read: --help and usage errors never load gRPC.
    const { runMutationSuite } = require("./run") as typeof Run;
    const result = await runMutationSuite({
      stacks: args.stacks,
      mutations: pick(MUTATIONS),
      gaps: pick(knownGaps),
      policyConfig: args.policyConfig,
      concurrency: args.concurrency,
      progress: (m) => process.stderr.write(`mutate: ${m}\n`),
    });
    process.stdout.write(args.format === "json" ? renderJson(result) : renderTable(result));
    return result.summary.passed ? 0 : 1;
  } catch (e) {
    const err = e as Error & { detail?: string };
    process.stderr.write(`error: ${err instanceof MutateUsageError || err.name !== "Error" ? err.message : (err.stack ?? String(e))}\n`);
    if (err.detail) process.stderr.write(`${err.detail.trim()}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.stdout.write("", () => process.exit(code)),
    (e) => {
      process.stderr.write(`error: ${String(e)}\n`);
      process.exit(2);
    },
  );
}
