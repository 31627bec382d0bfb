/**
 * Typed IAM / key / bucket / endpoint policy documents. Every document in
 * the AWS module is an `aws.iam.PolicyDocument` object, serialised once by
 * `policyJson` (never hand-concatenated JSON), and the statements that are
 * shared between documents live here: the training-job guardrail (C7) that
 * both the execution role and the job-launcher policy carry.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { familyPatterns, type InstanceStorage } from "../../policy-pack/lib/sagemaker-instance-storage";

export type PolicyDocument = aws.iam.PolicyDocument;
export type PolicyStatement = aws.iam.PolicyStatement;

export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** The one place a document becomes JSON: resolved (all inputs known), then stringified. */
export function policyJson(doc: PolicyDocument): pulumi.Output<string> {
  return pulumi.jsonStringify(pulumi.output(doc));
}

/** SageMaker jobs the guardrail governs: both take VPC, KMS, encryption and isolation settings. */
export const GUARDED_JOB_ACTIONS = ["sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob"] as const;

/**
 * The IAM condition keys that carry the C7 guardrails of a create-job request
 * (service authorization reference for SageMaker:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html).
 * The key ARNs use `sagemaker:VolumeKmsKeyArn` / `sagemaker:OutputKmsKeyArn`: the short names
 * `sagemaker:VolumeKmsKey` / `sagemaker:OutputKmsKey` are deprecated and no action lists them.
 */
export const GUARDRAIL_CONDITION_KEYS = [
  "sagemaker:VpcSubnets",
  "sagemaker:VpcSecurityGroupIds",
  "sagemaker:VolumeKmsKeyArn",
  "sagemaker:OutputKmsKeyArn",
  "sagemaker:InterContainerTrafficEncryption",
  "sagemaker:NetworkIsolation",
  "sagemaker:InstanceTypes",
] as const;

export const VOLUME_KEY_CONDITION = "sagemaker:VolumeKmsKeyArn";
export const INSTANCE_TYPES_CONDITION = "sagemaker:InstanceTypes";

export interface GuardrailTarget {
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly keyArn: pulumi.Input<string>;
}

/** Sids of the two guardrail statements: one per instance storage class. */
export const GUARDRAIL_SIDS: Readonly<Record<InstanceStorage, string>> = {
  ebs: "CreateJobsOnEbsOnlyInstancesInsideGuardrails",
  nvme: "CreateJobsOnNvmeInstancesInsideGuardrails",
};

/**
 * Allows creating training / processing jobs only when the request puts the
 * job in the environment's subnets and security group, encrypts its output
 * with the environment's key, encrypts inter-container traffic, isolates the
 * container from the network (C7) and runs on a classified instance type:
 *
 * - EBS-only types (`ml.m5.*`, `ml.p3.*`, ...): the training volume is encrypted with the
 *   environment's key (`sagemaker:VolumeKmsKeyArn`, C1);
 * - types with local NVMe storage (`ml.g5.*`, `ml.p4d.*`, ...): the request carries no
 *   volume key (`Null: true`), because SageMaker refuses one for them: "You can't request a
 *   VolumeKmsKeyId when using an instance type with local storage" (API_ResourceConfig); the
 *   instance's hardware module encrypts that storage (XTS-AES-256).
 *
 * The classification is data (policy-pack/lib/sagemaker-instance-storage.ts). `ForAllValues`
 * over the request's instance types means a job whose instance groups mix the classes, or use a
 * type of neither class, matches neither statement. `Null: false` makes each key mandatory:
 * `ForAllValues` over an absent list is true, and a missing Bool/Arn key must not slip through.
 */
export function createJobGuardrails(jobArns: pulumi.Input<string>[], t: GuardrailTarget): PolicyStatement[] {
  return (["ebs", "nvme"] as const).map((storage) => {
    const volumeKey = storage === "ebs";
    return {
      Sid: GUARDRAIL_SIDS[storage],
      Effect: "Allow",
      Action: [...GUARDED_JOB_ACTIONS],
      Resource: jobArns,
      Condition: {
        Null: Object.fromEntries(GUARDRAIL_CONDITION_KEYS.map((k) => [k, k === VOLUME_KEY_CONDITION && !volumeKey ? "true" : "false"])),
        "ForAllValues:StringEquals": {
          "sagemaker:VpcSubnets": t.subnetIds,
          "sagemaker:VpcSecurityGroupIds": t.securityGroupIds,
        },
        "ForAllValues:StringLike": { [INSTANCE_TYPES_CONDITION]: familyPatterns(storage) },
        ArnEquals: volumeKey
          ? { [VOLUME_KEY_CONDITION]: t.keyArn, "sagemaker:OutputKmsKeyArn": t.keyArn }
          : { "sagemaker:OutputKmsKeyArn": t.keyArn },
        Bool: {
          "sagemaker:InterContainerTrafficEncryption": "true",
          "sagemaker:NetworkIsolation": "true",
        },
      },
    };
  });
}

/** `iam:PassRole` of exactly this role, and only to SageMaker. */
export function passRoleToSageMaker(sid: string, roleArn: pulumi.Input<string>): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: "iam:PassRole",
    Resource: roleArn,
    Condition: { StringEquals: { "iam:PassedToService": "sagemaker.amazonaws.com" } },
  };
}

/** Trust policy for an AWS service, limited to calls made on behalf of this account (confused-deputy guard). */
export function serviceTrust(service: string, accountId: pulumi.Input<string>, sourceArnLike?: pulumi.Input<string>): PolicyDocument {
  const condition: Record<string, unknown> = { StringEquals: { "aws:SourceAccount": accountId } };
  if (sourceArnLike !== undefined) condition.ArnLike = { "aws:SourceArn": sourceArnLike };
  return policyDocument([
    {
      Sid: "TrustedService",
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
      Condition: condition,
    },
  ]);
}
