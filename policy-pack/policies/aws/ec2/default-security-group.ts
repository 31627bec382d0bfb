/**
 * The VPC's default security group (AWS, C4): AWS gives every VPC one that
 * allows all outbound traffic and all traffic among its members, and any
 * ENI launched without a group lands in it. The environment adopts it with
 * `aws.ec2.DefaultSecurityGroup` (which removes every rule) and adds none.
 */
import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";
import { stackPolicy, tokens } from "../../../lib/define";
import { coverage, ofTypes, targetsOf } from "../../../lib/match";
import { at, formatViolation } from "../../../lib/messages";
import { propsOf } from "../../../lib/props";
import { UNKNOWN } from "../../../lib/values";

const defaultGroupProps = propsOf(ec2.DefaultSecurityGroup);

const RULE_TYPES = tokens(ec2.SecurityGroupRule, vpc.SecurityGroupIngressRule, vpc.SecurityGroupEgressRule);

/** Severity high. Stack: every VPC's default security group is adopted and carries no rule. */
export const defaultSecurityGroupDisallowRules = stackPolicy({
  name: "aws-ec2-default-security-group-disallow-rules",
  control: "C4",
  severity: "high",
  description:
    "Every VPC adopts its default security group with aws.ec2.DefaultSecurityGroup and that group has no ingress or egress rule (inline or separate), so nothing launched without a group can send or receive traffic.",
  remediationSteps:
    "Add `new aws.ec2.DefaultSecurityGroup(name, { vpcId: vpc.id, ingress: [], egress: [] })` for each VPC and put rules only on the environment's own security groups.",
  url: "https://www.pulumi.com/registry/packages/aws/api-docs/ec2/defaultsecuritygroup/",
  checks: ["CKV2_AWS_12", "AWS-0173"],
  frameworks: [
    ["cis-aws-5.0.0", "5.5"],
    ["nist-800-53-r5", "SC-7"],
    ["nist-800-53-r5", "AC-4"],
  ],
  targetType: ec2.Vpc,
  validateStack: (args, report) => {
    const defaults = ofTypes(args.resources, tokens(ec2.DefaultSecurityGroup));
    for (const { target, matches, undetermined } of coverage(targetsOf(args, tokens(ec2.Vpc), "VPCs"), defaults, "vpcId", ["id"])) {
      if (matches.length > 0 || undetermined.length > 0) continue;
      report(
        formatViolation({
          what: `VPC ${target.name} leaves its default security group unmanaged, with AWS's rules (all outbound traffic, all traffic among its members)`,
          where: at(target),
          fix: "adopt it with aws.ec2.DefaultSecurityGroup { vpcId, ingress: [], egress: [] }",
        }),
        target.urn,
      );
    }
    for (const group of defaults) {
      for (const key of ["ingress", "egress"] as const) {
        const rules = defaultGroupProps.arr(group.props, key);
        if (rules === UNKNOWN || rules === undefined || rules.length === 0) continue;
        report(
          formatViolation({
            what: `the default security group has ${rules.length} ${key} rule(s); anything launched without a security group gets them`,
            where: at(group, key),
            fix: `set ${key} to [] and put the rule on one of the environment's security groups`,
          }),
          group.urn,
        );
      }
    }
    // Indexed (linear in the stack's size): the separate rules whose securityGroupId names a default group.
    for (const { target, matches } of coverage(defaults, ofTypes(args.resources, RULE_TYPES), "securityGroupId", ["id"])) {
      for (const rule of matches) {
        report(
          formatViolation({
            what: `a rule is added to the default security group ${target.name}`,
            where: at(rule, "securityGroupId"),
            fix: "attach the rule to one of the environment's security groups instead",
          }),
          rule.urn,
        );
      }
    }
  },
});
