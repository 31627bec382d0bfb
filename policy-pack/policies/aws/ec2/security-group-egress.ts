/**
 * Security-group egress (AWS, C4): the exfiltration path. No rule of any
 * shape (inline on a group or the default group, `ec2.SecurityGroupRule`,
 * `vpc.SecurityGroupEgressRule`) lets traffic out to public addresses;
 * egress names the environment's own groups, the VPC's private ranges or a
 * VPC endpoint's prefix list. A group created without `egress` is closed:
 * the provider removes AWS's default allow-all egress rule on create.
 */
import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";
import { resourcePolicy, typeToken, validateResourcesOfTypes } from "../../../lib/define";
import { reachesPublicAddresses } from "../../../lib/cidr";
import { at, formatViolation } from "../../../lib/messages";
import { propsOf } from "../../../lib/props";
import { UNKNOWN, arr, known } from "../../../lib/values";

const ruleProps = propsOf(ec2.SecurityGroupRule);
const egressRuleProps = propsOf(vpc.SecurityGroupEgressRule);
const groupProps = propsOf(ec2.SecurityGroup);
/** An inline egress rule (a DefaultSecurityGroup's have the same fields). */
const inlineEgressProps = groupProps.sub("egress", 0);

function publicCidrs(value: unknown): string[] {
  const list = arr(value);
  if (list === UNKNOWN || list === undefined) return [];
  return list.filter((c): c is string => known(c) && reachesPublicAddresses(c));
}

/** Severity high. Resource: no egress rule reaches public addresses (0.0.0.0/0, ::/0 or any public range). */
export const securityGroupDisallowPublicEgress = resourcePolicy({
  name: "aws-ec2-security-group-disallow-public-egress",
  control: "C4",
  severity: "high",
  description:
    "No security group rule allows egress to 0.0.0.0/0, ::/0 or any other public address range; egress goes to the environment's security groups, private ranges or VPC endpoint prefix lists.",
  remediationSteps:
    "Replace the rule with egress to a referenced security group (e.g. the interface endpoints' group), the VPC CIDR, or the S3 gateway endpoint's prefix list (`prefixListId`), on the ports the workload needs.",
  url: "https://www.pulumi.com/registry/packages/aws/api-docs/ec2/securitygroup/",
  checks: ["CKV_AWS_382", "AWS-0104"],
  frameworks: [
    ["nist-800-53-r5", "SC-7"],
    ["nist-800-53-r5", "AC-4"],
  ],
  validateResource: validateResourcesOfTypes(
    [ec2.SecurityGroup, ec2.DefaultSecurityGroup, ec2.SecurityGroupRule, vpc.SecurityGroupEgressRule],
    (props, args, report) => {
      const findings: { property: string; cidrs: string[] }[] = [];
      if (args.type === typeToken(ec2.SecurityGroupRule)) {
        if (ruleProps.str(props, "type") === "egress") {
          for (const key of ["cidrBlocks", "ipv6CidrBlocks"] as const) {
            const cidrs = publicCidrs(ruleProps.get(props, key));
            if (cidrs.length > 0) findings.push({ property: key, cidrs });
          }
        }
      } else if (args.type === typeToken(vpc.SecurityGroupEgressRule)) {
        for (const key of ["cidrIpv4", "cidrIpv6"] as const) {
          const c = egressRuleProps.str(props, key);
          if (known(c) && reachesPublicAddresses(c)) findings.push({ property: key, cidrs: [c] });
        }
      } else {
        const egress = groupProps.arr(props, "egress");
        (egress === UNKNOWN ? [] : (egress ?? [])).forEach((rule, i) => {
          const cidrs = [
            ...publicCidrs(inlineEgressProps.get(rule, "cidrBlocks")),
            ...publicCidrs(inlineEgressProps.get(rule, "ipv6CidrBlocks")),
          ];
          if (cidrs.length > 0) findings.push({ property: `egress[${i}]`, cidrs });
        });
      }
      for (const f of findings) {
        report(
          formatViolation({
            what: `egress is open to ${f.cidrs.join(", ")}, a path for training data to leave the network`,
            where: at(args, f.property),
            fix: "allow egress only to the environment's security groups, the VPC CIDR or a VPC endpoint prefix list",
          }),
        );
      }
    },
  ),
});
