/**
 * `npm run check` on every shipped stack with the real policy pack
 * (policy-pack/ with its tier config), as child processes: exit 0 and no
 * violation of any level. Plus the fixture program against the real pack:
 * it is caught (exit 1) with violations located in the fixture's files.
 */
import { expect } from "chai";
import * as path from "path";
import { STACKS } from "../../harness";
import { CliRun, FIXTURE_PROGRAM, reportOf, reportSchemaErrors, ROOT, runCheckCli } from "./helpers";

describe("check: the shipped stacks pass the real policy pack", function () {
  this.timeout(300_000);
  const runs = new Map<string, CliRun>();

  before(async () => {
    await Promise.all(STACKS.map(async (s) => runs.set(s, await runCheckCli(["--stack", s, "--format", "json"]))));
  });

  for (const stack of STACKS) {
    it(`${stack}: exit 0, no violations, report fits the schema`, () => {
      const run = runs.get(stack)!;
      const report = reportOf(run);
      const listed = (report.violations as any[])
        .map((v) => `  [${v.enforcementLevel}] ${v.policy} ${v.resourceType} ${v.resourceName}: ${v.message.replace(/\n/g, " ")}`)
        .join("\n");
      expect(report.violations, `violations:\n${listed}`).to.have.length(0);
      expect(run.code, run.stderr).to.equal(0);
      expect(reportSchemaErrors(report)).to.equal("");
      const tier = stack.endsWith("prod") ? "prod" : "dev";
      expect(report.policyPack.config).to.equal(`policy-pack/config/${tier}.json`);
      expect(report.policyPack.policies.length, "the real pack has policies").to.be.greaterThan(0);
      expect(report.summary.resources).to.be.greaterThan(10);
      // Every resource the program declares carries its source location.
      const unlocated = (report.resources as any[]).filter((r) => !r.synthetic && !r.source).map((r) => r.urn);
      expect(unlocated).to.deep.equal([]);
    });
  }
});

describe("check: the real policy pack catches the fixture program", function () {
  this.timeout(180_000);

  it("exit 1 with mandatory violations located in the fixture's files", async function () {
    const run = await runCheckCli(["--program", FIXTURE_PROGRAM, "--stack", "prod", "--format", "json"]);
    const report = reportOf(run);
    if (report.policyPack.policies.length === 0) this.skip();
    expect(run.code, run.stderr).to.equal(1);
    const dir = path.relative(ROOT, FIXTURE_PROGRAM).split(path.sep).join("/");
    const located = (report.violations as any[]).filter((v) => v.enforcementLevel === "mandatory" && v.source?.file.startsWith(`${dir}/`));
    expect(located.length).to.be.greaterThan(0);
  });
});
