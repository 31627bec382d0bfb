/**
 * Generated parts of checked-in files (the cost, coverage and control
 * tables): the blocks between marker comments, and the one command line
 * every generator shares:
 *   npm run <script>              print what would be generated
 *   npm run <script> -- --write   bring every part up to date
 *   npm run <script> -- --check   exit 1 if a part is out of date
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { PROJECT_ROOT } from "../engine/project";

/** `text` with the block between the markers replaced by `body`; undefined when the markers are missing or out of order. */
export function replaceBetweenMarkers(text: string, body: string, start: string, end: string): string | undefined {
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < 0 || j < i) return undefined;
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}

/** The text between the markers (trimmed), or undefined when a file has none. */
export function textBetweenMarkers(text: string, start: string, end: string): string | undefined {
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < 0 || j < i) return undefined;
  return text.slice(i + start.length, j).trim();
}

/** One generated part of a file. */
export interface GeneratedPart {
  /** Path relative to the project root. */
  readonly file: string;
  /** What the part is, for messages (`the cost table`). */
  readonly what: string;
  /** The file's text with the part up to date; undefined when the file has no place for it. */
  update(text: string): string | undefined;
  /** A missing file is skipped (else it counts as empty text). */
  readonly optional?: boolean;
}

export interface Generator {
  /** The npm script, e.g. `cost:table`. */
  readonly script: string;
  /** What to print without flags, and the parts to write or check; a number is an exit code (nothing generated). */
  generate(): Promise<{ readonly print: string; readonly parts: readonly GeneratedPart[] } | number>;
}

const FLAGS = "--write, --check, --help";

export interface RunOptions {
  readonly argv?: readonly string[];
  /** Where the parts' paths start (default: the project root). */
  readonly root?: string;
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
}

/** Runs a generator with the process's flags (or `argv`); resolves with the exit code. */
export async function runGenerator(g: Generator, opts: RunOptions = {}): Promise<number> {
  const argv = opts.argv ?? process.argv.slice(2);
  const root = opts.root ?? PROJECT_ROOT;
  const out = opts.stdout ?? ((t: string) => process.stdout.write(t));
  const err = opts.stderr ?? ((t: string) => process.stderr.write(t));
  let values: { write?: boolean; check?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { write: { type: "boolean" }, check: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    err(`${g.script}: ${(e as Error).message}; allowed flags: ${FLAGS}\n`);
    return 2;
  }
  if (values.help) {
    out(`usage: npm run ${g.script} [-- --write | --check]\n`);
    return 0;
  }
  const generated = await g.generate();
  if (typeof generated === "number") return generated;
  if (!values.write && !values.check) {
    out(generated.print.endsWith("\n") ? generated.print : `${generated.print}\n`);
    return 0;
  }
  let stale = 0;
  for (const part of generated.parts) {
    const file = path.join(root, part.file);
    const exists = fs.existsSync(file);
    if (!exists && part.optional) continue;
    const text = exists ? fs.readFileSync(file, "utf8") : "";
    const updated = part.update(text);
    if (updated === undefined) {
      err(`${part.file}: no place for ${part.what} (its markers are missing)\n`);
      stale++;
    } else if (updated !== text) {
      if (values.write) {
        fs.writeFileSync(file, updated);
        out(`${part.file}: ${part.what} updated\n`);
      } else {
        err(`${part.file}: ${part.what} is out of date; run npm run ${g.script} -- --write\n`);
        stale++;
      }
    }
  }
  return stale > 0 ? 1 : 0;
}

/** Runs a generator as the process's main module: exit code from it, a stack trace on failure. */
export function generatorMain(g: Generator): void {
  runGenerator(g).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`${g.script}: ${(e as Error).stack ?? e}\n`);
      process.exit(1);
    },
  );
}
