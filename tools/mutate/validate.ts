/**
 * Checks a mutation catalog against itself and against the policy pack
 * before anything runs: unique kebab-case names, known stacks and controls,
 * and every expected policy present in the pack and proving the mutation's
 * control (the `[Cn]` prefix of its description), so "killed" always means
 * "killed by the policy for its control".
 */
import { CONTROLS, Mutation, SHIPPED_STACKS } from "./types";

export class CatalogError extends Error {
  constructor(problems: readonly string[]) {
    super(`the mutation catalog is inconsistent:\n  ${problems.join("\n  ")}`);
    this.name = "CatalogError";
  }
}

/** The control id a policy description starts with (`[C3] ...` -> `C3`). */
export function controlOfDescription(description: string): string | undefined {
  return /^\[([A-Z]+\d*)\] /.exec(description)?.[1];
}

export interface PolicyInfo {
  readonly name: string;
  readonly description: string;
}

/** Problems of the catalog (empty when consistent); `gaps` expect no policy. */
export function catalogProblems(mutations: readonly Mutation[], gaps: readonly Mutation[], policies: readonly PolicyInfo[]): string[] {
  const problems: string[] = [];
  const byName = new Map(policies.map((p) => [p.name, p]));
  const seen = new Set<string>();
  for (const [list, isGap] of [
    [mutations, false],
    [gaps, true],
  ] as const) {
    for (const m of list) {
      const where = `${isGap ? "gap" : "mutation"} ${m.name}`;
      if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(m.name)) problems.push(`${where}: the name must be kebab-case`);
      if (seen.has(m.name)) problems.push(`${where}: the name is used twice`);
      seen.add(m.name);
      if (!(CONTROLS as readonly string[]).includes(m.control)) problems.push(`${where}: unknown control ${m.control}`);
      if (m.description.trim() === "") problems.push(`${where}: no description`);
      if (m.stacks.length === 0) problems.push(`${where}: applies to no stack`);
      for (const s of m.stacks) if (!(SHIPPED_STACKS as readonly string[]).includes(s)) problems.push(`${where}: unknown stack ${s}`);
      if (new Set(m.stacks).size !== m.stacks.length) problems.push(`${where}: a stack is listed twice`);
      if (isGap) {
        if (m.expect.length > 0) problems.push(`${where}: a known gap expects no policy`);
        continue;
      }
      if (m.expect.length === 0) problems.push(`${where}: expects no policy`);
      for (const name of m.expect) {
        const p = byName.get(name);
        if (!p) {
          problems.push(`${where}: expected policy ${name} is not in the pack`);
          continue;
        }
        const control = controlOfDescription(p.description);
        if (control !== m.control) problems.push(`${where}: expected policy ${name} proves ${control ?? "no control"}, not ${m.control}`);
      }
    }
  }
  return problems;
}

export function validateCatalog(mutations: readonly Mutation[], gaps: readonly Mutation[], policies: readonly PolicyInfo[]): void {
  const problems = catalogProblems(mutations, gaps, policies);
  if (problems.length > 0) throw new CatalogError(problems);
}
