/**
 * Security group ingress (AWS), control C4: no security group accepts
 * traffic from anywhere on the internet.
 */
import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";
import { resourcePolicy, validateResourcesOfTypes } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, arr, known } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const group = propsOf(ec2.SecurityGroup);
const groupRule = propsOf(ec2.SecurityGroupRule);
const ingressRule = propsOf(vpc.SecurityGroupIngressRule);
const groupIngress = group.sub("ingress", 0);

const OPEN_CIDRS = ["0.0.0.0/0", "::/0"];

function openCidrs(value: unknown): string[] {
  const list = arr(value);
  if (list === UNKNOWN || list === undefined) return [];
  return list.filter((c): c is string => known(c) && OPEN_CIDRS.includes(c.trim()));
}

/** Severity high. Resource: no security group accepts traffic from anywhere. */
export const securityGroupDisallowPublicIngress = resourcePolicy({
  name: "aws-ec2-security-group-disallow-public-ingress",
  control: "C4",
  severity: "high",
  description: "No security group rule allows ingress from 0.0.0.0/0 or ::/0.",
  remediationSteps:
    "Allow ingress only from the VPC CIDR or from the environment's security groups (e.g. 443 from the VPC to the endpoint security group).",
  url: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html",
  checks: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"],
  frameworks: [
    ["cis-aws-5.0.0", "5.3"],
    ["cis-aws-5.0.0", "5.4"],
    ["nist-800-53-r5", "SC-7"],
    ["nist-800-53-r5", "AC-17"],
  ],
  validateResource: validateResourcesOfTypes(
    [ec2.SecurityGroup, ec2.SecurityGroupRule, vpc.SecurityGroupIngressRule],
    (props, args, report) => {
      const findings: { property: string; cidrs: string[] }[] = [];
      if (args.type === "aws:ec2/securityGroup:SecurityGroup") {
        const ingress = group.arr(props, "ingress");
        (ingress === UNKNOWN ? [] : (ingress ?? [])).forEach((rule, i) => {
          const cidrs = [...openCidrs(groupIngress.get(rule, "cidrBlocks")), ...openCidrs(groupIngress.get(rule, "ipv6CidrBlocks"))];
          if (cidrs.length > 0) findings.push({ property: `ingress[${i}]`, cidrs });
        });
      } else if (args.type === "aws:ec2/securityGroupRule:SecurityGroupRule") {
        if (groupRule.str(props, "type") === "ingress") {
          const cidrs = [...openCidrs(groupRule.get(props, "cidrBlocks")), ...openCidrs(groupRule.get(props, "ipv6CidrBlocks"))];
          if (cidrs.length > 0) findings.push({ property: "cidrBlocks", cidrs });
        }
      } else {
        for (const key of ["cidrIpv4", "cidrIpv6"] as const) {
          const c = ingressRule.str(props, key);
          if (known(c) && OPEN_CIDRS.includes(c.trim())) findings.push({ property: key, cidrs: [c] });
        }
      }
      for (const f of findings) {
        report(
          formatViolation({
            what: `ingress is open to ${f.cidrs.join(", ")}`,
            where: at(args, f.property),
            fix: "allow only the VPC CIDR or named security groups",
          }),
        );
      }
    },
  ),
});
