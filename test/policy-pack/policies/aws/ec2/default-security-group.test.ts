/** aws-ec2-default-security-group-disallow-rules (C4): every VPC adopts its default group, which carries no rule. */
import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";
import { defaultSecurityGroupDisallowRules as p } from "../../../../../policy-pack/policies/aws/ec2/default-security-group";
import { ResourceSpec, urnOf } from "../../../harness";
import { expectControl, expectStackPass, expectStackViolations, onStack } from "../../../expect";
import { expect } from "chai";

describe("aws-ec2-default-security-group-disallow-rules (C4)", () => {
  const vpcSpec: ResourceSpec = { type: ec2.Vpc, name: "vpc", props: { id: "vpc-123", cidrBlock: "10.20.0.0/16" } };
  const adopted: ResourceSpec = {
    type: ec2.DefaultSecurityGroup,
    name: "default-sg",
    props: { id: "sg-default", vpcId: "vpc-123", ingress: [], egress: [] },
  };

  it("proves C4", () => expectControl(p, "C4"));
  it("passes a VPC whose default group is adopted without rules", () => expectStackPass(p, [vpcSpec, adopted]));
  it("passes an adopted group whose rule lists are not set", () =>
    expectStackPass(p, [vpcSpec, { ...adopted, props: { id: "sg-default", vpcId: "vpc-123" } }]));

  it("reports a VPC that leaves its default group to AWS's rules", () =>
    expectStackViolations(
      p,
      [vpcSpec, { ...adopted, props: { ...adopted.props, vpcId: "vpc-other" } }],
      [[urnOf(vpcSpec), ["VPC vpc leaves its default security group unmanaged", "all outbound traffic"]]],
    ));

  it("reports inline ingress and egress on the default group", () =>
    expectStackViolations(
      p,
      [
        vpcSpec,
        {
          ...adopted,
          props: {
            ...adopted.props,
            ingress: [{ protocol: "-1", self: true, fromPort: 0, toPort: 0 }],
            egress: [{ protocol: "-1", cidrBlocks: ["0.0.0.0/0"], fromPort: 0, toPort: 0 }],
          },
        },
      ],
      [
        [urnOf(adopted), ["the default security group has 1 ingress rule(s)", "property ingress"]],
        [urnOf(adopted), ["1 egress rule(s)", "property egress"]],
      ],
    ));

  it("reports a separate rule attached to the default group", () => {
    const rule: ResourceSpec = {
      type: vpc.SecurityGroupIngressRule,
      name: "in",
      props: { securityGroupId: "sg-default", ipProtocol: "tcp", cidrIpv4: "10.20.0.0/16" },
    };
    const other: ResourceSpec = {
      type: vpc.SecurityGroupIngressRule,
      name: "ok",
      props: { securityGroupId: "sg-training", ipProtocol: "tcp", cidrIpv4: "10.20.0.0/16" },
    };
    return expectStackViolations(
      p,
      [vpcSpec, adopted, rule, other],
      [[urnOf(rule), ["a rule is added to the default security group default-sg", "property securityGroupId"]]],
    );
  });

  it("is not applicable without a VPC", async () => {
    const f = await onStack(p, [adopted]);
    expect(f.notApplicable).to.equal(true);
  });
});
