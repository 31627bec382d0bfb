/**
 * AWS secure training environment (skeleton: issue 3 builds it out).
 */
import * as pulumi from "@pulumi/pulumi";
import type { AwsStackConfig } from "../config";
import type { EnvironmentOutputs, TrainingEnvironment } from "../outputs";

export interface AwsTrainingEnvironmentArgs {
  readonly config: AwsStackConfig;
}

export class AwsTrainingEnvironment extends pulumi.ComponentResource implements TrainingEnvironment {
  readonly outputs: EnvironmentOutputs;

  constructor(name: string, args: AwsTrainingEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secure-ml:aws:TrainingEnvironment", name, {}, opts);
    const pending = pulumi.output("not built yet");
    this.outputs = {
      cloud: "aws",
      tier: args.config.tier,
      dataLocation: pending,
      outputLocation: pending,
      keyId: pending,
      identityId: pending,
      networkId: pending,
      subnetIds: pulumi.output([]),
    };
    this.registerOutputs({ ...this.outputs });
  }
}
