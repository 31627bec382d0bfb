/**
 * `--format engine-events`: the check's results as the Pulumi engine's
 * streaming JSON events (one `EngineEvent` per line, as in
 * `pulumi preview --json` / `--event-log`), field names as in the engine's
 * apitype (github.com/pulumi/pulumi sdk/go/common/apitype/events.go), so a
 * bot written for the CLI's policy events reads the check's:
 *
 *   preludeEvent {config}
 *   policyEvent {resourceUrn, message, color, policyName, policyPackName, policyPackVersion,
 *                policyPackVersionTag, enforcementLevel, severity}            one per violation
 *   policyRemediationEvent {resourceUrn, color, policyName, policyPackName, ...}   one per remediation
 *   policyAnalyzeSummaryEvent {resourceUrn, policyPackName, ..., failed}       per resource with a failure
 *   policyAnalyzeStackSummaryEvent {policyPackName, ..., failed}
 *   summaryEvent {maybeCorrupt, durationSeconds, resourceChanges, PolicyPacks, isPreview, result}
 *
 * Each event carries `sequence` (from 0) and `timestamp` (Unix seconds).
 * `passed` lists are left out (omitempty): the check does not decode the
 * pack's not-applicable lists, so it cannot tell passed from not applicable.
 */
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
): EngineEvent[] {
  const timestamp = Math.floor(now / 1000);
  const events: EngineEvent[] = [];
  const push = (kind: string, body: Record<string, unknown>) => events.push({ sequence: events.length, timestamp, [kind]: body });
  const pack = {
    policyPackName: report.policyPack.name,
    policyPackVersion: report.policyPack.version,
    policyPackVersionTag: report.policyPack.version,
  };

  const secrets = new Set(secretKeys);
  push("preludeEvent", { config: Object.fromEntries(Object.entries(config).map(([k, v]) => [k, secrets.has(k) ? "[secret]" : v])) });
  for (const v of report.violations) {
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
  }
  for (const r of report.remediations)
    push("policyRemediationEvent", { resourceUrn: r.urn, color: "never", policyName: r.policy, ...pack });
  const failedByResource = new Map<string, Set<string>>();
  const failedStack = new Set<string>();
  for (const v of report.violations) {
    if (v.stage === "stack") failedStack.add(v.policy);
    else if (v.urn) failedByResource.set(v.urn, (failedByResource.get(v.urn) ?? new Set()).add(v.policy));
  }
  for (const r of report.resources) {
    const failed = failedByResource.get(r.urn);
    if (failed) push("policyAnalyzeSummaryEvent", { resourceUrn: r.urn, ...pack, failed: [...failed].sort() });
  }
  push("policyAnalyzeStackSummaryEvent", { ...pack, ...(failedStack.size ? { failed: [...failedStack].sort() } : {}) });
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
