/**
 * Tests of policy-pack/policies/aws/ec2/flow-logs.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import * as ec2 from "@pulumi/aws/ec2";
import { vpcEnableFlowLogs } from "../../../../../policy-pack/policies/aws/ec2/flow-logs";
import { expectControl, expectStackPass, expectStackViolations } from "../../../expect";
import { ResourceSpec, urnOf } from "../../../harness";

describe("policy pack: AWS network", () => {
  describe("aws-ec2-vpc-enable-flow-logs (C8, stack)", () => {
    const p = vpcEnableFlowLogs;
    const vpcSpec: ResourceSpec = { type: ec2.Vpc, name: "vpc", props: { id: "vpc-123", cidrBlock: "10.20.0.0/16" } };
    const flow: ResourceSpec = { type: ec2.FlowLog, name: "flow", props: { vpcId: "vpc-123", trafficType: "ALL" } };
    it("proves C8", () => expectControl(p, "C8"));
    it("passes a VPC with a flow log", () => expectStackPass(p, [vpcSpec, flow]));
    it("reports a VPC without a flow log", () =>
      expectStackViolations(p, [vpcSpec, { ...flow, props: { vpcId: "vpc-other" } }], [[urnOf(vpcSpec), ["VPC vpc has no flow log"]]]));
  });
});
