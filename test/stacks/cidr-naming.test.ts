import { expect } from "chai";
import { parseCidr, subnets, contains, overlaps } from "../../stacks/cidr";
import { nameProblem } from "../../stacks/naming";

describe("cidr", () => {
  it("parses and rejects", () => {
    expect(parseCidr("10.0.0.0/16")).to.deep.equal({ base: 0x0a000000, prefix: 16 });
    expect(parseCidr("10.0.0.1/16")).to.be.a("string").that.includes("10.0.0.0/16");
    expect(parseCidr("256.0.0.0/8")).to.be.a("string");
    expect(parseCidr("10.0.0.0/33")).to.be.a("string");
    expect(parseCidr("10.0.0.0")).to.be.a("string");
  });
  it("splits a network into consecutive subnets inside it", () => {
    expect(subnets("10.20.0.0/16", 20, 3)).to.deep.equal(["10.20.0.0/20", "10.20.16.0/20", "10.20.32.0/20"]);
    expect(subnets("10.20.0.0/24", 26, 2, 2)).to.deep.equal(["10.20.0.128/26", "10.20.0.192/26"]);
    expect(() => subnets("10.20.0.0/24", 26, 5)).to.throw(/holds only 4/);
    for (const s of subnets("192.168.0.0/16", 24, 4)) expect(contains("192.168.0.0/16", s)).to.equal(true);
  });
  it("detects containment and overlap", () => {
    expect(contains("10.0.0.0/8", "10.1.0.0/16")).to.equal(true);
    expect(contains("10.1.0.0/16", "10.0.0.0/8")).to.equal(false);
    expect(overlaps("10.1.0.0/16", "10.0.0.0/8")).to.equal(true);
    expect(overlaps("10.1.0.0/16", "10.2.0.0/16")).to.equal(false);
  });
});

describe("naming rules after Pulumi's auto-name suffix", () => {
  it("storage accounts: 3-24 lowercase letters and digits", () => {
    expect(nameProblem("azureStorageAccount", "mltraindevdata")).to.equal(undefined); // 14 + 8 = 22
    expect(nameProblem("azureStorageAccount", "mltrainproddata")).to.equal(undefined); // 15 + 8 = 23
    expect(nameProblem("azureStorageAccount", "mltrainproddatax1")).to.include("25 characters");
    expect(nameProblem("azureStorageAccount", "ml-train")).to.include("lowercase letters and digits");
  });
  it("key vaults: 3-24 alphanumerics and hyphens", () => {
    expect(nameProblem("azureKeyVault", "mltrain-prod-kv")).to.equal(undefined);
    expect(nameProblem("azureKeyVault", "mltrain-prod-vault")).to.include("26 characters");
    expect(nameProblem("azureKeyVault", "1kv")).to.include("starting with a letter");
  });
  it("S3 buckets: 3-63 lowercase", () => {
    expect(nameProblem("s3Bucket", "mltrain-prod-data")).to.equal(undefined);
    expect(nameProblem("s3Bucket", "MlTrain-data")).to.include("lowercase");
    expect(nameProblem("s3Bucket", "x".repeat(56))).to.include("64 characters");
  });
});
