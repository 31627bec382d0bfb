/**
 * `npm run check` on a fixture program with known violations, against a
 * fixture policy pack (test/fixtures/policy-pack), run as child processes:
 * exit 1, every expected violation at the file:line of its `// expect:`
 * marker, the tier's policy config applied, resource options and providers
 * carried over the analyzer protocol, remediations applied before analysis,
 * and every output format valid (JSON against its documented schema, SARIF
 * against the SARIF 2.1.0 schema).
 */
import { expect } from "chai";
import * as path from "path";
import {
  CliRun,
  expectedViolations,
  FIXTURE_PACK,
  FIXTURE_PROGRAM,
  reportOf,
  reportSchemaErrors,
  ROOT,
  runCheckCli,
  sarifSchemaErrors,
} from "./helpers";

const BASE = ["--program", FIXTURE_PROGRAM, "--policy-pack", FIXTURE_PACK];
const rel = (p: string) => path.relative(ROOT, p).split(path.sep).join("/");

describe("check: fixture program with known violations (fixture pack)", function () {
  this.timeout(240_000);
  let json: CliRun;
  let sarif: CliRun;
  let table: CliRun;
  let prod: CliRun;
  let remediate: CliRun;
  let report: any;

  before(async () => {
    [json, sarif, table, prod, remediate] = await Promise.all([
      runCheckCli([...BASE, "--format", "json"]),
      runCheckCli([...BASE, "--format", "sarif"], true),
      runCheckCli([...BASE]),
      runCheckCli([...BASE, "--stack", "prod", "--format", "json"], true),
      runCheckCli([...BASE, "--format", "json", "--policy-config", path.join(FIXTURE_PACK, "config", "remediate.json")], true),
    ]);
    report = reportOf(json);
  });

  it("exits 1 (mandatory violations) and keeps stdout for the report, progress on stderr", () => {
    expect(json.code, json.stderr).to.equal(1);
    expect(() => JSON.parse(json.stdout)).not.to.throw();
    expect(json.stderr).to.match(/check: evaluating stack dev/);
    expect(json.stderr).to.match(/check: analyzed \d+ resources/);
  });

  it("reports each expected violation, and only those, at the file:line where the program constructs the resource", () => {
    const expected = expectedViolations(FIXTURE_PROGRAM)
      .map((e) => `${e.policy} @ ${e.file}:${e.line}`)
      .sort();
    expect(expected.length).to.be.greaterThan(3);
    const actual = report.violations.map((v: any) => `${v.policy} @ ${v.source?.file}:${v.source?.line}`).sort();
    expect(actual).to.deep.equal(expected);
  });

  it("applies the tier's policy config (dev: key rotation advisory, the rest mandatory) and groups by severity", () => {
    expect(report.policyPack.config).to.equal(rel(path.join(FIXTURE_PACK, "config", "dev.json")));
    const level = (p: string) => report.violations.filter((v: any) => v.policy === p).map((v: any) => v.enforcementLevel);
    expect(level("fixture-kms-rotation")).to.deep.equal(["advisory"]);
    expect(level("fixture-required-tags")).to.deep.equal(["mandatory"]);
    expect(report.summary.violations).to.deep.equal({ mandatory: 4, advisory: 1, total: 5 });
    expect(report.summary.passed).to.equal(false);
    // Sorted by severity: critical first.
    expect(report.violations.map((v: any) => v.severity)).to.deep.equal(["critical", "critical", "critical", "high", "medium"]);
  });

  it("tells resource and stack policies apart and names the resource of each violation", () => {
    const sse = report.violations.filter((v: any) => v.policy === "fixture-bucket-sse");
    expect(sse.map((v: any) => v.stage)).to.deep.equal(["stack", "stack"]);
    expect(sse.map((v: any) => v.resourceName).sort()).to.deep.equal(["store-data", "store-logs"]);
    const block = report.violations.find((v: any) => v.policy === "fixture-public-access-block");
    expect(block).to.include({
      stage: "resource",
      resourceType: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      resourceName: "store-block",
    });
    expect(block.message).to.contain("blockPublicPolicy must be true");
  });

  it("records the preview tree: the stack root, the component and its children, explicit and default providers", () => {
    const byName = new Map(report.resources.map((r: any) => [r.name, r]));
    const stack: any = report.resources[0];
    expect(stack).to.include({ type: "pulumi:pulumi:Stack", name: "check-fixture-dev", parent: null, synthetic: "stack" });
    const store: any = byName.get("store");
    expect(store).to.include({ type: "fixture:index:Storage", parent: stack.urn, custom: false });
    for (const child of ["store-data", "store-logs", "store-block"]) expect((byName.get(child) as any).parent).to.equal(store.urn);
    expect((byName.get("key") as any).provider).to.match(/[:$]pulumi:providers:aws::regional$/);
    expect((byName.get("store-logs") as any).provider).to.match(/::pulumi:providers:aws::default_\d+_\d+_\d+$/);
    expect(byName.get("regional")).to.deep.include({ source: { file: rel(path.join(FIXTURE_PROGRAM, "index.ts")), line: 13, column: 18 } });
    expect(report.summary.resources).to.equal(report.resources.length);
  });

  it("the JSON report fits its documented schema", () => {
    expect(reportSchemaErrors(report)).to.equal("");
    expect(report.schemaVersion).to.equal(1);
  });

  it("passes resource options over the protocol: in prod the unprotected bucket is flagged, the protected one is not", () => {
    expect(prod.code, prod.stderr).to.equal(1);
    const r = reportOf(prod);
    expect(reportSchemaErrors(r)).to.equal("");
    expect(r.policyPack.config).to.equal(rel(path.join(FIXTURE_PACK, "config", "prod.json")));
    const protect = r.violations.filter((v: any) => v.policy === "fixture-protect-data").map((v: any) => v.resourceName);
    expect(protect).to.deep.equal(["store-logs"]);
    expect(r.resources.find((x: any) => x.name === "store-data").protect).to.equal(true);
    // "all": "mandatory" in prod.json raises key rotation to mandatory.
    expect(r.violations.find((v: any) => v.policy === "fixture-kms-rotation").enforcementLevel).to.equal("mandatory");
    expect(r.policyPack.policies.find((p: any) => p.name === "fixture-kms-rotation")).to.include({
      enforcementLevel: "mandatory",
      declaredEnforcementLevel: "advisory",
    });
  });

  it("runs Remediate before Analyze when a policy is at remediate, and reports what changed", () => {
    expect(remediate.code, remediate.stderr).to.equal(1);
    const r = reportOf(remediate);
    expect(reportSchemaErrors(r)).to.equal("");
    expect(r.remediations).to.have.length(1);
    expect(r.remediations[0]).to.include({ policy: "fixture-block-public-policy-fix", resourceName: "store-block", diagnostic: null });
    expect(r.remediations[0].changed).to.deep.equal(["blockPublicPolicy"]);
    // The remediated block passes the flag check that fails without the remediation.
    expect(r.violations.map((v: any) => v.policy)).not.to.include("fixture-public-access-block");
    expect(r.summary.remediations).to.equal(1);
  });

  it("the SARIF output validates against the SARIF 2.1.0 schema and carries rules, levels and file:line locations", () => {
    expect(sarif.code, sarif.stderr).to.equal(1);
    expect(sarif.stdout).to.equal("");
    const log = reportOf(sarif);
    expect(sarifSchemaErrors(log)).to.equal("");
    expect(log.version).to.equal("2.1.0");
    const run = log.runs[0];
    expect(run.tool.driver.name).to.equal("check-fixture");
    expect(run.tool.driver.rules.map((r: any) => r.id)).to.include.members([
      "fixture-required-tags",
      "fixture-bucket-sse",
      "fixture-kms-rotation",
    ]);
    const locs = run.results.map((x: any) => {
      const p = x.locations[0].physicalLocation;
      return `${x.ruleId} @ ${p.artifactLocation.uri}:${p.region.startLine} ${x.level}`;
    });
    const expected = expectedViolations(FIXTURE_PROGRAM).map(
      (e) => `${e.policy} @ ${e.file}:${e.line} ${e.policy === "fixture-kms-rotation" ? "warning" : "error"}`,
    );
    expect(locs.sort()).to.deep.equal(expected.sort());
    for (const x of run.results) {
      expect(x.locations[0].physicalLocation.artifactLocation.uriBaseId).to.equal("%SRCROOT%");
      expect(run.tool.driver.rules[x.ruleIndex].id).to.equal(x.ruleId);
    }
    expect(run.automationDetails.id).to.equal("pulumi-check/check-fixture/dev/");
  });

  it("the table shows the resource tree, the violations grouped by severity and a summary line", () => {
    expect(table.code, table.stderr).to.equal(1);
    const t = table.stdout;
    expect(t).to.match(/pulumi:pulumi:Stack\s+check-fixture-dev/);
    expect(t).to.match(/├─ fixture:index:Storage\s+store\s+test\/fixtures\/programs\/violations\/index\.ts:17/);
    expect(t).to.match(/│ {2}[├└]─ aws:s3:Bucket\s+store-data\s+\S+storage\.ts:17\n/);
    expect(t.indexOf("critical (3):")).to.be.lessThan(t.indexOf("high (1):"));
    expect(t.indexOf("high (1):")).to.be.lessThan(t.indexOf("medium (1):"));
    expect(t).to.contain(
      "[mandatory] fixture-public-access-block  aws:s3:BucketPublicAccessBlock store-block  (test/fixtures/programs/violations/storage.ts:18)",
    );
    expect(t).to.match(/Summary: FAILED: 9 resources, 6 policies; 4 mandatory and 1 advisory violations/);
  });
});
