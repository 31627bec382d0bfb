/**
 * Renders the mutation suite's result: a table (one row per mutant, then
 * survivors, wrong-policy catches, errors, known gaps, the kill rate and the
 * runtime) or the result as JSON.
 */
import type { MutantResult, SuiteResult } from "./run";
import { CONTROLS, Mutation } from "./types";

function pad(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd(),
  );
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** The kill rate line, e.g. `Kill rate: 147/147 mutants (100.0%) over 94 mutations`. */
export function killRateLine(result: SuiteResult): string {
  const s = result.summary;
  return `Kill rate: ${s.killed}/${s.mutants} mutants (${percent(s.killRate)}) over ${s.mutations} mutations`;
}

function mutantLine(m: MutantResult): string {
  const why = m.error
    ? `error: ${m.error}`
    : m.status === "wrong-policy"
      ? `expected ${m.missing.join(", ")}; fired ${m.fired.join(", ")}`
      : `expected ${m.expected.join(", ")}; nothing fired`;
  return `  ${m.stack} ${m.mutation} (${m.control}): ${why}`;
}

export function renderTable(result: SuiteResult): string {
  const out: string[] = [];
  const s = result.summary;
  out.push(
    `Mutation suite: policy pack ${result.pack.name}@${result.pack.version} (${result.pack.policies} policies), config ${result.policyConfig}`,
  );
  out.push("");
  out.push("Baselines (unmutated stacks, violations of any level):");
  for (const b of result.baselines) {
    out.push(`  ${b.stack.padEnd(10)}  ${String(b.resources).padStart(3)} resources  ${b.violations.length} violation(s)`);
    for (const v of b.violations) out.push(`    [${v.level}] ${v.policy} ${v.urn ?? ""}: ${v.message}`);
  }
  out.push("");
  const rows: string[][] = [["STACK", "MUTATION", "CONTROL", "EXPECTED POLICY", "RESULT", "POLICIES THAT FIRED (mandatory)"]];
  for (const m of result.mutants) rows.push([m.stack, m.mutation, m.control, m.expected.join(", "), m.status, m.fired.join(", ") || "-"]);
  out.push(...pad(rows));
  out.push("");
  const survivors = result.mutants.filter((m) => m.status === "survived");
  const wrong = result.mutants.filter((m) => m.status === "wrong-policy");
  const errors = result.mutants.filter((m) => m.status === "error");
  out.push(`Survivors: ${survivors.length ? "" : "none"}`, ...survivors.map(mutantLine));
  out.push(`Caught only by the wrong policy: ${wrong.length ? "" : "none"}`, ...wrong.map(mutantLine));
  if (errors.length) out.push("Mutations that could not be applied:", ...errors.map(mutantLine));
  if (result.gaps.length) {
    out.push("", "Known gaps (not required by the contract's policy column; run, not counted):");
    for (const g of result.gaps) {
      const state =
        g.status === "caught"
          ? `now caught by ${g.fired.join(", ")}: move it into the catalog`
          : g.status === "error"
            ? `error: ${g.error}`
            : "survives";
      out.push(`  ${g.stack.padEnd(10)}  ${g.mutation} (${g.control}): ${state}`);
    }
  }
  out.push("");
  out.push(killRateLine(result));
  out.push(
    `  killed per stack: ${Object.entries(s.byStack)
      .map(([stack, v]) => `${stack} ${v.killed}/${v.mutants}`)
      .join(", ")}`,
  );
  out.push(`  mutants per control (aws/azure): ${CONTROLS.map((c) => `${c} ${s.byControl[c].aws}/${s.byControl[c].azure}`).join(", ")}`);
  if (s.baselineViolations)
    out.push(`  the unmutated stacks have ${s.baselineViolations} violation(s): kills are not meaningful until they are fixed`);
  const t = result.timings;
  out.push(
    `Runtime: ${seconds(t.totalMs)} (recording ${seconds(t.recordMs)} alongside the pack start ${seconds(t.packStartMs)}; baselines ${seconds(t.baselineMs)}; ${result.mutants.length + result.gaps.length} mutants ${seconds(t.mutantsMs)})`,
  );
  out.push(s.passed ? "PASSED: every mutant killed by the policy for its control" : "FAILED");
  return out.join("\n") + "\n";
}

export function renderJson(result: SuiteResult): string {
  return JSON.stringify(result, null, 2) + "\n";
}

/** The catalog without running it (`--list`). */
export function renderCatalog(mutations: readonly Mutation[], gaps: readonly Mutation[]): string {
  const rows: string[][] = [["MUTATION", "CONTROL", "STACKS", "EXPECTED POLICY", "WHAT IT WEAKENS"]];
  for (const m of mutations) rows.push([m.name, m.control, m.stacks.join(","), m.expect.join(", "), m.description]);
  for (const m of gaps) rows.push([m.name, m.control, m.stacks.join(","), "(known gap)", m.description]);
  const mutants = mutations.reduce((n, m) => n + m.stacks.length, 0);
  return `${pad(rows).join("\n")}\n\n${mutations.length} mutations (${mutants} mutants) and ${gaps.length} known gaps\n`;
}
