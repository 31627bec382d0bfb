/**
 * Tests of policy-pack/policies/aws/ec2/security-group-ingress.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";
import { securityGroupDisallowPublicIngress } from "../../../../../policy-pack/policies/aws/ec2/security-group-ingress";
import { expectControl, expectPass, expectViolation } from "../../../expect";

describe("policy pack: AWS network", () => {
  describe("aws-ec2-security-group-disallow-public-ingress (C4)", () => {
    const p = securityGroupDisallowPublicIngress;
    it("proves C4", () => expectControl(p, "C4"));
    it("passes ingress from the VPC", async () => {
      await expectPass(p, {
        type: ec2.SecurityGroup,
        name: "sg",
        props: { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.20.0.0/16"] }] },
      });
      await expectPass(p, {
        type: vpc.SecurityGroupIngressRule,
        name: "r",
        props: { securityGroupId: "sg", ipProtocol: "tcp", cidrIpv4: "10.20.0.0/16" },
      });
    });
    it("reports 0.0.0.0/0 and ::/0 ingress in every rule shape", async () => {
      await expectViolation(
        p,
        {
          type: ec2.SecurityGroup,
          name: "sg",
          props: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] },
        },
        ["ingress is open to 0.0.0.0/0", "property ingress[0]"],
      );
      await expectViolation(
        p,
        { type: vpc.SecurityGroupIngressRule, name: "r", props: { securityGroupId: "sg", ipProtocol: "-1", cidrIpv6: "::/0" } },
        ["::/0", "property cidrIpv6"],
      );
      await expectViolation(
        p,
        {
          type: ec2.SecurityGroupRule,
          name: "r",
          props: { type: "ingress", securityGroupId: "sg", protocol: "tcp", fromPort: 1, toPort: 2, cidrBlocks: ["0.0.0.0/0"] },
        },
        ["0.0.0.0/0"],
      );
    });
    it("ignores egress rules", () =>
      expectPass(p, {
        type: ec2.SecurityGroupRule,
        name: "r",
        props: { type: "egress", securityGroupId: "sg", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
      }));
  });
});
