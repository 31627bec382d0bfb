/**
 * `npm run data:local`: starts the local storage servers (tools/local-storage.ts)
 * with the buckets/containers of the `dev` and `azure-dev` stacks, writes an
 * outputs file for each (the shape `pulumi stack output --json` prints, with
 * local names) into `.data-local/`, prints the commands to try, and runs until
 * Ctrl-C, when it stops both servers and removes their files.
 *
 * `localOutputs` is also what the data-path tests and the bench use, so the
 * newcomer's walk-through and the tests run the same thing.
 */
import * as fs from "fs";
import * as path from "path";
import { startAzurite, startS3, type LocalServer } from "./local-storage";
import { AZURITE_ACCOUNT } from "../cli/data/target";

export const LOCAL_NAMES = {
  awsStack: "dev",
  azureStack: "azure-dev",
  dataBucket: "mltrain-dev-data-local",
  artifactsBucket: "mltrain-dev-artifacts-local",
  dataContainer: "data",
  artifactsContainer: "artifacts",
} as const;

const ACCOUNT = "000000000000";
const SUB = "00000000-0000-4000-8000-000000000000";
const RG = `/subscriptions/${SUB}/resourceGroups/mltrain-dev-rg-local`;

/** Outputs of the `dev` stack pointing at the local S3 server's buckets (the key ARN is only a name there). */
export function localAwsOutputs(): Record<string, unknown> {
  const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/00000000-0000-4000-8000-000000000001`;
  const role = `arn:aws:iam::${ACCOUNT}:role/mltrain-dev-sagemaker-exec-local`;
  return {
    cloud: "aws",
    tier: "dev",
    dataLocation: `s3://${LOCAL_NAMES.dataBucket}/`,
    outputLocation: `s3://${LOCAL_NAMES.artifactsBucket}/output/`,
    keyId: key,
    identityId: role,
    networkId: "vpc-00000000000000000",
    subnetIds: ["subnet-00000000000000000"],
    region: "us-east-1",
    accountId: ACCOUNT,
    roleArn: role,
    securityGroupIds: ["sg-00000000000000000"],
    kmsKeyArn: key,
    dataBucket: LOCAL_NAMES.dataBucket,
    artifactsBucket: LOCAL_NAMES.artifactsBucket,
    outputPrefix: "output/",
    domainId: "d-local0000000",
    jobLauncherPolicyArn: `arn:aws:iam::${ACCOUNT}:policy/mltrain-dev-job-launcher-local`,
    dataIngestRoleArn: `arn:aws:iam::${ACCOUNT}:role/mltrain-dev-data-ingest-local`,
  };
}

/** Outputs of the `azure-dev` stack pointing at Azurite's development account. */
export function localAzureOutputs(): Record<string, unknown> {
  const blob = (c: string) => `https://${AZURITE_ACCOUNT}.blob.core.windows.net/${c}`;
  return {
    cloud: "azure",
    tier: "dev",
    dataLocation: blob(LOCAL_NAMES.dataContainer),
    outputLocation: blob(LOCAL_NAMES.artifactsContainer),
    keyId: "https://mltrain-dev-kv-local.vault.azure.net/keys/storage-cmk",
    identityId: `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mltrain-dev-id`,
    networkId: `${RG}/providers/Microsoft.Network/virtualNetworks/mltrain-dev-vnet`,
    subnetIds: [`${RG}/providers/Microsoft.Network/virtualNetworks/mltrain-dev-vnet/subnets/workload`],
    subscriptionId: SUB,
    resourceGroupName: "mltrain-dev-rg-local",
    location: "westeurope",
    storageAccountName: AZURITE_ACCOUNT,
    dataContainer: LOCAL_NAMES.dataContainer,
    artifactsContainer: LOCAL_NAMES.artifactsContainer,
    identityClientId: "00000000-0000-4000-8000-000000000002",
    identityPrincipalId: "00000000-0000-4000-8000-000000000003",
    keyVaultUri: "https://mltrain-dev-kv-local.vault.azure.net/",
  };
}

export interface LocalEnvironment {
  readonly s3: LocalServer;
  readonly azurite: LocalServer;
  /** Outputs files written for `--outputs`. */
  readonly awsOutputsFile: string;
  readonly azureOutputsFile: string;
  stop(): Promise<void>;
}

export async function startLocalEnvironment(dir: string): Promise<LocalEnvironment> {
  const s3 = await startS3([LOCAL_NAMES.dataBucket, LOCAL_NAMES.artifactsBucket]);
  let azurite: LocalServer;
  try {
    azurite = await startAzurite([LOCAL_NAMES.dataContainer, LOCAL_NAMES.artifactsContainer]);
  } catch (e) {
    await s3.stop();
    throw e;
  }
  fs.mkdirSync(dir, { recursive: true });
  const awsOutputsFile = path.join(dir, "dev.outputs.json");
  const azureOutputsFile = path.join(dir, "azure-dev.outputs.json");
  fs.writeFileSync(awsOutputsFile, `${JSON.stringify(localAwsOutputs(), null, 2)}\n`);
  fs.writeFileSync(azureOutputsFile, `${JSON.stringify(localAzureOutputs(), null, 2)}\n`);
  return {
    s3,
    azurite,
    awsOutputsFile,
    azureOutputsFile,
    async stop() {
      await Promise.all([s3.stop(), azurite.stop()]);
    },
  };
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, "..");
  const env = await startLocalEnvironment(path.join(root, ".data-local"));
  const rel = (f: string) => path.relative(root, f);
  process.stdout.write(
    [
      `S3 (s3rver) on ${env.s3.endpoint}, buckets ${LOCAL_NAMES.dataBucket}, ${LOCAL_NAMES.artifactsBucket}`,
      `Azure Blob (Azurite) on ${env.azurite.endpoint}, account ${AZURITE_ACCOUNT}, containers ${LOCAL_NAMES.dataContainer}, ${LOCAL_NAMES.artifactsContainer}`,
      "",
      "In another terminal:",
      `  npm run data -- push ./my-dataset --stack ${LOCAL_NAMES.awsStack} --outputs ${rel(env.awsOutputsFile)} --endpoint ${env.s3.endpoint}`,
      `  npm run data -- ls --stack ${LOCAL_NAMES.awsStack} --outputs ${rel(env.awsOutputsFile)} --endpoint ${env.s3.endpoint}`,
      `  npm run data -- push ./my-dataset --stack ${LOCAL_NAMES.azureStack} --outputs ${rel(env.azureOutputsFile)} --endpoint ${env.azurite.endpoint}`,
      "",
      "Ctrl-C stops both servers and deletes what they stored.",
      "",
    ].join("\n"),
  );
  const stop = () => {
    env.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`data:local: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  });
}
