/**
 * Tests of policy-pack/policies/aws/ec2/internet-gateways.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import * as ec2 from "@pulumi/aws/ec2";
import { vpcDisallowInternetGateway, vpcDisallowNatGateway } from "../../../../../policy-pack/policies/aws/ec2/internet-gateways";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../../expect";
import { unknown } from "../../../harness";

describe("policy pack: AWS network", () => {
  describe("aws-ec2-vpc-disallow-internet-gateway (C4)", () => {
    const p = vpcDisallowInternetGateway;
    it("proves C4", () => expectControl(p, "C4"));
    it("reports internet and egress-only gateways", async () => {
      await expectViolation(p, { type: ec2.InternetGateway, name: "igw", props: { vpcId: "vpc-1" } }, [
        "InternetGateway gives the training VPC vpc-1 a path to the internet",
      ]);
      await expectViolation(p, { type: ec2.EgressOnlyInternetGateway, name: "eigw", props: { vpcId: unknown() } }, [
        "EgressOnlyInternetGateway",
      ]);
    });
    it("does not apply to a VPC endpoint", () => expectNotApplicable(p, { type: ec2.VpcEndpoint, name: "ep", props: {} }));
  });

  describe("aws-ec2-vpc-disallow-nat-gateway (C4)", () => {
    const p = vpcDisallowNatGateway;
    it("proves C4", () => expectControl(p, "C4"));
    it("passes a private NAT gateway", () =>
      expectPass(p, { type: ec2.NatGateway, name: "nat", props: { connectivityType: "private", subnetId: "s" } }));
    it("reports a public NAT gateway (the default)", () =>
      expectViolation(p, { type: ec2.NatGateway, name: "nat", props: { subnetId: "s" } }, [
        'not set (default "public")',
        "property connectivityType",
      ]));
  });
});
