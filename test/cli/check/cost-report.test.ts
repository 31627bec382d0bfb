/**
 * Issue 9 in `npm run check`: the report carries the idle-cost estimate of
 * the checked stack (table section after the violations; `cost` in the JSON,
 * validated with the whole report against the schema; headline in SARIF).
 *
 * Child-process runs (shared with shipped.test.ts through the helpers' cache
 * when the folder runs together): every shipped stack as JSON, the dev stack
 * as a table, and the costly fixture program (NAT gateway, 33 interface
 * endpoint-AZs) against the real pack with the prod policy config.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { CostComponent, CostEstimate, estimateIdleCost, usd } from "../../../policy-pack/cost";
import { BUDGET_POLICY_NAME } from "../../../policy-pack/policies/common/budget";
import { renderTable } from "../../../cli/check/format/table";
import { toSarif } from "../../../cli/check/format/sarif";
import { SECTIONS } from "../../../cli/check/sections";
import { monthlyOf, quantityOf } from "../../policy-pack/cost/expect-cost";
import { runStack, STACKS } from "../../harness";
import { CliRun, FIXTURES, REAL_PACK, reportOf, reportSchemaErrors, ROOT, runCheckCli, sarifSchemaErrors } from "./helpers";

const COSTLY = path.join(FIXTURES, "costly-program");
const PROD_POLICY_CONFIG = path.join(REAL_PACK, "config", "prod.json");
const TITLE = "Idle cost (monthly, list prices):";
const TIER_LIMIT: Record<string, number> = { dev: 15, prod: 110 };

const fixedOf = (e: CostEstimate): CostComponent[] => e.components.filter((c) => c.kind === "fixed");
const cents = (n: number) => Math.round(n * 100) / 100;

/** `key` of a shipped stack file's config (`secure-ml-training:<key>`). */
function stackConfig(stack: string, key: string): unknown {
  const doc = YAML.parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  return doc.config[`secure-ml-training:${key}`];
}

describe("check: the idle-cost estimate of the shipped stacks (--format json)", function () {
  this.timeout(300_000);
  const runs = new Map<string, CliRun>();
  const reports = new Map<string, any>();

  before(async () => {
    await Promise.all(
      STACKS.map(async (s) => {
        const run = await runCheckCli(["--stack", s, "--format", "json"]);
        runs.set(s, run);
        reports.set(s, reportOf(run));
      }),
    );
  });

  for (const stack of STACKS) {
    const tier = stack.endsWith("prod") ? "prod" : "dev";
    it(`${stack}: carries a complete estimate within the ${tier} tier's $${TIER_LIMIT[tier]}, the whole report fitting the schema`, () => {
      const run = runs.get(stack)!;
      const report = reports.get(stack);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stderr).not.to.match(/warning/i);
      expect(reportSchemaErrors(report)).to.equal("");
      const cost: CostEstimate = report.cost;
      expect(cost, "report.cost").to.be.an("object");
      expect(cost.schemaVersion).to.equal(1);
      expect(cost.idleMonthlyUsd).to.be.greaterThan(0);
      expect(cost.idleMonthlyUsd).to.be.at.most(TIER_LIMIT[tier]);
      expect(cost.idleMonthlyUsd).to.equal(cents(fixedOf(cost).reduce((n, c) => n + c.monthly, 0)));
      // Every resource is priced or free: nothing unknown hides in the total.
      expect(cost.notPriced).to.deep.equal([]);
      expect(cost.incomplete).to.equal(false);
      expect(cost.region).to.equal(stackConfig(stack, stack.startsWith("azure") ? "location" : "region"));
      // Components point at resources of the report.
      const urns = new Set((report.resources as any[]).map((r) => r.urn));
      for (const c of cost.components) expect(urns.has(c.urn), c.urn).to.equal(true);
    });
  }

  for (const stack of ["dev", "prod"] as const) {
    it(`${stack}: one interface endpoint component per configured endpoint in each AZ, plus the KMS key and its rotation`, () => {
      const cost: CostEstimate = reports.get(stack).cost;
      const endpoints = stackConfig(stack, "interfaceEndpoints") as string[];
      const azs = Number(stackConfig(stack, "azCount"));
      const vpce = fixedOf(cost).filter((c) => c.rateId === "aws.vpce.interface");
      expect(vpce.map((c) => c.component).sort()).to.deep.equal(
        endpoints.map((e) => `interface endpoint ${e} in ${azs} AZ${azs === 1 ? "" : "s"}`).sort(),
      );
      for (const c of vpce) expect(c.quantity).to.equal(quantityOf("aws.vpce.interface", azs));
      expect(
        fixedOf(cost)
          .map((c) => c.rateId)
          .filter((id) => id !== "aws.vpce.interface")
          .sort(),
      ).to.deep.equal(["aws.kms.key", "aws.kms.rotation"]);
      const kms = fixedOf(cost).filter((c) => c.rateId.startsWith("aws.kms."));
      const expected = monthlyOf("aws.vpce.interface", endpoints.length * azs) + kms.reduce((n, c) => n + c.monthly, 0);
      expect(cost.idleMonthlyUsd).to.equal(cents(expected));
      expect(kms.find((c) => c.rateId === "aws.kms.key")!.monthly).to.equal(monthlyOf("aws.kms.key", 1));
    });
  }

  it("dev: the estimate is the cost model's own over the same program (what the budget policy and the README table use)", async () => {
    const recording = await runStack("dev");
    const own = estimateIdleCost(recording.resources, { region: stackConfig("dev", "region") as string });
    expect(reports.get("dev").cost).to.deep.equal(JSON.parse(JSON.stringify(own)));
  });

  it("the SARIF log carries the estimate's headline as run properties and still validates against SARIF 2.1.0", () => {
    const report = reports.get("prod");
    const log = toSarif(report, ROOT, "index.ts");
    expect(sarifSchemaErrors(log)).to.equal("");
    expect(log.runs[0].properties?.idleCost).to.deep.equal({
      monthlyUsd: report.cost.idleMonthlyUsd,
      currency: "USD",
      incomplete: false,
      region: "us-east-1",
      notPricedTypes: [],
      rateBasis: report.cost.rateBasis,
    });
  });
});

describe("check: the idle-cost section of the table output (dev stack)", function () {
  this.timeout(300_000);
  let table: CliRun;
  let cost: CostEstimate;

  before(async () => {
    const [t, json] = await Promise.all([runCheckCli(["--stack", "dev"]), runCheckCli(["--stack", "dev", "--format", "json"])]);
    table = t;
    cost = reportOf(json).cost;
  });

  it("follows the violations, precedes the summary, and shows the total, each component and the rate basis", () => {
    expect(table.code, table.stderr).to.equal(0);
    const t = table.stdout;
    const at = t.indexOf(`\n${TITLE}\n`);
    expect(at, t).to.be.greaterThan(t.indexOf("Policy violations: none"));
    expect(at).to.be.lessThan(t.indexOf("Summary: PASSED"));
    const section = t.slice(at, t.indexOf("Summary: PASSED"));
    expect(section).to.contain(`Total: ${usd(cost.idleMonthlyUsd)}/month idle in us-east-1\n`);
    expect(section).to.match(/Resource\s+Component\s+Quantity x unit price\s+Monthly/);
    for (const c of fixedOf(cost)) {
      const row = section.split("\n").find((l) => l.includes(c.component));
      expect(row, c.component).to.match(new RegExp(`^\\s+${c.resourceName}\\s+.*\\s${usd(c.monthly).replace(/[$.]/g, "\\$&")}$`));
    }
    // The dev stack's fixed components are its KMS key's (no Studio, so no interface endpoint).
    expect(section).to.contain("1 key-month x $1.00");
    expect(section).to.match(/No idle charge: \d+ types \(\d+ resources; listed in --format json under cost\.free\)/);
    expect(section).to.contain("Not priced: none");
    expect(section).to.contain(`Rates: ${cost.rateBasis}`);
  });
});

describe("check: the costly fixture program (NAT gateway, many endpoints) against the real pack, prod config", function () {
  this.timeout(300_000);
  let run: CliRun;
  let report: any;
  let cost: CostEstimate;
  const budget = (JSON.parse(fs.readFileSync(PROD_POLICY_CONFIG, "utf8"))[BUDGET_POLICY_NAME] as { monthlyBudgetUsd: number })
    .monthlyBudgetUsd;

  before(async () => {
    run = await runCheckCli(["--program", COSTLY, "--stack", "demo", "--policy-config", PROD_POLICY_CONFIG, "--format", "json"]);
    report = reportOf(run);
    cost = report.cost;
  });

  it("fails (exit 1) with the budget policy's mandatory violation stating the same total as the estimate", () => {
    expect(run.code, run.stderr).to.equal(1);
    expect(reportSchemaErrors(report)).to.equal("");
    const v = (report.violations as any[]).filter((x) => x.policy === BUDGET_POLICY_NAME);
    expect(v).to.have.length(1);
    expect(v[0]).to.include({ enforcementLevel: "mandatory", stage: "stack" });
    expect(v[0].message).to.contain(`Idle cost estimate ${usd(cost.idleMonthlyUsd)}/month is over the monthly budget of ${usd(budget)}`);
    expect(cost.idleMonthlyUsd).to.be.greaterThan(budget);
  });

  it("prices the NAT gateway, its address and every endpoint-AZ, in the region of the aws:region config", () => {
    expect(cost.region).to.equal("us-east-1");
    const nat = fixedOf(cost).filter((c) => c.resourceType === "aws:ec2/natGateway:NatGateway");
    expect(nat).to.have.length(1);
    expect(nat[0]).to.include({
      resourceName: "nat",
      rateId: "aws.nat.hour",
      quantity: quantityOf("aws.nat.hour", 1),
      monthly: monthlyOf("aws.nat.hour", 1),
    });
    expect(fixedOf(cost).find((c) => c.resourceName === "nat-ip")).to.include({
      rateId: "aws.ipv4.public",
      monthly: monthlyOf("aws.ipv4.public", 1),
    });
    const endpointAzs = fixedOf(cost)
      .filter((c) => c.rateId === "aws.vpce.interface")
      .reduce((n, c) => n + c.quantity / quantityOf("aws.vpce.interface", 1), 0);
    expect(endpointAzs).to.equal(10 * 3 + 2 + 1);
    const total =
      monthlyOf("aws.vpce.interface", endpointAzs) +
      monthlyOf("aws.nat.hour", 1) +
      monthlyOf("aws.ipv4.public", 1) +
      monthlyOf("aws.kms.key", 1) +
      monthlyOf("aws.kms.rotation", 2) +
      monthlyOf("azure.privateEndpoint.hour", 2) +
      monthlyOf("azure.privateDnsZone", 2) +
      monthlyOf("azure.acr.premium", 1) +
      monthlyOf("azure.keyvault.hsmKey.advanced", 1) +
      monthlyOf("azure.keyvault.rotation", 730 / 24 / 90);
    expect(cost.idleMonthlyUsd).to.equal(cents(total));
  });

  it("lists the notebook instance as not priced (never zero) and leaves the component resource out", () => {
    expect(cost.incomplete).to.equal(true);
    expect(cost.notPriced).to.deep.equal([
      {
        type: "aws:sagemaker/notebookInstance:NotebookInstance",
        count: 1,
        resources: ["notebook"],
        reason: "the cost model has no rate for this type",
      },
    ]);
    const classified = [
      ...cost.components.map((c) => c.resourceType),
      ...cost.free.map((f) => f.type),
      ...cost.notPriced.map((n) => n.type),
    ];
    expect((report.resources as any[]).map((r) => r.type)).to.include("costly:network:Network");
    expect(classified).not.to.include("costly:network:Network");
  });

  it("the table (rendered from this report, as the CLI does) shows the NAT gateway row, the 'at least' total and the unpriced type", () => {
    const t = renderTable(report, SECTIONS);
    const section = t.slice(t.indexOf(`\n${TITLE}\n`), t.indexOf("Summary: FAILED"));
    expect(t.indexOf(`\n${TITLE}\n`)).to.be.greaterThan(t.indexOf(BUDGET_POLICY_NAME));
    expect(section).to.contain(`Total: at least ${usd(cost.idleMonthlyUsd)}/month idle in us-east-1: 1 resource not priced`);
    expect(section).to.match(/\n\s+nat\s+public NAT gateway\s+730 NAT gateway-AZ-hours x \$0\.045\s+\$32\.85\n/);
    expect(section).to.contain("aws:sagemaker/notebookInstance:NotebookInstance x1 (notebook): the cost model has no rate for this type");
  });
});
