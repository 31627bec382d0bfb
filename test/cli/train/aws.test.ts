/**
 * AWS: the CreateTrainingJob request built from the fixture outputs equals the
 * golden file, the input actually sent through the SDK (aws-sdk-client-mock)
 * carries every guardrail (C1, C4, C6, C7, C10), --wait reads
 * TrainingJobStatus itself (Stopped is a failure), API rejections exit 3 with
 * a hint, and bad input exits 2 with nothing sent.
 */
import { expect } from "chai";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";
import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  SageMakerClient,
  SageMakerServiceException,
} from "@aws-sdk/client-sagemaker";
import { AWS_ARGV, awsOutputs, harness, readJson, virtualOutputs, withFlag } from "./helpers";

const GOLDEN = "test/fixtures/train/aws-prod.dry-run.json";
const JOB_ARN = "arn:aws:sagemaker:us-east-1:123456789012:training-job/mltrain-prod-golden";

function apiError(name: string, message: string, status = 400): SageMakerServiceException {
  return new SageMakerServiceException({
    name,
    message,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status },
  });
}

describe("train (AWS): request shape", () => {
  it("--dry-run prints exactly the golden request and sends nothing", async () => {
    const sm = mockClient(SageMakerClient);
    try {
      const h = harness();
      expect(await h.run([...AWS_ARGV, "--dry-run"])).to.equal(0);
      expect(JSON.parse(h.stdout.join("\n"))).to.deep.equal(readJson(GOLDEN));
      expect(sm.calls()).to.have.length(0);
      expect(h.err()).to.include("nothing was sent");
    } finally {
      sm.restore();
    }
  });

  it("without --outputs, reads the outputs with `pulumi stack output --json --show-secrets --stack NAME` in the project", async () => {
    const h = harness({ pulumiResult: { code: 0, stdout: JSON.stringify(awsOutputs()), stderr: "" } });
    expect(await h.run([...withFlag(AWS_ARGV, "--outputs"), "--dry-run"])).to.equal(0);
    expect(h.pulumi).to.have.length(1);
    expect(h.pulumi[0].args).to.deep.equal(["stack", "output", "--json", "--show-secrets", "--stack", "prod"]);
    expect(h.pulumi[0].cwd).to.equal(h.deps.root);
    expect(JSON.parse(h.stdout.join("\n"))).to.deep.equal(readJson(GOLDEN));
  });

  it("generates a valid job name from the stack's prefix, tier and UTC time when --job-name is absent", async () => {
    const h = harness();
    expect(await h.run([...withFlag(AWS_ARGV, "--job-name"), "--dry-run"])).to.equal(0);
    const name = JSON.parse(h.stdout.join("\n")).requests[0].input.TrainingJobName as string;
    expect(name).to.equal("mltrain-prod-20250102-030405-abcd");
    expect(name).to.match(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
  });

  it("reads the whole data bucket when --input-prefix is absent, and sends no HyperParameters when none are given", async () => {
    const h = harness();
    expect(await h.run([...withFlag(withFlag(AWS_ARGV, "--input-prefix"), "--hyperparameters"), "--dry-run"])).to.equal(0);
    const input = JSON.parse(h.stdout.join("\n")).requests[0].input;
    expect(input.InputDataConfig[0].DataSource.S3DataSource.S3Uri).to.equal("s3://mltrain-prod-data-5d3c1e9/");
    expect(input).to.not.have.property("HyperParameters");
  });
});

describe("train (AWS): submission through the SDK", () => {
  let sm: AwsClientStub<SageMakerClient>;
  beforeEach(() => {
    sm = mockClient(SageMakerClient);
  });
  afterEach(() => sm.restore());

  it("sends the golden input, with every guardrail set from the outputs, and prints one JSON line", async () => {
    sm.on(CreateTrainingJobCommand).resolves({ TrainingJobArn: JOB_ARN });
    const h = harness();
    expect(await h.run(AWS_ARGV)).to.equal(0);

    const calls = sm.commandCalls(CreateTrainingJobCommand);
    expect(calls).to.have.length(1);
    expect(sm.calls()).to.have.length(1);
    const sent = calls[0].args[0].input;
    expect(sent).to.deep.equal(readJson(GOLDEN).requests[0].input);

    const o = awsOutputs();
    // C4: private subnets, training security group, no network access from the container.
    expect(sent.VpcConfig).to.deep.equal({ Subnets: o.subnetIds, SecurityGroupIds: o.securityGroupIds });
    expect(sent.EnableNetworkIsolation).to.equal(true);
    // C1/C5: encrypted volumes, output and inter-container traffic, with the full customer key ARN.
    expect(sent.EnableInterContainerTrafficEncryption).to.equal(true);
    expect(sent.ResourceConfig?.VolumeKmsKeyId).to.equal(o.kmsKeyArn);
    expect(sent.OutputDataConfig?.KmsKeyId).to.equal(o.kmsKeyArn);
    expect(o.kmsKeyArn).to.match(/^arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f-]{36}$/);
    // C6: the execution role; data only from the data bucket, output only to the artifacts prefix.
    expect(sent.RoleArn).to.equal(o.roleArn);
    expect(sent.InputDataConfig).to.have.length(1);
    expect(sent.InputDataConfig![0].DataSource?.S3DataSource?.S3Uri).to.equal(`s3://${o.dataBucket}/datasets/v3/`);
    expect(sent.OutputDataConfig?.S3OutputPath).to.equal(`s3://${o.artifactsBucket}/${o.outputPrefix}`);
    expect(sent.ProfilerConfig).to.deep.equal({ DisableProfiler: true });
    // A stopping condition always.
    expect(sent.StoppingCondition).to.deep.equal({ MaxRuntimeInSeconds: 7200 });
    // C10: attributable.
    const tags = Object.fromEntries((sent.Tags ?? []).map((t: { Key?: string; Value?: string }) => [t.Key, t.Value]));
    expect(tags).to.include({
      environment: "prod",
      project: "secure-ml-training",
      owner: "ml-platform@example.com",
      "data-classification": "restricted",
    });
    // Nothing else that could route data or code elsewhere.
    for (const k of [
      "Environment",
      "CheckpointConfig",
      "DebugHookConfig",
      "TensorBoardOutputConfig",
      "RemoteDebugConfig",
      "EnableManagedSpotTraining",
    ]) {
      expect(sent, k).to.not.have.property(k);
    }

    expect(h.line()).to.deep.equal({
      jobName: "mltrain-prod-golden",
      cloud: "aws",
      status: "Submitted",
      consoleUrl: "https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/jobs/mltrain-prod-golden",
    });
  });

  it("creates the SageMaker client in the stack's region", async () => {
    sm.on(CreateTrainingJobCommand).resolves({ TrainingJobArn: JOB_ARN });
    const h = harness();
    let region: string | undefined;
    const orig = h.deps.sagemaker;
    (h.deps as { sagemaker: (r: string) => SageMakerClient }).sagemaker = (r) => {
      region = r;
      return orig(r);
    };
    expect(await h.run(AWS_ARGV)).to.equal(0);
    expect(region).to.equal("us-east-1");
  });

  describe("--wait reads TrainingJobStatus itself", () => {
    const cases: { name: string; statuses: [string, string?][]; exit: number; final: string; reason?: string }[] = [
      {
        name: "Completed -> 0",
        statuses: [
          ["InProgress", "Starting"],
          ["InProgress", "Training"],
          ["Completed", "Completed"],
        ],
        exit: 0,
        final: "Completed",
      },
      {
        name: "Stopped -> 1 (the SDK waiter would call this success)",
        statuses: [
          ["InProgress", "Training"],
          ["Stopping", "Stopping"],
          ["Stopped", "Stopped"],
        ],
        exit: 1,
        final: "Stopped",
      },
      {
        name: "Failed -> 1, with the failure reason on stderr",
        statuses: [
          ["InProgress", "Downloading"],
          ["Failed", "Failed"],
        ],
        exit: 1,
        final: "Failed",
        reason: "AlgorithmError: out of memory",
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        sm.on(CreateTrainingJobCommand).resolves({ TrainingJobArn: JOB_ARN });
        let d = sm.on(DescribeTrainingJobCommand);
        for (const [status, secondary] of c.statuses) {
          d = d.resolvesOnce({
            TrainingJobName: "mltrain-prod-golden",
            TrainingJobStatus: status as never,
            SecondaryStatus: secondary as never,
            FailureReason: c.reason,
          });
        }
        const h = harness();
        expect(await h.run([...AWS_ARGV, "--wait"])).to.equal(c.exit);
        expect(sm.commandCalls(DescribeTrainingJobCommand)).to.have.length(c.statuses.length);
        expect(sm.commandCalls(DescribeTrainingJobCommand)[0].args[0].input).to.deep.equal({ TrainingJobName: "mltrain-prod-golden" });
        expect(h.line().status).to.equal(c.final);
        expect(h.clock.sleeps).to.deep.equal(Array(c.statuses.length - 1).fill(30_000));
        if (c.reason) expect(h.err()).to.include(c.reason);
      });
    }

    it("timeout -> 4 after --wait-timeout, with the last status; no real time passes", async () => {
      sm.on(CreateTrainingJobCommand).resolves({ TrainingJobArn: JOB_ARN });
      sm.on(DescribeTrainingJobCommand).resolves({ TrainingJobStatus: "InProgress", SecondaryStatus: "Training" });
      const h = harness();
      const start = h.clock.now();
      expect(await h.run([...AWS_ARGV, "--wait", "--wait-timeout", "100"])).to.equal(4);
      expect(h.line().status).to.equal("InProgress");
      expect(h.clock.now() - start).to.equal(100_000);
      expect(h.clock.sleeps).to.deep.equal([30_000, 30_000, 30_000, 10_000]);
      expect(sm.commandCalls(DescribeTrainingJobCommand)).to.have.length(5);
      expect(h.err()).to.include("keeps running");
    });

    it("a refused DescribeTrainingJob after submission -> 3, still reporting the submitted job", async () => {
      sm.on(CreateTrainingJobCommand).resolves({ TrainingJobArn: JOB_ARN });
      sm.on(DescribeTrainingJobCommand).rejects(
        apiError("AccessDeniedException", "not authorized to perform: sagemaker:DescribeTrainingJob", 403),
      );
      const h = harness();
      expect(await h.run([...AWS_ARGV, "--wait"])).to.equal(3);
      expect(h.line().jobName).to.equal("mltrain-prod-golden");
      expect(h.err()).to.include("was submitted").and.include("sagemaker:DescribeTrainingJob");
    });
  });

  describe("API rejection -> exit 3 with the API's message and a hint", () => {
    const cases = [
      {
        name: "AccessDenied: attach the job launcher policy",
        error: apiError(
          "AccessDeniedException",
          "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: sagemaker:CreateTrainingJob",
          403,
        ),
        expect: [
          "is not authorized to perform: sagemaker:CreateTrainingJob",
          "arn:aws:iam::123456789012:policy/mltrain-prod-job-launcher-9f2c4d1",
        ],
      },
      {
        name: "AccessDenied for sagemaker:AddTags: tagging on create needs it",
        error: apiError(
          "AccessDeniedException",
          "User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized to perform: sagemaker:AddTags on resource: arn:aws:sagemaker:us-east-1:123456789012:training-job/mltrain-prod-golden",
          400,
        ),
        expect: ["sagemaker:AddTags on resource", "tagging on create needs sagemaker:AddTags"],
      },
      {
        name: "ValidationException about a local-storage instance and the volume key",
        error: apiError(
          "ValidationException",
          "Instance type ml.g5.2xlarge has local instance storage; VolumeKmsKeyId is not supported for it",
        ),
        expect: ["VolumeKmsKeyId is not supported", "classifies the family as EBS-only", "sagemaker-instance-storage.ts"],
      },
      {
        name: "ResourceInUse: the job name is taken",
        error: apiError("ResourceInUse", "Training job names must be unique within an AWS account and region"),
        expect: ["must be unique", "choose another --job-name"],
      },
      {
        name: "ResourceLimitExceeded: quota",
        error: apiError("ResourceLimitExceeded", "The account-level service limit 'ml.m5.xlarge for training job usage' is 0 Instances"),
        expect: ["service limit", "Service Quotas"],
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        sm.on(CreateTrainingJobCommand).rejects(c.error);
        const h = harness();
        expect(await h.run([...AWS_ARGV, "--wait"])).to.equal(3);
        for (const s of c.expect) expect(h.err()).to.include(s);
        expect(h.stdout).to.deep.equal([]); // no job exists
        expect(sm.commandCalls(DescribeTrainingJobCommand)).to.have.length(0);
      });
    }

    it("no local AWS credentials -> 2 (nothing was sent), naming the job launcher policy", async () => {
      const e = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
      sm.on(CreateTrainingJobCommand).rejects(e);
      const h = harness();
      const code = await h.run(AWS_ARGV);
      expect(code, h.err()).to.equal(2);
      expect(h.err()).to.include("no AWS credentials").and.include("job-launcher");
    });
  });

  describe("bad input -> exit 2 and nothing sent", () => {
    const o = awsOutputs();
    const tamper: { name: string; mutate: (d: Record<string, any>) => void; expect: string }[] = [
      { name: "missing kmsKeyArn", mutate: (d) => delete d.kmsKeyArn, expect: '"kmsKeyArn"' },
      {
        name: "kmsKeyArn is an alias ARN",
        mutate: (d) => (d.kmsKeyArn = d.keyId = "arn:aws:kms:us-east-1:123456789012:alias/mltrain"),
        expect: "full KMS key ARN",
      },
      {
        name: "kmsKeyArn is a bare key id",
        mutate: (d) => (d.kmsKeyArn = d.keyId = "6b1f4e2a-9c3d-4a8e-b7f1-2d5c8e9a0b31"),
        expect: "full KMS key ARN",
      },
      {
        name: "keyId differs from kmsKeyArn",
        mutate: (d) => (d.keyId = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000"),
        expect: '"keyId"',
      },
      {
        name: "key in another region",
        mutate: (d) => (d.kmsKeyArn = d.keyId = o.kmsKeyArn.replace("us-east-1", "eu-central-1")),
        expect: "is in region eu-central-1",
      },
      {
        name: "key in another account",
        mutate: (d) => (d.kmsKeyArn = d.keyId = o.kmsKeyArn.replace("123456789012", "999999999999")),
        expect: "is in account 999999999999",
      },
      { name: "empty subnetIds (would drop the VPC)", mutate: (d) => (d.subnetIds = []), expect: '"subnetIds"' },
      { name: "missing securityGroupIds", mutate: (d) => delete d.securityGroupIds, expect: '"securityGroupIds"' },
      { name: "a malformed subnet id", mutate: (d) => (d.subnetIds = ["subnet-0123", "sg-07e3b9a1c5d2f4806"]), expect: '"subnetIds"' },
      { name: "missing roleArn", mutate: (d) => delete d.roleArn, expect: '"roleArn"' },
      {
        name: "roleArn in another account",
        mutate: (d) => (d.roleArn = d.identityId = o.roleArn.replace("123456789012", "999999999999")),
        expect: "is in account 999999999999",
      },
      { name: "outputPrefix escaping the prefix", mutate: (d) => (d.outputPrefix = "../"), expect: '"outputPrefix"' },
      {
        name: "dataLocation in another bucket than dataBucket",
        mutate: (d) => (d.dataLocation = "s3://someone-elses-bucket/"),
        expect: '"dataLocation"',
      },
      { name: "region differs from the stack config", mutate: (d) => (d.region = "eu-central-1"), expect: 'expected "us-east-1"' },
      { name: "tier of another stack", mutate: (d) => (d.tier = "dev"), expect: "another stack's outputs" },
      { name: "a secret placeholder", mutate: (d) => (d.kmsKeyArn = "[secret]"), expect: "--show-secrets" },
      { name: "missing jobLauncherPolicyArn", mutate: (d) => delete d.jobLauncherPolicyArn, expect: '"jobLauncherPolicyArn"' },
    ];
    for (const t of tamper) {
      it(`outputs: ${t.name}`, async () => {
        const h = harness();
        const doc = awsOutputs();
        t.mutate(doc);
        expect(await h.run(withFlag(AWS_ARGV, "--outputs", virtualOutputs(h, doc)))).to.equal(2);
        expect(h.err()).to.include(t.expect);
        expect(sm.calls()).to.have.length(0);
        expect(h.stdout).to.deep.equal([]);
      });
    }

    const flags: { name: string; argv: string[]; expect: string }[] = [
      { name: "instance count 0", argv: withFlag(AWS_ARGV, "--instance-count", "0"), expect: "--instance-count" },
      { name: "instance count 101", argv: withFlag(AWS_ARGV, "--instance-count", "101"), expect: "--instance-count" },
      { name: "max runtime over 28 days", argv: withFlag(AWS_ARGV, "--max-runtime", "2419201"), expect: "--max-runtime" },
      { name: "image outside ECR", argv: withFlag(AWS_ARGV, "--image", "docker.io/library/python:3.12"), expect: "Amazon ECR image" },
      { name: "ECR image in another region", argv: withFlag(AWS_ARGV, "--image", ECR_IN("eu-central-1")), expect: "region eu-central-1" },
      { name: "instance type without ml.", argv: withFlag(AWS_ARGV, "--instance-type", "m5.xlarge"), expect: "--instance-type" },
      { name: "unknown stack", argv: withFlag(AWS_ARGV, "--stack", "staging"), expect: "stacks here: azure-dev, azure-prod, dev, prod" },
      {
        name: "an Azure stack given AWS outputs",
        argv: withFlag(
          withFlag(
            withFlag(AWS_ARGV, "--stack", "azure-prod"),
            "--image",
            "mcr.microsoft.com/azureml/minimal-ubuntu22.04-py39-cpu-inference:latest",
          ),
          "--instance-type",
          "Standard_DS3_v2",
        ),
        expect: 'expected "azure"',
      },
    ];
    for (const f of flags) {
      it(`flags: ${f.name}`, async () => {
        const h = harness();
        expect(await h.run(f.argv)).to.equal(2);
        expect(h.err()).to.include(f.expect);
        expect(sm.calls()).to.have.length(0);
      });
    }
  });
});

function ECR_IN(region: string): string {
  return `123456789012.dkr.ecr.${region}.amazonaws.com/trainer:1.4.2`;
}
