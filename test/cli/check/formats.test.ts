/**
 * `--format engine-events` and `--format stack-export` speak the Pulumi
 * CLI's formats. Field names are checked against the engine's apitype
 * (github.com/pulumi/pulumi, sdk/go/common/apitype/events.go and core.go,
 * read at commit 1b5949891b3c): every field the check writes exists there
 * under that JSON name, the required ones are present, and the content
 * agrees with the check's JSON report of the same run.
 */
import { expect } from "chai";
import * as crypto from "crypto";
import * as path from "path";
import { FIXTURE_PACK, FIXTURE_PROGRAM, reportOf, runCheckCli } from "./helpers";

// apitype/events.go: EngineEvent's union members and the JSON names of the policy events' fields.
const ENGINE_EVENT_KINDS = [
  "cancelEvent",
  "stdoutEvent",
  "diagnosticEvent",
  "preludeEvent",
  "summaryEvent",
  "resourcePreEvent",
  "resOutputsEvent",
  "resOpFailedEvent",
  "policyEvent",
  "policyRemediationEvent",
  "policyLoadEvent",
  "policyAnalyzeSummaryEvent",
  "policyRemediateSummaryEvent",
  "policyAnalyzeStackSummaryEvent",
  "startDebuggingEvent",
  "progressEvent",
  "errorEvent",
];
const FIELDS: Record<string, { all: string[]; required: string[] }> = {
  policyEvent: {
    all: [
      "resourceUrn",
      "message",
      "color",
      "policyName",
      "policyPackName",
      "policyPackVersion",
      "policyPackVersionTag",
      "enforcementLevel",
      "severity",
    ],
    required: ["message", "color", "policyName", "policyPackName", "policyPackVersion", "policyPackVersionTag", "enforcementLevel"],
  },
  policyRemediationEvent: {
    all: ["resourceUrn", "color", "policyName", "policyPackName", "policyPackVersion", "policyPackVersionTag", "before", "after"],
    required: ["color", "policyName", "policyPackName", "policyPackVersion", "policyPackVersionTag"],
  },
  policyAnalyzeSummaryEvent: {
    all: ["resourceUrn", "policyPackName", "policyPackVersion", "policyPackVersionTag", "passed", "failed"],
    required: ["resourceUrn", "policyPackName", "policyPackVersion", "policyPackVersionTag"],
  },
  policyRemediateSummaryEvent: {
    all: ["resourceUrn", "policyPackName", "policyPackVersion", "policyPackVersionTag", "passed", "failed"],
    required: ["resourceUrn", "policyPackName", "policyPackVersion", "policyPackVersionTag"],
  },
  policyAnalyzeStackSummaryEvent: {
    all: ["policyPackName", "policyPackVersion", "policyPackVersionTag", "passed", "failed"],
    required: ["policyPackName", "policyPackVersion", "policyPackVersionTag"],
  },
  preludeEvent: { all: ["config"], required: ["config"] },
  summaryEvent: {
    all: ["maybeCorrupt", "durationSeconds", "resourceChanges", "PolicyPacks", "isPreview", "result"],
    required: ["maybeCorrupt", "durationSeconds", "resourceChanges", "PolicyPacks", "isPreview", "result"],
  },
};
// apitype/core.go: UntypedDeployment, DeploymentV3, ManifestV1, ResourceV3.
const UNTYPED_DEPLOYMENT = ["version", "features", "deployment"];
const DEPLOYMENT_V3 = ["manifest", "secrets_providers", "resources", "pending_operations", "metadata", "snippets", "extensions"];
const MANIFEST_V1 = ["time", "magic", "version", "plugins"];
const RESOURCE_V3 = [
  "urn",
  "custom",
  "delete",
  "id",
  "type",
  "inputs",
  "outputs",
  "parent",
  "protect",
  "taint",
  "external",
  "dependencies",
  "initErrors",
  "provider",
  "propertyDependencies",
  "pendingReplacement",
  "additionalSecretOutputs",
  "aliases",
  "customTimeouts",
  "importID",
  "retainOnDelete",
  "deletedWith",
  "replaceWith",
  "created",
  "modified",
  "sourcePosition",
  "stackTrace",
  "ignoreChanges",
  "hideDiff",
  "replaceOnChanges",
  "replacementTrigger",
  "refreshBeforeUpdate",
  "viewOf",
  "resourceHooks",
  "extensionRef",
  "snippetID",
];
const SECRET_SIG = { key: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" };

const ARGS = ["--program", FIXTURE_PROGRAM, "--stack", "dev", "--policy-pack", FIXTURE_PACK];

/** The pack fields of a summary event. */
function pack(s: Record<string, unknown>): Record<string, unknown> {
  return { policyPackName: s.policyPackName, policyPackVersion: s.policyPackVersion, policyPackVersionTag: s.policyPackVersionTag };
}

function secretsIn(v: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(v)) v.forEach((x) => secretsIn(x, out));
  else if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o[SECRET_SIG.key] === SECRET_SIG.value) out.push(o);
    else Object.values(o).forEach((x) => secretsIn(x, out));
  }
  return out;
}

describe("check: the Pulumi CLI's formats", function () {
  this.timeout(240_000);

  it("--format engine-events: one EngineEvent per line, apitype field names, a policyEvent per violation and the summaries", async () => {
    const [run, json] = await Promise.all([
      runCheckCli([...ARGS, "--format", "engine-events"], true),
      runCheckCli([...ARGS, "--format", "json"], true),
    ]);
    const report = reportOf(json);
    expect(run.code, run.stderr).to.equal(1);
    const events = run
      .output!.trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    events.forEach((e, i) => {
      expect(e.sequence).to.equal(i);
      expect(e.timestamp).to.be.a("number");
      const kinds = Object.keys(e).filter((k) => k !== "sequence" && k !== "timestamp");
      expect(kinds, JSON.stringify(e)).to.have.length(1);
      expect(ENGINE_EVENT_KINDS).to.include(kinds[0]);
      const spec = FIELDS[kinds[0]];
      expect(spec, kinds[0]).to.not.equal(undefined);
      const body = e[kinds[0]];
      expect(spec.all, `${kinds[0]} fields`).to.include.members(Object.keys(body));
      expect(Object.keys(body), `${kinds[0]} required fields`).to.include.members(spec.required);
    });
    const of = (kind: string) => events.filter((e) => kind in e).map((e) => e[kind]);
    expect(of("preludeEvent")).to.have.length(1);
    const config = of("preludeEvent")[0].config as Record<string, unknown>;
    expect(Object.keys(config).length).to.be.greaterThan(1);
    for (const v of Object.values(config)) expect(v).to.be.a("string");
    const policyEvents = of("policyEvent");
    expect(policyEvents).to.have.length(report.violations.length);
    expect(policyEvents.map((p: any) => `${p.policyName} ${p.resourceUrn ?? ""} ${p.enforcementLevel}`).sort()).to.deep.equal(
      report.violations.map((v: any) => `${v.policy} ${v.urn ?? ""} ${v.enforcementLevel}`).sort(),
    );
    for (const p of policyEvents) expect(p).to.include({ policyPackName: "check-fixture", color: "never" });
    // One analyze summary per analyzed resource, as the engine emits after each Analyze (pkg/resource/analyzer/summary.go):
    // failed = policies with a diagnostic there; passed = the pack's resource policies, not disabled, minus not applicable
    // (the pack's answer) minus failed; sorted, omitted when empty.
    const summaries = of("policyAnalyzeSummaryEvent");
    expect(summaries.map((s: any) => s.resourceUrn).sort()).to.deep.equal(report.resources.map((r: any) => r.urn).sort());
    const policies = new Map<string, any>(report.policyPack.policies.map((p: any) => [p.name, p]));
    const failedAt = (urn: string | undefined, stage: string) =>
      [
        ...new Set(
          report.violations.filter((v: any) => v.stage === stage && (stage === "stack" || v.urn === urn)).map((v: any) => v.policy),
        ),
      ].sort();
    for (const s of summaries) {
      expect(s.failed ?? [], s.resourceUrn).to.deep.equal(failedAt(s.resourceUrn, "resource"));
      for (const list of [s.passed ?? [], s.failed ?? []]) expect(list, s.resourceUrn).to.deep.equal([...list].sort());
      for (const name of s.passed ?? []) {
        expect(policies.get(name)?.type, name).to.equal("resource");
        expect(policies.get(name)?.declaredEnforcementLevel, name).to.not.equal("disabled");
        expect(s.failed ?? [], name).to.not.include(name);
      }
    }
    const byName = (name: string) => summaries.find((s: any) => s.resourceUrn.endsWith(`::${name}`));
    // The key fails rotation; the data bucket passes the protect check (dev) and the key policy is not applicable to it.
    expect(byName("key").failed).to.include("fixture-kms-rotation");
    expect(byName("store-data").passed).to.include("fixture-protect-data");
    expect(byName("store-data").passed ?? []).to.not.include("fixture-kms-rotation");
    // Type-gated policies are not applicable to the Stack resource: nothing passes or fails there.
    expect(byName("check-fixture-dev")).to.not.have.property("failed");
    expect(byName("check-fixture-dev").passed ?? []).to.not.include("fixture-kms-rotation");
    // The engine calls Remediate on every resource and summarizes it too (NewRemediatePolicySummary). No policy is at
    // remediate here, so the policy SDK skips them all without a not-applicable entry: every resource policy not disabled
    // passed, nothing failed. One per resource, before that resource's violations.
    const resourcePolicies = report.policyPack.policies
      .filter((p: any) => p.type === "resource" && p.declaredEnforcementLevel !== "disabled")
      .map((p: any) => p.name)
      .sort();
    expect(resourcePolicies).to.include("fixture-block-public-policy-fix");
    const remediateSummaries = of("policyRemediateSummaryEvent");
    expect(remediateSummaries.map((s: any) => s.resourceUrn)).to.deep.equal(summaries.map((s: any) => s.resourceUrn));
    for (const s of remediateSummaries)
      expect(s, s.resourceUrn).to.deep.equal({ resourceUrn: s.resourceUrn, ...pack(s), passed: resourcePolicies });
    const at = (kind: string, urn: string) => events.findIndex((e) => kind in e && e[kind].resourceUrn === urn);
    for (const v of report.violations.filter((x: any) => x.stage === "resource"))
      expect(at("policyRemediateSummaryEvent", v.urn)).to.be.lessThan(at("policyEvent", v.urn));
    const [stackSummary] = of("policyAnalyzeStackSummaryEvent");
    expect(of("policyAnalyzeStackSummaryEvent")).to.have.length(1);
    expect(stackSummary.failed).to.deep.equal(failedAt(undefined, "stack"));
    for (const name of stackSummary.passed ?? []) expect(policies.get(name)?.type, name).to.equal("stack");
    const [summary] = of("summaryEvent");
    expect(summary).to.deep.include({
      isPreview: true,
      result: "failed",
      maybeCorrupt: false,
      PolicyPacks: { "check-fixture": report.policyPack.version },
    });
    expect(Object.keys(events[events.length - 1])).to.include("summaryEvent");
  });

  it("--format engine-events with a policy at remediate: Remediate's answers make the remediate summaries (a remediation counts as failed)", async () => {
    const remediate = ["--policy-config", path.join(FIXTURE_PACK, "config", "remediate.json")];
    const [run, json] = await Promise.all([
      runCheckCli([...ARGS, ...remediate, "--format", "engine-events"], true),
      runCheckCli([...ARGS, ...remediate, "--format", "json"], true),
    ]);
    const report = reportOf(json);
    expect(report.remediations.length, json.stderr).to.be.greaterThan(0);
    const events = run
      .output!.trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const summaries = events.filter((e) => "policyRemediateSummaryEvent" in e).map((e) => e.policyRemediateSummaryEvent);
    expect(summaries).to.have.length(report.resources.length);
    const FIX = "fixture-block-public-policy-fix";
    const others = report.policyPack.policies
      .filter((p: any) => p.type === "resource" && p.declaredEnforcementLevel !== "disabled" && p.name !== FIX)
      .map((p: any) => p.name)
      .sort();
    for (const s of summaries) {
      const remediated = report.remediations.some((r: any) => r.urn === s.resourceUrn && r.policy === FIX);
      const blockType =
        report.resources.find((r: any) => r.urn === s.resourceUrn).type === "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
      // The remediation policy applies to public access blocks only (the SDK lists it not applicable elsewhere).
      expect(s, s.resourceUrn).to.deep.equal({
        resourceUrn: s.resourceUrn,
        ...pack(s),
        passed: others,
        ...(remediated ? { failed: [FIX] } : {}),
      });
      expect(remediated, s.resourceUrn).to.equal(blockType);
      // Each remediation event comes before its resource's summary.
      const at = (kind: string) => events.findIndex((e) => kind in e && e[kind].resourceUrn === s.resourceUrn);
      if (remediated) expect(at("policyRemediationEvent")).to.be.lessThan(at("policyRemediateSummaryEvent"));
    }
  });

  it("--format stack-export: an UntypedDeployment v3 with apitype field names, valid magic, ids, provider references and plaintext secrets", async () => {
    const [run, json] = await Promise.all([
      runCheckCli([...ARGS, "--format", "stack-export"], true),
      runCheckCli([...ARGS, "--format", "json"], true),
    ]);
    const report = reportOf(json);
    expect(run.code, run.stderr).to.equal(1);
    const doc = JSON.parse(run.output!);
    expect(UNTYPED_DEPLOYMENT).to.include.members(Object.keys(doc));
    expect(doc.version).to.equal(3);
    const d = doc.deployment;
    expect(DEPLOYMENT_V3).to.include.members(Object.keys(d));
    expect(MANIFEST_V1).to.include.members(Object.keys(d.manifest));
    // ManifestV1.NewMagic: hex(sha256(version)); the engine's integrity check compares it.
    expect(d.manifest.magic).to.equal(crypto.createHash("sha256").update(d.manifest.version).digest("hex"));
    expect(new Date(d.manifest.time).toISOString()).to.equal(d.manifest.time);
    const byUrn = new Map<string, any>(d.resources.map((r: any) => [r.urn, r]));
    expect(d.resources.map((r: any) => r.urn)).to.have.members(report.resources.map((r: any) => r.urn));
    expect(d.resources[0].type).to.equal("pulumi:pulumi:Stack");
    for (const r of d.resources) {
      expect(RESOURCE_V3, `${r.urn} fields`).to.include.members(Object.keys(r));
      expect(r.urn).to.match(/^urn:pulumi:dev::/);
      expect(r.custom).to.be.a("boolean");
      if (r.custom) expect(r.id, r.urn).to.be.a("string").and.not.equal("");
      if (r.parent) expect(byUrn.has(r.parent), `${r.urn} parent`).to.equal(true);
      for (const dep of r.dependencies ?? []) expect(byUrn.has(dep), `${r.urn} dependency ${dep}`).to.equal(true);
      if (r.provider) {
        const i = r.provider.lastIndexOf("::");
        const provider = byUrn.get(r.provider.slice(0, i));
        expect(provider, `${r.urn} provider`).to.not.equal(undefined);
        expect(provider.type).to.match(/^pulumi:providers:/);
        expect(provider.id).to.equal(r.provider.slice(i + 2));
      }
      for (const s of secretsIn([r.inputs, r.outputs])) {
        expect(Object.keys(s).sort()).to.deep.equal([SECRET_SIG.key, "plaintext"].sort());
        expect(() => JSON.parse(s.plaintext as string)).to.not.throw();
      }
    }
    // The protected bucket of the fixture program is protected in the export too.
    const protectedUrns = report.resources.filter((r: any) => r.protect).map((r: any) => r.urn);
    for (const urn of protectedUrns) expect(byUrn.get(urn).protect, urn).to.equal(true);
    expect(secretsIn(d.resources.map((r: any) => r.inputs)).length, "the fixture's secret parameter value").to.be.greaterThan(0);
  });
});
