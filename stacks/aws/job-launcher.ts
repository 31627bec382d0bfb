/**
 * The job-launcher managed policy (C7, issue 10): IAM conditions bind the
 * caller of CreateTrainingJob, so the people and CI that launch jobs get this
 * policy (an output), not broad SageMaker rights. It allows creating
 * training / processing jobs only inside the guardrails (VPC subnets and
 * training security group, output KMS key, inter-container traffic
 * encryption, network isolation, and the volume KMS key on EBS-only instance
 * types; instance types with local NVMe storage, e.g. the GPU families
 * ml.g5 and ml.p4d, take no volume key: see createJobGuardrails), passing only the execution role
 * and only to SageMaker, tagging new jobs with the environment's tag keys
 * only, and following / stopping this account's jobs.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { AwsContext } from "./context";
import { checkedName } from "../naming";
import { jobArns } from "./iam";
import { JOB_TAG_KEYS } from "../job-tags";
import { PolicyDocument, policyDocument, policyJson, createJobGuardrails, passRoleToSageMaker } from "./iam-documents";

export const JOB_FOLLOW_ACTIONS = [
  "sagemaker:DescribeTrainingJob",
  "sagemaker:StopTrainingJob",
  "sagemaker:DescribeProcessingJob",
  "sagemaker:StopProcessingJob",
] as const;

/**
 * Tag keys a launcher may set when it creates a job: the environment's
 * required tags (C10), `stack`, and the dataset a job names with its manifest
 * SHA-256 (stacks/job-tags.ts). SageMaker authorises tags sent with
 * CreateTrainingJob as sagemaker:AddTags on the new job.
 */
export { JOB_TAG_KEYS };

export interface JobLauncherInputs {
  readonly roleArn: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<string>[];
  readonly securityGroupId: pulumi.Input<string>;
  readonly keyArn: pulumi.Input<string>;
}

export function jobLauncherPolicy(ctx: AwsContext, p: JobLauncherInputs): PolicyDocument {
  const jobs = jobArns(ctx);
  return policyDocument([
    ...createJobGuardrails(jobs, {
      subnetIds: p.subnetIds,
      securityGroupIds: [p.securityGroupId],
      keyArn: p.keyArn,
    }),
    passRoleToSageMaker("PassExecutionRoleOnlyToSageMaker", p.roleArn),
    { Sid: "FollowAndStopJobs", Effect: "Allow", Action: [...JOB_FOLLOW_ACTIONS], Resource: jobs },
    {
      Sid: "TagJobsOnCreateWithEnvironmentTagsOnly",
      Effect: "Allow",
      Action: ["sagemaker:AddTags"],
      Resource: jobs,
      Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": [...JOB_TAG_KEYS] } },
    },
  ]);
}

export function createJobLauncherPolicy(ctx: AwsContext, inputs: JobLauncherInputs): aws.iam.Policy {
  return new aws.iam.Policy(
    checkedName("iamPolicy", `${ctx.name}-job-launcher`),
    {
      description: `Launch SageMaker jobs in ${ctx.name} only inside its guardrails`,
      policy: policyJson(jobLauncherPolicy(ctx, inputs)),
      tags: ctx.tags,
    },
    ctx.opts(),
  );
}
