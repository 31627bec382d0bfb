/** azure-network-subnet-missing-network-security-group (C4): every subnet has an NSG. */
import * as network from "@pulumi/azure-native/network";
import { subnetMissingNetworkSecurityGroup as p } from "../../../../../policy-pack/policies/azure/network/subnet-nsg";
import { unknown } from "../../../harness";
import { expectControl, expectNotApplicable, expectPass, expectViolation, onResource } from "../../../expect";
import { expect } from "chai";

const NSG_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg";

describe("azure-network-subnet-missing-network-security-group (C4)", () => {
  const subnet = (props: Record<string, unknown>) => ({
    type: network.Subnet,
    name: "snet-workload",
    props: { resourceGroupName: "rg", virtualNetworkName: "vnet", addressPrefix: "10.30.0.0/18", ...props },
  });
  it("proves C4", () => expectControl(p, "C4"));
  it("passes a subnet with an NSG (known or unknown id)", async () => {
    await expectPass(p, subnet({ subnetName: "workload", networkSecurityGroup: { id: NSG_ID } }));
    await expectPass(p, subnet({ networkSecurityGroup: { id: unknown() } }));
    await expectPass(p, subnet({ networkSecurityGroup: unknown("object") }));
  });
  it("reports a subnet without one", async () => {
    await expectViolation(p, subnet({ subnetName: "workload" }), [
      "subnet workload has no network security group",
      "property networkSecurityGroup",
    ]);
    await expectViolation(p, subnet({ networkSecurityGroup: {} }), ["subnet snet-workload has no network security group"]);
  });
  it("exempts the platform subnets Azure forbids an NSG on (configurable)", async () => {
    await expectPass(p, subnet({ subnetName: "GatewaySubnet" }));
    await expectPass(p, subnet({ subnetName: "AzureFirewallSubnet" }));
    await expectViolation(p, subnet({ subnetName: "GatewaySubnet" }), ["GatewaySubnet"], {
      config: { "azure-network-subnet-missing-network-security-group": { exemptSubnetNames: [] } },
    });
  });
  it("reports inline VNet subnets without an NSG, each once", async () => {
    const vnet = {
      type: network.VirtualNetwork,
      name: "vnet",
      props: {
        subnets: [
          { name: "a", addressPrefix: "10.0.0.0/24", networkSecurityGroup: { id: NSG_ID } },
          { name: "b", addressPrefix: "10.0.1.0/24" },
          { name: "AzureFirewallSubnet", addressPrefix: "10.0.2.0/26" },
        ],
      },
    };
    const f = await onResource(p, vnet);
    expect(f.violations.map((v) => v.message)).to.have.length(1);
    expect(f.violations[0].message).to.contain("subnet b has no network security group").and.to.contain("subnets[1].networkSecurityGroup");
  });
  it("passes a VNet without inline subnets", () =>
    expectPass(p, { type: network.VirtualNetwork, name: "vnet", props: { addressSpace: { addressPrefixes: ["10.0.0.0/16"] } } }));
  it("does not apply to an NSG", () => expectNotApplicable(p, { type: network.NetworkSecurityGroup, name: "nsg", props: {} }));
});
