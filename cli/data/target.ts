/**
 * From a stack's validated outputs (the same reading as `npm run train`) to
 * the two stores `npm run data` uses: the data location (datasets) and the
 * output location (job outputs), plus what to tell a user the cloud refused.
 *
 * With `--endpoint` (a loopback URL) the same code talks to a local emulator:
 * s3rver (path-style, its fixed test credentials) or Azurite (its published
 * development account key). The outputs still name the buckets/containers.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { ContainerClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { DefaultAzureCredential } from "@azure/identity";
import type { StackInfo } from "../train/outputs";
import { parseAwsOutputs, parseAzureOutputs } from "../train/outputs";
import { UsageError } from "../train/errors";
import { BlobStore } from "./blob-store";
import { S3Store } from "./s3-store";
import type { ObjectStore } from "./store";

/** Azurite's well-known development account (https://learn.microsoft.com/azure/storage/common/storage-use-azurite#well-known-storage-account-and-key). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
/** s3rver accepts these (README "Loading data"). */
export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

export interface DataTarget {
  readonly cloud: "aws" | "azure";
  readonly data: ObjectStore;
  readonly outputs: ObjectStore;
  /** Prefix of job outputs in the output store (AWS `output/`, Azure ""). */
  readonly outputPrefix: string;
  /** Who may write: the ingest role ARN (AWS) when the stack has one. */
  readonly ingestRoleArn?: string;
  readonly stack: StackInfo;
}

export interface ClientFactory {
  /** `profile`: a named AWS profile (e.g. one with role_arn = the data ingest role) instead of the default credential chain. */
  s3(region: string, endpoint?: string, profile?: string): S3Client;
  container(accountUrl: string, container: string, account: string, endpoint?: string): ContainerClient;
}

export const realClients: ClientFactory = {
  s3: (region, endpoint, profile) =>
    endpoint === undefined
      ? new S3Client({ region, ...(profile !== undefined ? { profile } : {}) })
      : new S3Client({ region, endpoint, forcePathStyle: true, credentials: { ...S3RVER_CREDENTIALS } }),
  container: (accountUrl, container, account, endpoint) =>
    endpoint === undefined
      ? new ContainerClient(`${accountUrl}/${container}`, new DefaultAzureCredential())
      : new ContainerClient(
          `${endpoint.replace(/\/+$/, "")}/${account}/${container}`,
          new StorageSharedKeyCredential(account, AZURITE_KEY),
        ),
};

const INGEST_ROLE_RE = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

export function resolveTarget(p: {
  readonly raw: Record<string, unknown>;
  readonly source: string;
  readonly stack: StackInfo;
  readonly endpoint?: string;
  readonly clients: ClientFactory;
  readonly concurrency: number;
  /** AWS: the profile the S3 client signs with (`npm run train --data-profile`). */
  readonly profile?: string;
  /** AWS: where multipart uploads in progress are journaled for a part-by-part resume (s3-multipart.ts). */
  readonly resumeDir?: string;
}): DataTarget {
  const { raw, source, stack } = p;
  if (stack.config.cloud === "aws") {
    const o = parseAwsOutputs(raw, stack, source);
    const client = p.clients.s3(o.region, p.endpoint, p.profile);
    const ingest =
      typeof raw.dataIngestRoleArn === "string" && INGEST_ROLE_RE.test(raw.dataIngestRoleArn) ? raw.dataIngestRoleArn : undefined;
    return {
      cloud: "aws",
      data: new S3Store({ client, bucket: o.dataBucket, kmsKeyArn: o.kmsKeyArn, resumeDir: p.resumeDir }),
      outputs: new S3Store({ client, bucket: o.artifactsBucket, kmsKeyArn: o.kmsKeyArn }),
      outputPrefix: o.outputPrefix,
      ingestRoleArn: ingest,
      stack,
    };
  }
  const o = parseAzureOutputs(raw, stack, source, { requireWorkspace: false });
  if (p.endpoint !== undefined && o.storageAccountName !== AZURITE_ACCOUNT) {
    throw new UsageError([
      `--endpoint: the local emulator serves the account ${AZURITE_ACCOUNT}, but stack output "storageAccountName" is ${o.storageAccountName}; use the outputs file \`npm run data:local\` wrote`,
    ]);
  }
  const accountUrl = `https://${o.storageAccountName}.blob.core.windows.net`;
  const store = (c: string) =>
    new BlobStore({ container: p.clients.container(accountUrl, c, o.storageAccountName, p.endpoint), concurrency: 4 });
  return { cloud: "azure", data: store(o.dataContainer), outputs: store(o.artifactsContainer), outputPrefix: "", stack };
}
