/**
 * A failure from S3 / Azure Blob turned into what the user can do about it:
 * no credentials is bad input (exit 2, nothing was sent); anything the cloud
 * refused or a checksum that does not match is a failure (exit 1).
 */
import { show, TrainError, UsageError } from "../train/errors";
import { TransferError } from "./errors";
import type { DataTarget } from "./target";
import { ChecksumMismatch } from "./store";

interface CloudErrorLike {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  $metadata?: { httpStatusCode?: number };
  Code?: string;
}

export function explainError(e: unknown, target: DataTarget | undefined, operation: string): TrainError {
  if (e instanceof TrainError) return e;
  if (e instanceof ChecksumMismatch)
    return new TransferError(`${e.message}; the file was not kept. Run the command again; if it repeats, the stored object is damaged`);
  const err = (e ?? {}) as CloudErrorLike;
  const name = err.name ?? "Error";
  const message = err.message ?? String(e);
  const status = err.$metadata?.httpStatusCode ?? err.statusCode;
  const stackFile = target ? `Pulumi.${target.stack.name}.yaml` : "the stack file";

  if (name === "CredentialsProviderError" || /could not load credentials/i.test(message)) {
    const role = target?.ingestRoleArn
      ? `assume the stack's data ingest role ${target.ingestRoleArn} (stack output dataIngestRoleArn), e.g. a profile with role_arn = ${target.ingestRoleArn} and AWS_PROFILE set to it`
      : `the stack has no data ingest role: list who may load data in secure-ml-training:dataIngestPrincipals in ${stackFile} and run pulumi up`;
    return new UsageError([`no AWS credentials found (${message}); ${role}`]);
  }
  if (name === "CredentialUnavailableError" || name === "AggregateAuthenticationError") {
    return new UsageError([
      `no Azure credentials found (${message.split("\n")[0]}); sign in with \`az login\` as a principal listed in secure-ml-training:dataIngestPrincipals of ${stackFile}`,
    ]);
  }
  const code = err.code ?? err.Code ?? name;
  let hint = "";
  if (target?.cloud === "aws" && (status === 403 || /AccessDenied/i.test(code))) {
    hint = target.ingestRoleArn
      ? `S3 allows writes to datasets/ (and reads of job outputs) only to the data ingest role ${target.ingestRoleArn}, with SSE-KMS under the stack's key; run as that role`
      : `the stack has no data ingest role, and the bucket policy admits only requests through the VPC endpoint: set secure-ml-training:dataIngestPrincipals in ${stackFile} and run pulumi up`;
  } else if (target?.cloud === "azure" && code === "AuthorizationFailure") {
    hint =
      `the storage firewall refused this client. Outside the VNet, your public IPv4 address must be in secure-ml-training:dataIngestCidrs of ${stackFile} ` +
      "(IP rules never match clients in the storage account's own Azure region: use a machine in the VNet there)";
  } else if (target?.cloud === "azure" && (code === "AuthorizationPermissionMismatch" || status === 403)) {
    hint = `your identity has no data role on the container: list its object id in secure-ml-training:dataIngestPrincipals of ${stackFile} and run pulumi up (role assignments take up to 10 minutes)`;
  } else if (
    /BadDigest|InvalidDigest|Md5Mismatch|XAmzContentChecksumMismatch|InvalidChecksum/i.test(code) ||
    (status === 400 && /md5|checksum|digest/i.test(message))
  ) {
    hint =
      "the bytes the cloud received do not match the checksum sent with them; nothing was stored for that request. Run the command again";
  }
  return new TransferError(
    `${operation} failed: ${code}${status ? ` (HTTP ${status})` : ""}: ${show(message).slice(1, -1)}${hint ? `\nhint: ${hint}` : ""}`,
  );
}
