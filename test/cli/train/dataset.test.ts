/**
 * `npm run train --dataset` (issue 16): the dataset's manifest is read from the
 * stack's data location with npm run data's store (S3 here, through the SDK
 * under aws-sdk-client-mock; test/cli/data runs the same against s3rver and
 * Azurite), the job reads `datasets/<name>/` and is tagged with the dataset and
 * the SHA-256 of its manifest. A missing, malformed or incomplete dataset, a
 * bad name, or --dataset with --input-prefix is exit 2 with nothing sent.
 */
import { expect } from "chai";
import * as crypto from "crypto";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { GetObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { CreateTrainingJobCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { buildAzurePlan } from "../../../cli/train/azure";
import { jobTags } from "../../../cli/train/aws";
import { parseTrainArgs } from "../../../cli/train/args";
import { loadStack, parseAzureOutputs } from "../../../cli/train/outputs";
import { realClients, type ClientFactory } from "../../../cli/data/target";
import { JOB_TAG_KEYS, tagProblems } from "../../../stacks/job-tags";
import { ACR_IMAGE, AWS_ARGV, AZURE_ARGV, ROOT, awsOutputs, azureOutputs, harness, readJson, withFlag } from "./helpers";

const GOLDEN = "test/fixtures/train/aws-prod.dataset.dry-run.json";
const O = awsOutputs();

/** The manifest npm run data writes for dataset v3 (canonical bytes: see cli/data/manifest.ts). */
const FILES = [
  { path: "test/part-0.csv", size: 1200, sha256: "a".repeat(64) },
  { path: "train/part-0.csv", size: 52_000, sha256: "b".repeat(64) },
];
const MANIFEST = Buffer.from(`${JSON.stringify({ version: 1, dataset: "v3", files: FILES }, null, 2)}\n`);
const MANIFEST_SHA256 = crypto.createHash("sha256").update(MANIFEST).digest("hex");

const DATASET_ARGV = [...withFlag(AWS_ARGV, "--input-prefix"), "--dataset", "v3"];

function body(bytes: Buffer): any {
  return { transformToByteArray: async () => new Uint8Array(bytes) };
}
function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, message: name, $fault: "client", $metadata: { httpStatusCode: status } });
}

/** Real S3 clients (mocked by aws-sdk-client-mock), with the profile each was made with. */
function recordingClients(profiles: (string | undefined)[]): ClientFactory {
  return {
    ...realClients,
    s3: (region, endpoint, profile) => {
      profiles.push(profile);
      return new S3Client({ region, credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" } });
    },
  };
}

describe("train --dataset (AWS): the manifest names the input and the tags", () => {
  let s3: AwsClientStub<S3Client>;
  let sm: AwsClientStub<SageMakerClient>;
  let profiles: (string | undefined)[];
  beforeEach(() => {
    s3 = mockClient(S3Client);
    sm = mockClient(SageMakerClient);
    profiles = [];
    s3.on(GetObjectCommand, { Key: "datasets/v3.manifest.json" }).resolves({ Body: body(MANIFEST) });
    s3.on(ListObjectsV2Command).resolves({
      Contents: FILES.map((f) => ({ Key: `datasets/v3/${f.path}`, Size: f.size })),
    });
  });
  afterEach(() => {
    s3.restore();
    sm.restore();
  });

  it("--dry-run prints the golden request: input datasets/v3/, tags dataset and dataset-sha256 = the manifest's SHA-256", async () => {
    const h = harness({ clients: recordingClients(profiles) });
    expect(await h.run([...DATASET_ARGV, "--dry-run"]), h.err()).to.equal(0);
    const printed = JSON.parse(h.stdout.join("\n"));
    expect(printed).to.deep.equal(readJson(GOLDEN));
    const input = printed.requests[0].input;
    expect(input.InputDataConfig[0].DataSource.S3DataSource.S3Uri).to.equal(`s3://${O.dataBucket}/datasets/v3/`);
    const tags = Object.fromEntries(input.Tags.map((t: { Key: string; Value: string }) => [t.Key, t.Value]));
    expect(tags).to.include({ dataset: "v3", "dataset-sha256": MANIFEST_SHA256, stack: "prod", environment: "prod" });
    // Read from the stack's data bucket, the manifest first, then the listing of the dataset's prefix.
    const get = s3.commandCalls(GetObjectCommand);
    expect(get.map((c) => [c.args[0].input.Bucket, c.args[0].input.Key])).to.deep.equal([[O.dataBucket, "datasets/v3.manifest.json"]]);
    expect(s3.commandCalls(ListObjectsV2Command)[0].args[0].input).to.include({ Bucket: O.dataBucket, Prefix: "datasets/v3/" });
    expect(sm.calls()).to.have.length(0);
    expect(profiles).to.deep.equal([undefined]);
    expect(h.err()).to.include(`manifest sha256 ${MANIFEST_SHA256}`).and.include("nothing was sent");
  });

  it("sends the same input with the dataset tags through the SDK, and every tag key is one the job launcher policy allows", async () => {
    sm.on(CreateTrainingJobCommand).resolves({ TrainingJobArn: "arn:aws:sagemaker:us-east-1:123456789012:training-job/x" });
    const h = harness({ clients: recordingClients(profiles) });
    expect(await h.run(DATASET_ARGV), h.err()).to.equal(0);
    const sent = sm.commandCalls(CreateTrainingJobCommand)[0].args[0].input;
    expect(sent).to.deep.equal(readJson(GOLDEN).requests[0].input);
    for (const t of sent.Tags ?? []) expect(JOB_TAG_KEYS as readonly string[]).to.include(t.Key);
  });

  it("the manifest key datasets/v3.manifest.json names the same dataset; --data-profile picks the profile that reads it", async () => {
    const h = harness({ clients: recordingClients(profiles) });
    const argv = [...withFlag(DATASET_ARGV, "--dataset", "datasets/v3.manifest.json"), "--data-profile", "ingest", "--dry-run"];
    expect(await h.run(argv), h.err()).to.equal(0);
    expect(JSON.parse(h.stdout.join("\n"))).to.deep.equal(readJson(GOLDEN));
    expect(profiles).to.deep.equal(["ingest"]);
  });

  const REFUSED: { name: string; edit: () => void; expect: string[] }[] = [
    {
      name: "no manifest (never pushed, or the push did not finish)",
      edit: () => s3.on(GetObjectCommand).rejects(s3Error("NoSuchKey", 404)),
      expect: [
        "--dataset v3",
        "there is no manifest",
        `s3://${O.dataBucket}/datasets/v3.manifest.json`,
        "npm run data -- push DIR --name v3",
      ],
    },
    {
      name: "a file of the manifest is missing from the prefix",
      edit: () => s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: "datasets/v3/test/part-0.csv", Size: 1200 }] }),
      expect: ["does not hold exactly the files of its manifest", '"train/part-0.csv" is missing'],
    },
    {
      name: "a file has another size than the manifest says",
      edit: () =>
        s3.on(ListObjectsV2Command).resolves({
          Contents: FILES.map((f) => ({ Key: `datasets/v3/${f.path}`, Size: f.size + 1 })),
        }),
      expect: ['"test/part-0.csv" is 1201 bytes, the manifest says 1200'],
    },
    {
      name: "an object the manifest does not list",
      edit: () =>
        s3.on(ListObjectsV2Command).resolves({
          Contents: [...FILES.map((f) => ({ Key: `datasets/v3/${f.path}`, Size: f.size })), { Key: "datasets/v3/extra.bin", Size: 1 }],
        }),
      expect: ['"extra.bin" is not in the manifest'],
    },
    {
      name: "a manifest that is not one",
      edit: () => s3.on(GetObjectCommand).resolves({ Body: body(Buffer.from('{"version": 1, "dataset": "v3", "files": []}')) }),
      expect: ['"files" is []', "allowed: a non-empty list"],
    },
    {
      name: "a manifest of another dataset",
      edit: () =>
        s3.on(GetObjectCommand).resolves({ Body: body(Buffer.from(MANIFEST.toString().replace('"dataset": "v3"', '"dataset": "v4"'))) }),
      expect: ['names the dataset "v4"'],
    },
  ];
  for (const c of REFUSED) {
    it(`refuses ${c.name}: exit 2, no job`, async () => {
      c.edit();
      const h = harness({ clients: recordingClients(profiles) });
      expect(await h.run(DATASET_ARGV)).to.equal(2);
      for (const e of c.expect) expect(h.err()).to.include(e);
      expect(sm.calls()).to.have.length(0);
    });
  }

  it("the data bucket refusing the read (no ingest role) is exit 3 with what to do; no job", async () => {
    s3.on(GetObjectCommand).rejects(s3Error("AccessDenied", 403));
    const h = harness({ clients: recordingClients(profiles) });
    expect(await h.run(DATASET_ARGV)).to.equal(3);
    expect(h.err()).to.include("reading dataset v3 failed: AccessDenied").and.include("dataIngestPrincipals");
    expect(sm.calls()).to.have.length(0);
  });

  const BAD: [string[], string][] = [
    [["--dataset", "../etc"], '--dataset: "../etc" is not a dataset name'],
    [["--dataset", "V3"], '--dataset: "V3" is not a dataset name'],
    [["--dataset", "a/b"], '--dataset: "a/b" is not a dataset name'],
    [["--dataset", "datasets/a/b.manifest.json"], '--dataset: "datasets/a/b.manifest.json" is not a manifest key'],
    [["--dataset", "other/v3.manifest.json"], "is not a manifest key"],
    [["--dataset", "v3", "--input-prefix", "datasets/v3/"], "--dataset and --input-prefix: give one of them"],
    [["--data-profile", "ingest"], "--data-profile: only applies with --dataset"],
    [["--dataset", "v3", "--data-profile", "a b"], '--data-profile: got "a b"'],
  ];
  for (const [extra, message] of BAD) {
    it(`refuses ${extra.join(" ")} before reading anything: exit 2`, async () => {
      const h = harness({ clients: recordingClients(profiles) });
      expect(await h.run([...withFlag(AWS_ARGV, "--input-prefix"), ...extra])).to.equal(2);
      expect(h.err()).to.include(message);
      expect(s3.calls()).to.have.length(0);
      expect(sm.calls()).to.have.length(0);
    });
  }

  it("parses a dataset name into the input prefix (the same prefix npm run data writes)", () => {
    const a = parseTrainArgs([...DATASET_ARGV]);
    expect(a).to.include({ dataset: "v3", inputPrefix: "datasets/v3/" });
  });
});

describe("train --dataset (Azure): the job's input and tags", () => {
  it("the command job reads the dataset's folder of the data container and carries the dataset tags", () => {
    const stack = loadStack(ROOT, "azure-prod");
    const outputs = parseAzureOutputs(azureOutputs(), stack, "fixture");
    const args = parseTrainArgs([...withFlag(AZURE_ARGV, "--input-prefix"), "--dataset", "v3"]);
    const plan = buildAzurePlan({
      args,
      outputs,
      stack,
      hyperparameters: {},
      jobName: "golden",
      dataset: {
        name: "v3",
        manifestKey: "datasets/v3.manifest.json",
        prefix: "datasets/v3/",
        sha256: MANIFEST_SHA256,
        files: 2,
        bytes: 53_200,
      },
    });
    const p = (plan.job.body as { properties: Record<string, any> }).properties;
    expect(p.inputs.data.uri).to.equal(`wasbs://data@${outputs.storageAccountName}.blob.core.windows.net/datasets/v3/`);
    expect(p.tags).to.include({ dataset: "v3", "dataset-sha256": MANIFEST_SHA256, stack: "azure-prod" });
    expect(ACR_IMAGE).to.match(/^mcr\.microsoft\.com\//);
  });

  it("--data-profile is AWS only", async () => {
    const h = harness();
    expect(await h.run([...withFlag(AZURE_ARGV, "--input-prefix"), "--dataset", "v3", "--data-profile", "x", "--dry-run"])).to.equal(2);
    expect(h.err()).to.include("--data-profile: applies only to AWS stacks");
  });
});

describe("job tags respect SageMaker's tag limits (API_Tag)", () => {
  it("accepts the environment's tags and a dataset's, refuses a value over 256 characters or with other characters", () => {
    expect(tagProblems("dataset-sha256", MANIFEST_SHA256)).to.deep.equal([]);
    expect(tagProblems("owner", "ml-platform@example.com")).to.deep.equal([]);
    expect(tagProblems("x", "a".repeat(257))[0]).to.include("257 characters; allowed: at most 256");
    expect(tagProblems("x", "a#b")[0]).to.include("has a character SageMaker refuses");
    expect(tagProblems("", "a")[0]).to.include("allowed: 1-128");
  });

  it("jobTags refuses a tag SageMaker would refuse, naming the stack file (exit 2)", () => {
    const stack = loadStack(ROOT, "prod");
    const bad = { ...stack, config: { ...stack.config, tags: { ...stack.config.tags, owner: "x".repeat(300) } } };
    expect(() => jobTags(bad as typeof stack)).to.throw(/job tags \(from .*Pulumi\.prod\.yaml\): tag owner: the value is 300 characters/);
    expect(() => jobTags(stack, { name: "v3", sha256: MANIFEST_SHA256 })).to.not.throw();
  });
});
