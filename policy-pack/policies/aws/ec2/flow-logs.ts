/**
 * VPC flow logs (AWS), control C8: every VPC's traffic is logged.
 */
import * as ec2 from "@pulumi/aws/ec2";
import { stackPolicy, tokens } from "../../../lib/define";
import { coverage, ofTypes, targetsOf } from "../../../lib/match";
import { at, formatViolation } from "../../../lib/messages";

/** Severity medium. Stack: every VPC has a flow log. */
export const vpcEnableFlowLogs = stackPolicy({
  name: "aws-ec2-vpc-enable-flow-logs",
  control: "C8",
  severity: "medium",
  description: "Every VPC has a flow log, so traffic to and from the training network is recorded.",
  remediationSteps: `Add \`new aws.ec2.FlowLog(name, { vpcId: vpc.id, trafficType: "ALL", logDestination: logGroup.arn, iamRoleArn: role.arn })\` to a KMS-encrypted log group with retention.`,
  url: "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
  checks: ["CKV2_AWS_11"],
  frameworks: [
    ["cis-aws-5.0.0", "3.7"],
    ["nist-800-53-r5", "AU-2"],
    ["nist-800-53-r5", "AU-12"],
  ],
  targetType: ec2.Vpc,
  validateStack: (args, report) => {
    const flows = ofTypes(args.resources, tokens(ec2.FlowLog));
    for (const { target, matches, undetermined } of coverage(targetsOf(args, tokens(ec2.Vpc), "VPCs"), flows, "vpcId", ["id"])) {
      if (matches.length > 0 || undetermined.length > 0) continue;
      report(
        formatViolation({
          what: `VPC ${target.name} has no flow log`,
          where: at(target),
          fix: "add an aws.ec2.FlowLog with vpcId = this VPC's id",
        }),
        target.urn,
      );
    }
  },
});
