/**
 * The coverage matrix against Checkov (tools/coverage-table.ts,
 * policy-pack/coverage): every relevant check is decided exactly once, every
 * id a policy names exists, every type the shipped stacks record is mapped
 * to Terraform, and docs/coverage.md and README's figures equal what
 * `npm run coverage:table` generates now.
 */
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { expect } from "chai";
import { COVERAGE, CoverageData, counts, onlyThisPack, problems, rows } from "../../policy-pack/coverage";
import { controlOf, coverageOf } from "../../policy-pack/lib/define";
import { CONTROL_TITLES, complianceFramework, frameworkTag, frameworkTagsOf } from "../../policy-pack/lib/frameworks";
import { tableBetweenMarkers } from "../../tools/cost-table";
import { DOC_FILE, ROOT, SUMMARY_END, SUMMARY_START, packPolicies, renderCoverageDoc, renderSummary } from "../../tools/coverage-table";
import { STACKS, runStack } from "../harness";

const FIX = "run `npm run coverage:table -- --write` to regenerate it";

describe("coverage matrix against Checkov (docs/coverage.md)", () => {
  const policies = packPolicies();
  const security = policies.filter((p) => controlOf(p) !== undefined);

  it("is sound: every check decided once, every named id listed, every decision with a reason", () => {
    expect(problems(policies)).to.deep.equal([]);
    const all = rows(policies);
    const c = counts(all);
    expect(c.covered + c.different + c.notApplicable + c.gap).to.equal(COVERAGE.checks.length);
    expect(new Set(all.map((r) => r.check.id)).size).to.equal(COVERAGE.checks.length);
  });

  it("finds a check nobody decided, a check decided twice and an id no check has", () => {
    const first = COVERAGE.checks.find((c) => Object.keys(COVERAGE.decisions).includes(c.id))!;
    const covered = rows(policies).find((r) => r.decision === "covered")!;
    const broken: CoverageData = {
      ...COVERAGE,
      checks: [
        ...COVERAGE.checks,
        { id: "CKV_AWS_99999", scanner: "checkov", name: "made up", kind: "resource", terraformTypes: [], source: "x.py" },
      ],
      decisions: {
        ...Object.fromEntries(Object.entries(COVERAGE.decisions).filter(([id]) => id !== first.id)),
        [covered.check.id]: { decision: "different", reason: "a reason long enough to pass" },
      },
    };
    const found = problems(policies, broken).join("\n");
    expect(found).to.contain(`${first.id} is neither answered by a policy nor decided`);
    expect(found).to.contain("CKV_AWS_99999 is neither answered");
    expect(found).to.contain(`${covered.check.id} is answered by a policy and also decided as different`);
    const stray = problems(policies, { ...COVERAGE, checks: COVERAGE.checks.filter((c) => c.id !== covered.check.id) }).join("\n");
    expect(stray).to.contain(`names ${covered.check.id}, which checkov.json does not list`);
  });

  it("covers the checks the issue lists as gaps with the new policies", () => {
    const byId = new Map(rows(policies).map((r) => [r.check.id, r]));
    const expected: Record<string, string> = {
      CKV_AWS_382: "aws-ec2-security-group-disallow-public-egress",
      CKV2_AWS_12: "aws-ec2-default-security-group-disallow-rules",
      CKV_AWS_130: "aws-ec2-subnet-disable-public-ip-on-launch",
      CKV2_AWS_64: "aws-kms-key-missing-key-policy",
      CKV2_AZURE_31: "azure-network-subnet-missing-network-security-group",
      CKV_AZURE_142: "azure-ml-compute-disable-local-auth",
      CKV_AZURE_244: "azure-storage-account-disable-local-users",
      CKV_AWS_338: "aws-cloudwatch-log-group-configure-tier-minimum-retention",
    };
    for (const [id, policy] of Object.entries(expected)) expect(byId.get(id)?.policies, id).to.include(policy);
    expect(byId.get("CKV_AZURE_40")).to.include({ decision: "different" });
    expect(byId.get("CKV_AZURE_40")!.reason).to.match(/rotation/i);
    expect(byId.get("CKV_AWS_143")).to.include({ decision: "different" });
    expect(byId.get("CKV_AWS_143")!.reason).to.match(/Object Lock default retention/);
  });

  it("maps every resource type the four shipped stacks record to Terraform types (or says why none)", async () => {
    const mapped = new Set(COVERAGE.resourceTypes.map((t) => t.pulumi));
    const unmapped = new Set<string>();
    for (const stack of STACKS) {
      for (const r of (await runStack(stack)).resources) if (!mapped.has(r.type)) unmapped.add(`${r.type} (${stack})`);
    }
    expect(
      [...unmapped],
      "add them to resourceTypes in policy-pack/coverage/checkov.json and decide the Checkov checks of their Terraform types",
    ).to.deep.equal([]);
  });

  it("gives every C1-C10 policy framework controls (C11, deployability, may have none): `framework` is the first, every one a tag", () => {
    for (const p of security) {
      const refs = coverageOf(p).frameworks;
      if (controlOf(p) !== "C11") expect(refs.length, `${p.name} maps to no framework control`).to.be.at.least(1);
      for (const [id, control] of refs) expect(CONTROL_TITLES[id][control], `${p.name}: ${id} ${control}`).to.be.a("string");
      expect(p.framework, p.name).to.deep.equal(complianceFramework(refs));
      expect(frameworkTagsOf(p.tags ?? [])).to.deep.equal(refs.map(frameworkTag));
    }
    const rotation = security.find((p) => p.name === "aws-kms-key-enable-key-rotation")!;
    expect(rotation.framework).to.deep.equal({
      name: "CIS Amazon Web Services Foundations Benchmark",
      version: "5.0.0",
      reference: "3.6",
      specification: "Ensure rotation for customer-created symmetric CMKs is enabled",
    });
  });

  it("lists what only this pack checks", () => {
    const only = onlyThisPack(policies).map((p) => p.name);
    expect(only).to.include.members([
      "aws-s3-bucket-enforce-vpc-endpoint-only",
      "aws-sagemaker-execution-role-enforce-job-guardrails",
      "azure-authorization-role-assignment-disallow-broad-scope",
      "common-stack-data-store-enforce-protection",
    ]);
    expect(only).to.not.include("aws-kms-key-enable-key-rotation");
  });

  it("docs/coverage.md and README's figures are current", () => {
    const doc = fs.readFileSync(path.join(ROOT, DOC_FILE), "utf8");
    expect(doc === renderCoverageDoc(policies), `${DOC_FILE} is stale: ${FIX}`).to.equal(true);
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(tableBetweenMarkers(readme, SUMMARY_START, SUMMARY_END), `README.md's coverage figures are stale: ${FIX}`).to.equal(
      renderSummary(policies),
    );
    const c = counts(rows(policies).filter((r) => r.check.scanner === "checkov"));
    expect(readme).to.contain(`${c.total} checks apply`).and.to.contain(`**${c.covered} covered**`);
  });

  it("`npm run coverage:table -- --check` passes now and rejects an unknown flag", () => {
    const cli = path.join(ROOT, "tools", "coverage-table.ts");
    const ok = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", cli, "--check"], { cwd: ROOT, encoding: "utf8" });
    expect(ok.status, ok.stderr).to.equal(0);
    const bad = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", cli, "--bogus"], { cwd: ROOT, encoding: "utf8" });
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.contain("allowed flags: --write, --check, --help");
  });
});
