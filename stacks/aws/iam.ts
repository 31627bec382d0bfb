/**
 * The SageMaker execution role (C6, C7, C11): trusted only by
 * sagemaker.amazonaws.com for this account, no managed policies, one inline
 * least-privilege policy:
 *  - read (list + get) the data bucket;
 *  - write only under the artifacts bucket's output prefix;
 *  - use the environment's key only through S3 and SageMaker;
 *  - write logs only to `/aws/sagemaker/*` log groups of this account/region;
 *  - pull images from this account's ECR repositories;
 *  - manage ENIs only in the environment's VPC (its subnets, its training group);
 *  - create training / processing jobs only inside the guardrails, and pass
 *    only itself, only to SageMaker.
 *
 * `*`-resource exceptions (actions without resource-level permissions), each
 * limited by a condition: see WILDCARD_RESOURCE_EXCEPTIONS.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { AwsContext, arn } from "./context";
import { checkedName } from "../naming";
import { viaService, ROLE_KEY_ACTIONS } from "./keys";
import { PolicyDocument, policyDocument, policyJson, serviceTrust, createJobGuardrails, passRoleToSageMaker } from "./iam-documents";

export const OUTPUT_PREFIX = "output/";

/**
 * The only actions granted on Resource "*", because AWS offers no
 * resource-level permission for them; every statement holding them carries
 * the condition named here.
 *  - ecr:GetAuthorizationToken: the registry login token (account-wide by
 *    design); condition aws:RequestedRegion = the environment's region.
 *  - ec2:DescribeNetworkInterfaces / DescribeVpcs / DescribeSubnets /
 *    DescribeSecurityGroups / DescribeDhcpOptions: SageMaker reads the VPC
 *    before it attaches a job's ENIs; read-only; condition
 *    aws:RequestedRegion = the environment's region.
 *  - cloudwatch:PutMetricData: the job's instance metrics, which the
 *    CreateTrainingJob execution role needs (SageMaker roles page); condition
 *    cloudwatch:namespace = SageMaker's job namespaces.
 */
export const WILDCARD_RESOURCE_EXCEPTIONS: Readonly<Record<string, string>> = {
  "cloudwatch:PutMetricData": "cloudwatch:namespace",
  "ecr:GetAuthorizationToken": "aws:RequestedRegion",
  "ec2:DescribeNetworkInterfaces": "aws:RequestedRegion",
  "ec2:DescribeVpcs": "aws:RequestedRegion",
  "ec2:DescribeSubnets": "aws:RequestedRegion",
  "ec2:DescribeSecurityGroups": "aws:RequestedRegion",
  "ec2:DescribeDhcpOptions": "aws:RequestedRegion",
};

/**
 * CloudWatch namespaces SageMaker publishes job metrics in ("The
 * /aws/sagemaker/ProcessingJobs, /aws/sagemaker/TrainingJobs, ... namespaces",
 * https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html).
 */
export const JOB_METRIC_NAMESPACES = ["/aws/sagemaker/TrainingJobs", "/aws/sagemaker/ProcessingJobs"] as const;

export const ENI_ACTIONS = [
  "ec2:CreateNetworkInterface",
  "ec2:CreateNetworkInterfacePermission",
  "ec2:DeleteNetworkInterface",
  "ec2:DeleteNetworkInterfacePermission",
] as const;

export const ECR_PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"] as const;

export function createExecutionRole(ctx: AwsContext): aws.iam.Role {
  return new aws.iam.Role(
    checkedName("iamRole", `${ctx.name}-sagemaker-exec`),
    {
      description: `SageMaker execution role of ${ctx.name}: reads training data, writes model artifacts`,
      assumeRolePolicy: policyJson(serviceTrust("sagemaker.amazonaws.com", ctx.accountId)),
      maxSessionDuration: 3600,
      tags: ctx.tags,
    },
    ctx.opts(),
  );
}

export interface ExecutionPolicyInputs {
  readonly roleArn: pulumi.Input<string>;
  readonly dataBucketArn: pulumi.Input<string>;
  readonly artifactsBucketArn: pulumi.Input<string>;
  readonly keyArn: pulumi.Input<string>;
  readonly vpcArn: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<string>[];
  readonly subnetArns: pulumi.Input<string>[];
  readonly securityGroupId: pulumi.Input<string>;
  readonly securityGroupArn: pulumi.Input<string>;
}

/** ARNs of the SageMaker jobs of this account and region. */
export function jobArns(ctx: AwsContext): pulumi.Output<string>[] {
  return [arn(ctx, "sagemaker", "training-job/*"), arn(ctx, "sagemaker", "processing-job/*")];
}

export function executionPolicy(ctx: AwsContext, p: ExecutionPolicyInputs): PolicyDocument {
  const inRegion = { StringEquals: { "aws:RequestedRegion": ctx.region } };
  const sagemakerLogs = arn(ctx, "logs", "log-group:/aws/sagemaker/*");
  return policyDocument([
    {
      Sid: "ListTrainingData",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation"],
      Resource: p.dataBucketArn,
    },
    {
      Sid: "ReadTrainingData",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: pulumi.interpolate`${p.dataBucketArn}/*`,
    },
    {
      Sid: "LocateArtifactsBucket",
      Effect: "Allow",
      Action: "s3:GetBucketLocation",
      Resource: p.artifactsBucketArn,
    },
    {
      Sid: "ListOutputPrefix",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: p.artifactsBucketArn,
      Condition: { StringLike: { "s3:prefix": [OUTPUT_PREFIX, `${OUTPUT_PREFIX}*`] } },
    },
    {
      Sid: "WriteOutputPrefix",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      Resource: pulumi.interpolate`${p.artifactsBucketArn}/${OUTPUT_PREFIX}*`,
    },
    {
      Sid: "UseEnvironmentKeyThroughS3AndSageMaker",
      Effect: "Allow",
      Action: [...ROLE_KEY_ACTIONS],
      Resource: p.keyArn,
      Condition: { StringEquals: { "kms:ViaService": viaService(ctx, "s3", "sagemaker") } },
    },
    {
      // Volume key: "kms:CreateGrant" (SageMaker roles page). No kms:GrantIsForAWSResource: SageMaker does not set it (sagemaker-python-sdk PR 683).
      Sid: "GrantKeyForSageMakerVolumes",
      Effect: "Allow",
      Action: "kms:CreateGrant",
      Resource: p.keyArn,
      Condition: { StringEquals: { "kms:ViaService": viaService(ctx, "sagemaker") } },
    },
    {
      Sid: "WriteSageMakerLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: [sagemakerLogs, pulumi.interpolate`${sagemakerLogs}:log-stream:*`],
    },
    {
      Sid: "PublishJobMetrics",
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*", // exception: no resource-level permission; limited to SageMaker's job namespaces
      Condition: { StringEquals: { "cloudwatch:namespace": [...JOB_METRIC_NAMESPACES] } },
    },
    {
      Sid: "PullImagesFromAccountRepositories",
      Effect: "Allow",
      Action: [...ECR_PULL_ACTIONS],
      Resource: arn(ctx, "ecr", "repository/*"),
    },
    {
      Sid: "EcrLoginInRegion",
      Effect: "Allow",
      Action: "ecr:GetAuthorizationToken",
      Resource: "*", // exception: no resource-level permission; limited to the region
      Condition: inRegion,
    },
    {
      Sid: "DescribeNetworkInRegion",
      Effect: "Allow",
      Action: Object.keys(WILDCARD_RESOURCE_EXCEPTIONS).filter((a) => a.startsWith("ec2:")),
      Resource: "*", // exception: Describe* has no resource-level permission; limited to the region
      Condition: inRegion,
    },
    {
      Sid: "ManageEnisInEnvironmentVpc",
      Effect: "Allow",
      Action: [...ENI_ACTIONS],
      Resource: [arn(ctx, "ec2", "network-interface/*"), ...p.subnetArns, p.securityGroupArn],
      Condition: { ArnEquals: { "ec2:Vpc": p.vpcArn } },
    },
    ...createJobGuardrails(jobArns(ctx), {
      subnetIds: p.subnetIds,
      securityGroupIds: [p.securityGroupId],
      keyArn: p.keyArn,
    }),
    passRoleToSageMaker("PassOnlyThisRoleToSageMaker", p.roleArn),
  ]);
}

export function attachExecutionPolicy(ctx: AwsContext, role: aws.iam.Role, inputs: ExecutionPolicyInputs): aws.iam.RolePolicy {
  return new aws.iam.RolePolicy(
    checkedName("iamPolicy", `${ctx.name}-sagemaker-exec-least-privilege`),
    { role: role.id, policy: policyJson(executionPolicy(ctx, inputs)) },
    ctx.opts({ parent: role }),
  );
}
