/**
 * AWS: the SageMaker `CreateTrainingJob` request with every guardrail set
 * explicitly from the stack outputs, its submission, and `--wait`.
 *
 * Guardrails (docs/controls.md C1, C4, C6, C7) and where each comes from:
 * - VpcConfig: the private subnets and training security group (subnetIds, securityGroupIds)
 * - EnableNetworkIsolation: true; EnableInterContainerTrafficEncryption: true
 * - OutputDataConfig.KmsKeyId: the full key ARN (kmsKeyArn); ResourceConfig.VolumeKmsKeyId: the same key
 *   for EBS-only instance types, and absent for types with local NVMe storage, for which SageMaker
 *   refuses it ("You can't request a VolumeKmsKeyId when using an instance type with local storage",
 *   API_ResourceConfig): their storage is encrypted by the instance's hardware module (XTS-AES-256).
 *   The classification is data: policy-pack/lib/sagemaker-instance-storage.ts.
 * - RoleArn: the execution role (roleArn); input only from the data bucket; output only to
 *   s3://<artifactsBucket>/<outputPrefix>; StoppingCondition.MaxRuntimeInSeconds always set
 * - ProfilerConfig.DisableProfiler: true, so nothing is written outside the output prefix
 * No flag reaches any of these; the job-launcher policy (jobLauncherPolicyArn) makes IAM refuse
 * a CreateTrainingJob that lacks them, whoever sends it.
 *
 * The SDK's waiter treats Stopped as success, so `--wait` polls DescribeTrainingJob itself and
 * reads TrainingJobStatus: Completed -> 0, Failed/Stopped -> 1, timeout -> 4.
 */
import {
  CreateTrainingJobCommand,
  type CreateTrainingJobCommandInput,
  DescribeTrainingJobCommand,
  SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { instanceTypeProblems, type TrainArgs } from "./args";
import { instanceStorage } from "../../policy-pack/lib/sagemaker-instance-storage";
import { ApiError, EXIT, type ExitCode, TrainError, UsageError } from "./errors";
import type { AwsOutputs, StackInfo } from "./outputs";
import { type Clock, pollUntilFinal } from "./wait";
import type { DatasetRef } from "../data/dataset-ref";
import { DATASET_SHA256_TAG, DATASET_TAG, JOB_TAG_KEYS, STACK_TAG, tagProblems } from "../../stacks/job-tags";

/** Training volume size: SageMaker requires one; the tool has no flag for it. */
export const VOLUME_SIZE_GB = 50;
export const CHANNEL_NAME = "training";

export interface AwsPlan {
  readonly cloud: "aws";
  readonly jobName: string;
  readonly region: string;
  readonly consoleUrl: string;
  readonly input: CreateTrainingJobCommandInput;
}

export function awsConsoleUrl(partition: string, region: string, jobName: string): string {
  const host =
    partition === "aws-cn"
      ? `${region}.console.amazonaws.cn`
      : partition === "aws-us-gov"
        ? "console.amazonaws-us-gov.com"
        : `${region}.console.aws.amazon.com`;
  return `https://${host}/sagemaker/home?region=${region}#/jobs/${encodeURIComponent(jobName)}`;
}

/**
 * The tags every job carries (C10): the stack's required tags plus the stack name, and with
 * `--dataset` the dataset's name and its manifest's SHA-256 (keys: stacks/job-tags.ts, which the
 * job-launcher policy allows). A value SageMaker would refuse is bad input here (exit 2).
 */
export function jobTags(stack: StackInfo, dataset?: Pick<DatasetRef, "name" | "sha256">): Record<string, string> {
  const tags: Record<string, string> = {
    ...stack.config.tags,
    [STACK_TAG]: stack.name,
    ...(dataset ? { [DATASET_TAG]: dataset.name, [DATASET_SHA256_TAG]: dataset.sha256 } : {}),
  };
  const problems = Object.entries(tags).flatMap(([k, v]) => tagProblems(k, v));
  const unknown = Object.keys(tags).filter((k) => !(JOB_TAG_KEYS as readonly string[]).includes(k));
  for (const k of unknown)
    problems.push(`tag ${k}: the job launcher policy allows only the tag keys ${JOB_TAG_KEYS.join(", ")} (stacks/job-tags.ts)`);
  if (problems.length > 0)
    throw new UsageError(problems.map((p) => `job tags (from ${stack.file}${dataset ? " and --dataset" : ""}): ${p}`));
  return tags;
}

export function buildAwsPlan(p: {
  readonly args: TrainArgs;
  readonly outputs: AwsOutputs;
  readonly stack: StackInfo;
  readonly hyperparameters: Readonly<Record<string, string>>;
  readonly jobName: string;
  /** The dataset `--dataset` named (its manifest read and checked); args.inputPrefix is already its prefix. */
  readonly dataset?: DatasetRef;
}): AwsPlan {
  const { args, outputs: o, jobName } = p;
  const storage = instanceStorage(args.instanceType);
  if (storage === undefined) throw new UsageError(instanceTypeProblems(args.instanceType, "aws"));
  const input: CreateTrainingJobCommandInput = {
    TrainingJobName: jobName,
    RoleArn: o.roleArn,
    AlgorithmSpecification: {
      TrainingImage: args.image,
      TrainingInputMode: "File",
    },
    ...(Object.keys(p.hyperparameters).length > 0 ? { HyperParameters: { ...p.hyperparameters } } : {}),
    InputDataConfig: [
      {
        ChannelName: CHANNEL_NAME,
        InputMode: "File",
        DataSource: {
          S3DataSource: {
            S3DataType: "S3Prefix",
            S3Uri: `s3://${o.dataBucket}/${args.inputPrefix}`,
            S3DataDistributionType: "FullyReplicated",
          },
        },
      },
    ],
    OutputDataConfig: {
      S3OutputPath: `s3://${o.artifactsBucket}/${o.outputPrefix}`,
      KmsKeyId: o.kmsKeyArn,
    },
    ResourceConfig: {
      InstanceType: args.instanceType as NonNullable<CreateTrainingJobCommandInput["ResourceConfig"]>["InstanceType"],
      InstanceCount: args.instanceCount,
      VolumeSizeInGB: VOLUME_SIZE_GB,
      ...(storage === "ebs" ? { VolumeKmsKeyId: o.kmsKeyArn } : {}),
    },
    VpcConfig: {
      Subnets: [...o.subnetIds],
      SecurityGroupIds: [...o.securityGroupIds],
    },
    StoppingCondition: {
      MaxRuntimeInSeconds: args.maxRuntimeSeconds,
    },
    EnableNetworkIsolation: true,
    EnableInterContainerTrafficEncryption: true,
    ProfilerConfig: { DisableProfiler: true },
    Tags: Object.entries(jobTags(p.stack, p.dataset)).map(([Key, Value]) => ({ Key, Value })),
  };
  return { cloud: "aws", jobName, region: o.region, consoleUrl: awsConsoleUrl(o.partition, o.region, jobName), input };
}

/** What --dry-run prints: the exact request, and where it would go. */
export function awsDryRun(plan: AwsPlan): unknown {
  return {
    cloud: "aws",
    requests: [{ service: "sagemaker", region: plan.region, operation: "CreateTrainingJob", input: plan.input }],
  };
}

interface AwsErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Maps an SDK error to exit 2 (no local credentials: nothing sent) or exit 3 with a hint. */
export function awsError(e: unknown, operation: string, plan: AwsPlan, outputs: AwsOutputs): TrainError {
  if (e instanceof TrainError) return e;
  const err = (e ?? {}) as AwsErrorLike;
  const name = err.name ?? "Error";
  const message = err.message ?? String(e);
  if (name === "CredentialsProviderError" || /could not load credentials/i.test(message)) {
    return new UsageError([
      `no AWS credentials found (${message}). Sign in as a principal that has the stack's job launcher policy ` +
        `${outputs.jobLauncherPolicyArn} attached (e.g. \`aws sso login --profile NAME\` and AWS_PROFILE=NAME), then run again`,
    ]);
  }
  let hint: string | undefined;
  if ((/AccessDenied/i.test(name) || err.$metadata?.httpStatusCode === 403) && /sagemaker:AddTags/.test(message)) {
    hint =
      `the job carries the environment's tags (C10), and tagging on create needs sagemaker:AddTags on the training job: ` +
      `the job launcher policy ${outputs.jobLauncherPolicyArn} (or another policy of the caller) must allow it`;
  } else if (/AccessDenied/i.test(name) || err.$metadata?.httpStatusCode === 403) {
    hint =
      operation === "CreateTrainingJob"
        ? `the caller may not launch jobs in this environment. Attach the stack's job launcher policy ${outputs.jobLauncherPolicyArn} ` +
          `to the user/role you run as (it allows CreateTrainingJob only with the guardrails, and iam:PassRole of ${outputs.roleArn} only to SageMaker)`
        : `the job ${plan.jobName} was submitted, but ${operation} was refused: the job launcher policy ${outputs.jobLauncherPolicyArn} grants it; check it is attached`;
  } else if (
    name === "ValidationException" &&
    /kms/i.test(message) &&
    /(local|instance|nvme).{0,20}storage|storage.{0,40}(local|instance)/i.test(message)
  ) {
    hint =
      `SageMaker says ${plan.input.ResourceConfig?.InstanceType} has local instance storage, so it refuses the VolumeKmsKeyId the tool sent ` +
      "because policy-pack/lib/sagemaker-instance-storage.ts classifies the family as EBS-only: correct that classification (with its source, " +
      "the EC2 instance-store table) and the job launcher policy follows it";
  } else if (name === "ValidationException") {
    hint = "the guardrail values come from the stack outputs; check the flags (--image, --instance-type, --instance-count, --max-runtime)";
  } else if (name === "ResourceInUse") {
    hint = `a training job named ${plan.jobName} already exists; choose another --job-name (or leave it out for a generated one)`;
  } else if (name === "ResourceLimitExceeded") {
    hint = `the account's quota for ${plan.input.ResourceConfig?.InstanceType} training instances is too low; request an increase in Service Quotas or use fewer/smaller instances`;
  } else if (/Throttl/i.test(name)) {
    hint = "too many requests; try again shortly";
  } else if (err.$metadata === undefined && err.code) {
    hint = `could not reach the SageMaker API in ${plan.region}; check network access to sagemaker.${plan.region}.amazonaws.com`;
  }
  return new ApiError(`SageMaker ${operation}`, err.code && !err.name ? err.code : name, message, hint);
}

/** SageMaker TrainingJobStatus -> exit code of a finished wait. */
export function awsFinalExit(status: string): ExitCode {
  return status === "Completed" ? EXIT.OK : EXIT.FAILED;
}

const AWS_TERMINAL = new Set(["Completed", "Failed", "Stopped"]);

export interface SubmitOutcome {
  readonly status: string;
  readonly exitCode: ExitCode;
  /** Set when the job exists: the stdout line is printed even if a later step failed. */
  readonly submitted: boolean;
  readonly error?: TrainError;
}

export async function submitAws(
  plan: AwsPlan,
  outputs: AwsOutputs,
  opts: {
    readonly client: SageMakerClient;
    readonly wait: boolean;
    readonly waitTimeoutSeconds: number;
    readonly pollIntervalMs: number;
    readonly clock: Clock;
    readonly progress: (line: string) => void;
  },
): Promise<SubmitOutcome> {
  opts.progress(`submitting SageMaker training job ${plan.jobName} in ${plan.region}`);
  try {
    const res = await opts.client.send(new CreateTrainingJobCommand(plan.input));
    opts.progress(`submitted: ${res.TrainingJobArn ?? plan.jobName}`);
  } catch (e) {
    const error = awsError(e, "CreateTrainingJob", plan, outputs);
    return { status: "Rejected", exitCode: error.exitCode, submitted: false, error };
  }
  if (!opts.wait) return { status: "Submitted", exitCode: EXIT.OK, submitted: true };

  let failure: string | undefined;
  let lastStatus = "Submitted";
  try {
    const result = await pollUntilFinal({
      clock: opts.clock,
      intervalMs: opts.pollIntervalMs,
      timeoutMs: opts.waitTimeoutSeconds * 1000,
      progress: opts.progress,
      poll: async () => {
        const d = await opts.client.send(new DescribeTrainingJobCommand({ TrainingJobName: plan.jobName }));
        const status = d.TrainingJobStatus ?? "Unknown";
        lastStatus = status;
        failure = d.FailureReason;
        return { status, detail: d.SecondaryStatus, terminal: AWS_TERMINAL.has(status) };
      },
    });
    if (result.timedOut) {
      opts.progress(`gave up waiting after ${opts.waitTimeoutSeconds} s; the job keeps running (status ${result.state.status})`);
      return { status: result.state.status, exitCode: EXIT.WAIT_TIMEOUT, submitted: true };
    }
    if (failure && result.state.status !== "Completed") opts.progress(`reason: ${failure}`);
    return { status: result.state.status, exitCode: awsFinalExit(result.state.status), submitted: true };
  } catch (e) {
    const error = awsError(e, "DescribeTrainingJob", plan, outputs);
    return { status: lastStatus, exitCode: error.exitCode, submitted: true, error };
  }
}
