/** azure-network-subnet-disable-default-outbound-access (C11): subnets do not rely on retiring default outbound access. */
import * as network from "@pulumi/azure-native/network";
import { subnetDisableDefaultOutboundAccess as p } from "../../../../../policy-pack/policies/azure/network/subnet-default-outbound";
import { unknown } from "../../../harness";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../../expect";
import { expect } from "chai";

const subnet = (props: Record<string, unknown>) => ({
  type: network.Subnet,
  name: "snet-workload",
  props: { resourceGroupName: "rg", virtualNetworkName: "vnet", addressPrefix: "10.30.0.0/24", ...props },
});

describe("azure-network-subnet-disable-default-outbound-access (C11)", () => {
  it("proves C11 and links Azure's default outbound access page", () => {
    expectControl(p, "C11");
    expect(p.url).to.equal("https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access");
  });
  it("passes a private subnet, and an unknown value (preview)", async () => {
    await expectPass(p, subnet({ defaultOutboundAccess: false }));
    await expectPass(p, subnet({ defaultOutboundAccess: unknown("boolean") }));
  });
  it("reports a subnet that leaves it unset or true, saying what Azure will do", async () => {
    await expectViolation(p, subnet({}), [
      "defaultOutboundAccess is not set",
      "Azure is retiring",
      "property defaultOutboundAccess",
      "Fix: set defaultOutboundAccess: false",
    ]);
    await expectViolation(p, subnet({ defaultOutboundAccess: true }), ["defaultOutboundAccess is true", "private by default"]);
  });
  it("applies to subnets only", () => expectNotApplicable(p, { type: network.VirtualNetwork, name: "vnet", props: {} }));
});
