/** aws-ec2-security-group-disallow-public-egress (C4): egress to public addresses in every rule shape. */
import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";
import { securityGroupDisallowPublicEgress as p } from "../../../../../policy-pack/policies/aws/ec2/security-group-egress";
import { unknown } from "../../../harness";
import { expectControl, expectNotApplicable, expectPass, expectViolation, onResource } from "../../../expect";
import { expect } from "chai";

describe("aws-ec2-security-group-disallow-public-egress (C4)", () => {
  it("proves C4", () => expectControl(p, "C4"));

  it("passes egress to a security group, a prefix list, the VPC and private ranges", async () => {
    await expectPass(p, {
      type: vpc.SecurityGroupEgressRule,
      name: "to-sg",
      props: { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: "sg-2" },
    });
    await expectPass(p, {
      type: vpc.SecurityGroupEgressRule,
      name: "to-pl",
      props: { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: "pl-63a5400a" },
    });
    await expectPass(p, {
      type: vpc.SecurityGroupEgressRule,
      name: "to-vpc",
      props: { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: "10.20.0.0/16" },
    });
    await expectPass(p, {
      type: ec2.SecurityGroup,
      name: "sg",
      props: {
        egress: [
          {
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrBlocks: ["172.16.4.0/24", "192.168.0.0/16"],
            ipv6CidrBlocks: ["fd00:10::/64"],
          },
        ],
      },
    });
  });

  it("passes a group without egress (the provider removes AWS's default allow-all rule)", () =>
    expectPass(p, { type: ec2.SecurityGroup, name: "sg", props: { vpcId: "vpc-1" } }));

  it("reports 0.0.0.0/0 and ::/0 in every rule shape", async () => {
    await expectViolation(
      p,
      { type: vpc.SecurityGroupEgressRule, name: "all", props: { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" } },
      ["egress is open to 0.0.0.0/0", "property cidrIpv4"],
    );
    await expectViolation(
      p,
      { type: vpc.SecurityGroupEgressRule, name: "all6", props: { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv6: "::/0" } },
      ["::/0", "property cidrIpv6"],
    );
    await expectViolation(
      p,
      { type: ec2.SecurityGroup, name: "sg", props: { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] } },
      ["property egress[0]"],
    );
    await expectViolation(
      p,
      {
        type: ec2.DefaultSecurityGroup,
        name: "default",
        props: { vpcId: "vpc-1", egress: [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }] },
      },
      ["::/0"],
    );
    await expectViolation(
      p,
      {
        type: ec2.SecurityGroupRule,
        name: "r",
        props: { type: "egress", securityGroupId: "sg", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
      },
      ["property cidrBlocks"],
    );
  });

  it("reports any other public range (stricter than 0.0.0.0/0 alone)", async () => {
    await expectViolation(
      p,
      { type: vpc.SecurityGroupEgressRule, name: "pub", props: { securityGroupId: "sg-1", ipProtocol: "tcp", cidrIpv4: "52.95.0.0/16" } },
      ["52.95.0.0/16"],
    );
    await expectViolation(
      p,
      { type: vpc.SecurityGroupEgressRule, name: "wide", props: { securityGroupId: "sg-1", ipProtocol: "tcp", cidrIpv4: "8.0.0.0/4" } },
      ["8.0.0.0/4"],
    );
    await expectViolation(
      p,
      { type: vpc.SecurityGroupEgressRule, name: "v6", props: { securityGroupId: "sg-1", ipProtocol: "tcp", cidrIpv6: "2600:1f18::/32" } },
      ["2600:1f18::/32"],
    );
  });

  it("reports each open block of a group once", async () => {
    const f = await onResource(p, {
      type: ec2.SecurityGroup,
      name: "sg",
      props: {
        egress: [
          { protocol: "-1", cidrBlocks: ["0.0.0.0/0"] },
          { protocol: "tcp", cidrBlocks: ["10.0.0.0/8"] },
          { protocol: "udp", ipv6CidrBlocks: ["::/0"] },
        ],
      },
    });
    expect(f.violations.map((v) => v.message).join("\n"))
      .to.contain("egress[0]")
      .and.to.contain("egress[2]")
      .and.not.to.contain("egress[1]");
  });

  it("ignores ingress rules and unknown CIDRs", async () => {
    await expectPass(p, {
      type: ec2.SecurityGroupRule,
      name: "in",
      props: { type: "ingress", securityGroupId: "sg", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
    });
    await expectPass(p, {
      type: vpc.SecurityGroupEgressRule,
      name: "u",
      props: { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: unknown() },
    });
    await expectPass(p, { type: ec2.SecurityGroup, name: "u", props: { egress: unknown("array") } });
  });

  it("does not apply to a VPC", () => expectNotApplicable(p, { type: ec2.Vpc, name: "vpc", props: {} }));
});
