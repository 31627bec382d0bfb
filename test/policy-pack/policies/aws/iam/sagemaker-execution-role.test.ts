/** aws-iam-role-missing-sagemaker-job-permissions (C11): what AWS lists for a CreateTrainingJob execution role. */
import { expect } from "chai";
import * as iam from "@pulumi/aws/iam";
import { roleMissingSageMakerJobPermissions } from "../../../../../policy-pack/policies/aws/iam/sagemaker-execution-role";
import { expectControl, expectStackPass, expectStackViolations, onStack } from "../../../expect";
import { ResourceSpec, unknown, urnOf } from "../../../harness";

const ACCOUNT = "123456789012";
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-4333-8444-555555555555`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/exec-1a2b3c4`;
const trust = (service: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
      },
    ],
  });
const role = (service = "sagemaker.amazonaws.com", extra: Record<string, unknown> = {}): ResourceSpec => ({
  type: iam.Role,
  name: "exec",
  props: { name: "exec-1a2b3c4", id: "exec-1a2b3c4", arn: ROLE_ARN, assumeRolePolicy: trust(service), ...extra },
});
const METRICS = {
  Sid: "PublishJobMetrics",
  Effect: "Allow",
  Action: "cloudwatch:PutMetricData",
  Resource: "*",
  Condition: { StringEquals: { "cloudwatch:namespace": "/aws/sagemaker/TrainingJobs" } },
};
const KEY_USE = { Sid: "UseKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: KEY };
const doc = (...statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const rolePolicy = (policy: unknown, roleRef: unknown = "exec-1a2b3c4"): ResourceSpec => ({
  type: iam.RolePolicy,
  name: "exec-policy",
  props: { role: roleRef, policy },
});

describe("policy pack: aws-iam-role-missing-sagemaker-job-permissions (C11, stack)", () => {
  const p = roleMissingSageMakerJobPermissions;
  it("proves C11 and cites the SageMaker roles page", () => {
    expectControl(p, "C11");
    expect(p.url).to.match(/sagemaker-roles\.html#sagemaker-roles-createtrainingjob-perms$/);
  });
  it("passes an execution role that may publish metrics and encrypt with the key it decrypts with", async () => {
    await expectStackPass(p, [role(), rolePolicy(doc(METRICS, KEY_USE))]);
    // Split over an inline policy and a RolePolicy, with kms:Encrypt granted through a pattern.
    await expectStackPass(p, [
      role(undefined, { inlinePolicies: [{ name: "metrics", policy: doc(METRICS) }] }),
      rolePolicy(
        doc(
          { Effect: "Allow", Action: "kms:Decrypt", Resource: KEY },
          { Effect: "Allow", Action: "kms:Encrypt", Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/*` },
        ),
      ),
    ]);
  });
  it("reports a role without cloudwatch:PutMetricData, at the role", () =>
    expectStackViolations(
      p,
      [role(), rolePolicy(doc(KEY_USE))],
      [[urnOf(role()), ["allows no cloudwatch:PutMetricData", "CreateTrainingJob execution role", "cloudwatch:namespace"]]],
    ));
  it("reports a key the role may decrypt with but not encrypt with, naming the key", () =>
    expectStackViolations(
      p,
      [role(), rolePolicy(doc(METRICS, { ...KEY_USE, Action: ["kms:Decrypt", "kms:GenerateDataKey"] }))],
      [[urnOf(role()), [`may decrypt with KMS key ${KEY} but not kms:Encrypt`, "OutputDataConfig.KmsKeyId"]]],
    ));
  it("reads customer managed policies attached in the stack", async () => {
    const policy: ResourceSpec = {
      type: iam.Policy,
      name: "launcher",
      props: { arn: `arn:aws:iam::${ACCOUNT}:policy/jobs`, policy: doc(KEY_USE) },
    };
    const attachment: ResourceSpec = {
      type: iam.RolePolicyAttachment,
      name: "attach",
      props: { role: "exec-1a2b3c4", policyArn: `arn:aws:iam::${ACCOUNT}:policy/jobs` },
    };
    await expectStackViolations(p, [role(), policy, attachment], [[urnOf(role()), ["allows no cloudwatch:PutMetricData"]]]);
  });
  it("does not judge roles other services assume, roles with permissions from outside the stack, or unknown documents", async () => {
    await expectStackPass(p, [role("vpc-flow-logs.amazonaws.com"), rolePolicy(doc(KEY_USE))]);
    await expectStackPass(p, [
      role(undefined, { managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"] }),
      rolePolicy(doc(KEY_USE)),
    ]);
    await expectStackPass(p, [role(), rolePolicy(unknown())]);
    await expectStackPass(p, [role(), rolePolicy(doc(KEY_USE), unknown())]);
    await expectStackPass(p, [role()]);
  });
  it("is not applicable to a stack without roles", async () => {
    expect((await onStack(p, [rolePolicy(doc(KEY_USE))])).notApplicable).to.equal(true);
  });
});
