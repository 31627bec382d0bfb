/**
 * The providers' own config keys (`aws:region`, `azure-native:location`, as
 * every Pulumi template sets them) are read like the program's keys; a stack
 * that sets both to different values is refused naming both keys, instead
 * of deploying everything to one of them without a word.
 */
import { expect } from "chai";
import { AwsStackConfig, AzureStackConfig, ConfigError, parseStackConfig, PROVIDER_KEYS } from "../../stacks/config";
import { key, PROJECT, runStack, runStackExpectingError } from "../harness";

const AWS = { [key("cloud")]: "aws", [key("tier")]: "dev", [key("owner")]: "team-a" };
const AZURE = { [key("cloud")]: "azure", [key("tier")]: "dev", [key("owner")]: "team-a" };

function problemsOf(raw: Record<string, string>): string {
  try {
    parseStackConfig(raw, PROJECT, "x");
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigError);
    return (e as ConfigError).problems.join("\n");
  }
  return expect.fail("should throw") as never;
}

describe("config: the providers' own region and location keys", () => {
  it("names aws:region and azure-native:location as the providers' keys", () => {
    expect(PROVIDER_KEYS.region).to.deep.equal({ cloud: "aws", key: "aws:region" });
    expect(PROVIDER_KEYS.location).to.deep.equal({ cloud: "azure", key: "azure-native:location" });
  });

  it("takes the region from aws:region alone, and accepts both keys when they agree", () => {
    expect((parseStackConfig({ ...AWS, "aws:region": "eu-west-1" }, PROJECT, "x") as AwsStackConfig).region).to.equal("eu-west-1");
    expect(
      (parseStackConfig({ ...AWS, "aws:region": "eu-west-1", [key("region")]: "eu-west-1" }, PROJECT, "x") as AwsStackConfig).region,
    ).to.equal("eu-west-1");
  });

  it("takes the location from azure-native:location alone", () => {
    expect((parseStackConfig({ ...AZURE, "azure-native:location": "westeurope" }, PROJECT, "x") as AzureStackConfig).location).to.equal(
      "westeurope",
    );
  });

  it("refuses aws:region beside a different secure-ml-training:region, naming both keys and both values", () => {
    const p = problemsOf({ ...AWS, "aws:region": "eu-west-1", [key("region")]: "us-east-1" });
    expect(p).to.include(`${PROJECT}:region is "us-east-1" but aws:region is "eu-west-1"`).and.include("set only aws:region");
  });

  it("refuses azure-native:location beside a different secure-ml-training:location", () => {
    const p = problemsOf({ ...AZURE, "azure-native:location": "eastus2", [key("location")]: "westeurope" });
    expect(p).to.include(`${PROJECT}:location is "westeurope" but azure-native:location is "eastus2"`);
  });

  it("validates a region given only as aws:region, and still asks for one when neither is set", () => {
    expect(problemsOf({ ...AWS, "aws:region": "Europe West" }))
      .to.include('"Europe West"')
      .and.include("AWS region");
    expect(problemsOf(AWS)).to.include(`${PROJECT}:region: missing`).and.include("aws:region");
  });

  it("ignores the other cloud's provider key (azure-native:location on an AWS stack is the azure provider's business)", () => {
    const c = parseStackConfig(
      { ...AWS, [key("region")]: "us-east-1", "azure-native:location": "westeurope" },
      PROJECT,
      "x",
    ) as AwsStackConfig;
    expect(c.region).to.equal("us-east-1");
  });

  it("the dev stack with only aws:region builds its explicit provider in that region", async () => {
    const rec = await runStack("dev", { region: undefined, "aws:region": "eu-west-1" });
    const provider = rec.resources.find((r) => r.type === "pulumi:providers:aws");
    expect(provider?.inputs.region).to.equal("eu-west-1");
  });

  it("the dev stack with conflicting keys fails before any resource is registered", async () => {
    const err = await runStackExpectingError("dev", { "aws:region": "eu-west-1" });
    expect(err.name).to.equal("ConfigError");
    expect(err.message).to.include(`${PROJECT}:region is "us-east-1" but aws:region is "eu-west-1"`);
    expect(err.recording!.resources).to.deep.equal([]);
  });
});
