/**
 * The private network and private DNS wiring (C4): subnets inside the VNet,
 * an NSG that refuses internet inbound, and for every private endpoint the
 * chain endpoint -> zone group -> private zone -> VNet link -> VNet.
 */
import { expect } from "chai";
import type { Recording, RecordedResource } from "../../../engine/recorder";
import { runStack } from "../../harness";
import { contains, overlaps } from "../../../stacks/cidr";
import { planSubnets } from "../../../stacks/azure/network";
import { T, one, all, expectInput, byId } from "./helpers";

const ZONES: Record<string, string[]> = {
  blob: ["privatelink.blob.core.windows.net"],
  vault: ["privatelink.vaultcore.azure.net"],
  amlworkspace: ["privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"],
};

/** Follows one endpoint's DNS chain and asserts every link of it. */
function assertDnsChain(rec: Recording, endpoint: RecordedResource, vnet: RecordedResource): string[] {
  const groupIds: string[] = endpoint.inputs.privateLinkServiceConnections?.[0]?.groupIds ?? [];
  expect(groupIds, `${endpoint.urn}: one group id`).to.have.length(1);
  const group = groupIds[0];
  const zoneGroups = all(rec, T.zoneGroup).filter((g) => g.inputs.privateEndpointName === endpoint.outputs.name);
  expect(
    zoneGroups.map((g) => g.urn),
    `${endpoint.urn}: exactly one DNS zone group`,
  ).to.have.length(1);
  const zoneGroup = zoneGroups[0];
  expect(zoneGroup.inputs.resourceGroupName, `${zoneGroup.urn}: resource group`).to.equal(endpoint.inputs.resourceGroupName);
  const configs: any[] = zoneGroup.inputs.privateDnsZoneConfigs ?? [];
  const zones = configs.map((c) => byId(rec, c.privateDnsZoneId, zoneGroup.urn));
  for (const z of zones) expect(z.type, `${zoneGroup.urn}: points at ${z.urn}`).to.equal(T.zone);
  expect(zones.map((z) => z.inputs.privateZoneName).sort(), `${zoneGroup.urn}: zones for group ${group}`).to.deep.equal(
    [...ZONES[group]].sort(),
  );
  for (const zone of zones) {
    expectInput(zone, "location", "global");
    const links = all(rec, T.vnetLink).filter((l) => l.inputs.privateZoneName === zone.outputs.name);
    expect(
      links.map((l) => l.urn),
      `${zone.urn}: linked to the VNet`,
    ).to.have.length(1);
    expect(links[0].inputs.virtualNetwork?.id, `${links[0].urn}: virtualNetwork.id`).to.equal(vnet.outputs.id);
    expectInput(links[0], "registrationEnabled", false);
    expectInput(links[0], "location", "global");
  }
  return groupIds;
}

for (const [stack, overrides] of [
  ["azure-dev", {}],
  ["azure-prod", {}],
  ["azure-dev", { mlWorkspace: "true", privateEndpoints: JSON.stringify(["blob", "vault"]) }],
  ["azure-dev", { vnetCidr: "10.40.7.0/24", privateEndpoints: '["blob","vault"]' }],
] as const) {
  const label = `${stack}${Object.keys(overrides).length ? ` ${JSON.stringify(overrides)}` : ""}`;
  describe(`azure network (${label})`, () => {
    const run = () => runStack(stack, overrides as Record<string, string>);

    it("C4: one VNet with the configured range; two subnets inside it, not overlapping, behind the NSG", async () => {
      const rec = await run();
      const vnet = one(rec, T.vnet);
      const nsg = one(rec, T.nsg);
      const cidr = vnet.inputs.addressSpace.addressPrefixes[0];
      const expectedCidr = "vnetCidr" in overrides ? overrides.vnetCidr : stack === "azure-prod" ? "10.31.0.0/16" : "10.30.0.0/16";
      expectInput(vnet, "addressSpace.addressPrefixes", [expectedCidr]);
      const subnets = all(rec, T.subnet);
      expect(subnets.map((s) => s.inputs.subnetName).sort(), `${rec.stack}: subnets`).to.deep.equal(["private-endpoints", "workload"]);
      for (const s of subnets) {
        expect(s.inputs.virtualNetworkName, `${s.urn}: virtualNetworkName`).to.equal(vnet.outputs.name);
        expect(contains(cidr, s.inputs.addressPrefix), `${s.urn}: ${s.inputs.addressPrefix} inside ${cidr}`).to.equal(true);
        expect(s.inputs.networkSecurityGroup?.id, `${s.urn}: networkSecurityGroup`).to.equal(nsg.outputs.id);
        expect(s.inputs.defaultOutboundAccess, `${s.urn}: no default outbound access (C11: Azure retires it)`).to.equal(false);
        expect(s.inputs.natGateway, `${s.urn}: no NAT gateway`).to.equal(undefined);
      }
      expect(overlaps(subnets[0].inputs.addressPrefix, subnets[1].inputs.addressPrefix), "subnets overlap").to.equal(false);
      const endpointsSubnet = subnets.find((s) => s.inputs.subnetName === "private-endpoints")!;
      expectInput(endpointsSubnet, "privateEndpointNetworkPolicies", "Enabled");
      expectInput(endpointsSubnet, "defaultOutboundAccess", false);
    });

    it("C4: the NSG denies all inbound traffic from the internet and allows none", async () => {
      const rec = await run();
      const nsg = one(rec, T.nsg);
      const rules: any[] = nsg.inputs.securityRules ?? [];
      const inbound = rules.filter((r) => r.direction === "Inbound");
      const deny = inbound.find((r) => r.access === "Deny" && r.sourceAddressPrefix === "Internet");
      expect(deny, `${nsg.urn}: an inbound Deny rule from Internet`).to.not.equal(undefined);
      expect(deny.protocol, `${nsg.urn}: ${deny.name} protocol`).to.equal("*");
      expect(deny.destinationPortRange, `${nsg.urn}: ${deny.name} ports`).to.equal("*");
      expect(deny.destinationAddressPrefix, `${nsg.urn}: ${deny.name} destination`).to.equal("*");
      const publicSources = ["Internet", "*", "0.0.0.0/0", "Any"];
      const allows = inbound.filter((r) => r.access === "Allow" && publicSources.includes(r.sourceAddressPrefix));
      expect(
        allows.map((r) => r.name),
        `${nsg.urn}: inbound Allow rules from the internet`,
      ).to.deep.equal([]);
      const priorities = rules.map((r) => r.priority);
      expect(new Set(priorities).size, `${nsg.urn}: distinct priorities`).to.equal(priorities.length);
      for (const p of priorities) expect(p, `${nsg.urn}: priority`).to.be.within(100, 4096);
    });

    it("C4: a private endpoint per configured service, in the endpoint subnet, targeting the right resource", async () => {
      const rec = await run();
      const expected =
        "privateEndpoints" in overrides ? JSON.parse(overrides.privateEndpoints) : stack === "azure-prod" ? ["blob", "vault"] : ["blob"];
      const ml = stack === "azure-prod" || "mlWorkspace" in overrides;
      const endpointSubnet = all(rec, T.subnet).find((s) => s.inputs.subnetName === "private-endpoints")!;
      const targets: Record<string, RecordedResource> = {
        blob: one(rec, T.account),
        vault: one(rec, T.vault),
        ...(ml ? { amlworkspace: one(rec, T.mlWorkspace) } : {}),
      };
      const endpoints = all(rec, T.endpoint);
      const groups = endpoints.map((e) => e.inputs.privateLinkServiceConnections[0].groupIds[0]);
      expect(groups.sort(), `${rec.stack}: private endpoint groups`).to.deep.equal([...expected, ...(ml ? ["amlworkspace"] : [])].sort());
      for (const e of endpoints) {
        const conn = e.inputs.privateLinkServiceConnections[0];
        expect(e.inputs.subnet?.id, `${e.urn}: subnet`).to.equal(endpointSubnet.outputs.id);
        expect(conn.privateLinkServiceId, `${e.urn}: target of group ${conn.groupIds[0]}`).to.equal(targets[conn.groupIds[0]].outputs.id);
        expect(e.inputs.manualPrivateLinkServiceConnections ?? [], `${e.urn}: no manual approval`).to.deep.equal([]);
      }
    });

    it("C4: every endpoint -> DNS zone group -> private zone -> VNet link -> the VNet", async () => {
      const rec = await run();
      const vnet = one(rec, T.vnet);
      const endpoints = all(rec, T.endpoint);
      expect(endpoints.length, `${rec.stack}: endpoints`).to.be.at.least(1);
      for (const e of endpoints) assertDnsChain(rec, e, vnet);
      // No stray DNS resources: one zone per name, each used by an endpoint.
      const zoneNames = all(rec, T.zone).map((z) => z.inputs.privateZoneName);
      expect(new Set(zoneNames).size, `${rec.stack}: distinct private zones`).to.equal(zoneNames.length);
      expect(all(rec, T.zoneGroup)).to.have.length(endpoints.length);
    });
  });
}

describe("azure network: subnet plan", () => {
  it("carves /24s from large VNets and quarters from a /24, always inside and apart", () => {
    expect(planSubnets("10.30.0.0/16")).to.deep.equal({ workload: "10.30.0.0/24", privateEndpoints: "10.30.1.0/24" });
    expect(planSubnets("10.40.7.0/24")).to.deep.equal({ workload: "10.40.7.0/26", privateEndpoints: "10.40.7.64/26" });
    expect(planSubnets("172.16.0.0/23")).to.deep.equal({ workload: "172.16.0.0/25", privateEndpoints: "172.16.0.128/25" });
    for (let prefix = 16; prefix <= 24; prefix++) {
      const vnet = `10.0.0.0/${prefix}`;
      const plan = planSubnets(vnet);
      expect(contains(vnet, plan.workload) && contains(vnet, plan.privateEndpoints), vnet).to.equal(true);
      expect(overlaps(plan.workload, plan.privateEndpoints), vnet).to.equal(false);
    }
  });
});
