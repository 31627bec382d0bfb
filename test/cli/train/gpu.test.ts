/**
 * GPU training on AWS (issue 19): instance types with local NVMe storage get no
 * VolumeKmsKeyId (SageMaker refuses one: "You can't request a VolumeKmsKeyId
 * when using an instance type with local storage", API_ResourceConfig), EBS-only
 * types keep it, every other guardrail is the same for both, and every request
 * validates against the SageMaker API model the SDK ships.
 */
import { expect } from "chai";
import * as sagemaker from "@aws-sdk/client-sagemaker";
import { AWS_ARGV, awsOutputs, harness, readJson, withFlag } from "./helpers";
import { modelProblems } from "./sagemaker-model";

const GOLDEN = "test/fixtures/train/aws-prod.dry-run.json";
const REQUEST_SCHEMA = sagemaker.CreateTrainingJobRequest$;

async function dryRun(instanceType: string): Promise<sagemaker.CreateTrainingJobCommandInput> {
  const h = harness();
  const code = await h.run([...withFlag(AWS_ARGV, "--instance-type", instanceType), "--dry-run"]);
  expect(code, h.err()).to.equal(0);
  return JSON.parse(h.stdout.join("\n")).requests[0].input;
}

/** The request minus the volume key: what must be identical across instance classes. */
function guardrailsOf(input: sagemaker.CreateTrainingJobCommandInput): unknown {
  const { ResourceConfig, ...rest } = input;
  const { VolumeKmsKeyId: _key, InstanceType: _type, ...resources } = ResourceConfig ?? {};
  return { ...rest, ResourceConfig: resources };
}

describe("train (AWS): GPU instance types with local NVMe storage", () => {
  const o = awsOutputs();
  const golden: sagemaker.CreateTrainingJobCommandInput = readJson(GOLDEN).requests[0].input;

  for (const type of ["ml.g5.2xlarge", "ml.p4d.24xlarge"]) {
    it(`${type}: no VolumeKmsKeyId, every other guardrail as for ml.m5.xlarge`, async () => {
      const input = await dryRun(type);
      expect(input.ResourceConfig).to.not.have.property("VolumeKmsKeyId");
      expect(input.ResourceConfig?.InstanceType).to.equal(type);
      expect(guardrailsOf(input)).to.deep.equal(guardrailsOf(golden));
      // The guardrails themselves, spelled out.
      expect(input.OutputDataConfig?.KmsKeyId).to.equal(o.kmsKeyArn);
      expect(input.VpcConfig).to.deep.equal({ Subnets: o.subnetIds, SecurityGroupIds: o.securityGroupIds });
      expect(input.EnableNetworkIsolation).to.equal(true);
      expect(input.EnableInterContainerTrafficEncryption).to.equal(true);
      expect(input.RoleArn).to.equal(o.roleArn);
      expect(input.Tags?.map((t) => t.Key).sort()).to.deep.equal(["data-classification", "environment", "owner", "project", "stack"]);
    });
  }

  for (const type of ["ml.m5.xlarge", "ml.p3.2xlarge"]) {
    it(`${type} (EBS only): keeps the customer-managed volume key`, async () => {
      const input = await dryRun(type);
      expect(input.ResourceConfig?.VolumeKmsKeyId).to.equal(o.kmsKeyArn);
      expect(guardrailsOf(input)).to.deep.equal(guardrailsOf(golden));
    });
  }

  for (const type of ["ml.g5.2xlarge", "ml.p4d.24xlarge", "ml.m5.xlarge", "ml.p3.2xlarge"]) {
    it(`${type}: the request validates against the SageMaker API model (CreateTrainingJobRequest)`, async () => {
      expect(modelProblems(REQUEST_SCHEMA, await dryRun(type))).to.deep.equal([]);
    });
  }

  it("an unclassified family is refused with exit 2 naming the data file, and nothing is built", async () => {
    const h = harness();
    expect(await h.run([...withFlag(AWS_ARGV, "--instance-type", "ml.g7e.2xlarge"), "--dry-run"])).to.equal(2);
    expect(h.err()).to.include("ml.g7e.2xlarge").and.include("not classified").and.include("policy-pack/lib/sagemaker-instance-storage.ts");
    expect(h.stdout.join("")).to.equal("");
  });
});

describe("the SageMaker API model check itself", () => {
  it("reports a missing required member, an unknown member, a wrong type and a value outside the model's enum", () => {
    const bad: Record<string, unknown> = { ...readJson(GOLDEN).requests[0].input };
    delete bad.RoleArn;
    bad.VolumeKmsKey = "x";
    bad.EnableNetworkIsolation = "true";
    bad.ResourceConfig = { ...(bad.ResourceConfig as object), InstanceType: "ml.g5.3xlarge" };
    expect(modelProblems(REQUEST_SCHEMA, bad)).to.have.members([
      "$.RoleArn: required by CreateTrainingJobRequest but missing",
      "$.VolumeKmsKey: CreateTrainingJobRequest has no member VolumeKmsKey",
      '$.EnableNetworkIsolation: expected a boolean, got "true"',
      `$.ResourceConfig.InstanceType: "ml.g5.3xlarge" is not a value of the model's enum (${Object.values(sagemaker.TrainingInstanceType).length} values)`,
    ]);
  });
});
