/**
 * `--format engine-events`: the check's results as the Pulumi engine's
 * streaming JSON events (one `EngineEvent` per line, as in
 * `pulumi preview --json` / `--event-log`), field names as in the engine's
 * apitype (github.com/pulumi/pulumi sdk/go/common/apitype/events.go), so a
 * bot written for the CLI's policy events reads the check's:
 *
 *   preludeEvent {config}
 *   then per analyzed resource, in the report's order:
 *     policyRemediationEvent {resourceUrn, color, policyName, policyPackName, ...}   one per remediation
 *     policyRemediateSummaryEvent {resourceUrn, policyPackName, ..., passed, failed}
 *     policyEvent {resourceUrn, message, color, policyName, policyPackName, policyPackVersion,
 *                  policyPackVersionTag, enforcementLevel, severity}          one per violation
 *     policyAnalyzeSummaryEvent {resourceUrn, policyPackName, ..., passed, failed}
 *   policyEvent ...                                                           per stack-policy violation
 *   policyAnalyzeStackSummaryEvent {policyPackName, ..., passed, failed}
 *   summaryEvent {maybeCorrupt, durationSeconds, resourceChanges, PolicyPacks, isPreview, result}
 *
 * Each event carries `sequence` (from 0) and `timestamp` (Unix seconds).
 * The summaries are computed as the engine does (pkg/resource/analyzer/summary.go,
 * newPolicySummary): failed = policies with a diagnostic; passed = the pack's
 * policies of that kind (resource or stack, per GetAnalyzerInfo) minus those
 * the pack declares disabled, minus not applicable (the response's list),
 * minus failed; both sorted, left out when empty (omitempty). Without the
 * not-applicable lists (`notApplicable` not given), `passed` is left out.
 *
 * The engine calls Remediate on every resource (pkg/resource/deploy/step_generator.go)
 * and summarizes it the same way (NewRemediatePolicySummary: every remediation,
 * a change or a warning, counts as failed). The check calls Remediate only
 * when a policy is at `remediate`; otherwise the policy SDK's answer is known
 * without asking (@pulumi/policy server.js `makeRemediateRpcFun` skips every
 * policy not at `remediate` without listing it as not applicable), so nothing
 * failed and nothing is not applicable: every resource policy not disabled
 * passed.
 */
import type { Analysis } from "../../../engine/analyze";
import type { CheckReport } from "../report";

export interface EngineEvent {
  readonly sequence: number;
  readonly timestamp: number;
  readonly [event: string]: unknown;
}

export function toEngineEvents(
  report: CheckReport,
  config: Readonly<Record<string, string>>,
  secretKeys: readonly string[],
  now: number = Date.now(),
  notApplicable?: Analysis["notApplicable"],
): EngineEvent[] {
  const timestamp = Math.floor(now / 1000);
  const events: EngineEvent[] = [];
  const push = (kind: string, body: Record<string, unknown>) => events.push({ sequence: events.length, timestamp, [kind]: body });
  const pack = {
    policyPackName: report.policyPack.name,
    policyPackVersion: report.policyPack.version,
    policyPackVersionTag: report.policyPack.version,
  };
  type Violation = CheckReport["violations"][number];
  const policyEvent = (v: Violation) =>
    push("policyEvent", {
      ...(v.urn ? { resourceUrn: v.urn } : {}),
      message: v.message,
      color: "never",
      policyName: v.policy,
      policyPackName: v.policyPack,
      policyPackVersion: v.policyPackVersion,
      policyPackVersionTag: v.policyPackVersion,
      enforcementLevel: v.enforcementLevel,
      ...(v.severity && v.severity !== "unspecified" ? { severity: v.severity } : {}),
    });
  /** newPolicySummary: policies of the kind (or of unknown kind), not disabled, neither not applicable nor failed. */
  const summary = (kind: "resource" | "stack", failed: ReadonlySet<string>, na: readonly string[] | undefined) => {
    const skip = new Set(na ?? []);
    const passed =
      na === undefined
        ? []
        : report.policyPack.policies
            .filter((p) => (p.type === kind || p.type === "unknown") && p.declaredEnforcementLevel !== "disabled")
            .map((p) => p.name)
            .filter((n) => !failed.has(n) && !skip.has(n));
    return {
      ...(passed.length ? { passed: [...new Set(passed)].sort() } : {}),
      ...(failed.size ? { failed: [...failed].sort() } : {}),
    };
  };

  const secrets = new Set(secretKeys);
  push("preludeEvent", { config: Object.fromEntries(Object.entries(config).map(([k, v]) => [k, secrets.has(k) ? "[secret]" : v])) });
  const byResource = new Map<string, Violation[]>();
  const stackViolations: Violation[] = [];
  for (const v of report.violations) {
    if (v.stage === "stack" || !v.urn) stackViolations.push(v);
    else byResource.set(v.urn, [...(byResource.get(v.urn) ?? []), v]);
  }
  for (const r of report.resources) {
    const remediated = report.remediations.filter((x) => x.urn === r.urn);
    for (const rem of remediated) push("policyRemediationEvent", { resourceUrn: rem.urn, color: "never", policyName: rem.policy, ...pack });
    push("policyRemediateSummaryEvent", {
      resourceUrn: r.urn,
      ...pack,
      ...summary(
        "resource",
        new Set(remediated.map((x) => x.policy)),
        notApplicable ? (notApplicable.remediate?.get(r.urn) ?? []) : undefined,
      ),
    });
    const violations = byResource.get(r.urn) ?? [];
    violations.forEach(policyEvent);
    push("policyAnalyzeSummaryEvent", {
      resourceUrn: r.urn,
      ...pack,
      ...summary(
        "resource",
        new Set(violations.map((v) => v.policy)),
        notApplicable ? (notApplicable.resources.get(r.urn) ?? []) : undefined,
      ),
    });
  }
  stackViolations.forEach(policyEvent);
  push("policyAnalyzeStackSummaryEvent", {
    ...pack,
    ...summary("stack", new Set(stackViolations.map((v) => v.policy)), notApplicable?.stack),
  });
  push("summaryEvent", {
    maybeCorrupt: false,
    durationSeconds: Math.round(report.timings.totalMs / 1000),
    // A preview against no prior state: every resource would be created.
    resourceChanges: { create: report.resources.length },
    PolicyPacks: { [report.policyPack.name]: report.policyPack.version },
    isPreview: true,
    result: report.summary.passed ? "succeeded" : "failed",
  });
  return events;
}

/** One JSON object per line. */
export function renderEngineEvents(events: readonly EngineEvent[]): string {
  return events.map((e) => JSON.stringify(e)).join("\n") + "\n";
}
