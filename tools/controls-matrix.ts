/**
 * The control matrix of docs/controls.md: for each control of the contract
 * (policy-pack/controls.ts), the program files that realise it, the
 * policies that enforce it, the mutations that break it and the tests that
 * prove it, each collected from the code itself:
 *
 * - program files: files under `stacks/` whose header comment names the
 *   control (lines of the header that name another `.ts` file, such as an
 *   index's list of its parts, are left out);
 * - policies: the pack's policies (policies/index.ts) whose metadata tags
 *   carry the control, each with the module that defines it;
 * - mutations: the `npm run mutate` catalog (tools/mutate/catalog);
 * - tests: test files that name the control id or one of its policies (by
 *   name or exported constant).
 *
 *   npm run controls:matrix              print the matrix
 *   npm run controls:matrix -- --write   replace it in docs/controls.md
 *   npm run controls:matrix -- --check   exit 1 if docs/controls.md is out of date
 *
 * The doc carries it between `<!-- controls-matrix:start -->` and
 * `<!-- controls-matrix:end -->`; test/tools/controls-matrix.test.ts keeps it current.
 */
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../engine/project";
import { CONTROL_IDS, CONTROL_TITLES, ControlId } from "../policy-pack/controls";
import { policiesOfModule } from "../policy-pack/lib/registry";
import { MUTATIONS, knownGaps } from "./mutate/catalog";
import { Generator, generatorMain, replaceBetweenMarkers } from "./generated-file";

export const MATRIX_START = "<!-- controls-matrix:start -->";
export const MATRIX_END = "<!-- controls-matrix:end -->";
export const MATRIX_FILE = "docs/controls.md";

export interface PolicyEntry {
  readonly name: string;
  /** The module that defines it, relative to the project root. */
  readonly file: string;
  /** The exported constant that holds it. */
  readonly exported: string;
}

export interface ControlRow {
  readonly id: ControlId;
  readonly title: string;
  readonly programFiles: readonly string[];
  readonly policies: readonly PolicyEntry[];
  readonly mutations: readonly string[];
  readonly gaps: readonly string[];
  readonly tests: readonly string[];
}

const CONTROL_RE = /\bC(\d{1,2})\b/g;

/** Project files under `dir` (relative to root) whose names end in `suffix`, sorted, as `/`-separated paths. */
function filesUnder(root: string, dir: string, suffix: string): string[] {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return (fs.readdirSync(abs, { recursive: true }) as string[])
    .filter((f) => f.endsWith(suffix) && !f.split(path.sep).includes("node_modules"))
    .map((f) => [dir, ...f.split(path.sep)].join("/"))
    .sort();
}

/** The leading comment of a source file (a block comment or consecutive line comments), or "". */
export function headerComment(text: string): string {
  const t = text.replace(/^#![^\n]*\n/, "").trimStart();
  if (t.startsWith("/*")) {
    const end = t.indexOf("*/");
    return end < 0 ? "" : t.slice(0, end + 2);
  }
  const lines: string[] = [];
  for (const line of t.split("\n")) {
    if (!line.trimStart().startsWith("//")) break;
    lines.push(line);
  }
  return lines.join("\n");
}

/** Control ids a header names, leaving out lines that name another `.ts` file (an index's list of its parts). */
export function headerControls(header: string): ControlId[] {
  const ids = new Set<string>();
  for (const line of header.split("\n")) {
    if (/\b[\w-]+\.ts\b/.test(line)) continue;
    for (const m of line.matchAll(CONTROL_RE)) ids.add(`C${m[1]}`);
  }
  return CONTROL_IDS.filter((c) => ids.has(c));
}

/** Every policy of the pack with its control (from its metadata tags) and its module, in registry order. */
export function packPolicies(root: string = PROJECT_ROOT): (PolicyEntry & { control: ControlId | undefined })[] {
  const registry = fs.readFileSync(path.join(root, "policy-pack", "policies", "index.ts"), "utf8");
  const out: (PolicyEntry & { control: ControlId | undefined })[] = [];
  for (const m of registry.matchAll(/^export \* as (\w+) from "\.\/([^"]+)";/gm)) {
    const file = `policy-pack/policies/${m[2]}.ts`;
    const mod = require(path.join(root, "policy-pack", "policies", m[2])) as Record<string, unknown>;
    for (const p of policiesOfModule(mod)) {
      const exported = Object.entries(mod).find(([, v]) => v === p)?.[0] ?? "";
      const control = (p.tags ?? []).find((t): t is ControlId => (CONTROL_IDS as readonly string[]).includes(t));
      out.push({ name: p.name, file, exported, control });
    }
  }
  return out;
}

/** The matrix, one row per control, collected from the project at `root`. */
export function buildMatrix(root: string = PROJECT_ROOT): ControlRow[] {
  const programs = [...filesUnder(root, "stacks", ".ts")].map((file) => ({
    file,
    controls: headerControls(headerComment(fs.readFileSync(path.join(root, file), "utf8"))),
  }));
  const policies = packPolicies(root);
  // The matrix's own test names every control by construction: it is not evidence for any.
  const tests = filesUnder(root, "test", ".test.ts")
    .filter((file) => file !== "test/tools/controls-matrix.test.ts")
    .map((file) => ({ file, text: fs.readFileSync(path.join(root, file), "utf8") }));
  return CONTROL_IDS.map((id) => {
    const own = policies.filter((p) => p.control === id);
    const idRe = new RegExp(`\\b${id}\\b`);
    const names = (text: string) =>
      idRe.test(text) || own.some((p) => text.includes(p.name) || (p.exported !== "" && new RegExp(`\\b${p.exported}\\b`).test(text)));
    return {
      id,
      title: CONTROL_TITLES[id],
      programFiles: programs.filter((p) => p.controls.includes(id)).map((p) => p.file),
      policies: own,
      mutations: MUTATIONS.filter((m) => m.control === id).map((m) => m.name),
      gaps: knownGaps.filter((m) => m.control === id).map((m) => m.name),
      tests: tests.filter((t) => names(t.text)).map((t) => t.file),
    };
  });
}

const link = (file: string) => `[${file}](../${file})`;
const list = (items: readonly string[]) => (items.length > 0 ? items.join(", ") : "none yet");

/** The markdown between the markers. */
export function renderMatrix(rows: readonly ControlRow[]): string {
  const out: string[] = [
    "| control | program files | policies | mutations | test files |",
    "|---|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| [${r.id}](#${r.id.toLowerCase()}) | ${r.programFiles.length} | ${r.policies.length} | ${r.mutations.length} | ${r.tests.length} |`,
    ),
  ];
  for (const r of rows) {
    out.push("", `### ${r.id}`, "", `${r.title.charAt(0).toUpperCase()}${r.title.slice(1)}.`, "");
    out.push(`- **program files**: ${list(r.programFiles.map(link))}`);
    out.push(`- **policies**: ${list(r.policies.map((p) => `[\`${p.name}\`](../${p.file})`))}`);
    out.push(`- **mutations**: ${list(r.mutations.map((m) => `\`${m}\``))}`);
    if (r.gaps.length > 0) out.push(`- **known gaps**: ${r.gaps.map((m) => `\`${m}\``).join(", ")}`);
    out.push(`- **tests**: ${list(r.tests.map(link))}`);
  }
  return out.join("\n");
}

/** `text` with the block between the markers replaced by `block`; undefined when the markers are missing. */
export function replaceBlock(text: string, block: string): string | undefined {
  return replaceBetweenMarkers(text, block, MATRIX_START, MATRIX_END);
}

/** `npm run controls:matrix`: the matrix (printed), its block in docs/controls.md (written or checked). */
export const CONTROLS_MATRIX: Generator = {
  script: "controls:matrix",
  async generate() {
    const block = renderMatrix(buildMatrix());
    return {
      print: block,
      parts: [{ file: MATRIX_FILE, what: "the control matrix", update: (text: string) => replaceBlock(text, block) }],
    };
  },
};

if (require.main === module) generatorMain(CONTROLS_MATRIX);
