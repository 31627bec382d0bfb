/**
 * The command line of `npm run data`, parsed strictly with `util.parseArgs`;
 * every problem is one line of a UsageError (exit 2) naming the flag or
 * argument, the bad value and what is allowed.
 */
import { parseArgs } from "util";
import { show, UsageError } from "../train/errors";
import { inputPrefixProblem } from "../train/args";
import { datasetNameProblem } from "./layout";

export const COMMANDS = ["push", "pull", "ls"] as const;
export type Command = (typeof COMMANDS)[number];

export const LIMITS = { concurrency: { min: 1, max: 64 } } as const;
export const DEFAULT_CONCURRENCY = 8;

interface Common {
  readonly stack: string;
  readonly outputsFile?: string;
  /** Loopback URL of a local emulator (s3rver / Azurite) instead of the cloud. */
  readonly endpoint?: string;
  readonly concurrency: number;
}

export type DataArgs =
  | { readonly command: "help" }
  | (Common & { readonly command: "push"; readonly dir: string; readonly dataset: string; readonly manifestOut?: string })
  | (Common & { readonly command: "pull"; readonly source: string; readonly dest: string; readonly overwrite: boolean })
  | (Common & { readonly command: "ls"; readonly json: boolean });

const OPTIONS = {
  stack: { type: "string" },
  name: { type: "string" },
  outputs: { type: "string" },
  endpoint: { type: "string" },
  concurrency: { type: "string" },
  "manifest-out": { type: "string" },
  overwrite: { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Flags each command takes (beyond --stack, --outputs, --endpoint, --help). */
const COMMAND_FLAGS: Record<Command, readonly string[]> = {
  push: ["name", "concurrency", "manifest-out"],
  pull: ["overwrite", "concurrency"],
  ls: ["json"],
};

export const USAGE = `Usage:
  npm run data -- push DIR --stack NAME [--name DATASET] [--concurrency N] [--manifest-out FILE]
  npm run data -- pull JOB|PREFIX DEST --stack NAME [--overwrite] [--concurrency N]
  npm run data -- ls --stack NAME [--json]

push  uploads the files under DIR as the dataset datasets/<DATASET>/ of the stack's data
      location (default DATASET: DIR's folder name), then its manifest (path, size, sha256 of
      every file) beside it. Run the same command again to resume: files already there with
      the same SHA-256 are skipped. Symlinks out of DIR are refused.
pull  downloads a job's outputs (JOB) or a PREFIX of the output location into DEST, verifying
      checksums; an existing file is never replaced without --overwrite.
ls    lists the datasets (manifests) and the jobs with outputs.

Common options:
  --stack NAME        a stack of this project (Pulumi.NAME.yaml)
  --outputs FILE      read saved stack outputs (pulumi stack output --json --show-secrets > FILE)
  --endpoint URL      a local emulator on this machine (http://127.0.0.1:PORT) instead of the cloud;
                      see README "Loading data" (npm run data:local)
  --concurrency N     files in flight, ${LIMITS.concurrency.min}-${LIMITS.concurrency.max} (default ${DEFAULT_CONCURRENCY})
  -h, --help          this text

Output: one JSON line on stdout (ls: a table, or JSON with --json); progress on stderr
(a bar on a terminal, quiet in CI).
Exit codes: 0 done, 1 failed (transfer, checksum or the cloud refused), 2 bad input (nothing written).`;

const STACK_RE = /^[A-Za-z0-9_.-]{1,100}$/;
const JOB_RE = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** Problem with an --endpoint value, or undefined: only loopback hosts (data never goes anywhere else). */
export function endpointProblem(raw: string): string | undefined {
  const allowed =
    "http://127.0.0.1:PORT, http://localhost:PORT or http://[::1]:PORT (a local emulator; data for the cloud goes to the stack's own location)";
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `is not a URL; allowed: ${allowed}`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `has scheme ${url.protocol}; allowed: ${allowed}`;
  const host = url.hostname;
  const loopback = host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  if (!loopback) return `points at ${host}, which is not this machine; allowed: ${allowed}`;
  if (url.pathname !== "/" || url.search || url.hash || url.username) return `has a path, query or credentials; allowed: ${allowed}`;
  return undefined;
}

/** JOB (a job name: its outputs) or PREFIX (contains '/': a prefix of the output location). */
export function sourceProblem(source: string): string | undefined {
  if (!source.includes("/")) {
    return JOB_RE.test(source)
      ? undefined
      : "allowed: a job name (1-63 letters, digits and hyphens) or a prefix of the output location ending in '/'";
  }
  const problem = inputPrefixProblem(source);
  return problem ?? (source.endsWith("/") ? undefined : "allowed: a prefix ending in '/' (e.g. my-job/ or my-job/output/)");
}

function parseStrict(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true, tokens: true });
}

export function parseDataArgs(argv: readonly string[], basename: (dir: string) => string): DataArgs {
  let parsed: ReturnType<typeof parseStrict>;
  try {
    parsed = parseStrict(argv);
  } catch (e) {
    throw new UsageError([`${(e as Error).message}. Run with --help for the flags.`]);
  }
  const { values, positionals, tokens } = parsed;
  if (values.help || positionals.length === 0) {
    if (values.help) return { command: "help" };
    throw new UsageError([`missing command; allowed: ${COMMANDS.join(" | ")} (run with --help)`]);
  }
  const [command, ...rest] = positionals;
  if (!(COMMANDS as readonly string[]).includes(command))
    throw new UsageError([`command ${show(command)}: allowed: ${COMMANDS.join(" | ")} (run with --help)`]);
  const cmd = command as Command;
  const problems: string[] = [];

  const seen = new Map<string, number>();
  for (const t of tokens) if (t.kind === "option") seen.set(t.name, (seen.get(t.name) ?? 0) + 1);
  for (const [name, n] of seen) {
    if (n > 1) problems.push(`--${name}: given ${n} times; give it once`);
    if (!["stack", "outputs", "endpoint", "help", ...COMMAND_FLAGS[cmd]].includes(name))
      problems.push(
        `--${name}: not a flag of \`${cmd}\`; allowed: ${COMMAND_FLAGS[cmd].map((f) => `--${f}`).join(", ") || "none"} besides --stack, --outputs, --endpoint`,
      );
  }

  const stack = values.stack ?? "";
  if (stack === "") problems.push("--stack: missing (required); allowed: the name of a Pulumi.<stack>.yaml in the project");
  else if (!STACK_RE.test(stack)) problems.push(`--stack: got ${show(stack)}; allowed: a stack name of letters, digits, '_', '.', '-'`);
  if (values.outputs !== undefined && values.outputs.trim() === "") problems.push("--outputs: empty; give a file path");
  const endpoint = values.endpoint;
  if (endpoint !== undefined) {
    const p = endpointProblem(endpoint);
    if (p) problems.push(`--endpoint ${show(endpoint)} ${p}`);
  }
  let concurrency: number = DEFAULT_CONCURRENCY;
  if (values.concurrency !== undefined) {
    const n = Number(values.concurrency);
    if (!/^\d+$/.test(values.concurrency) || n < LIMITS.concurrency.min || n > LIMITS.concurrency.max) {
      problems.push(
        `--concurrency: got ${show(values.concurrency)}; allowed: an integer ${LIMITS.concurrency.min}-${LIMITS.concurrency.max}`,
      );
    } else concurrency = n;
  }
  const expected = cmd === "push" ? ["DIR"] : cmd === "pull" ? ["JOB|PREFIX", "DEST"] : [];
  if (rest.length !== expected.length) {
    problems.push(
      `\`${cmd}\` takes ${expected.length === 0 ? "no arguments" : expected.join(" ")}; got ${rest.length === 0 ? "none" : rest.map(show).join(" ")}`,
    );
  }
  const common = { stack, outputsFile: values.outputs, endpoint, concurrency };

  if (cmd === "push") {
    const dir = rest[0] ?? "";
    const dataset = values.name ?? basename(dir).toLowerCase();
    const p = datasetNameProblem(dataset);
    if (p && dir !== "")
      problems.push(
        values.name !== undefined
          ? `--name ${show(dataset)}: ${p}`
          : `DIR's name ${show(dataset)} is not a valid dataset name (${p}); give --name`,
      );
    if (values["manifest-out"] !== undefined && values["manifest-out"].trim() === "")
      problems.push("--manifest-out: empty; give a file path");
    if (problems.length > 0) throw new UsageError(problems);
    return { command: "push", ...common, dir, dataset, manifestOut: values["manifest-out"] };
  }
  if (cmd === "pull") {
    const source = rest[0] ?? "";
    if (source !== "") {
      const p = sourceProblem(source);
      if (p) problems.push(`JOB|PREFIX ${show(source)}: ${p}`);
    }
    if (problems.length > 0) throw new UsageError(problems);
    return { command: "pull", ...common, source, dest: rest[1], overwrite: values.overwrite ?? false };
  }
  if (problems.length > 0) throw new UsageError(problems);
  return { command: "ls", ...common, json: values.json ?? false };
}
