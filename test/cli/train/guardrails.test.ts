/**
 * Guardrails cannot be switched off from the command line (C4, C1, C6, C7):
 * every attempt an attacker or a confused user could make through a flag, the
 * hyperparameters file or the input prefix is refused with exit 2 and nothing
 * sent, on both clouds. Also the generic flag rules (strict parsing, ranges,
 * repeats, defaults).
 */
import { expect } from "chai";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { DEFAULTS, inputPrefixProblem, parseTrainArgs } from "../../../cli/train/args";
import { UsageError } from "../../../cli/train/errors";
import { guardrailNamed } from "../../../cli/train/guardrails";
import { AWS_ARGV, AZURE_ARGV, harness, virtualFile, withFlag, type Harness } from "./helpers";

let sm: AwsClientStub<SageMakerClient>;
beforeEach(() => {
  sm = mockClient(SageMakerClient);
});
afterEach(() => sm.restore());

/** Runs on both clouds; asserts exit 2, the message, and that nothing was sent anywhere. */
async function refusedEverywhere(build: (h: Harness, base: string[]) => string[], expectInError: string | RegExp): Promise<void> {
  for (const base of [AWS_ARGV, AZURE_ARGV]) {
    const h = harness({ httpHandler: () => ({ status: 200, body: "{}" }) });
    const code = await h.run(build(h, base));
    expect(code, `${base[1]}: ${h.err()}`).to.equal(2);
    if (typeof expectInError === "string") expect(h.err()).to.include(expectInError);
    else expect(h.err()).to.match(expectInError);
    expect(h.http, "HTTP requests").to.have.length(0);
    expect(h.tokens, "token requests").to.have.length(0);
    expect(h.stdout, "stdout").to.deep.equal([]);
  }
  expect(sm.calls(), "SageMaker calls").to.have.length(0);
}

describe("train guardrails: no flag can weaken a guardrail", () => {
  const attempts = [
    ["--no-network-isolation"],
    ["--enable-network-isolation=false"],
    ["--disable-inter-container-encryption"],
    ["--kms-key-id", "alias/aws/s3"],
    ["--vpc-config", "{}"],
    ["--subnets", "subnet-0123456789abcdef0"],
    ["--security-group-ids", "sg-0123456789abcdef0"],
    ["--role-arn", "arn:aws:iam::123456789012:role/Admin"],
    ["--output-path", "s3://elsewhere/"],
    ["--identity", "none"],
    ["--compute", "public-cluster"],
  ];
  for (const extra of attempts) {
    it(`${extra.join(" ")} is refused as an unknown flag, saying guardrails are not configurable`, async () => {
      await refusedEverywhere((_h, base) => [...base, ...extra], "cannot be changed from the command line");
    });
  }

  it("a boolean flag given a value (--dry-run=false) is refused, not read as false", async () => {
    await refusedEverywhere((_h, base) => [...base, "--dry-run=false"], "does not take an argument");
  });

  it("a positional argument is refused", async () => {
    await refusedEverywhere((_h, base) => [...base, "EnableNetworkIsolation=false"], /Unexpected argument|positional/i);
  });

  it("a flag given twice is refused instead of silently taking the last value", async () => {
    await refusedEverywhere((_h, base) => [...base, "--input-prefix", "../../other"], "--input-prefix: given 2 times");
  });
});

describe("train guardrails: hyperparameters cannot name a guardrail", () => {
  const names = [
    "EnableNetworkIsolation",
    "enable_network_isolation",
    "EnableInterContainerTrafficEncryption",
    "VpcConfig",
    "VpcConfig.Subnets",
    "SecurityGroupIds",
    "KmsKeyId",
    "ResourceConfig.VolumeKmsKeyId",
    "OutputDataConfig/KmsKeyId",
    "OutputDataConfig",
    "S3OutputPath",
    "InputDataConfig",
    "RoleArn",
    "StoppingCondition",
    "sagemaker:NetworkIsolation",
    "sagemaker:VpcSubnets",
    "sagemaker:VolumeKmsKey",
    "sagemaker:OutputKmsKey",
    "sagemaker:VolumeKmsKeyArn",
    "sagemaker:OutputKmsKeyArn",
    "sagemaker:InstanceTypes",
    "sagemaker:InterContainerTrafficEncryption",
    "identity",
    "computeId",
    "AZURE_CLIENT_ID",
    "enableNodePublicIp",
    "services",
    "dockerArgs",
  ];
  for (const name of names) {
    it(`"${name}" is refused (exit 2, nothing sent)`, async () => {
      await refusedEverywhere(
        (h, base) => withFlag(base, "--hyperparameters", virtualFile(h, "hp.json", JSON.stringify({ epochs: "3", [name]: "false" }))),
        "names the guardrail",
      );
    });
  }

  it("ordinary ML names pass, including an image or instance type smuggled into a value", () => {
    for (const ok of [
      "epochs",
      "learning_rate",
      "batch_size",
      "image",
      "training_image",
      "instance_type",
      "network_depth",
      "key_dim",
      "kms_free",
      "output_dim",
      "dropout",
    ]) {
      expect(guardrailNamed(ok), ok).to.equal(undefined);
    }
  });

  const bad: { name: string; text: string; expect: string }[] = [
    { name: "a number value", text: '{"epochs": 10}', expect: '"epochs" is 10 (number)' },
    { name: "a boolean value", text: '{"shuffle": true}', expect: "allowed: a string" },
    { name: "a nested object", text: '{"opt": {"lr": "1"}}', expect: "allowed: a string" },
    { name: "an array document", text: '["a"]', expect: "JSON object of string -> string" },
    { name: "null", text: "null", expect: "JSON object of string -> string" },
    { name: "not JSON", text: "epochs=10", expect: "not valid JSON" },
    { name: "__proto__ key", text: '{"__proto__": "x"}', expect: "reserved JavaScript property name" },
    {
      name: "more than 100 entries",
      text: JSON.stringify(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, "v"]))),
      expect: "101 entries",
    },
    { name: "a value over 2500 characters", text: JSON.stringify({ k: "x".repeat(2501) }), expect: "2501 characters" },
    { name: "a key over 256 characters", text: JSON.stringify({ ["k".repeat(257)]: "v" }), expect: "257 characters" },
  ];
  for (const b of bad) {
    it(`a hyperparameters file with ${b.name} is refused`, async () => {
      await refusedEverywhere((h, base) => withFlag(base, "--hyperparameters", virtualFile(h, "hp.json", b.text)), b.expect);
    });
  }

  it("a missing hyperparameters file is refused naming the file", async () => {
    await refusedEverywhere(
      (_h, base) => withFlag(base, "--hyperparameters", "test/fixtures/outputs/does-not-exist.json"),
      "does-not-exist.json: cannot read the file (ENOENT)",
    );
  });
});

describe("train guardrails: --input-prefix cannot leave the data bucket/container", () => {
  const escapes = [
    "../other",
    "datasets/../../other",
    "..",
    "./x",
    "a/./b",
    "/absolute",
    "a//b",
    "s3://other-bucket/data",
    "https://evil.blob.core.windows.net/x",
    "%2e%2e/x",
    "a\\..\\b",
    "x?sv=2024&sig=abc",
    "x#frag",
    "new\nline",
    "data set",
    "ｄａｔａ",
    "a/b/..",
  ];
  for (const p of escapes) {
    it(`${JSON.stringify(p)} is refused`, async () => {
      await refusedEverywhere((_h, base) => withFlag(base, "--input-prefix", p), "--input-prefix");
    });
  }

  it("ordinary prefixes pass", () => {
    for (const ok of ["datasets", "datasets/v3/", "year=2024/month=01/", "a.b-c_d+e/f"])
      expect(inputPrefixProblem(ok), ok).to.equal(undefined);
  });
});

describe("train flags", () => {
  const base = ["--stack", "prod", "--image", "i", "--instance-type", "t"];

  it("applies defaults: 1 instance, 1 day, wait timeout = runtime + 1 h", () => {
    const a = parseTrainArgs(base);
    expect(a.instanceCount).to.equal(1);
    expect(a.maxRuntimeSeconds).to.equal(DEFAULTS.maxRuntime);
    expect(a.waitTimeoutSeconds).to.equal(DEFAULTS.maxRuntime + 3600);
    expect(a.inputPrefix).to.equal("");
    expect(a.wait).to.equal(false);
    expect(a.dryRun).to.equal(false);
    expect(parseTrainArgs([...base, "--max-runtime", "60"]).waitTimeoutSeconds).to.equal(3660);
  });

  const bad: { argv: string[]; expect: string }[] = [
    { argv: ["--image", "i", "--instance-type", "t"], expect: "--stack: missing" },
    { argv: ["--stack", "prod", "--instance-type", "t"], expect: "--image: missing" },
    { argv: ["--stack", "prod", "--image", "i"], expect: "--instance-type: missing" },
    { argv: [...base, "--instance-count", "1.5"], expect: "--instance-count" },
    { argv: [...base, "--instance-count", "-1"], expect: "--instance-count" },
    { argv: [...base, "--instance-count", "0x10"], expect: "--instance-count" },
    { argv: [...base, "--max-runtime", "0"], expect: "--max-runtime" },
    { argv: [...base, "--max-runtime", "99999999999999999999"], expect: "--max-runtime" },
    { argv: [...base, "--wait-timeout", "10"], expect: "only applies with --wait" },
    { argv: [...base, "--wait", "--dry-run"], expect: "nothing to wait for" },
    { argv: [...base, "--job-name", "-leading-hyphen"], expect: "--job-name" },
    { argv: [...base, "--job-name", "x".repeat(64)], expect: "--job-name" },
    { argv: [...base, "--job-name", "under_score"], expect: "--job-name" },
    { argv: ["--stack", "../../etc/passwd", "--image", "i", "--instance-type", "t"], expect: '--stack: got "../../etc/passwd"' },
    { argv: [...base, "--input-prefix", ""], expect: "leave the flag out" },
  ];
  for (const b of bad) {
    it(`${b.argv.slice(-2).join(" ")} -> UsageError naming ${b.expect}`, () => {
      let err: unknown;
      try {
        parseTrainArgs(b.argv);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(UsageError);
      expect((err as UsageError).exitCode).to.equal(2);
      expect((err as Error).message).to.include(b.expect);
    });
  }

  it("reports every problem at once", () => {
    try {
      parseTrainArgs([...base, "--instance-count", "0", "--max-runtime", "x", "--job-name", "a_b"]);
      expect.fail("should throw");
    } catch (e) {
      expect((e as UsageError).problems).to.have.length(3);
    }
  });

  it("--help prints the usage on stdout and exits 0", async () => {
    const h = harness();
    expect(await h.run(["--help"])).to.equal(0);
    expect(h.stdout.join("\n")).to.include("Usage: npm run train").and.include("Exit codes");
  });
});
