/**
 * dataIngestPrincipals / dataIngestCidrs: empty by default, and every value
 * that would open more than the named principals or public addresses is
 * refused with the key, the value and what is allowed.
 */
import { expect } from "chai";
import { ConfigError, parseStackConfig } from "../../stacks/config";
import { checkIngestCidrs, checkIngestPrincipals } from "../../stacks/data-ingest-config";

const P = "secure-ml-training";
const AWS = { [`${P}:cloud`]: "aws", [`${P}:tier`]: "dev", [`${P}:owner`]: "o", [`${P}:region`]: "us-east-1" };
const AZURE = { [`${P}:cloud`]: "azure", [`${P}:tier`]: "dev", [`${P}:owner`]: "o", [`${P}:location`]: "westeurope" };

function problems(raw: Record<string, string>): string[] {
  try {
    parseStackConfig(raw, P, "t");
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  return [];
}

describe("config: dataIngestPrincipals and dataIngestCidrs", () => {
  it("default to empty (nobody, closed)", () => {
    const aws = parseStackConfig(AWS, P, "t");
    expect(aws.dataIngestPrincipals).to.deep.equal([]);
    const az = parseStackConfig(AZURE, P, "t");
    expect(az.dataIngestPrincipals).to.deep.equal([]);
    expect(az.cloud === "azure" && az.dataIngestCidrs).to.deep.equal([]);
  });

  it("AWS accepts role and user ARNs", () => {
    const list = ["arn:aws:iam::123456789012:role/data-owners", "arn:aws:iam::123456789012:user/ci"];
    expect(parseStackConfig({ ...AWS, [`${P}:dataIngestPrincipals`]: JSON.stringify(list) }, P, "t").dataIngestPrincipals).to.deep.equal(
      list,
    );
  });

  for (const [value, why] of [
    ["*", "wildcard"],
    ["arn:aws:iam::123456789012:role/*", "wildcard"],
    ["arn:aws:iam::123456789012:root", "account root"],
    ["123456789012", "account root"],
    ["arn:aws:sts::123456789012:assumed-role/x/y", "not an IAM role or user ARN"],
  ]) {
    it(`AWS refuses ${value} (${why}), naming the key and value`, () => {
      const p = problems({ ...AWS, [`${P}:dataIngestPrincipals`]: JSON.stringify([value]) });
      expect(p).to.have.length(1);
      expect(p[0]).to.include(`${P}:dataIngestPrincipals`).and.include(value).and.include(why).and.include("allowed:");
    });
  }

  it("Azure takes object ids and refuses anything else", () => {
    expect(checkIngestPrincipals(JSON.stringify(["3f0c8a51-6b2e-4d7f-9a1c-2e5b7d9f0a13"]), "azure").problems).to.deep.equal([]);
    expect(checkIngestPrincipals(JSON.stringify(["alice@example.com"]), "azure").problems[0]).to.include("not an object id");
    expect(checkIngestPrincipals("not json", "aws").problems[0]).to.include("not a list");
    expect(
      checkIngestPrincipals(JSON.stringify(Array.from({ length: 11 }, (_, i) => `arn:aws:iam::123456789012:role/r${i}`)), "aws")
        .problems[0],
    ).to.include("11 entries");
  });

  it("dataIngestCidrs accepts public addresses and /16-/30 networks", () => {
    expect(checkIngestCidrs(JSON.stringify(["203.0.113.7", "198.51.100.0/24", "8.8.0.0/16"]))).to.deep.equal({
      value: ["203.0.113.7", "198.51.100.0/24", "8.8.0.0/16"],
      problems: [],
    });
  });

  for (const [value, why] of [
    ["10.1.2.3", "not a public address"],
    ["192.168.0.0/24", "not a public address"],
    ["172.20.0.0/16", "not a public address"],
    ["100.64.1.1", "not a public address"],
    ["203.0.113.7/32", "/31 or /32"],
    ["203.0.113.6/31", "/31 or /32"],
    ["8.0.0.0/8", "opens the firewall to 16777216 addresses"],
    ["203.0.113.300", "greater than 255"],
    ["203.0.113.1/24", "host bits"],
  ]) {
    it(`dataIngestCidrs refuses ${value} (${why})`, () => {
      const p = problems({ ...AZURE, [`${P}:dataIngestCidrs`]: JSON.stringify([value]) });
      expect(p).to.have.length(1);
      expect(p[0]).to.include(`${P}:dataIngestCidrs`).and.include(value).and.include(why);
    });
  }

  it("dataIngestCidrs is an Azure key: on an AWS stack it is an error", () => {
    expect(problems({ ...AWS, [`${P}:dataIngestCidrs`]: JSON.stringify(["203.0.113.7"]) })[0]).to.include(
      'applies only when cloud is "azure"',
    );
  });
});
