/**
 * Tests of policy-pack/lib/props.ts: the typed readers read exactly as the
 * untyped ones (unknowns, wrong types, missing values), and a misspelt
 * property does not compile (`tsc` over this file is part of `npm test`).
 */
import { expect } from "chai";
import * as kms from "@pulumi/aws/kms";
import * as s3 from "@pulumi/aws/s3";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as ml from "@pulumi/azure-native/machinelearningservices";
import * as storage from "@pulumi/azure-native/storage";
import { flagPolicy } from "../../../policy-pack/lib/flag";
import { propsOf } from "../../../policy-pack/lib/props";
import { UNKNOWN, UNKNOWN_SENTINELS } from "../../../policy-pack/lib/values";

const pab = propsOf(s3.BucketPublicAccessBlock);
const sse = propsOf(s3.BucketServerSideEncryptionConfiguration);
const account = propsOf(storage.StorageAccount);

describe("policy pack lib: typed property readers", () => {
  it("read inputs as the untyped readers do: value, unknown, wrong type, missing", () => {
    expect(pab.bool({ blockPublicAcls: true }, "blockPublicAcls")).to.equal(true);
    expect(pab.bool({ blockPublicAcls: "false" }, "blockPublicAcls")).to.equal(false);
    expect(pab.bool({ blockPublicAcls: UNKNOWN_SENTINELS[0] }, "blockPublicAcls")).to.equal(UNKNOWN);
    expect(pab.bool({ blockPublicAcls: 3 }, "blockPublicAcls")).to.equal(undefined);
    expect(pab.bool({}, "blockPublicAcls")).to.equal(undefined);
    expect(account.str({ encryption: { keySource: "Microsoft.Keyvault" } }, "encryption", "keySource")).to.equal("Microsoft.Keyvault");
    expect(account.str({ encryption: UNKNOWN_SENTINELS[6] }, "encryption", "keySource")).to.equal(UNKNOWN);
    expect(account.str(null, "encryption", "keySource")).to.equal(undefined);
  });

  it("step into lists by index, and give element readers with sub()", () => {
    const props = { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }] };
    expect(sse.str(props, "rules", 0, "applyServerSideEncryptionByDefault", "sseAlgorithm")).to.equal("aws:kms");
    const rule = sse.sub("rules", 0);
    expect(rule.bool(props.rules[0], "bucketKeyEnabled")).to.equal(true);
    expect(sse.arr(props, "rules")).to.have.length(1);
  });

  it("read outputs that are not inputs (arn, id) and inputs of union shapes", () => {
    expect(propsOf(s3.Bucket).str({ arn: "arn:aws:s3:::b" }, "arn")).to.equal("arn:aws:s3:::b");
    expect(propsOf(kms.Key).str({ id: "k" }, "id")).to.equal("k");
    expect(
      propsOf(ml.Compute).bool(
        { properties: { properties: { enableNodePublicIp: false } } },
        "properties",
        "properties",
        "enableNodePublicIp",
      ),
    ).to.equal(false);
  });

  it("reject misspelt properties at compile time", () => {
    const p = {};
    // @ts-expect-error "blockPublicAcl" is not a property of BucketPublicAccessBlock
    pab.bool(p, "blockPublicAcl");
    // @ts-expect-error "keySorce" is not a property of the account's encryption
    account.str(p, "encryption", "keySorce");
    // @ts-expect-error a misspelling inside a list element
    sse.str(p, "rules", 0, "applyServerSideEncryptionByDefaults");
    // @ts-expect-error a misspelling behind sub()
    sse.sub("rules", 0).bool(p, "bucketKeyEnable");
    flagPolicy(keyvault.Vault, {
      name: "x",
      control: "C2",
      severity: "low",
      description: "d",
      // @ts-expect-error a flag policy's dotted property is checked too
      property: "properties.enablePurgeProtectio",
      ok: () => true,
      expected: "true",
      remediationSteps: "r",
      url: "u",
    });
    expect(pab.bool(p, "blockPublicAcls")).to.equal(undefined);
  });
});
