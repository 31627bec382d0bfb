/**
 * The data ingest role (issue 16; C4, C5, C6): the one principal that may
 * load datasets from outside the VPC and read job outputs back.
 *
 * - Only when `dataIngestPrincipals` names someone; assumable by exactly those
 *   IAM role/user ARNs (no wildcard, no account root: stacks/data-ingest-config.ts).
 * - Write-only to `datasets/` of the data bucket: PutObject and the multipart
 *   actions, GetObject there only (HEAD for the resume check, the manifest);
 *   no delete, nothing else in the bucket.
 * - Read-only on the job outputs (`output/` of the artifacts bucket).
 * - The environment's key only through S3 in this region (kms:GenerateDataKey
 *   and kms:Decrypt: multipart uploads with SSE-KMS need both).
 * The bucket policies exempt this role, by `aws:PrincipalArn` and nothing
 * broader, from the VPC-endpoint-only deny (bucket-policy.ts), and the data
 * bucket denies any PutObject asking for other encryption than SSE-KMS with
 * the environment's key.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { AwsContext } from "./context";
import { checkedName } from "../naming";
import { DATASETS_PREFIX } from "../data-layout";
import { OUTPUT_PREFIX } from "./iam";
import { viaService } from "./keys";
import { PolicyDocument, policyDocument, policyJson } from "./iam-documents";

/** Object actions on `datasets/*`: write, multipart, and read back what was written (HEAD/GET). */
export const INGEST_DATASET_ACTIONS = ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts", "s3:GetObject"] as const;
/** The key, through S3 only. */
export const INGEST_KEY_ACTIONS = ["kms:GenerateDataKey", "kms:Decrypt"] as const;
/** Sessions long enough for a large upload (the SDK refreshes assumed-role credentials). */
export const INGEST_MAX_SESSION_SECONDS = 4 * 3600;

export interface IngestPolicyInputs {
  readonly dataBucketArn: pulumi.Input<string>;
  readonly artifactsBucketArn: pulumi.Input<string>;
  readonly keyArn: pulumi.Input<string>;
}

/** Trust: exactly the configured principals may assume the role. */
export function ingestTrust(principals: readonly string[]): PolicyDocument {
  return policyDocument([
    { Sid: "ConfiguredIngestPrincipals", Effect: "Allow", Principal: { AWS: [...principals] }, Action: "sts:AssumeRole" },
  ]);
}

export function ingestPolicy(ctx: AwsContext, p: IngestPolicyInputs): PolicyDocument {
  return policyDocument([
    {
      Sid: "WriteDatasets",
      Effect: "Allow",
      Action: [...INGEST_DATASET_ACTIONS],
      Resource: pulumi.interpolate`${p.dataBucketArn}/${DATASETS_PREFIX}*`,
    },
    {
      Sid: "ListDatasets",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: p.dataBucketArn,
      Condition: { StringLike: { "s3:prefix": [DATASETS_PREFIX, `${DATASETS_PREFIX}*`] } },
    },
    {
      Sid: "ReadJobOutputs",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: pulumi.interpolate`${p.artifactsBucketArn}/${OUTPUT_PREFIX}*`,
    },
    {
      Sid: "ListJobOutputs",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: p.artifactsBucketArn,
      Condition: { StringLike: { "s3:prefix": [OUTPUT_PREFIX, `${OUTPUT_PREFIX}*`] } },
    },
    {
      Sid: "UseEnvironmentKeyThroughS3",
      Effect: "Allow",
      Action: [...INGEST_KEY_ACTIONS],
      Resource: p.keyArn,
      Condition: { StringEquals: { "kms:ViaService": viaService(ctx, "s3") } },
    },
  ]);
}

export interface DataIngestRole {
  readonly role: aws.iam.Role;
  readonly policy: aws.iam.RolePolicy;
}

/** The role, or undefined when the stack names no ingest principal. */
export function createDataIngestRole(ctx: AwsContext, inputs: IngestPolicyInputs): DataIngestRole | undefined {
  const principals = ctx.config.dataIngestPrincipals;
  if (principals.length === 0) return undefined;
  const role = new aws.iam.Role(
    checkedName("iamRole", `${ctx.name}-data-ingest`),
    {
      description: `Loads datasets into ${ctx.name} (datasets/ only, SSE-KMS) and reads job outputs; assumable only by the configured principals`,
      assumeRolePolicy: policyJson(ingestTrust(principals)),
      maxSessionDuration: INGEST_MAX_SESSION_SECONDS,
      tags: ctx.tags,
    },
    ctx.opts(),
  );
  const policy = new aws.iam.RolePolicy(
    checkedName("iamPolicy", `${ctx.name}-data-ingest-write-only`),
    { role: role.id, policy: policyJson(ingestPolicy(ctx, inputs)) },
    ctx.opts({ parent: role }),
  );
  return { role, policy };
}
