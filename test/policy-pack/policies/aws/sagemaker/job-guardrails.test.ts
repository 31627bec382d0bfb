/**
 * Tests of policy-pack/policies/aws/sagemaker/job-guardrails.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { expect } from "chai";
import * as iam from "@pulumi/aws/iam";
import { executionRoleEnforceJobGuardrails } from "../../../../../policy-pack/policies/aws/sagemaker/job-guardrails";
import { expectControl, expectStackPass, expectStackViolations, onStack } from "../../../expect";
import { ACCOUNT, KEY_ARN } from "../../../fixtures/aws";
import { ResourceSpec, unknown, urnOf } from "../../../harness";

const doc = (...Statement: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement });

describe("policy pack: AWS SageMaker", () => {
  describe("aws-sagemaker-execution-role-enforce-job-guardrails (C7, stack)", () => {
    const p = executionRoleEnforceJobGuardrails;
    const role: ResourceSpec = {
      type: iam.Role,
      name: "exec",
      props: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }) },
    };
    const guarded = {
      Sid: "CreateTrainingJob",
      Effect: "Allow",
      Action: "sagemaker:CreateTrainingJob",
      Resource: `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:training-job/*`,
      Condition: {
        "ForAllValues:StringEquals": { "sagemaker:VpcSubnets": ["subnet-1"] },
        StringEquals: { "sagemaker:VolumeKmsKeyArn": KEY_ARN, "sagemaker:OutputKmsKeyArn": KEY_ARN },
        Bool: { "sagemaker:InterContainerTrafficEncryption": "true", "sagemaker:NetworkIsolation": "true" },
      },
    };
    /** The issue-19 split: a statement for NVMe families, without the volume key (SageMaker refuses one there). */
    const nvme = (instanceTypes: unknown, nullInstanceTypes: unknown = "false") => ({
      Sid: "CreateJobsOnNvme",
      Effect: "Allow",
      Action: "sagemaker:CreateTrainingJob",
      Resource: `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:training-job/*`,
      Condition: {
        Null: { "sagemaker:InstanceTypes": nullInstanceTypes, "sagemaker:VolumeKmsKeyArn": "true" },
        "ForAllValues:StringEquals": { "sagemaker:VpcSubnets": ["subnet-1"] },
        "ForAllValues:StringLike": { "sagemaker:InstanceTypes": instanceTypes },
        ArnEquals: { "sagemaker:OutputKmsKeyArn": KEY_ARN },
        Bool: { "sagemaker:InterContainerTrafficEncryption": "true", "sagemaker:NetworkIsolation": "true" },
      },
    });
    const policyOf = (...sts: Record<string, unknown>[]): ResourceSpec => ({
      type: iam.RolePolicy,
      name: "exec-policy",
      props: { role: "exec", policy: doc(...sts) },
    });
    it("proves C7", () => expectControl(p, "C7"));
    it("passes when the role's policy allows CreateTrainingJob under every guardrail", () => expectStackPass(p, [role, policyOf(guarded)]));
    it("accepts a guardrail carried by a managed policy or inline policy", async () => {
      await expectStackPass(p, [role, { type: iam.Policy, name: "launcher", props: { policy: doc(guarded) } }]);
      await expectStackPass(p, [{ ...role, props: { ...role.props, inlinePolicies: [{ name: "jobs", policy: doc(guarded) }] } }]);
    });
    it("reports a statement that allows CreateTrainingJob without some guardrails", async () => {
      const weak = {
        ...guarded,
        Condition: {
          Bool: { "sagemaker:NetworkIsolation": "false", "sagemaker:InterContainerTrafficEncryption": "true" },
          StringEquals: { "sagemaker:VolumeKmsKeyArn": KEY_ARN },
        },
      };
      const pol = policyOf(weak);
      await expectStackViolations(
        p,
        [role, pol],
        [
          [
            urnOf(pol),
            [
              "allows sagemaker:CreateTrainingJob without requiring sagemaker:VpcSubnets, sagemaker:OutputKmsKeyArn, sagemaker:NetworkIsolation",
              "policy.Statement[0]",
            ],
          ],
        ],
      );
    });
    it("passes a statement without the volume key that admits only NVMe families, beside the EBS statement (issue 19)", async () => {
      await expectStackPass(p, [role, policyOf(guarded, nvme(["ml.g5.*", "ml.p4d.*"]))]);
      await expectStackPass(p, [role, policyOf(nvme(["ml.g5.2xlarge", "ml.p4d.24xlarge"]))]);
    });
    const EBS_LEAK = "a statement may omit sagemaker:VolumeKmsKeyArn only when sagemaker:InstanceTypes";
    for (const [what, types, nullValue] of [
      ["admits an EBS-only family", ["ml.g5.*", "ml.m5.*"], "false"],
      ["admits a broad wildcard", ["ml.g*"], "false"],
      ["admits an unclassified family", ["ml.g7e.*"], "false"],
      ['has no Null "false" on sagemaker:InstanceTypes (ForAllValues holds without the key)', ["ml.g5.*"], undefined],
    ] as const) {
      it(`reports a statement without the volume key that ${what}`, async () => {
        const st = nvme(types, nullValue);
        if (nullValue === undefined) delete (st.Condition.Null as Record<string, unknown>)["sagemaker:InstanceTypes"];
        const pol = policyOf(st);
        await expectStackViolations(
          p,
          [role, pol],
          [[urnOf(pol), ["without requiring sagemaker:VolumeKmsKeyArn", EBS_LEAK, "policy.Statement[0]"]]],
        );
      });
    }
    it("does not judge a statement whose instance types are unknown (preview)", () =>
      expectStackPass(p, [role, policyOf(nvme([unknown()]))]));
    it("reports sagemaker:* granting job creation without conditions, beside a guarded statement", async () => {
      const pol = policyOf(guarded, { Sid: "All", Effect: "Allow", Action: "sagemaker:*", Resource: "*" });
      await expectStackViolations(
        p,
        [role, pol],
        [[urnOf(pol), ['Statement 1 ("All") allows sagemaker:CreateTrainingJob without requiring']]],
      );
    });
    it("reports an execution role with no way to create guarded jobs", () =>
      expectStackViolations(
        p,
        [role, policyOf({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::data/*" })],
        [
          [
            urnOf(role),
            [
              "no IAM policy in the stack allows sagemaker:CreateTrainingJob, so no training job can be launched under the guardrail conditions",
            ],
          ],
        ],
      ));
    it("is not applicable without SageMaker", async () => {
      const f = await onStack(p, [
        {
          type: iam.Role,
          name: "flow",
          props: {
            assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }),
          },
        },
      ]);
      expect(f.notApplicable).to.equal(true);
    });
    it("does not judge while the policy document is unknown (preview)", () =>
      expectStackPass(p, [role, { ...policyOf(guarded), props: { role: "exec", policy: unknown() } }]));
  });
});
