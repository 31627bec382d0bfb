/**
 * The check's report: one model that the table, JSON and SARIF outputs
 * render. The JSON output is this object as it is (schema in
 * cli/check/schema/check-report.schema.json, documented in docs/check.md).
 *
 * Optional sections (the idle-cost estimate, key `cost`, is the first) are
 * `ReportSection`s: each computes a value from the recording and renders a
 * few table lines; the value appears in JSON under the section's key. A
 * section that fails never fails the check: its key then holds
 * `{ "error": "<message>" }`, the table says so and a warning goes to stderr.
 */
import * as fs from "fs";
import * as path from "path";
import type { CostEstimate } from "../../policy-pack/cost";
import type { Recording } from "../../engine/recorder";
import type { Analysis, Diagnostic } from "../../engine/analyze";
import type { ModelResource, StackModel } from "../../engine/model";
import { rebaseSource } from "../../engine/model";
import type { EnforcementLevel, PackMetadata, PolicyType, ReconciledConfig, Severity } from "../../engine/pack/policy-config";

export const SCHEMA_VERSION = 1;

export interface ReportSource {
  /** Relative to the repository root (forward slashes), absolute when outside it. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface ReportPolicy {
  readonly name: string;
  readonly displayName?: string;
  readonly description: string;
  readonly type: PolicyType;
  readonly severity: Severity;
  /** The level the policy ran at (after the policy config). */
  readonly enforcementLevel: EnforcementLevel;
  /** The level the pack declares. */
  readonly declaredEnforcementLevel: EnforcementLevel;
  readonly remediationSteps?: string;
  readonly url?: string;
  readonly tags: readonly string[];
  /** The pack's `framework` metadata (one compliance framework control), when it declares one. */
  readonly framework?: { readonly name?: string; readonly version?: string; readonly reference?: string; readonly specification?: string };
  /** Every framework control the policy maps to: its tags of the form `<framework>:<control>` (e.g. `cis-aws-5.0.0:3.6`). */
  readonly frameworks: readonly string[];
}

export interface ReportResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  readonly custom: boolean;
  /** Present on resources the engine adds: the stack root and default providers. */
  readonly synthetic?: "stack" | "default-provider";
  readonly provider: string | null;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly source: ReportSource | null;
}

export interface ReportViolation {
  readonly policy: string;
  readonly policyPack: string;
  readonly policyPackVersion: string;
  readonly enforcementLevel: "advisory" | "mandatory" | "disabled";
  readonly severity: Severity;
  /** What the policy reported (the SDK prefixes the policy's description). */
  readonly message: string;
  readonly description: string;
  /** `resource`: from Analyze on one resource; `stack`: from AnalyzeStack. */
  readonly stage: "resource" | "stack";
  readonly urn: string | null;
  readonly resourceType: string | null;
  readonly resourceName: string | null;
  readonly source: ReportSource | null;
  /** The violated policy's framework controls (`<framework>:<control>` tags), for filtering findings by framework. */
  readonly frameworks: readonly string[];
}

/** A policy's framework controls: its tags of the form `<framework>:<control>`. */
export function frameworksOf(tags: readonly string[]): string[] {
  return tags.filter((t) => /^[a-z][a-z0-9.-]*:[A-Za-z0-9][A-Za-z0-9.()-]*$/.test(t));
}

export interface ReportRemediation {
  readonly policy: string;
  readonly urn: string;
  readonly resourceType: string;
  readonly resourceName: string;
  /** Top-level input properties the remediation changed. */
  readonly changed: readonly string[];
  /** A warning the remediation gave instead of a change. */
  readonly diagnostic: string | null;
  readonly source: ReportSource | null;
}

export interface CheckReport {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly tool: { readonly name: string; readonly version: string };
  readonly project: string;
  readonly stack: string;
  readonly program: { readonly dir: string; readonly main: string };
  readonly policyPack: {
    readonly name: string;
    readonly version: string;
    readonly dir: string;
    /** The policy config file used, or null (the pack's own levels). */
    readonly config: string | null;
    readonly policies: readonly ReportPolicy[];
  };
  /** In tree order (depth first, registration order among siblings). */
  readonly resources: readonly ReportResource[];
  /** Sorted: severity, enforcement level, policy, location. */
  readonly violations: readonly ReportViolation[];
  readonly remediations: readonly ReportRemediation[];
  readonly summary: {
    readonly resources: number;
    readonly policies: number;
    readonly violations: { readonly mandatory: number; readonly advisory: number; readonly total: number };
    readonly remediations: number;
    /** True when no mandatory violation was found (exit code 0). */
    readonly passed: boolean;
  };
  /** Informative wall times in milliseconds (vary between runs). */
  readonly timings: { readonly evaluateMs: number; readonly analyzeMs: number; readonly totalMs: number; readonly packProcesses: number };
  /** The idle monthly cost estimate (section `cost`, schema policy-pack/cost/schema.json), or why it failed. */
  readonly cost?: CostEstimate | SectionError;
  /** Optional sections (e.g. `cost`), keyed by `ReportSection.key`. */
  readonly [section: string]: unknown;
}

/** What a section's key holds when computing it failed (the check itself goes on). */
export interface SectionError {
  readonly error: string;
}

/** True for a `SectionError` value: an object whose only key is the string `error`. */
export function isSectionError(value: unknown): value is SectionError {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    typeof (value as Record<string, unknown>).error === "string" &&
    Object.keys(value).length === 1
  );
}

/** What a section sees when it computes its value. */
export interface SectionContext {
  readonly recording: Recording;
  readonly model: StackModel;
  readonly config: Readonly<Record<string, string>>;
  /** Config keys whose values are secret (never shown, never used as a region). */
  readonly secretKeys?: readonly string[];
  readonly report: CheckReport;
  /** Warnings for the user (stderr, as `check: warning: ...`). */
  readonly warn?: (message: string) => void;
}

/** An optional part of the report (e.g. the idle-cost estimate). */
export interface ReportSection<T = unknown> {
  /** JSON key; also the table heading's id. Must not clash with the keys above. */
  readonly key: string;
  readonly title: string;
  compute(ctx: SectionContext): T | undefined | Promise<T | undefined>;
  /** Lines for the table output (without the heading). */
  renderTable(value: T): string[];
}

export const SEVERITY_ORDER: readonly Severity[] = ["critical", "high", "medium", "low", "unspecified"];
const LEVEL_ORDER = ["mandatory", "advisory", "disabled"];

/** `aws:s3/bucket:Bucket` -> `aws:s3:Bucket`, as `pulumi preview` shows types. */
export function displayType(type: string): string {
  const parts = type.split(":");
  if (parts.length === 3 && parts[1].includes("/")) return `${parts[0]}:${parts[1].split("/")[0]}:${parts[2]}`;
  return type;
}

/** The repository root above `dir` (the nearest directory with .git), else `fallback`. */
export function repoRootOf(dir: string, fallback: string = process.cwd()): string {
  let d = path.resolve(dir);
  for (;;) {
    if (fs.existsSync(path.join(d, ".git"))) return d;
    const up = path.dirname(d);
    if (up === d) return fallback;
    d = up;
  }
}

function relativeDir(root: string, dir: string): string {
  const rel = path.relative(root, dir).split(path.sep).join("/");
  return rel === "" ? "." : rel.startsWith("..") ? dir : rel;
}

/** Resources in tree order: depth first from the stack, siblings in registration order. */
export function treeOrder(resources: readonly ModelResource[]): { resource: ModelResource; depth: number; last: boolean[] }[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const root = resources.find((r) => r.synthetic === "stack");
  const children = new Map<string | undefined, ModelResource[]>();
  for (const r of resources) {
    if (r === root) continue;
    const parent = r.parent && byUrn.has(r.parent) ? r.parent : root?.urn;
    const list = children.get(parent) ?? [];
    list.push(r);
    children.set(parent, list);
  }
  const out: { resource: ModelResource; depth: number; last: boolean[] }[] = [];
  const visit = (r: ModelResource, depth: number, last: boolean[]) => {
    out.push({ resource: r, depth, last });
    const kids = children.get(r.urn) ?? [];
    kids.forEach((k, i) => visit(k, depth + 1, [...last, i === kids.length - 1]));
  };
  if (root) visit(root, 0, []);
  else (children.get(undefined) ?? []).forEach((r, i, all) => visit(r, 0, [i === all.length - 1]));
  return out;
}

export interface ReportInput {
  readonly toolVersion: string;
  readonly programDir: string;
  readonly programMain: string;
  readonly packDir: string;
  readonly policyConfigFile?: string;
  readonly pack: PackMetadata;
  readonly reconciled: ReconciledConfig;
  readonly model: StackModel;
  readonly analysis: Analysis;
  readonly evaluateMs: number;
  readonly totalMs: number;
  /** Paths in the report are relative to this directory. */
  readonly root: string;
}

function compareViolations(a: ReportViolation, b: ReportViolation): number {
  return (
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
    LEVEL_ORDER.indexOf(a.enforcementLevel) - LEVEL_ORDER.indexOf(b.enforcementLevel) ||
    a.policy.localeCompare(b.policy) ||
    (a.source?.file ?? "\uffff").localeCompare(b.source?.file ?? "\uffff") ||
    (a.source?.line ?? 0) - (b.source?.line ?? 0) ||
    (a.urn ?? "").localeCompare(b.urn ?? "") ||
    a.message.localeCompare(b.message)
  );
}

export function buildReport(input: ReportInput): CheckReport {
  const { model, analysis, root } = input;
  const byUrn = new Map(model.resources.map((r) => [r.urn, r]));
  const sourceOf = (r: ModelResource | undefined): ReportSource | null => rebaseSource(r?.source, input.programDir, root) ?? null;

  const resources: ReportResource[] = treeOrder(model.resources).map(({ resource: r }) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    parent: r.synthetic === "stack" ? null : (r.parent ?? model.resources.find((x) => x.synthetic === "stack")?.urn ?? null),
    custom: r.custom,
    ...(r.synthetic ? { synthetic: r.synthetic } : {}),
    provider: r.provider?.urn ?? null,
    protect: r.options.protect,
    retainOnDelete: r.options.retainOnDelete ?? false,
    source: sourceOf(r),
  }));

  const frameworksByPolicy = new Map(input.pack.policies.map((p) => [p.name, frameworksOf(p.tags)]));
  const violation = (d: Diagnostic): ReportViolation => {
    const r = d.urn ? byUrn.get(d.urn) : undefined;
    return {
      policy: d.policyName,
      policyPack: d.policyPackName,
      policyPackVersion: d.policyPackVersion,
      enforcementLevel: d.enforcementLevel,
      severity: d.severity,
      message: d.message,
      description: d.description,
      stage: d.stage === "analyze" ? "resource" : "stack",
      urn: d.urn ?? null,
      resourceType: r?.type ?? null,
      resourceName: r?.name ?? null,
      source: sourceOf(r),
      frameworks: frameworksByPolicy.get(d.policyName) ?? [],
    };
  };
  const violations = analysis.diagnostics.map(violation).sort(compareViolations);

  const remediations: ReportRemediation[] = analysis.remediations
    .map((m) => {
      const r = byUrn.get(m.urn);
      return {
        policy: m.policyName,
        urn: m.urn,
        resourceType: r?.type ?? "",
        resourceName: r?.name ?? "",
        changed: m.changed,
        diagnostic: m.diagnostic ?? null,
        source: sourceOf(r),
      };
    })
    .sort((a, b) => a.policy.localeCompare(b.policy) || a.urn.localeCompare(b.urn));

  const policies: ReportPolicy[] = input.pack.policies.map((p) => ({
    name: p.name,
    ...(p.displayName ? { displayName: p.displayName } : {}),
    description: p.description,
    type: p.type,
    severity: p.severity,
    enforcementLevel: input.reconciled.levels[p.name] ?? p.enforcementLevel,
    declaredEnforcementLevel: p.enforcementLevel,
    ...(p.remediationSteps ? { remediationSteps: p.remediationSteps } : {}),
    ...(p.url ? { url: p.url } : {}),
    tags: p.tags,
    ...(p.framework ? { framework: p.framework } : {}),
    frameworks: frameworksOf(p.tags),
  }));

  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  const advisory = violations.filter((v) => v.enforcementLevel === "advisory").length;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: "npm run check", version: input.toolVersion },
    project: model.project,
    stack: model.stack,
    program: { dir: relativeDir(root, input.programDir), main: input.programMain },
    policyPack: {
      name: input.pack.name,
      version: input.pack.version,
      dir: relativeDir(root, input.packDir),
      config: input.policyConfigFile ? relativeDir(root, input.policyConfigFile) : null,
      policies,
    },
    resources,
    violations,
    remediations,
    summary: {
      resources: resources.length,
      policies: policies.length,
      violations: { mandatory, advisory, total: violations.length },
      remediations: remediations.filter((r) => r.diagnostic === null).length,
      passed: mandatory === 0,
    },
    timings: {
      evaluateMs: input.evaluateMs,
      analyzeMs: analysis.timings.totalMs,
      totalMs: input.totalMs,
      packProcesses: analysis.timings.processes,
    },
  };
}

/** The message of anything thrown, on one line. */
function errorText(e: unknown): string {
  const text = e instanceof Error ? e.message || e.name : String(e);
  return text.replace(/\s*\n\s*/g, " ").trim() || "unknown error";
}

/**
 * Computes the optional sections and adds their values to the report. A
 * section that throws (e.g. a bug in a cost mapper) does not fail the check:
 * its key holds `{ error }`, and `ctx.warn` is told. The summary, and so the
 * exit code, never depends on a section.
 */
export async function addSections(
  report: CheckReport,
  sections: readonly ReportSection[],
  ctx: Omit<SectionContext, "report">,
): Promise<CheckReport> {
  let out = report;
  for (const s of sections) {
    let value: unknown;
    try {
      value = await s.compute({ ...ctx, report: out });
    } catch (e) {
      const error = `${s.title} could not be computed: ${errorText(e)}`;
      ctx.warn?.(`${error} (the check goes on; please report this as a bug)`);
      value = { error } satisfies SectionError;
    }
    if (value !== undefined) out = { ...out, [s.key]: value };
  }
  return out;
}
