/**
 * Metadata of every policy in the pack, and the tier config files:
 * - names read as `<cloud>-<service>-<resource>-<verb>-<what>` and are unique;
 * - each security policy carries its control id (C1-C11) as description
 *   prefix and tag, a severity that agrees with its doc comment, remediation
 *   steps, a URL, a default enforcement level, and a config schema whose
 *   defaults satisfy it;
 * - every control has a policy on each cloud where it applies;
 * - `config/prod.json` makes every policy mandatory; `config/dev.json`
 *   keeps C1, C3, C5, C6 mandatory and makes the rest advisory;
 * - the unknown sentinels the policies recognise are the SDK's.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { BUDGET_POLICY_NAME } from "../../policy-pack/policies/common/budget";
import { POLICY_NAME_RE, controlOf } from "../../policy-pack/lib/define";
import { ALWAYS_MANDATORY, CONTROL_IDS, ControlId } from "../../policy-pack/controls";
import { policiesOfModule } from "../../policy-pack/lib/registry";
import { UNKNOWN_SENTINELS } from "../../policy-pack/lib/values";
import { PACK_DIR, loadPackConfig, reconcileConfig } from "./harness";
import { ALL_POLICIES } from "./pack";

/** Policies that are not security controls (their own tests cover them). */
const NON_CONTROL_POLICIES = [BUDGET_POLICY_NAME];
const SECURITY = ALL_POLICIES.filter((p) => !NON_CONTROL_POLICIES.includes(p.name));
const SEVERITIES = ["low", "medium", "high", "critical"];

describe("policy pack: metadata", () => {
  it("holds every security policy this project defines (no module lost)", () => {
    expect(SECURITY.length).to.be.at.least(50);
  });

  it("names every policy as a sentence, once", () => {
    const names = ALL_POLICIES.map((p) => p.name);
    expect(new Set(names).size).to.equal(names.length);
    for (const n of names) expect(n, n).to.match(POLICY_NAME_RE);
  });

  for (const p of SECURITY) {
    it(`${p.name}: control id, severity, remediation, URL, enforcement level, config defaults`, () => {
      const control = controlOf(p);
      expect(control, "description starts with [Cn]").to.be.oneOf([...CONTROL_IDS]);
      expect(p.tags).to.include(control);
      expect(p.description.length, "a description sentence").to.be.greaterThan(30);
      expect(p.severity).to.be.oneOf(SEVERITIES);
      expect(p.remediationSteps ?? "", "remediation steps").to.have.length.greaterThan(20);
      expect(p.url ?? "").to.match(/^https:\/\//);
      expect(p.enforcementLevel).to.equal("mandatory");
      for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
        expect(s, `${k} has a default`).to.have.property("default");
        expect((s as { description?: string }).description ?? "", `${k} is described`).to.have.length.greaterThan(10);
      }
    });
  }

  it("validates every schema default against its schema (as the CLI would)", () => {
    expect(() => reconcileConfig(ALL_POLICIES, {})).to.not.throw();
  });

  it("agrees with the severity in each policy's doc comment", () => {
    const checked: string[] = [];
    const policyFiles = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) =>
          e.isDirectory()
            ? policyFiles(path.join(dir, e.name))
            : e.name.endsWith(".ts") && e.name !== "index.ts"
              ? [path.join(dir, e.name)]
              : [],
        );
    for (const file of policyFiles(path.join(__dirname, "..", "..", "policy-pack", "policies"))) {
      if (file.endsWith(path.join("common", "budget.ts"))) continue;
      const mod: unknown = require(file);
      const src = fs.readFileSync(file, "utf8");
      const documented = new Map<string, string>();
      for (const m of src.matchAll(/\/\*\*\s*Severity (\w+)\.[^]*?\*\/\s*export const (\w+)/g)) documented.set(m[2], m[1]);
      for (const [ident, value] of Object.entries(mod as Record<string, unknown>)) {
        const policies = policiesOfModule({ [ident]: value });
        if (policies.length !== 1 || Array.isArray(value)) continue;
        expect(documented.get(ident), `${path.basename(file)}: ${ident} has a "Severity ..." doc comment`).to.equal(policies[0].severity);
        checked.push(policies[0].name);
      }
    }
    expect(checked.sort()).to.deep.equal(SECURITY.map((p) => p.name).sort());
  });

  it("covers every control on each cloud where it applies", () => {
    const on = (cloud: "aws" | "azure", c: ControlId) =>
      SECURITY.filter((p) => controlOf(p) === c && (p.name.startsWith(`${cloud}-`) || p.name.startsWith("common-")));
    // C11 policies land cloud by cloud (issues 14 and 15): each removes its cloud's entry here.
    for (const c of CONTROL_IDS) {
      expect(on("aws", c).length, `${c} on AWS`).to.be.greaterThan(0);
      expect(on("azure", c).length, `${c} on Azure`).to.be.greaterThan(0);
    }
  });

  describe("tier config files", () => {
    it("prod.json: every policy mandatory", () => {
      const levels = reconcileConfig(ALL_POLICIES, loadPackConfig("prod"));
      for (const p of ALL_POLICIES) expect(levels.get(p.name)!.enforcementLevel, p.name).to.equal("mandatory");
    });

    it("dev.json: C1, C3, C5, C6 mandatory, the other security policies advisory", () => {
      const levels = reconcileConfig(ALL_POLICIES, loadPackConfig("dev"));
      for (const p of SECURITY) {
        const expected = ALWAYS_MANDATORY.includes(controlOf(p)!) ? "mandatory" : "advisory";
        expect(levels.get(p.name)!.enforcementLevel, `${p.name} (${controlOf(p)})`).to.equal(expected);
      }
    });

    it("names only policies the pack has, with valid settings", () => {
      for (const tier of ["dev", "prod"]) {
        const file = loadPackConfig(tier);
        const unknownKeys = Object.keys(file).filter((k) => k !== "all" && !ALL_POLICIES.some((p) => p.name === k));
        expect(unknownKeys, `${tier}.json`).to.deep.equal([]);
      }
      expect(
        fs
          .readdirSync(path.join(PACK_DIR, "config"))
          .filter((f) => f.endsWith(".json"))
          .sort(),
      ).to.include.members(["dev.json", "prod.json"]);
    });

    it("the config check rejects invalid settings and levels, like the CLI", () => {
      expect(() =>
        reconcileConfig(ALL_POLICIES, { "aws-iam-policy-disallow-wildcard-resource": { wildcardResourceActions: "ec2:*" } }),
      ).to.throw(/wildcardResourceActions.*must be array/);
      expect(() => reconcileConfig(ALL_POLICIES, { all: "strict" as "mandatory" })).to.throw(
        /"all" has enforcement level "strict"; allowed: advisory, mandatory, remediate, disabled/,
      );
    });
  });

  it("recognises exactly the SDK's unknown sentinels", () => {
    const proxy = require("@pulumi/policy/proxy") as Record<string, unknown>;
    const sdk = Object.entries(proxy)
      .filter(([k]) => /^unknown\w+Value$/.test(k))
      .map(([, v]) => v);
    expect([...UNKNOWN_SENTINELS].sort()).to.deep.equal((sdk as string[]).sort());
  });
});
