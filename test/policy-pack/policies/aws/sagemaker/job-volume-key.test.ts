/**
 * Tests of policy-pack/policies/aws/sagemaker/job-volume-key.ts: C11 SageMaker job-guardrail policies (issue 19): a statement conditioned on
 * the deprecated sagemaker:VolumeKmsKey / OutputKmsKey (which no request
 * carries), and a statement that requires the volume key for instance types
 * with local NVMe storage (which SageMaker refuses a volume key for).
 */
import * as iam from "@pulumi/aws/iam";
import {
  jobGuardrailDisallowDeprecatedKmsKeys,
  jobGuardrailDisallowVolumeKeyOnNvme,
} from "../../../../../policy-pack/policies/aws/sagemaker/job-volume-key";
import { ResourceSpec } from "../../../harness";
import { expectControl, expectPass, expectViolation } from "../../../expect";
import { ACCOUNT, KEY_ARN } from "../../../fixtures/aws";

const doc = (...Statement: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const policyOf = (...sts: Record<string, unknown>[]): ResourceSpec => ({
  type: iam.Policy,
  name: "launcher",
  props: { policy: doc(...sts) },
});
const JOBS = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:training-job/*`;

function statement(
  condition: Record<string, unknown>,
  action: unknown = ["sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob"],
): Record<string, unknown> {
  return { Sid: "Jobs", Effect: "Allow", Action: action, Resource: JOBS, Condition: condition };
}
const ebsOnly = statement({
  Null: { "sagemaker:InstanceTypes": "false", "sagemaker:VolumeKmsKeyArn": "false" },
  "ForAllValues:StringLike": { "sagemaker:InstanceTypes": ["ml.m5.*", "ml.p3.*"] },
  ArnEquals: { "sagemaker:VolumeKmsKeyArn": KEY_ARN, "sagemaker:OutputKmsKeyArn": KEY_ARN },
});
const nvmeNoKey = statement({
  Null: { "sagemaker:InstanceTypes": "false", "sagemaker:VolumeKmsKeyArn": "true" },
  "ForAllValues:StringLike": { "sagemaker:InstanceTypes": ["ml.g5.*", "ml.p4d.*"] },
  ArnEquals: { "sagemaker:OutputKmsKeyArn": KEY_ARN },
});

describe("aws-sagemaker-job-guardrail-disallow-deprecated-kms-keys (C11)", () => {
  const p = jobGuardrailDisallowDeprecatedKmsKeys;
  it("proves C11", () => expectControl(p, "C11"));
  it("passes statements on sagemaker:VolumeKmsKeyArn / OutputKmsKeyArn", () => expectPass(p, policyOf(ebsOnly, nvmeNoKey)));
  it("reports an Allow conditioned on sagemaker:VolumeKmsKey, saying no job can start under it", () =>
    expectViolation(
      p,
      policyOf(statement({ Null: { "sagemaker:VolumeKmsKey": "false" }, ArnEquals: { "sagemaker:VolumeKmsKey": KEY_ARN } })),
      [
        "conditions on sagemaker:VolumeKmsKey",
        "deprecated",
        "no job can be started under it",
        "replace sagemaker:VolumeKmsKey with sagemaker:VolumeKmsKeyArn",
        "policy.Statement[0].Condition",
      ],
    ));
  it("reports the output key too, in a role's inline policy, whatever the case", () =>
    expectViolation(
      p,
      {
        type: iam.Role,
        name: "exec",
        props: {
          assumeRolePolicy: doc(),
          inlinePolicies: [{ name: "jobs", policy: doc(statement({ ArnEquals: { "SageMaker:OutputKmsKey": KEY_ARN } })) }],
        },
      },
      ["SageMaker:OutputKmsKey", "sagemaker:OutputKmsKeyArn"],
    ));
});

describe("aws-sagemaker-job-guardrail-disallow-volume-key-on-nvme (C11)", () => {
  const p = jobGuardrailDisallowVolumeKeyOnNvme;
  it("proves C11", () => expectControl(p, "C11"));
  it("passes the split: the volume key only for EBS-only families, none for NVMe families", () =>
    expectPass(p, policyOf(ebsOnly, nvmeNoKey)));
  it("passes a statement that does not grant job creation", () =>
    expectPass(p, policyOf(statement({ ArnEquals: { "sagemaker:VolumeKmsKeyArn": KEY_ARN } }, "sagemaker:DescribeTrainingJob"))));
  it("reports a statement that requires the volume key without restricting instance types: NVMe jobs can never start", () =>
    expectViolation(
      p,
      policyOf(statement({ Null: { "sagemaker:VolumeKmsKeyArn": "false" }, ArnEquals: { "sagemaker:VolumeKmsKeyArn": KEY_ARN } })),
      [
        "requires sagemaker:VolumeKmsKeyArn",
        "local NVMe storage",
        "You can't request a VolumeKmsKeyId",
        "never start a job",
        "policy.Statement[0].Condition",
      ],
    ));
  it("reports a statement that requires the volume key and admits an NVMe family", () => {
    const st = statement({
      Null: { "sagemaker:InstanceTypes": "false" },
      "ForAllValues:StringLike": { "sagemaker:InstanceTypes": ["ml.m5.*", "ml.g5.*"] },
      ArnEquals: { "sagemaker:VolumeKmsKeyArn": KEY_ARN },
    });
    return expectViolation(p, policyOf(st), ["requires sagemaker:VolumeKmsKeyArn"]);
  });
});
