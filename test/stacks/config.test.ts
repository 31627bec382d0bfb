/**
 * Stack config validation: every bad value fails before any resource is
 * registered, with a message naming the key, the value and what is allowed.
 */
import { expect } from "chai";
import { parseStackConfig, ConfigError, INTERFACE_ENDPOINTS, AwsStackConfig, AzureStackConfig } from "../../stacks/config";
import { runStack, runStackExpectingError, STACKS, key, PROJECT } from "../harness";
import { readProject, readStackFile } from "../../engine/recorder";
import { ROOT } from "../harness";

function rawOf(stack: string): Record<string, string> {
  return { ...readStackFile(readProject(ROOT), stack).config };
}

describe("config: shipped stack files parse", () => {
  for (const stack of STACKS) {
    it(`${stack} is valid and complete`, () => {
      const c = parseStackConfig(rawOf(stack), PROJECT, stack);
      expect(c.cloud).to.equal(stack.startsWith("azure") ? "azure" : "aws");
      expect(c.tier).to.equal(stack.endsWith("prod") ? "prod" : "dev");
      expect(c.tags).to.have.all.keys("environment", "project", "owner", "data-classification");
    });
  }

  it("applies defaults for optional keys", () => {
    const c = parseStackConfig(
      { [key("cloud")]: "aws", [key("tier")]: "prod", [key("owner")]: "team-a", [key("region")]: "us-east-1" },
      PROJECT,
      "x",
    ) as AwsStackConfig;
    expect(c.azCount).to.equal(2);
    expect(c.interfaceEndpoints).to.deep.equal([...INTERFACE_ENDPOINTS]);
    expect(c.enforceVpcEndpoint).to.equal(true);
    expect(c.studio, "prod: Studio on by default").to.equal(true);
    expect(c.logRetentionDays).to.equal(365);
    expect(c.namePrefix).to.equal("mltrain");
    expect(c.dataClassification).to.equal("confidential");
  });

  it("AWS dev: Studio off by default; on only with both endpoints it needs", () => {
    const base = { [key("cloud")]: "aws", [key("tier")]: "dev", [key("owner")]: "team-a", [key("region")]: "us-east-1" };
    expect((parseStackConfig(base, PROJECT, "x") as AwsStackConfig).studio).to.equal(false);
    const on = parseStackConfig(
      { ...base, [key("studio")]: "true", [key("interfaceEndpoints")]: '["sagemaker.runtime","sagemaker.api"]' },
      PROJECT,
      "x",
    ) as AwsStackConfig;
    expect(on.studio).to.equal(true);
    // Off, no interface endpoint at all is valid (training jobs need none).
    expect(
      (parseStackConfig({ ...base, [key("interfaceEndpoints")]: "[]" }, PROJECT, "x") as AwsStackConfig).interfaceEndpoints,
    ).to.deep.equal([]);
  });

  it("reads Azure keys and defaults", () => {
    const c = parseStackConfig(
      { [key("cloud")]: "azure", [key("tier")]: "dev", [key("owner")]: "team-a", [key("location")]: "westeurope" },
      PROJECT,
      "x",
    ) as AzureStackConfig;
    expect(c.vnetCidr).to.equal("10.30.0.0/16");
    expect(c.privateEndpoints).to.deep.equal(["blob", "vault"]);
    expect(c.mlWorkspace).to.equal(false);
    expect(c.logRetentionDays).to.equal(30);
  });

  it("reports every problem at once", () => {
    try {
      parseStackConfig({ [key("cloud")]: "aws", [key("tier")]: "qa", [key("azCount")]: "9" }, PROJECT, "x");
      expect.fail("should throw");
    } catch (e) {
      expect(e).to.be.instanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join("\n");
      expect(problems)
        .to.include(`${PROJECT}:tier`)
        .and.include(`${PROJECT}:owner`)
        .and.include(`${PROJECT}:region`)
        .and.include(`${PROJECT}:azCount`);
    }
  });
});

interface BadCase {
  readonly what: string;
  readonly stack: string;
  readonly overrides: Record<string, string | undefined>;
  /** Substrings the message must contain: the key, the value, what is allowed. */
  readonly expect: readonly string[];
}

const BAD: BadCase[] = [
  { what: "unknown cloud", stack: "dev", overrides: { cloud: "gcp" }, expect: ["secure-ml-training:cloud", '"gcp"', "aws | azure"] },
  { what: "missing cloud", stack: "dev", overrides: { cloud: undefined }, expect: ["secure-ml-training:cloud", "missing", "aws | azure"] },
  { what: "unknown tier", stack: "dev", overrides: { tier: "staging" }, expect: ["secure-ml-training:tier", '"staging"', "dev | prod"] },
  { what: "missing owner", stack: "prod", overrides: { owner: undefined }, expect: ["secure-ml-training:owner", "missing", "tag value"] },
  {
    what: "owner with forbidden characters",
    stack: "dev",
    overrides: { owner: "team;drop" },
    expect: ["secure-ml-training:owner", '"team;drop"', "letters, digits"],
  },
  {
    what: "bad data classification",
    stack: "dev",
    overrides: { dataClassification: "public" },
    expect: ["secure-ml-training:dataClassification", '"public"', "internal | confidential | restricted"],
  },
  {
    what: "name prefix with upper case",
    stack: "dev",
    overrides: { namePrefix: "MLTrain" },
    expect: ["secure-ml-training:namePrefix", '"MLTrain"', "lowercase"],
  },
  {
    what: "name prefix too long for storage account names",
    stack: "azure-dev",
    overrides: { namePrefix: "averylongprefix" },
    expect: ["secure-ml-training:namePrefix", '"averylongprefix"', "3-8"],
  },
  {
    what: "missing region on AWS",
    stack: "dev",
    overrides: { region: undefined },
    expect: ["secure-ml-training:region", "missing", "AWS region"],
  },
  {
    what: "malformed region",
    stack: "dev",
    overrides: { region: "Europe West" },
    expect: ["secure-ml-training:region", '"Europe West"', "AWS region"],
  },
  {
    what: "CIDR that is not a CIDR",
    stack: "dev",
    overrides: { vpcCidr: "10.0.0.0" },
    expect: ["secure-ml-training:vpcCidr", '"10.0.0.0"', "CIDR"],
  },
  {
    what: "CIDR with an octet over 255",
    stack: "prod",
    overrides: { vpcCidr: "10.300.0.0/16" },
    expect: ["secure-ml-training:vpcCidr", '"10.300.0.0/16"', "octet"],
  },
  {
    what: "CIDR with host bits set",
    stack: "dev",
    overrides: { vpcCidr: "10.20.1.0/16" },
    expect: ["secure-ml-training:vpcCidr", '"10.20.1.0/16"', "10.20.0.0/16"],
  },
  {
    what: "network too small",
    stack: "dev",
    overrides: { vpcCidr: "10.20.0.0/28" },
    expect: ["secure-ml-training:vpcCidr", '"10.20.0.0/28"', "/16-/24"],
  },
  { what: "AZ count out of range", stack: "prod", overrides: { azCount: "4" }, expect: ["secure-ml-training:azCount", "4", "1-3"] },
  { what: "AZ count zero", stack: "dev", overrides: { azCount: "0" }, expect: ["secure-ml-training:azCount", "0", "1-3"] },
  {
    what: "AZ count of wrong type",
    stack: "dev",
    overrides: { azCount: "two" },
    expect: ["secure-ml-training:azCount", '"two"', "an integer"],
  },
  {
    what: "unknown interface endpoint",
    stack: "dev",
    overrides: { interfaceEndpoints: '["sagemaker.api","ec2"]' },
    expect: ["secure-ml-training:interfaceEndpoints", '"ec2"', "sagemaker.api, sagemaker.runtime"],
  },
  {
    what: "interface endpoints not a list",
    stack: "dev",
    overrides: { interfaceEndpoints: "sts" },
    expect: ["secure-ml-training:interfaceEndpoints", '"sts"', "a list"],
  },
  {
    what: "duplicate interface endpoint",
    stack: "dev",
    overrides: { interfaceEndpoints: '["sts","sts"]' },
    expect: ["secure-ml-training:interfaceEndpoints", '["sts","sts"]', "at most once"],
  },
  {
    what: "boolean of wrong type",
    stack: "dev",
    overrides: { enforceVpcEndpoint: "yes" },
    expect: ["secure-ml-training:enforceVpcEndpoint", '"yes"', "true | false"],
  },
  {
    what: "Studio switch of wrong type",
    stack: "dev",
    overrides: { studio: "on" },
    expect: ["secure-ml-training:studio", '"on"', "true | false"],
  },
  {
    what: "Studio without its interface endpoints",
    stack: "dev",
    overrides: { studio: "true" },
    expect: ["secure-ml-training:interfaceEndpoints", "[]", '"sagemaker.api" and "sagemaker.runtime"', "studio"],
  },
  {
    what: "Studio without the runtime endpoint",
    stack: "prod",
    overrides: { interfaceEndpoints: '["sagemaker.api","sts"]' },
    expect: ["secure-ml-training:interfaceEndpoints", '["sagemaker.api","sts"]', 'missing "sagemaker.runtime"'],
  },
  {
    what: "CloudWatch retention not accepted by AWS",
    stack: "dev",
    overrides: { logRetentionDays: "45" },
    expect: ["secure-ml-training:logRetentionDays", "45", "one of 1, 3, 5"],
  },
  {
    what: "retention of wrong type",
    stack: "prod",
    overrides: { logRetentionDays: "a year" },
    expect: ["secure-ml-training:logRetentionDays", '"a year"', "an integer"],
  },
  {
    what: "Log Analytics retention out of range",
    stack: "azure-prod",
    overrides: { logRetentionDays: "1000" },
    expect: ["secure-ml-training:logRetentionDays", "1000", "30-730"],
  },
  {
    what: "missing location on Azure",
    stack: "azure-dev",
    overrides: { location: undefined },
    expect: ["secure-ml-training:location", "missing", "Azure location"],
  },
  {
    what: "bad VNet CIDR",
    stack: "azure-prod",
    overrides: { vnetCidr: "300.1.0.0/16" },
    expect: ["secure-ml-training:vnetCidr", '"300.1.0.0/16"', "CIDR"],
  },
  {
    what: "private endpoints without blob",
    stack: "azure-dev",
    overrides: { privateEndpoints: '["vault"]' },
    expect: ["secure-ml-training:privateEndpoints", '["vault"]', 'includes "blob"'],
  },
  {
    what: "unknown private endpoint",
    stack: "azure-dev",
    overrides: { privateEndpoints: '["blob","file"]' },
    expect: ["secure-ml-training:privateEndpoints", '"file"', "blob, vault"],
  },
  {
    what: "ML workspace without the vault endpoint",
    stack: "azure-dev",
    overrides: { mlWorkspace: "true" },
    expect: ["secure-ml-training:privateEndpoints", '["blob"]', "mlWorkspace true", 'includes "vault"'],
  },
  {
    what: "ML workspace on a prod stack that dropped the vault endpoint",
    stack: "azure-prod",
    overrides: { privateEndpoints: '["blob"]' },
    expect: ["secure-ml-training:privateEndpoints", '["blob"]', 'includes "vault"', "set mlWorkspace to false"],
  },
  {
    what: "ML workspace switch of wrong type",
    stack: "azure-dev",
    overrides: { mlWorkspace: "1" },
    expect: ["secure-ml-training:mlWorkspace", '"1"', "true | false"],
  },
  {
    what: "AWS key on an Azure stack",
    stack: "azure-dev",
    overrides: { azCount: "2" },
    expect: ["secure-ml-training:azCount", 'only when cloud is "aws"'],
  },
  {
    what: "Azure key on an AWS stack",
    stack: "dev",
    overrides: { mlWorkspace: "true" },
    expect: ["secure-ml-training:mlWorkspace", 'only when cloud is "azure"'],
  },
  { what: "misspelt key", stack: "prod", overrides: { azcount: "2" }, expect: ["secure-ml-training:azcount", "unknown key", "azCount"] },
  {
    what: "compute cluster with an invalid VM size name",
    stack: "azure-prod",
    overrides: { computeClusters: '[{"name":"train-gpu","vmSize":"NC4as_T4_v3","maxNodes":2}]' },
    expect: ["secure-ml-training:computeClusters[0].vmSize", '"NC4as_T4_v3"', "an Azure VM size name", "Standard_NC4as_T4_v3"],
  },
  {
    what: "compute cluster that keeps idle nodes",
    stack: "azure-prod",
    overrides: { computeClusters: '[{"name":"train-gpu","vmSize":"Standard_NC4as_T4_v3","minNodes":1,"maxNodes":2}]' },
    expect: ["secure-ml-training:computeClusters[0].minNodes", "1", "allowed: 0"],
  },
  {
    what: "compute clusters without the ML workspace",
    stack: "azure-dev",
    overrides: { computeClusters: '[{"name":"train-gpu","vmSize":"Standard_NC4as_T4_v3","maxNodes":1}]' },
    expect: ["secure-ml-training:computeClusters", "mlWorkspace is false"],
  },
];

describe("config: bad values fail before any resource is registered", () => {
  it(`covers at least 15 bad configs (${BAD.length})`, () => {
    expect(BAD.length).to.be.at.least(15);
  });

  for (const c of BAD) {
    it(`${c.stack}: ${c.what}`, async () => {
      const err = await runStackExpectingError(c.stack, c.overrides);
      expect(err.name, err.stack).to.equal("ConfigError");
      for (const fragment of c.expect) expect(err.message).to.include(fragment);
      expect(err.recording, "the failing run's recording").to.not.equal(undefined);
      expect(
        err.recording!.resources.map((r) => r.urn),
        "resources registered before the error",
      ).to.deep.equal([]);
    });
  }
});

describe("program: module selection", () => {
  for (const stack of STACKS) {
    const cloud = stack.startsWith("azure") ? "azure" : "aws";
    it(`${stack} builds the ${cloud} environment and exports the shared outputs`, async () => {
      const rec = await runStack(stack);
      const components = rec.resources.filter((r) => r.type === `secure-ml:${cloud}:TrainingEnvironment`);
      expect(components, `${stack}: one ${cloud} component`).to.have.length(1);
      expect(rec.resources.filter((r) => r.type.startsWith(cloud === "aws" ? "azure-native:" : "aws:"))).to.deep.equal([]);
      expect(rec.outputs).to.include({ cloud, tier: stack.endsWith("prod") ? "prod" : "dev" });
      for (const k of ["dataLocation", "outputLocation", "keyId", "identityId", "networkId", "subnetIds"]) {
        expect(rec.outputs, `${stack} output ${k}`).to.have.property(k);
      }
    });
  }
});
