/**
 * Framework tags in the check's reports: a violation of the real pack carries
 * its policy's framework controls (`frameworks`) in --format json, the policy
 * its `framework` metadata, and SARIF rules and results carry both, so a
 * compliance reviewer can filter findings by framework.
 */
import { expect } from "chai";
import { toSarif } from "../../../cli/check/format/sarif";
import { frameworksOf } from "../../../cli/check/report";
import { FIXTURE_PROGRAM, reportOf, reportSchemaErrors, ROOT, runCheckCli, sarifSchemaErrors } from "./helpers";

describe("check: framework tags in JSON and SARIF", function () {
  this.timeout(180_000);

  it("keeps only `<framework>:<control>` tags as frameworks", () => {
    expect(frameworksOf(["C2", "aws", "cis-aws-5.0.0:3.6", "nist-800-53-r5:SC-12", "has space:x"])).to.deep.equal([
      "cis-aws-5.0.0:3.6",
      "nist-800-53-r5:SC-12",
    ]);
  });

  it("carries them on the policy and on its violations", async function () {
    const run = await runCheckCli(["--program", FIXTURE_PROGRAM, "--stack", "prod", "--format", "json"]);
    const report = reportOf(run);
    if (report.policyPack.policies.length === 0) this.skip();
    expect(reportSchemaErrors(report)).to.equal("");
    const rotation = report.policyPack.policies.find((p: any) => p.name === "aws-kms-key-enable-key-rotation");
    expect(rotation.framework).to.deep.equal({
      name: "CIS Amazon Web Services Foundations Benchmark",
      version: "5.0.0",
      reference: "3.6",
      specification: "Ensure rotation for customer-created symmetric CMKs is enabled",
    });
    expect(rotation.frameworks).to.deep.equal(["cis-aws-5.0.0:3.6", "nist-800-53-r5:SC-12"]);
    const v = report.violations.find((x: any) => x.policy === "aws-kms-key-enable-key-rotation");
    expect(v, "the fixture's key has rotation off").to.not.equal(undefined);
    expect(v.frameworks).to.deep.equal(["cis-aws-5.0.0:3.6", "nist-800-53-r5:SC-12"]);
    const budget = report.policyPack.policies.find((p: any) => p.name === "common-cost-stack-enforce-idle-monthly-budget");
    expect(budget.frameworks).to.deep.equal([]);
    expect(budget).to.not.have.property("framework");

    const log = toSarif(report, ROOT, "index.ts");
    expect(sarifSchemaErrors(log)).to.equal("");
    const rule = log.runs[0].tool.driver.rules!.find((r) => r.id === "aws-kms-key-enable-key-rotation")!;
    expect(rule.properties!.frameworks).to.deep.equal(["cis-aws-5.0.0:3.6", "nist-800-53-r5:SC-12"]);
    expect(rule.properties!.tags).to.include("cis-aws-5.0.0:3.6");
    expect((rule.properties!.framework as { reference: string }).reference).to.equal("3.6");
    const result = log.runs[0].results!.find((r) => r.ruleId === "aws-kms-key-enable-key-rotation")!;
    expect(result.properties!.frameworks).to.deep.equal(["cis-aws-5.0.0:3.6", "nist-800-53-r5:SC-12"]);
  });
});
