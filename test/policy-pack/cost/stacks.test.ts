/**
 * Pins each shipped stack's idle cost: dev stacks idle at or under $15 a
 * month, prod stacks at or under $110 (issue 9), within the tier budget the
 * policy pack's config sets, every resource type classified (nothing "not
 * priced"), and the exact list of fixed components, derived from the stack's
 * own config (endpoints x AZs) and priced from the rate table.
 */
import { expect } from "chai";
import { parseStackConfig } from "../../../stacks/config";
import { CostEstimate, estimateIdleCost, rate } from "../../../policy-pack/cost";
import { readProject, readStackFile } from "../../../engine/recorder";
import { tierBudget } from "../../../tools/cost-table";
import { PROJECT, ROOT, runStack, STACKS } from "../../harness";
import { analyzeStack, loadPackConfig, specsOf, stackArgs } from "../harness";
import { idleMonthlyBudget, plannedResources } from "../../../policy-pack/policies/common/budget";
import { fixed, quantityOf } from "./expect-cost";

/** Issue 9's ceilings. */
const CEILING = { dev: 15, prod: 110 } as const;
const HOURS = 730;

function configOf(stack: string) {
  return parseStackConfig(readStackFile(readProject(ROOT), stack).config, PROJECT, stack);
}

async function estimateOf(stack: string): Promise<CostEstimate> {
  const c = configOf(stack);
  return estimateIdleCost((await runStack(stack)).resources, { region: c.cloud === "aws" ? c.region : c.location });
}

type Line = [rateId: string, component: string, quantity: number];

function lines(e: CostEstimate): Line[] {
  return fixed(e)
    .map((c): Line => [c.rateId, c.component, Math.round(c.quantity * 1e4) / 1e4])
    .sort((a, b) => `${a[0]} ${a[1]}`.localeCompare(`${b[0]} ${b[1]}`));
}

function sorted(ls: Line[]): Line[] {
  return ls.map((l): Line => [l[0], l[1], Math.round(l[2] * 1e4) / 1e4]).sort((a, b) => `${a[0]} ${a[1]}`.localeCompare(`${b[0]} ${b[1]}`));
}

/** One interface endpoint per configured service, in every AZ; one KMS key at its steady state (rotation on, C2). */
function expectedAws(stack: string): Line[] {
  const c = configOf(stack);
  if (c.cloud !== "aws") throw new Error(stack);
  const azs = `${c.azCount} AZ${c.azCount === 1 ? "" : "s"}`;
  return sorted([
    ...c.interfaceEndpoints.map((svc): Line => [
      "aws.vpce.interface",
      `interface endpoint ${svc} in ${azs}`,
      quantityOf("aws.vpce.interface", c.azCount),
    ]),
    ["aws.kms.key", "customer managed key", 1],
    ["aws.kms.rotation", "rotation surcharge (rotates every 365 d)", 2],
  ]);
}

const ZONES: Record<string, string[]> = {
  blob: ["privatelink.blob.core.windows.net"],
  vault: ["privatelink.vaultcore.azure.net"],
  amlworkspace: ["privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"],
};

/**
 * One private endpoint per configured target (+ the ML workspace), its DNS zones, the key's scheduled
 * rotation, and with the workspace the 4 private endpoints of its managed network (no firewall: no FQDN rule).
 */
function expectedAzure(stack: string): Line[] {
  const c = configOf(stack);
  if (c.cloud !== "azure") throw new Error(stack);
  const targets: string[] = [...c.privateEndpoints, ...(c.mlWorkspace ? ["amlworkspace"] : [])];
  return sorted([
    ...targets.map((t): Line => ["azure.privateEndpoint.hour", `private endpoint (${t})`, HOURS]),
    ...targets.flatMap((t) => ZONES[t].map((z): Line => ["azure.privateDnsZone", `private DNS zone ${z}`, 1])),
    ["azure.keyvault.rotation", "automated rotation every 180 d", HOURS / 24 / 180],
    ...(c.mlWorkspace
      ? [["azure.privateEndpoint.hour", "managed network private endpoints (workspace, vault, storage blob and file)", 4 * HOURS] as Line]
      : []),
  ]);
}

describe("idle cost of the shipped stacks", () => {
  for (const stack of STACKS) {
    describe(stack, () => {
      it(`idles within its tier's ceiling and its budget in policy-pack/config`, async () => {
        const e = await estimateOf(stack);
        const tier = configOf(stack).tier;
        expect(e.idleMonthlyUsd, `${stack} idle cost`).to.be.at.most(CEILING[tier]);
        expect(e.idleMonthlyUsd).to.be.at.most(tierBudget(tier).monthlyBudgetUsd);
        expect(e.idleMonthlyUsd).to.be.greaterThan(0);
      });

      it("classifies every resource: nothing is left unpriced", async () => {
        const e = await estimateOf(stack);
        expect(e.notPriced, JSON.stringify(e.notPriced)).to.be.empty;
        expect(e.incomplete).to.equal(false);
        expect(e.components.filter((c) => c.assumed)).to.be.empty;
      });

      it("passes the budget policy under its tier's config, estimating the same from the planned outputs", async () => {
        const rec = await runStack(stack);
        const tier = configOf(stack).tier;
        const outputs = specsOf(rec).outputs;
        const r = await analyzeStack(idleMonthlyBudget, outputs, { config: loadPackConfig(tier) });
        expect(r.diagnostics).to.deep.equal([]);
        const fromPolicy = estimateIdleCost(plannedResources(stackArgs(idleMonthlyBudget, outputs).resources));
        expect(fromPolicy.idleMonthlyUsd).to.equal((await estimateOf(stack)).idleMonthlyUsd);
        expect(fromPolicy.notPriced).to.deep.equal([]);
      });

      it("has exactly the expected fixed components, priced from the rate table", async () => {
        const e = await estimateOf(stack);
        const expected = stack.startsWith("azure") ? expectedAzure(stack) : expectedAws(stack);
        expect(lines(e)).to.deep.equal(expected);
        // Quantities are in each rate's unit, so a line costs quantity x list price.
        const total = expected.reduce((sum, [rateId, , q]) => sum + q * rate(rateId).price, 0);
        expect(e.idleMonthlyUsd).to.be.closeTo(total, 0.006);
      });
    });
  }

  it("pins the figures: AWS dev $3.00 (no Studio, so no interface endpoint), AWS prod $105.20 (us-east-1 list prices); Azure dev $7.97, Azure prod $53.27 (East US)", async () => {
    expect((await estimateOf("dev")).idleMonthlyUsd).to.equal(3);
    expect((await estimateOf("prod")).idleMonthlyUsd).to.equal(105.2);
    expect((await estimateOf("azure-dev")).idleMonthlyUsd).to.equal(7.97);
    expect((await estimateOf("azure-prod")).idleMonthlyUsd).to.equal(53.27);
  });

  it("keeps the S3 gateway endpoint free and no NAT or internet gateway in a training VPC", async () => {
    for (const stack of ["dev", "prod"]) {
      const e = await estimateOf(stack);
      expect(e.free.find((f) => f.type === "aws:ec2/vpcEndpoint:VpcEndpoint")).to.include({ billing: "none", count: 1 });
      expect(e.components.some((c) => c.rateId.startsWith("aws.nat") || c.rateId === "aws.ipv4.public")).to.equal(false);
    }
  });
});
