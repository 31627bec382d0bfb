/**
 * The budget stack policy (COST), run through the pack's test harness
 * (test/policy-pack/harness.ts: the runtime's own deserialization and
 * unknown-checking proxy, CLI config reconciliation): metadata and settings
 * follow the pack's conventions; one stack-level violation with the
 * estimate, the budget and the largest components when over budget, none
 * within it; the tier config decides advisory (dev) or mandatory (prod);
 * preview unknowns never make it throw.
 */
import { expect } from "chai";
import { controlOf } from "../../../../policy-pack/lib/define";
import { CONTROL_IDS } from "../../../../policy-pack/controls";
import {
  BUDGET_CONFIG_SCHEMA,
  BUDGET_CONTROL,
  BUDGET_POLICY_NAME,
  budgetViolation,
  idleMonthlyBudget,
  plannedResources,
  regionOf,
} from "../../../../policy-pack/policies/common/budget";
import { estimateIdleCost } from "../../../../policy-pack/cost";
import { analyzeStack, loadPackConfig, ResourceSpec, stackArgs, unknown } from "../../harness";
import { ALL_POLICIES } from "../../pack";
import { monthlyOf } from "../../cost/expect-cost";

const AWS_PROVIDER = { type: "pulumi:providers:aws", name: "default_7_48_0", props: { region: "eu-west-1" } };

/** N interface endpoints in `azs` AZs each and a rotating key, under a component, as AnalyzeStack sends them. */
function endpoints(n: number, azs: number, extra: Record<string, unknown> = {}): ResourceSpec[] {
  const subnets = Array.from({ length: azs }, (_, i) => `subnet-${i}`);
  const env = "urn:pulumi:prod::p::secure-ml:aws:TrainingEnvironment::env";
  return [
    { type: "secure-ml:aws:TrainingEnvironment", name: "env", urn: env },
    {
      type: "aws:kms/key:Key",
      name: "key",
      parent: env,
      provider: AWS_PROVIDER,
      props: { enableKeyRotation: true, rotationPeriodInDays: 365 },
    },
    ...Array.from({ length: n }, (_, i): ResourceSpec => ({
      type: "aws:ec2/vpcEndpoint:VpcEndpoint",
      name: `vpce-${i}`,
      parent: env,
      provider: AWS_PROVIDER,
      props: { vpcEndpointType: "Interface", serviceName: `com.amazonaws.eu-west-1.svc${i}`, subnetIds: subnets, ...extra },
    })),
  ];
}

/** The harness's diagnostic message carries the description first; the policy's own message follows. */
const own = (message: string) => message.split("\n").slice(1).join("\n");

describe("budget policy (COST)", () => {
  it("is registered in the pack, with the COST id instead of a security control", () => {
    expect(ALL_POLICIES.filter((p) => p.name === BUDGET_POLICY_NAME)).to.deep.equal([idleMonthlyBudget]);
    expect(idleMonthlyBudget.description).to.match(/^\[COST\] /);
    expect(BUDGET_CONTROL).to.equal("COST");
    expect((CONTROL_IDS as readonly string[]).includes(BUDGET_CONTROL)).to.equal(false);
    expect(controlOf(idleMonthlyBudget)).to.be.undefined;
    expect(idleMonthlyBudget.tags).to.include("COST");
    expect(idleMonthlyBudget.enforcementLevel).to.equal("advisory");
    expect(idleMonthlyBudget.remediationSteps).to.match(/npm run check/);
    expect("validateStack" in idleMonthlyBudget).to.equal(true);
  });

  it("declares its settings with defaults, and the tier configs set them: dev $15 advisory, prod $110 mandatory", () => {
    expect(BUDGET_CONFIG_SCHEMA.properties.monthlyBudgetUsd).to.include({ type: "number", minimum: 0, default: 110 });
    expect(BUDGET_CONFIG_SCHEMA.properties.topComponents).to.include({ type: "integer", default: 5 });
    expect(loadPackConfig("dev")[BUDGET_POLICY_NAME]).to.deep.equal({ enforcementLevel: "advisory", monthlyBudgetUsd: 15 });
    expect(loadPackConfig("prod")[BUDGET_POLICY_NAME]).to.deep.equal({ enforcementLevel: "mandatory", monthlyBudgetUsd: 110 });
  });

  it("passes a stack within its budget (the prod AWS shape: 7 endpoints x 2 AZs + a rotating key, $105.20)", async () => {
    const r = await analyzeStack(idleMonthlyBudget, endpoints(7, 2), { config: loadPackConfig("prod") });
    expect(r.diagnostics).to.deep.equal([]);
    expect(r.notApplicable).to.deep.equal([]);
  });

  it("reports one stack-level violation over budget: estimate, budget, overrun, largest components, fix", async () => {
    const config = { [BUDGET_POLICY_NAME]: { enforcementLevel: "mandatory" as const, monthlyBudgetUsd: 110, topComponents: 3 } };
    const r = await analyzeStack(idleMonthlyBudget, endpoints(7, 3), { config });
    expect(r.diagnostics).to.have.length(1);
    const d = r.diagnostics[0];
    expect(d).to.include({ policyName: BUDGET_POLICY_NAME, enforcementLevel: "mandatory" });
    expect(d.urn).to.be.undefined;
    const total = monthlyOf("aws.vpce.interface", 21) + monthlyOf("aws.kms.key", 1) + monthlyOf("aws.kms.rotation", 2);
    const m = own(d.message);
    expect(m).to.contain(
      `Idle cost estimate $${total.toFixed(2)}/month is over the monthly budget of $110.00 by $${(total - 110).toFixed(2)}`,
    );
    expect(m).to.contain("[stack, 9 fixed cost component(s)]");
    expect(m.match(/^ {2}\d\. /gm)).to.have.length(3);
    expect(m).to.match(
      /1\. vpce-\d \(aws:ec2\/vpcEndpoint:VpcEndpoint\) interface endpoint svc\d in 3 AZs: \$21\.90\/month \(3 endpoint-AZs x 730 h x \$0\.01\/hour\)/,
    );
    expect(m).to.contain("... and 6 more.");
    expect(m).to.match(/Fix: .*fewer availability zones.*raise monthlyBudgetUsd/);
    expect(m).to.match(/us-east-1/);
  });

  it("is advisory under the dev config and mandatory under the prod config", async () => {
    const dev = await analyzeStack(idleMonthlyBudget, endpoints(2, 1), { config: loadPackConfig("dev") }); // $17.60 > $15
    expect(dev.diagnostics.map((d) => d.enforcementLevel)).to.deep.equal(["advisory"]);
    expect(own(dev.diagnostics[0].message)).to.contain("over the monthly budget of $15.00");
    const prod = await analyzeStack(idleMonthlyBudget, endpoints(8, 2), { config: loadPackConfig("prod") }); // $119.80 > $110
    expect(prod.diagnostics.map((d) => d.enforcementLevel)).to.deep.equal(["mandatory"]);
  });

  it("uses the schema default budget when run without config", async () => {
    const r = await analyzeStack(idleMonthlyBudget, endpoints(8, 2));
    expect(r.diagnostics).to.have.length(1);
    expect(r.diagnostics[0].enforcementLevel).to.equal("advisory");
    expect(own(r.diagnostics[0].message)).to.contain("budget of $110.00");
  });

  it("survives preview unknowns behind the runtime proxy and prices with stated assumptions", async () => {
    const specs = endpoints(2, 2, { subnetIds: unknown("array") });
    const args = stackArgs(idleMonthlyBudget, specs);
    expect(() => args.resources[2].props.subnetIds).to.throw(/can't be known during preview/);
    const config = { [BUDGET_POLICY_NAME]: { monthlyBudgetUsd: 1 } };
    const r = await analyzeStack(idleMonthlyBudget, specs, { config });
    expect(r.diagnostics).to.have.length(1);
    expect(own(r.diagnostics[0].message)).to.match(/\[assumed: `subnetIds` is not known yet \(preview\); assumed 1 AZ/);
  });

  it("counts only custom resources: components (no provider) are neither priced nor 'not priced'", () => {
    const args = stackArgs(idleMonthlyBudget, endpoints(1, 1));
    const planned = plannedResources(args.resources);
    expect(planned[0]).to.not.have.property("custom");
    expect(planned[1]).to.include({ custom: true });
    const e = estimateIdleCost(planned, { region: regionOf(args.resources) });
    expect(e.notPriced).to.be.empty;
    expect(e.region).to.equal("eu-west-1");
    expect(e.notes.join("\n")).to.contain("eu-west-1 may be priced higher");
  });

  it("lists what it could not price in the violation; exactly at the budget is within it", () => {
    const e = estimateIdleCost([
      { type: "aws:ec2/natGateway:NatGateway", name: "nat", inputs: {} },
      { type: "aws:sagemaker/notebookInstance:NotebookInstance", name: "nb", inputs: {} },
    ]);
    const m = budgetViolation(e, { monthlyBudgetUsd: 10, topComponents: 5 });
    expect(m).to.contain("Not priced (not included, so the real cost is higher): aws:sagemaker/notebookInstance:NotebookInstance x1.");
    expect(budgetViolation(e, { monthlyBudgetUsd: 100, topComponents: 5 })).to.be.undefined;
    expect(budgetViolation(e, { monthlyBudgetUsd: e.idleMonthlyUsd, topComponents: 5 })).to.be.undefined;
  });
});
