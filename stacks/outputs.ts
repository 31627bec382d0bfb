/**
 * The outputs every cloud module provides, under the same names, so a
 * consumer of the stack (a training job, `npm run train`, another stack)
 * reads one shape whichever cloud the stack chose.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Cloud, Tier } from "./config";

export interface EnvironmentOutputs {
  readonly cloud: Cloud;
  readonly tier: Tier;
  /** Where training data is read from: `s3://<bucket>/` or `https://<account>.blob.core.windows.net/<container>`. */
  readonly dataLocation: pulumi.Output<string>;
  /** Where models and checkpoints are written: `s3://<bucket>/<prefix>/` or the artifacts container URL. */
  readonly outputLocation: pulumi.Output<string>;
  /** The customer-managed key: KMS key ARN, or the versionless Key Vault key id. */
  readonly keyId: pulumi.Output<string>;
  /** The workload identity: SageMaker execution role ARN, or user-assigned identity resource id. */
  readonly identityId: pulumi.Output<string>;
  /** The private network: VPC id, or VNet resource id. */
  readonly networkId: pulumi.Output<string>;
  /** Private subnets training runs in. */
  readonly subnetIds: pulumi.Output<string[]>;
}

/** A cloud module: a component whose outputs hold the shared names and its own extras. */
export interface TrainingEnvironment<Extra extends object = object> {
  readonly outputs: EnvironmentOutputs & Extra;
}

/** AWS-only outputs, beside the shared ones (everything `npm run train` needs). */
export interface AwsEnvironmentExtras {
  readonly region: pulumi.Output<string>;
  readonly accountId: pulumi.Output<string>;
  /** SageMaker execution role ARN (same value as identityId). */
  readonly roleArn: pulumi.Output<string>;
  /** Security groups a training job attaches (the training security group). */
  readonly securityGroupIds: pulumi.Output<string[]>;
  /** Full KMS key ARN (same value as keyId). */
  readonly kmsKeyArn: pulumi.Output<string>;
  readonly dataBucket: pulumi.Output<string>;
  readonly artifactsBucket: pulumi.Output<string>;
  /** Key prefix in the artifacts bucket that jobs may write to, e.g. `output/`. */
  readonly outputPrefix: pulumi.Output<string>;
  /** The SageMaker Studio domain; present when the stack's `studio` key is true. */
  readonly domainId?: pulumi.Output<string>;
  /** Managed policy for the people and CI that launch training jobs (C7). */
  readonly jobLauncherPolicyArn: pulumi.Output<string>;
  /** The data ingest role `npm run data` runs as; set when dataIngestPrincipals names someone. */
  readonly dataIngestRoleArn?: pulumi.Output<string>;
}

/** Azure-only outputs, beside the shared ones. */
export interface AzureEnvironmentExtras {
  readonly subscriptionId: pulumi.Output<string>;
  readonly resourceGroupName: pulumi.Output<string>;
  readonly location: pulumi.Output<string>;
  readonly storageAccountName: pulumi.Output<string>;
  readonly dataContainer: pulumi.Output<string>;
  readonly artifactsContainer: pulumi.Output<string>;
  readonly identityClientId: pulumi.Output<string>;
  readonly identityPrincipalId: pulumi.Output<string>;
  readonly keyVaultUri: pulumi.Output<string>;
  /** Set when the ML workspace is enabled. */
  readonly workspaceName?: pulumi.Output<string>;
  readonly workspaceId?: pulumi.Output<string>;
  readonly computeName?: pulumi.Output<string>;
  /** Every training cluster (name, VM size, max nodes, priority); `computeName` is the first. */
  readonly computeClusters?: pulumi.Output<{ name: string; vmSize: string; maxNodes: number; priority: string }[]>;
}

/**
 * The value of each output once the stack is deployed: what `pulumi stack
 * output --json` prints for it (lists read-only). `npm run train` and other
 * consumers derive their types from this, so the contract has one definition;
 * they still validate the values they read at run time.
 */
export type Resolved<T> = {
  readonly [K in keyof T]: NonNullable<T[K]> extends pulumi.Output<infer U> ? (U extends readonly (infer E)[] ? readonly E[] : U) : T[K];
};

/** A deployed AWS stack's outputs. */
export type AwsStackOutputs = Resolved<EnvironmentOutputs & AwsEnvironmentExtras>;

/** A deployed Azure stack's outputs. */
export type AzureStackOutputs = Resolved<EnvironmentOutputs & AzureEnvironmentExtras>;
