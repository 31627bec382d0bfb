/**
 * Tests of engine/pack/policy-config.ts: policy config and enforcement
 * levels as the Pulumi CLI reconciles them (pkg/resource/analyzer/config.go
 * `ReconcilePolicyPackConfig`) and the pack applies them (@pulumi/policy
 * server.js: the configured level, else the policy's, else the pack's). The
 * check and the test harness both go through these functions; each case is
 * one where the harness's former copy and the check's disagreed, pinned to
 * what the CLI does.
 */
import { expect } from "chai";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { PackMetadata, parsePolicyConfig, reconcilePolicyConfig } from "../../../engine/pack/policy-config";
import { analyzeResource, packMetadata, reconcileConfig } from "../../policy-pack/harness";

const policy = (name: string, extra: Partial<ResourceValidationPolicy> = {}): ResourceValidationPolicy => ({
  name,
  description: `${name}.`,
  validateResource: (_args, report) => report("seen"),
  ...extra,
});

describe("engine: policy config and enforcement levels", () => {
  it("a policy without its own level runs at the pack's level, as GetAnalyzerInfo reports it", () => {
    const own = policy("own", { enforcementLevel: "mandatory" });
    const none = policy("none");
    const meta = packMetadata([own, none], "disabled");
    expect(meta.policies.map((p) => `${p.name}:${p.enforcementLevel}`)).to.deep.equal(["none:disabled", "own:mandatory"]);
    const levels = reconcileConfig([own, none], {}, "disabled");
    expect([levels.get("own")?.enforcementLevel, levels.get("none")?.enforcementLevel]).to.deep.equal(["mandatory", "disabled"]);
  });

  it("`all` applies before per-policy entries wherever it sits in the file", () => {
    const a = policy("a", { enforcementLevel: "advisory" });
    const b = policy("b", { enforcementLevel: "advisory" });
    for (const file of [
      { a: "mandatory", all: "disabled" },
      { all: "disabled", a: "mandatory" },
    ] as const) {
      const c = reconcileConfig([a, b], file);
      expect([c.get("a")?.enforcementLevel, c.get("b")?.enforcementLevel], JSON.stringify(file)).to.deep.equal(["mandatory", "disabled"]);
    }
  });

  it("the pack's initial config applies between the schema defaults and the file", () => {
    const pack: PackMetadata = {
      name: "p",
      version: "1",
      supportsConfig: true,
      policies: [
        {
          name: "a",
          description: "A",
          enforcementLevel: "advisory",
          type: "resource",
          severity: "unspecified",
          tags: [],
          configSchema: { properties: { n: { type: "integer", default: 1 }, m: { type: "integer", default: 1 } }, required: [] },
        },
      ],
      initialConfig: { a: { enforcementLevel: "mandatory", properties: { n: 2, m: 2 } } },
    };
    const r = reconcilePolicyConfig(pack, parsePolicyConfig('{"a": {"m": 3}}', "f"), "f");
    expect(r.config.a).to.deep.equal({ enforcementLevel: "mandatory", properties: { n: 2, m: 3 } });
  });

  it("entries for policies the pack does not have are kept aside (the CLI sends them; the check warns)", () => {
    const a = policy("a");
    const meta = packMetadata([a]);
    const r = reconcilePolicyConfig(meta, parsePolicyConfig('{"gone": "mandatory", "all": "advisory"}', "f"), "f");
    expect(r.unknownPolicies).to.deep.equal(["gone"]);
    expect(Object.keys(r.levels)).to.deep.equal(["a"]);
  });

  it("a bad level or property fails with the check's usage error naming the key, the value and what is allowed", () => {
    const a = policy("a", { configSchema: { properties: { n: { type: "integer" } } } });
    expect(() => reconcileConfig([a], { a: "strict" as "mandatory" })).to.throw(
      '"a" has enforcement level "strict"; allowed: advisory, mandatory, remediate, disabled',
    );
    expect(() => reconcileConfig([a], { a: { n: "five" } })).to.throw(/a\.n: must be integer/);
  });

  it("a disabled policy does not run; remediate reports as mandatory in Analyze", async () => {
    const a = policy("a");
    expect((await analyzeResource(a, { type: "aws:s3/bucket:Bucket" }, { config: { a: "disabled" } })).diagnostics).to.deep.equal([]);
    const [d] = (await analyzeResource(a, { type: "aws:s3/bucket:Bucket" }, { config: { a: "remediate" } })).diagnostics;
    expect(d.enforcementLevel).to.equal("mandatory");
  });
});
