/**
 * Typed IAM / key / bucket / endpoint policy documents. Every document in
 * the AWS module is an `aws.iam.PolicyDocument` object, serialised once by
 * `policyJson` (never hand-concatenated JSON), and the statements that are
 * shared between documents live here: the training-job guardrail (C7) that
 * both the execution role and the job-launcher policy carry.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

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

/** The IAM condition keys that carry the C7 guardrails of a create-job request. */
export const GUARDRAIL_CONDITION_KEYS = [
  "sagemaker:VpcSubnets",
  "sagemaker:VpcSecurityGroupIds",
  "sagemaker:VolumeKmsKey",
  "sagemaker:OutputKmsKey",
  "sagemaker:InterContainerTrafficEncryption",
  "sagemaker:NetworkIsolation",
] as const;

export interface GuardrailTarget {
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly keyArn: pulumi.Input<string>;
}

/**
 * Allows creating training / processing jobs only when the request puts the
 * job in the environment's subnets and security group, encrypts its volume
 * and output with the environment's key, encrypts inter-container traffic
 * and isolates the container from the network (C7).
 *
 * `Null: false` makes each key mandatory: `ForAllValues` over an absent list
 * is true, and a missing Bool/Arn key must not slip through either.
 */
export function createJobGuardrail(sid: string, jobArns: pulumi.Input<string>[], t: GuardrailTarget): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: [...GUARDED_JOB_ACTIONS],
    Resource: jobArns,
    Condition: {
      Null: Object.fromEntries(GUARDRAIL_CONDITION_KEYS.map((k) => [k, "false"])),
      "ForAllValues:StringEquals": {
        "sagemaker:VpcSubnets": t.subnetIds,
        "sagemaker:VpcSecurityGroupIds": t.securityGroupIds,
      },
      ArnEquals: {
        "sagemaker:VolumeKmsKey": t.keyArn,
        "sagemaker:OutputKmsKey": t.keyArn,
      },
      Bool: {
        "sagemaker:InterContainerTrafficEncryption": "true",
        "sagemaker:NetworkIsolation": "true",
      },
    },
  };
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
