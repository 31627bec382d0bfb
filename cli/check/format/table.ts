/**
 * Human-readable output: a preview-like resource tree, the violations
 * grouped by severity, remediations, optional sections and a summary line.
 */
import type { CheckReport, ReportResource, ReportSection, ReportSource, ReportViolation } from "../report";
import { displayType, isSectionError, SEVERITY_ORDER } from "../report";

function loc(s: ReportSource | null): string {
  return s ? `${s.file}:${s.line}` : "";
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

function tree(resources: readonly ReportResource[]): string[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const children = new Map<string | null, ReportResource[]>();
  for (const r of resources) {
    const p = r.parent && byUrn.has(r.parent) ? r.parent : null;
    if (r.synthetic === "stack") continue;
    const list = children.get(p) ?? [];
    list.push(r);
    children.set(p, list);
  }
  const rows: [string, string, string, string][] = [];
  const flags = (r: ReportResource) => [r.protect ? "protect" : "", r.retainOnDelete ? "retainOnDelete" : ""].filter(Boolean).join(",");
  const visit = (r: ReportResource, prefix: string, branch: string) => {
    rows.push([`${prefix}${branch}${displayType(r.type)}`, r.name, loc(r.source), flags(r)]);
    const kids = children.get(r.urn) ?? [];
    const childPrefix = prefix + (branch === "" ? "" : branch === "└─ " ? "   " : "│  ");
    kids.forEach((k, i) => visit(k, childPrefix, i === kids.length - 1 ? "└─ " : "├─ "));
  };
  const stack = resources.find((r) => r.synthetic === "stack");
  if (stack) visit(stack, "", "");
  for (const r of children.get(null) ?? []) if (!stack || r.parent === null) visit(r, "", "");
  const w0 = Math.max(4, ...rows.map((r) => r[0].length)) + 2;
  const w1 = Math.max(4, ...rows.map((r) => r[1].length)) + 2;
  const w2 = Math.max(6, ...rows.map((r) => r[2].length)) + 2;
  return [
    `    ${pad("Type", w0)}${pad("Name", w1)}${pad("Source", w2)}Options`.trimEnd(),
    ...rows.map(([t, n, l, f]) => `    ${pad(t, w0)}${pad(n, w1)}${pad(l, w2)}${f}`.trimEnd()),
  ];
}

function violationLines(v: ReportViolation): string[] {
  const where = v.resourceType ? `${displayType(v.resourceType)} ${v.resourceName}` : v.urn ? v.urn : "(stack)";
  const head = `    [${v.enforcementLevel}] ${v.policy}  ${where}${v.source ? `  (${loc(v.source)})` : ""}`;
  return [head, ...v.message.split("\n").map((l) => `        ${l}`)];
}

export function renderTable(report: CheckReport, sections: readonly ReportSection[] = []): string {
  const out: string[] = [];
  const pp = report.policyPack;
  out.push(
    `Checking stack ${report.project}/${report.stack} (program ${report.program.dir}) against policy pack ${pp.name}@${pp.version} (${pp.dir}; config ${pp.config ?? "none: the pack's own levels"})`,
  );
  out.push("");
  out.push("Resources:");
  out.push(...tree(report.resources));
  out.push("");

  if (report.violations.length) {
    out.push("Policy violations:");
    for (const sev of SEVERITY_ORDER) {
      const group = report.violations.filter((v) => v.severity === sev);
      if (!group.length) continue;
      out.push(`  ${sev} (${group.length}):`);
      for (const v of group) out.push(...violationLines(v));
    }
    out.push("");
  } else {
    out.push("Policy violations: none");
    out.push("");
  }

  if (report.remediations.length) {
    out.push("Remediations (applied before analysis):");
    for (const r of report.remediations) {
      const what = r.diagnostic ? `warning: ${r.diagnostic}` : `changed ${r.changed.join(", ") || "nothing"}`;
      out.push(`    ${r.policy}  ${displayType(r.resourceType)} ${r.resourceName}${r.source ? `  (${loc(r.source)})` : ""}: ${what}`);
    }
    out.push("");
  }

  for (const s of sections) {
    const value = report[s.key];
    if (value === undefined) continue;
    let lines: string[];
    try {
      lines = isSectionError(value) ? [value.error] : s.renderTable(value);
    } catch (e) {
      lines = [`${s.title} could not be shown: ${(e as Error)?.message ?? String(e)}`];
    }
    out.push(`${s.title}:`);
    out.push(...lines.map((l) => `    ${l}`));
    out.push("");
  }

  const sm = report.summary;
  const verdict = sm.passed ? "PASSED" : "FAILED";
  out.push(
    `Summary: ${verdict}: ${sm.resources} resources, ${sm.policies} policies; ${sm.violations.mandatory} mandatory and ${sm.violations.advisory} advisory violations` +
      (sm.remediations ? `; ${sm.remediations} remediations` : "") +
      "",
  );
  return out.join("\n") + "\n";
}
