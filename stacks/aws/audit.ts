/**
 * VPC flow logs (C8): every accepted and rejected flow of the training VPC
 * goes to a CloudWatch log group encrypted with the environment's key and
 * kept for the configured retention; a dedicated role, trusted only by the
 * flow-logs service for this account's flow logs, may write only to that
 * log group. (S3 server access logs are set up with the buckets.)
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { AwsContext, arn } from "./context";
import { checkedName } from "../naming";
import { policyDocument, policyJson, serviceTrust } from "./iam-documents";

export const FLOW_LOG_AGGREGATION_SECONDS = 60;

export interface FlowLogs {
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly role: aws.iam.Role;
  readonly flowLog: aws.ec2.FlowLog;
}

export function createFlowLogs(ctx: AwsContext, vpc: aws.ec2.Vpc, keyArn: pulumi.Input<string>): FlowLogs {
  const { name, tags } = ctx;
  // Named `<env>-flow-logs-<hex>`: the key policy lets CloudWatch Logs use the key for `<env>-*` log groups only.
  const logGroup = new aws.cloudwatch.LogGroup(
    checkedName("cloudwatchLogGroup", `${name}-flow-logs`),
    { kmsKeyId: keyArn, retentionInDays: ctx.config.logRetentionDays, tags },
    ctx.opts({ parent: vpc, protect: ctx.prod }),
  );

  const role = new aws.iam.Role(
    checkedName("iamRole", `${name}-flow-logs-role`),
    {
      description: `Delivers the VPC flow logs of ${name} to their log group`,
      assumeRolePolicy: policyJson(serviceTrust("vpc-flow-logs.amazonaws.com", ctx.accountId, arn(ctx, "ec2", "vpc-flow-log/*"))),
      tags,
    },
    ctx.opts({ parent: vpc }),
  );
  const write = new aws.iam.RolePolicy(
    checkedName("iamPolicy", `${name}-flow-logs-write`),
    {
      role: role.id,
      policy: policyJson(
        policyDocument([
          {
            Sid: "WriteFlowLogGroup",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:log-stream:*`],
          },
          {
            Sid: "FindLogGroups",
            Effect: "Allow",
            Action: "logs:DescribeLogGroups",
            Resource: arn(ctx, "logs", "log-group:*"),
          },
        ]),
      ),
    },
    ctx.opts({ parent: role }),
  );

  const flowLog = new aws.ec2.FlowLog(
    `${name}-vpc-flow-log`,
    {
      vpcId: vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: FLOW_LOG_AGGREGATION_SECONDS,
      tags,
    },
    ctx.opts({ parent: vpc, dependsOn: [write] }),
  );
  return { logGroup, role, flowLog };
}
