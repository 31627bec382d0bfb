/**
 * The environment's customer-managed KMS key (C1, C2, C11): symmetric, rotated
 * yearly, 30-day deletion window in prod (7 in dev), protected in prod, an
 * alias, and a key policy with no wildcard principal:
 *  - the account root administers the key (IAM policies decide who in the
 *    account may; no crypto use from this statement);
 *  - principals of this account may use it for data only through S3,
 *    SageMaker, EFS (the SageMaker domain's home volume) and CloudWatch Logs
 *    in this region (CloudWatch Logs calls KMS on the caller's behalf with
 *    kms:ViaService: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html);
 *  - the training role may use it only through S3 and SageMaker, including
 *    kms:Encrypt, which CreateTrainingJob with an output key needs;
 *  - CloudWatch Logs may use it only for this environment's log groups.
 * The access-log bucket is SSE-S3 (storage.ts), so S3 log delivery needs no
 * access to this key.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { AwsContext, arn } from "./context";
import { checkedName } from "../naming";
import { PolicyDocument, policyDocument, policyJson } from "./iam-documents";

export const KEY_DELETION_WINDOW_DAYS = { dev: 7, prod: 30 } as const;
export const KEY_ROTATION_PERIOD_DAYS = 365;

/** Management actions of the key, named one by one: none encrypts, decrypts or grants (no `kms:Create*`, which includes CreateGrant). */
export const KEY_ADMIN_ACTIONS = [
  "kms:CreateAlias",
  "kms:UpdateAlias",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:UpdateKeyDescription",
  "kms:EnableKey",
  "kms:DisableKey",
  "kms:EnableKeyRotation",
  "kms:DisableKeyRotation",
  "kms:GetKeyRotationStatus",
  "kms:RotateKeyOnDemand",
  "kms:GetKeyPolicy",
  "kms:PutKeyPolicy",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListGrants",
  "kms:RevokeGrant",
  "kms:ListResourceTags",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
] as const;

/** Data actions S3 / SageMaker / EFS perform with the caller's permissions. */
export const KEY_USE_ACTIONS = [
  "kms:Decrypt",
  "kms:Encrypt",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:DescribeKey",
] as const;

/**
 * What the training role may do with the key (through S3 and SageMaker
 * only). kms:Encrypt: "If you use a KMS key ID or an alias of your KMS key,
 * the SageMaker execution role must include permissions to call
 * kms:Encrypt" (OutputDataConfig.KmsKeyId,
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_OutputDataConfig.html).
 */
export const ROLE_KEY_ACTIONS = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"] as const;

/** Services through which principals of the account may use the key (kms:ViaService). */
export const ACCOUNT_VIA_SERVICES = ["s3", "sagemaker", "elasticfilesystem", "logs"] as const;

export interface KeyPolicyInputs {
  readonly roleArn: pulumi.Input<string>;
}

/** `kms:ViaService` values for a service in the environment's region. */
export function viaService(ctx: AwsContext, ...services: string[]): string[] {
  return services.map((s) => `${s}.${ctx.region}.amazonaws.com`);
}

/** Log groups of this environment (their names start with the environment name). */
export function envLogGroupArnPattern(ctx: AwsContext): pulumi.Output<string> {
  return arn(ctx, "logs", `log-group:${ctx.name}-*`);
}

export function keyPolicy(ctx: AwsContext, inputs: KeyPolicyInputs): PolicyDocument {
  const root = pulumi.interpolate`arn:${ctx.partition}:iam::${ctx.accountId}:root`;
  return policyDocument([
    {
      Sid: "AccountAdministersKey",
      Effect: "Allow",
      Principal: { AWS: root },
      Action: [...KEY_ADMIN_ACTIONS],
      Resource: "*", // in a key policy, "*" is this key
    },
    {
      Sid: "AccountUsesKeyOnlyThroughServices",
      Effect: "Allow",
      Principal: { AWS: root },
      Action: [...KEY_USE_ACTIONS, "kms:CreateGrant"],
      Resource: "*",
      Condition: {
        StringEquals: {
          "kms:CallerAccount": ctx.accountId,
          "kms:ViaService": viaService(ctx, ...ACCOUNT_VIA_SERVICES),
        },
      },
    },
    {
      Sid: "TrainingRoleUsesKeyThroughS3AndSageMaker",
      Effect: "Allow",
      Principal: { AWS: inputs.roleArn },
      Action: [...ROLE_KEY_ACTIONS],
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": viaService(ctx, "s3", "sagemaker") } },
    },
    {
      // No kms:GrantIsForAWSResource: SageMaker does not set it (sagemaker-python-sdk PR 683), so it would fail every job with a volume key.
      Sid: "TrainingRoleGrantsForSageMakerVolumes",
      Effect: "Allow",
      Principal: { AWS: inputs.roleArn },
      Action: "kms:CreateGrant",
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": viaService(ctx, "sagemaker") } },
    },
    {
      Sid: "CloudWatchLogsForEnvironmentLogGroups",
      Effect: "Allow",
      Principal: { Service: `logs.${ctx.region}.amazonaws.com` },
      Action: [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncryptFrom",
        "kms:ReEncryptTo",
        "kms:GenerateDataKey",
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:DescribeKey",
      ],
      Resource: "*",
      Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": envLogGroupArnPattern(ctx) } },
    },
  ]);
}

export interface EnvironmentKey {
  readonly key: aws.kms.Key;
  readonly alias: aws.kms.Alias;
}

export function createKey(ctx: AwsContext, inputs: KeyPolicyInputs): EnvironmentKey {
  const key = new aws.kms.Key(
    `${ctx.name}-key`,
    {
      description: `Training data, artifacts and logs of ${ctx.name}`,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      rotationPeriodInDays: KEY_ROTATION_PERIOD_DAYS,
      deletionWindowInDays: KEY_DELETION_WINDOW_DAYS[ctx.config.tier],
      policy: policyJson(keyPolicy(ctx, inputs)),
      tags: ctx.tags,
    },
    ctx.opts({ protect: ctx.prod }),
  );
  const alias = new aws.kms.Alias(
    `${ctx.name}-key-alias`,
    { name: checkedName("kmsAlias", `alias/${ctx.name}-training`), targetKeyId: key.keyId },
    ctx.opts({ parent: key }),
  );
  return { key, alias };
}
