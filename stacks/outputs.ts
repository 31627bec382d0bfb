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
