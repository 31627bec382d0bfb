/**
 * The costly fixture program (test/fixtures/costly-program: a NAT gateway and
 * its Elastic IP, an internet gateway, 10 interface endpoints in 3 AZs plus
 * one in 2 AZs with a subnet association, a rotating KMS key, two Azure
 * private endpoints with DNS zones, a Premium registry and an HSM key),
 * recorded offline like any stack: estimated exactly, and failing the budget
 * policy under the prod config with the largest components named.
 */
import * as path from "path";
import { expect } from "chai";
import { CostEstimate, estimateIdleCost } from "../../../policy-pack/cost";
import { BUDGET_POLICY_NAME, idleMonthlyBudget } from "../../../policy-pack/policies/common/budget";
import { recordStack, Recording } from "../../../engine/recorder";
import { fixed, monthlyOf, quantityOf, rateQuantities, usage } from "./expect-cost";
import { analyzeRecording, loadPackConfig } from "../harness";

const FIXTURE = path.join(__dirname, "..", "..", "fixtures", "costly-program");
const AZS = 3;
const SERVICES_IN_EVERY_AZ = 10;

describe("cost of the costly fixture program", function () {
  let rec: Recording;
  let e: CostEstimate;

  before(async () => {
    rec = await recordStack(FIXTURE, "demo");
    e = estimateIdleCost(rec.resources, { region: "us-east-1" });
  });

  it("prices every component the program plans, quantities from its AZs and endpoints", () => {
    const endpointAzs = SERVICES_IN_EVERY_AZ * AZS + 2 + 1; // + secretsmanager in 2 subnets + 1 association
    const expected: [string, number][] = [
      ["aws.ipv4.public", quantityOf("aws.ipv4.public", 1)],
      ["aws.kms.key", 1],
      ["aws.kms.rotation", 2],
      ["aws.nat.hour", quantityOf("aws.nat.hour", 1)],
      ...Array.from({ length: SERVICES_IN_EVERY_AZ }, (): [string, number] => [
        "aws.vpce.interface",
        quantityOf("aws.vpce.interface", AZS),
      ]),
      ["aws.vpce.interface", quantityOf("aws.vpce.interface", 2)],
      ["aws.vpce.interface", quantityOf("aws.vpce.interface", 1)],
      ["azure.acr.premium", Math.round(quantityOf("azure.acr.premium", 1) * 1e4) / 1e4],
      ["azure.keyvault.hsmKey.advanced", 1],
      ["azure.keyvault.rotation", Math.round((730 / 24 / 90) * 1e4) / 1e4],
      ["azure.privateDnsZone", 1],
      ["azure.privateDnsZone", 1],
      ["azure.privateEndpoint.hour", quantityOf("azure.privateEndpoint.hour", 1)],
      ["azure.privateEndpoint.hour", quantityOf("azure.privateEndpoint.hour", 1)],
    ];
    expect(rateQuantities(e)).to.deep.equal(expected.sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]));

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
    expect(e.idleMonthlyUsd).to.equal(Math.round(total * 100) / 100);
    // The careless network alone idles at about $277 before anything runs.
    expect(monthlyOf("aws.vpce.interface", endpointAzs) + monthlyOf("aws.nat.hour", 1) + monthlyOf("aws.ipv4.public", 1)).to.be.closeTo(
      277.4,
      1e-6,
    );
  });

  it("lists the gateway endpoint, internet gateway and network plumbing as free, and the notebook as not priced", () => {
    const free = Object.fromEntries(e.free.map((f) => [f.type, f.count]));
    expect(free).to.include({
      "aws:ec2/vpcEndpoint:VpcEndpoint": 1,
      "aws:ec2/internetGateway:InternetGateway": 1,
      "aws:ec2/subnet:Subnet": AZS + 1,
      "aws:ec2/routeTableAssociation:RouteTableAssociation": AZS + 1,
      "azure-native:privatedns:VirtualNetworkLink": 2,
      "azure-native:keyvault:Vault": 1,
    });
    expect(e.notPriced).to.deep.equal([
      {
        type: "aws:sagemaker/notebookInstance:NotebookInstance",
        count: 1,
        resources: ["notebook"],
        reason: "the cost model has no rate for this type",
      },
    ]);
    expect(e.incomplete).to.equal(true);
    // The component resource is neither priced nor "not priced".
    const types = [...e.components.map((c) => c.resourceType), ...e.free.map((f) => f.type), ...e.notPriced.map((n) => n.type)];
    expect(rec.resources.map((r) => r.type)).to.include("costly:network:Network");
    expect(types).not.to.include("costly:network:Network");
    expect(usage(e).map((c) => c.rateId)).to.include.members(["aws.nat.data", "aws.vpce.interface.data", "azure.privateEndpoint.data"]);
  });

  it("fails the budget policy under the prod config (mandatory), naming the largest components", async () => {
    const config = loadPackConfig("prod");
    const entry = config[BUDGET_POLICY_NAME] as { enforcementLevel: string; monthlyBudgetUsd: number };
    expect(entry).to.include({ enforcementLevel: "mandatory" });
    // As `pulumi preview --policy-pack` runs it: every resource through Analyze, then AnalyzeStack on the outputs.
    const { diagnostics, applied } = await analyzeRecording([idleMonthlyBudget], rec, { config });
    expect(applied.has(BUDGET_POLICY_NAME)).to.equal(true);
    expect(diagnostics).to.have.length(1);
    expect(diagnostics[0]).to.include({ policyName: BUDGET_POLICY_NAME, enforcementLevel: "mandatory" });
    const m = diagnostics[0].message;
    expect(m).to.contain(
      `Idle cost estimate $${e.idleMonthlyUsd.toFixed(2)}/month is over the monthly budget of $${entry.monthlyBudgetUsd.toFixed(2)}`,
    );
    const top = fixed(e).slice(0, 5);
    expect(top[0]).to.include({ rateId: "azure.acr.premium" });
    expect(top[1]).to.include({ rateId: "aws.nat.hour" });
    for (const c of top) expect(m).to.contain(`${c.resourceName} (${c.resourceType}) ${c.component}`);
    expect(m).to.contain("Not priced (not included, so the real cost is higher): aws:sagemaker/notebookInstance:NotebookInstance x1.");
  });

  it("is only advisory under the dev config, and passes when the budget covers it", async () => {
    const dev = await analyzeRecording([idleMonthlyBudget], rec, { config: loadPackConfig("dev") });
    expect(dev.diagnostics.map((d) => d.enforcementLevel)).to.deep.equal(["advisory"]);
    const config = { [BUDGET_POLICY_NAME]: { enforcementLevel: "mandatory" as const, monthlyBudgetUsd: Math.ceil(e.idleMonthlyUsd) } };
    expect((await analyzeRecording([idleMonthlyBudget], rec, { config })).diagnostics).to.deep.equal([]);
  });
});
