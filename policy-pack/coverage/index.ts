/**
 * The coverage matrix against Checkov (and the stricter Trivy checks):
 * every relevant scanner check (checkov.json) is decided exactly once —
 * covered by the policies that name it in their metadata (`checks`), or
 * deliberately different, not applicable, or a known gap, with the reason
 * in checkov.json's `decisions`. docs/coverage.md is rendered from this
 * (tools/coverage-table.ts); `problems()` lists every inconsistency, and a
 * test requires none.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { controlOf, coverageOf } from "../lib/define";
import { CONTROL_TITLES, FRAMEWORKS, FrameworkRef } from "../lib/frameworks";
import data from "./checkov.json";

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

export type Decision = "covered" | "different" | "not-applicable" | "gap";
export const DECISIONS: readonly Decision[] = ["covered", "different", "not-applicable", "gap"];

export interface ScannerCheck {
  readonly id: string;
  readonly scanner: "checkov" | "trivy";
  readonly name: string;
  readonly kind: string;
  readonly terraformTypes: readonly string[];
  /** Path of the check's source in the scanner's repository. */
  readonly source: string;
}

export interface TypeMapping {
  /** Pulumi type token; null for the IAM documents the program serialises (Terraform's aws_iam_policy_document). */
  readonly pulumi: string | null;
  readonly terraform: readonly string[];
  /** `created` by a shipped stack or only `targeted` by a policy. */
  readonly origin: "created" | "targeted";
  readonly note?: string;
}

export interface CoverageData {
  readonly checkov: { readonly version: string; readonly commit: string; readonly url: string };
  readonly trivy: { readonly repository: string; readonly commit: string; readonly url: string; readonly scope: string };
  readonly resourceTypes: readonly TypeMapping[];
  readonly checks: readonly ScannerCheck[];
  readonly decisions: Readonly<Record<string, { readonly decision: Exclude<Decision, "covered">; readonly reason: string }>>;
}

export const COVERAGE: CoverageData = data as CoverageData;

export interface Row {
  readonly check: ScannerCheck;
  readonly decision: Decision;
  /** Policies answering the check (covered). */
  readonly policies: readonly string[];
  readonly reason?: string;
}

/** One row per relevant check, in data order. */
export function rows(policies: readonly AnyPolicy[], data: CoverageData = COVERAGE): Row[] {
  const answering = new Map<string, string[]>();
  for (const p of policies) for (const id of coverageOf(p).checks) answering.set(id, [...(answering.get(id) ?? []), p.name]);
  return data.checks.map((check) => {
    const by = answering.get(check.id) ?? [];
    const d = data.decisions[check.id];
    if (by.length > 0) return { check, decision: "covered", policies: by };
    return { check, decision: d?.decision ?? "gap", policies: [], reason: d?.reason ?? "undecided" };
  });
}

/** Policies that answer no scanner check: what only this pack checks. */
export function onlyThisPack(policies: readonly AnyPolicy[]): AnyPolicy[] {
  return policies.filter((p) => coverageOf(p).checks.length === 0 && controlOf(p) !== undefined);
}

export interface Counts {
  readonly total: number;
  readonly covered: number;
  readonly different: number;
  readonly notApplicable: number;
  readonly gap: number;
}

export function counts(list: readonly Row[]): Counts {
  const n = (d: Decision) => list.filter((r) => r.decision === d).length;
  return { total: list.length, covered: n("covered"), different: n("different"), notApplicable: n("not-applicable"), gap: n("gap") };
}

/** Every inconsistency between the policies' metadata and the data file (empty when the matrix is sound). */
export function problems(policies: readonly AnyPolicy[], data: CoverageData = COVERAGE): string[] {
  const out: string[] = [];
  const ids = new Set<string>();
  for (const c of data.checks) {
    if (ids.has(c.id)) out.push(`${c.id} is listed twice in checkov.json`);
    ids.add(c.id);
  }
  const answered = new Set<string>();
  for (const p of policies) {
    const { checks, frameworks } = coverageOf(p);
    for (const id of checks) {
      if (!ids.has(id)) out.push(`${p.name} names ${id}, which checkov.json does not list`);
      answered.add(id);
    }
    for (const ref of frameworks) {
      if (CONTROL_TITLES[ref[0]]?.[ref[1]] === undefined) out.push(`${p.name}: unknown framework control ${ref.join(" ")}`);
    }
  }
  for (const [id, d] of Object.entries(data.decisions)) {
    if (!ids.has(id)) out.push(`decision for ${id}, which checkov.json does not list`);
    if (answered.has(id)) out.push(`${id} is answered by a policy and also decided as ${d.decision} in checkov.json`);
    if (!DECISIONS.includes(d.decision) || d.decision === ("covered" as string)) out.push(`${id}: decision ${d.decision} is not one of different, not-applicable, gap`);
    if (!d.reason || d.reason.length < 20) out.push(`${id}: the ${d.decision} decision needs a reason`);
  }
  for (const id of ids) if (!answered.has(id) && !data.decisions[id]) out.push(`${id} is neither answered by a policy nor decided in checkov.json`);
  return out;
}

/** A policy's framework references as `name version control` strings (for docs). */
export function frameworkLabels(refs: readonly FrameworkRef[]): string[] {
  return refs.map(([id, control]) => `${FRAMEWORKS[id].name} ${FRAMEWORKS[id].version} ${control}`);
}
