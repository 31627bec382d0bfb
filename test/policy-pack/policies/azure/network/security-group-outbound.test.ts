/** azure-network-security-group-disallow-internet-outbound (C4): no NSG rule allows traffic out to the internet. */
import * as network from "@pulumi/azure-native/network";
import { securityGroupDisallowInternetOutbound as p } from "../../../../../policy-pack/policies/azure/network/security-group-outbound";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../../expect";

const rule = (r: Record<string, unknown>) => ({
  name: "r",
  priority: 200,
  protocol: "Tcp",
  sourceAddressPrefix: "VirtualNetwork",
  sourcePortRange: "*",
  destinationPortRange: "443",
  ...r,
});

describe("azure-network-security-group-disallow-internet-outbound (C4)", () => {
  it("proves C4", () => expectControl(p, "C4"));
  it("passes outbound to the VNet or service tags, denies, and inbound rules", async () => {
    await expectPass(p, {
      type: network.NetworkSecurityGroup,
      name: "nsg",
      props: {
        securityRules: [
          rule({ direction: "Outbound", access: "Allow", destinationAddressPrefix: "Storage.westeurope" }),
          rule({ direction: "Outbound", access: "Deny", destinationAddressPrefix: "Internet" }),
          rule({ direction: "Inbound", access: "Deny", sourceAddressPrefix: "Internet", destinationAddressPrefix: "*" }),
        ],
      },
    });
    await expectPass(p, {
      type: network.SecurityRule,
      name: "to-vnet",
      props: rule({ direction: "Outbound", access: "Allow", destinationAddressPrefix: "VirtualNetwork" }),
    });
  });
  it("reports an outbound Allow to the internet, inline or separate", async () => {
    await expectViolation(
      p,
      {
        type: network.NetworkSecurityGroup,
        name: "nsg",
        props: { securityRules: [rule({ name: "all-out", direction: "Outbound", access: "Allow", destinationAddressPrefix: "Internet" })] },
      },
      ['outbound Allow rule "all-out" lets traffic out to Internet', "property securityRules[0].destinationAddressPrefix"],
    );
    await expectViolation(
      p,
      {
        type: network.SecurityRule,
        name: "sr",
        props: rule({ direction: "Outbound", access: "Allow", destinationAddressPrefixes: ["10.0.0.0/8", "0.0.0.0/0"] }),
      },
      ["0.0.0.0/0"],
    );
  });
  it("does not apply to a subnet", () => expectNotApplicable(p, { type: network.Subnet, name: "s", props: {} }));
});
