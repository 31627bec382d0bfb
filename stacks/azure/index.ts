/**
 * Azure secure training environment (skeleton: issue 4 builds it out).
 */
import * as pulumi from "@pulumi/pulumi";
import type { AzureStackConfig } from "../config";
import type { EnvironmentOutputs, TrainingEnvironment } from "../outputs";

export interface AzureTrainingEnvironmentArgs {
  readonly config: AzureStackConfig;
}

export class AzureTrainingEnvironment extends pulumi.ComponentResource implements TrainingEnvironment {
  readonly outputs: EnvironmentOutputs;

  constructor(name: string, args: AzureTrainingEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secure-ml:azure:TrainingEnvironment", name, {}, opts);
    const pending = pulumi.output("not built yet");
    this.outputs = {
      cloud: "azure",
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
