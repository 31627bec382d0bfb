/**
 * Helpers for the tests of `npm run check`: run the command as a child
 * process (cached per argument list, a few at a time, since each run starts
 * a program evaluator and a policy pack), read fixture expectations from the
 * `// expect:` markers in fixture sources, and validate outputs against the
 * JSON report schema and the SARIF 2.1.0 schema.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../../engine/project";
import Ajv, { ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

export const ROOT = PROJECT_ROOT;
export const CLI = path.join(ROOT, "cli", "check", "cli.ts");
export const FIXTURES = path.join(ROOT, "test", "fixtures");
export const FIXTURE_PROGRAM = path.join(FIXTURES, "programs", "violations");
export const THROWING_PROGRAM = path.join(FIXTURES, "programs", "throws");
export const FIXTURE_PACK = path.join(FIXTURES, "policy-pack");
export const REAL_PACK = path.join(ROOT, "policy-pack");

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Contents of the file given with --output (read after the run), if any. */
  readonly output?: string;
}

let scratch: string | undefined;

/** A fresh path in this test process's scratch directory (removed when the process exits). */
export function scratchPath(name: string): string {
  if (!scratch) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-test-"));
    process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    scratch = dir;
  }
  return path.join(fs.mkdtempSync(path.join(scratch, "run-")), name);
}

const cache = new Map<string, Promise<CliRun>>();
let running = 0;
const waiting: (() => void)[] = [];
/** Child-process checks run at most this many at a time (each is three Node processes). */
const PARALLEL = 2;

async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= PARALLEL) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function spawnCli(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", CLI, ...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs `npm run check -- <args>` (the CLI under ts-node, as the npm script
 * does). With `withOutput`, adds `--output <tmp file>` and returns its text.
 * Runs are cached by their arguments.
 */
export function runCheckCli(args: readonly string[], withOutput = false): Promise<CliRun> {
  const id = JSON.stringify([args, withOutput]);
  let run = cache.get(id);
  if (!run) {
    run = slot(async () => {
      let out: string | undefined;
      const full = [...args];
      if (withOutput) {
        out = scratchPath("report.out");
        full.push("--output", out);
      }
      const res = await spawnCli(full);
      const output = out && fs.existsSync(out) ? fs.readFileSync(out, "utf8") : undefined;
      return { ...res, output };
    });
    cache.set(id, run);
  }
  return run;
}

/** Parses a run's report (from --output, else stdout) as JSON, failing with the run's stderr. */
export function reportOf<T = any>(run: CliRun): T {
  const text = run.output ?? run.stdout;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`not JSON (exit ${run.code}); stderr:\n${run.stderr}\nstdout:\n${run.stdout.slice(0, 2000)}`);
  }
}

export interface ExpectedViolation {
  readonly policy: string;
  /** Relative to the repository root. */
  readonly file: string;
  readonly line: number;
}

/** The `// expect: policy-a, policy-b` markers of the .ts files in `dir`. */
export function expectedViolations(dir: string): ExpectedViolation[] {
  const out: ExpectedViolation[] = [];
  for (const f of fs
    .readdirSync(dir)
    .filter((n) => n.endsWith(".ts"))
    .sort()) {
    const file = path.relative(ROOT, path.join(dir, f)).split(path.sep).join("/");
    fs.readFileSync(path.join(dir, f), "utf8")
      .split("\n")
      .forEach((text, i) => {
        const m = /\/\/ expect: (.+)$/.exec(text);
        if (m) for (const policy of m[1].split(",").map((s) => s.trim())) out.push({ policy, file, line: i + 1 });
      });
  }
  return out;
}

let reportValidator: ValidateFunction | undefined;
let sarifValidator: ValidateFunction | undefined;

function formatErrors(v: ValidateFunction): string {
  return (v.errors ?? [])
    .slice(0, 10)
    .map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`)
    .join("\n");
}

/** Validates a `--format json` report against cli/check/schema/check-report.schema.json; returns errors ("" = valid). */
export function reportSchemaErrors(doc: unknown): string {
  if (!reportValidator) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "cli", "check", "schema", "check-report.schema.json"), "utf8"));
    reportValidator = ajv.compile(schema);
  }
  return reportValidator(doc) ? "" : formatErrors(reportValidator);
}

/** Validates against the shipped SARIF 2.1.0 schema (see cli/check/schema/README.md); returns errors ("" = valid). */
export function sarifSchemaErrors(doc: unknown): string {
  if (!sarifValidator) {
    const {
      $schema: _draft04,
      id,
      ...schema
    } = JSON.parse(fs.readFileSync(path.join(ROOT, "cli", "check", "schema", "sarif-2.1.0-rtm.5.json"), "utf8"));
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    sarifValidator = ajv.compile({ ...schema, $id: id });
  }
  return sarifValidator(doc) ? "" : formatErrors(sarifValidator);
}
