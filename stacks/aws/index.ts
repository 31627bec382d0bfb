/**
 * AWS secure training environment: the component that wires the parts
 * together (each part lives in its own file and realises controls of
 * docs/controls.md):
 *   keys.ts          KMS key, alias, key policy                  C1 C2
 *   storage.ts       data / artifacts / log buckets              C1 C3 C8 C9
 *   bucket-policy.ts TLS-only, VPC-endpoint-only bucket policies  C4 C5
 *   network.ts       private VPC, endpoints, security groups     C4
 *   audit.ts         VPC flow logs                               C8
 *   iam.ts           SageMaker execution role                    C6 C7
 *   job-launcher.ts  managed policy for whoever launches jobs    C7
 *   sagemaker.ts     VpcOnly domain + user profile (`studio`)    C4 C11
 *   data-ingest.ts   the data ingest role (npm run data)         C4 C5 C6
 * Every child goes through one explicit provider (region and default tags
 * from config) and also carries the tags itself (C10).
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { AwsStackConfig } from "../config";
import type { AwsEnvironmentExtras, EnvironmentOutputs, TrainingEnvironment } from "../outputs";
import { createContext } from "./context";
import { createKey } from "./keys";
import { SecureBucket } from "./storage";
import { bucketPolicy } from "./bucket-policy";
import { createNetwork, createS3GatewayEndpoint, vpcArn } from "./network";
import { createFlowLogs } from "./audit";
import { createExecutionRole, attachExecutionPolicy, OUTPUT_PREFIX } from "./iam";
import { createJobLauncherPolicy } from "./job-launcher";
import { createDomain } from "./sagemaker";
import { createDataIngestRole } from "./data-ingest";

export interface AwsTrainingEnvironmentArgs {
  readonly config: AwsStackConfig;
}

export const AWS_COMPONENT_TYPE = "secure-ml:aws:TrainingEnvironment";

export class AwsTrainingEnvironment extends pulumi.ComponentResource implements TrainingEnvironment<AwsEnvironmentExtras> {
  readonly outputs: EnvironmentOutputs & AwsEnvironmentExtras;

  constructor(name: string, args: AwsTrainingEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(AWS_COMPONENT_TYPE, name, {}, opts);
    const { config } = args;
    const ctx = createContext(this, name, config);

    // Identity first: the key policy names the role.
    const role = createExecutionRole(ctx);
    const { key } = createKey(ctx, { roleArn: role.arn });

    // Buckets (C1, C3, C9); the log bucket keeps its logs for the configured retention.
    const bucketOpts = { parent: this };
    const logs = new SecureBucket(`${name}-logs`, { ctx, kind: "logs", keyArn: key.arn }, bucketOpts);
    const data = new SecureBucket(`${name}-data`, { ctx, kind: "data", keyArn: key.arn }, bucketOpts);
    const artifacts = new SecureBucket(`${name}-artifacts`, { ctx, kind: "artifacts", keyArn: key.arn }, bucketOpts);

    // Private network (C4); the S3 gateway endpoint admits only these buckets.
    const net = createNetwork(ctx);
    const s3Endpoint = createS3GatewayEndpoint(ctx, net, [data.arn, artifacts.arn, logs.arn]);

    // Bucket policies (C4, C5), then access logs into the log bucket (C8).
    const logSources = [
      { bucket: data, prefix: "data/" },
      { bucket: artifacts, prefix: "artifacts/" },
    ];
    const logsPolicy = logs.attachPolicy(
      bucketPolicy({
        ctx,
        bucketArn: logs.arn,
        s3VpcEndpointId: s3Endpoint.id,
        logSources: logSources.map((s) => ({ bucketArn: s.bucket.arn, prefix: s.prefix })),
      }),
    );
    // The data ingest role (only when dataIngestPrincipals names someone) may reach datasets/ and job outputs from outside the VPC.
    const ingest = createDataIngestRole(ctx, { dataBucketArn: data.arn, artifactsBucketArn: artifacts.arn, keyArn: key.arn });
    const exemptPrincipalArns = ingest ? [ingest.role.arn] : undefined;
    data.attachPolicy(
      bucketPolicy({ ctx, bucketArn: data.arn, s3VpcEndpointId: s3Endpoint.id, exemptPrincipalArns, requireKmsKeyArn: key.arn }),
    );
    artifacts.attachPolicy(
      bucketPolicy({
        ctx,
        bucketArn: artifacts.arn,
        s3VpcEndpointId: s3Endpoint.id,
        exemptPrincipalArns,
        exemptActions: ["s3:GetObject*"],
      }),
    );
    for (const s of logSources) s.bucket.sendAccessLogsTo({ bucket: logs.name, prefix: s.prefix, dependsOn: [logsPolicy] });

    createFlowLogs(ctx, net.vpc, key.arn);

    // Least privilege for the role (C6) with the create-job guardrail (C7).
    const subnetIds = net.subnets.map((s) => s.id);
    const securityGroupId = net.trainingSecurityGroup.id;
    attachExecutionPolicy(ctx, role, {
      roleArn: role.arn,
      dataBucketArn: data.arn,
      artifactsBucketArn: artifacts.arn,
      keyArn: key.arn,
      vpcArn: vpcArn(ctx, net),
      subnetIds,
      subnetArns: net.subnets.map((s) => s.arn),
      securityGroupId,
      securityGroupArn: net.trainingSecurityGroup.arn,
    });
    const launcher = createJobLauncherPolicy(ctx, { roleArn: role.arn, subnetIds, securityGroupId, keyArn: key.arn });

    const studio = config.studio
      ? createDomain(ctx, { vpcId: net.vpc.id, subnetIds, securityGroupId, keyArn: key.arn, roleArn: role.arn })
      : undefined;

    const region = aws.getRegionOutput({}, ctx.invokeOpts).region;
    this.outputs = {
      cloud: "aws",
      tier: config.tier,
      dataLocation: pulumi.interpolate`s3://${data.name}/`,
      outputLocation: pulumi.interpolate`s3://${artifacts.name}/${OUTPUT_PREFIX}`,
      keyId: key.arn,
      identityId: role.arn,
      networkId: net.vpc.id,
      subnetIds: pulumi.all(subnetIds),
      region,
      accountId: ctx.accountId,
      roleArn: role.arn,
      securityGroupIds: pulumi.all([securityGroupId]),
      kmsKeyArn: key.arn,
      dataBucket: data.name,
      artifactsBucket: artifacts.name,
      outputPrefix: pulumi.output(OUTPUT_PREFIX),
      ...(studio ? { domainId: studio.domain.id } : {}),
      jobLauncherPolicyArn: launcher.arn,
      ...(ingest ? { dataIngestRoleArn: ingest.role.arn } : {}),
    };
    this.registerOutputs({ ...this.outputs });
  }
}
