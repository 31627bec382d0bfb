/**
 * The outputs the cloud modules really produce (the shipped stacks run under
 * the recording mocks) pass the CLI's validation and flow into the request
 * unchanged; an Azure stack without the ML workspace is refused, explaining
 * mlWorkspace. This keeps stacks/outputs.ts, the modules and the CLI in step.
 */
import { expect } from "chai";
import { AWS_STACKS, runStack } from "../../harness";
import { ACR_IMAGE, ECR_IMAGE, harness, virtualOutputs } from "./helpers";

function argv(stack: string, outputs: string, cloud: "aws" | "azure"): string[] {
  return [
    "--stack",
    stack,
    "--outputs",
    outputs,
    "--job-name",
    "from-module",
    "--image",
    cloud === "aws" ? ECR_IMAGE : ACR_IMAGE,
    "--instance-type",
    cloud === "aws" ? "ml.m5.xlarge" : "Standard_DS3_v2",
    "--dry-run",
  ];
}

describe("train with the outputs the modules produce", () => {
  for (const stack of AWS_STACKS) {
    it(`AWS ${stack}: accepted, every guardrail value taken from the outputs`, async () => {
      const outputs = (await runStack(stack)).outputs as Record<string, any>;
      const h = harness();
      expect(await h.run(argv(stack, virtualOutputs(h, outputs), "aws")), h.err()).to.equal(0);
      const input = JSON.parse(h.stdout.join("\n")).requests[0].input;
      expect(input.VpcConfig).to.deep.equal({ Subnets: outputs.subnetIds, SecurityGroupIds: outputs.securityGroupIds });
      expect(input.ResourceConfig.VolumeKmsKeyId).to.equal(outputs.kmsKeyArn);
      expect(input.OutputDataConfig.KmsKeyId).to.equal(outputs.kmsKeyArn);
      expect(input.RoleArn).to.equal(outputs.roleArn);
      expect(input.OutputDataConfig.S3OutputPath).to.equal(outputs.outputLocation);
      expect(input.InputDataConfig[0].DataSource.S3DataSource.S3Uri).to.equal(outputs.dataLocation);
    });
  }

  it("Azure with mlWorkspace: accepted; compute, identity and containers taken from the outputs", async () => {
    const outputs = (await runStack("azure-prod", { mlWorkspace: "true" })).outputs as Record<string, any>;
    const h = harness();
    expect(await h.run(argv("azure-prod", virtualOutputs(h, outputs), "azure")), h.err()).to.equal(0);
    const job = JSON.parse(h.stdout.join("\n")).requests[1].body.properties;
    expect(job.computeId).to.equal(`${outputs.workspaceId}/computes/${outputs.computeName}`);
    expect(job.identity.clientId).to.equal(outputs.identityClientId);
    expect(job.inputs.data.uri).to.equal(`wasbs://${outputs.dataContainer}@${outputs.storageAccountName}.blob.core.windows.net/`);
  });

  it("Azure without mlWorkspace: exit 2 explaining mlWorkspace: true", async () => {
    const outputs = (await runStack("azure-dev")).outputs as Record<string, any>;
    const h = harness();
    expect(await h.run(argv("azure-dev", virtualOutputs(h, outputs), "azure"))).to.equal(2);
    expect(h.err()).to.include("mlWorkspace: true");
  });
});
