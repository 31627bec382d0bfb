/**
 * Tests of policy-pack/policies/azure/network/public-ip-nat.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import * as network from "@pulumi/azure-native/network";
import { vnetDisallowPublicIpAndNat } from "../../../../../policy-pack/policies/azure/network/public-ip-nat";
import { expectControl, expectNotApplicable, expectViolation } from "../../../expect";

describe("policy pack: Azure network", () => {
  describe("azure-network-vnet-disallow-public-ip-and-nat (C4)", () => {
    const p = vnetDisallowPublicIpAndNat;
    it("proves C4", () => expectControl(p, "C4"));
    it("reports public IPs and NAT gateways", async () => {
      await expectViolation(p, { type: network.PublicIPAddress, name: "pip", props: {} }, ["PublicIPAddress exposes the environment"]);
      await expectViolation(p, { type: network.NatGateway, name: "nat", props: {} }, ["NatGateway"]);
    });
    it("does not apply to a private endpoint", () => expectNotApplicable(p, { type: network.PrivateEndpoint, name: "pe", props: {} }));
  });
});
