/**
 * The Pulumi program: validate the stack's config, then build the training
 * environment on the cloud it names and return the stack outputs.
 */
import { loadStackConfig } from "./config";
import { AwsTrainingEnvironment } from "./aws";
import { AzureTrainingEnvironment } from "./azure";
import type { TrainingEnvironment } from "./outputs";

export async function buildEnvironment(): Promise<Record<string, unknown>> {
  // Validation comes first: a bad config throws here, before any resource exists.
  const config = loadStackConfig();
  const name = `${config.namePrefix}-${config.tier}`;
  const env: TrainingEnvironment =
    config.cloud === "aws" ? new AwsTrainingEnvironment(name, { config }) : new AzureTrainingEnvironment(name, { config });
  return { ...env.outputs };
}
