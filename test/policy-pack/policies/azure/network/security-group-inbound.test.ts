/**
 * Tests of policy-pack/policies/azure/network/security-group-inbound.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import * as network from "@pulumi/azure-native/network";
import { securityGroupDisallowInternetInbound } from "../../../../../policy-pack/policies/azure/network/security-group-inbound";
import { expectControl, expectPass, expectViolation } from "../../../expect";

describe("policy pack: Azure network", () => {
  describe("azure-network-security-group-disallow-internet-inbound (C4)", () => {
    const p = securityGroupDisallowInternetInbound;
    const rule = (r: Record<string, unknown>) => ({
      name: "r",
      access: "Allow",
      direction: "Inbound",
      protocol: "Tcp",
      priority: 100,
      sourceAddressPrefix: "VirtualNetwork",
      destinationPortRange: "443",
      ...r,
    });
    it("proves C4", () => expectControl(p, "C4"));
    it("passes rules from the virtual network and internet denies", () =>
      expectPass(p, {
        type: network.NetworkSecurityGroup,
        name: "nsg",
        props: { securityRules: [rule({}), rule({ access: "Deny", sourceAddressPrefix: "*" })] },
      }));
    it("reports inbound Allow from *, Internet or 0.0.0.0/0", async () => {
      await expectViolation(
        p,
        {
          type: network.NetworkSecurityGroup,
          name: "nsg",
          props: { securityRules: [rule({}), rule({ name: "ssh", sourceAddressPrefix: "Internet" })] },
        },
        ['rule "ssh" admits Internet', "securityRules[1].sourceAddressPrefix"],
      );
      await expectViolation(
        p,
        {
          type: network.SecurityRule,
          name: "r",
          props: rule({ sourceAddressPrefix: undefined, sourceAddressPrefixes: ["10.0.0.0/8", "0.0.0.0/0"] }),
        },
        ["admits 0.0.0.0/0"],
      );
    });
  });
});
