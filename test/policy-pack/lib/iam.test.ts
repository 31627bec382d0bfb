/**
 * Tests of policy-pack/lib/iam.ts: policy documents in every shape they
 * arrive in (JSON strings, typed objects, unknown or malformed parts), and
 * how actions and conditions are matched.
 */
import { expect } from "chai";
import { constrains, globMatch, grantsAction, isWildcardAction, parseDocument, statementsOf } from "../../../policy-pack/lib/iam";
import { UNKNOWN } from "../../../policy-pack/lib/values";
import { unknown } from "../harness";

describe("policy-pack/lib/iam", () => {
  describe("parseDocument", () => {
    const st = {
      Sid: "A",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: ["arn:aws:s3:::b/*"],
      Principal: { Service: "sagemaker.amazonaws.com" },
    };
    it("reads JSON strings, typed objects and a single statement object alike", () => {
      for (const input of [JSON.stringify({ Statement: [st] }), { Version: "2012-10-17", Statement: [st] }, { Statement: st }]) {
        const [s] = statementsOf(parseDocument(input));
        expect(s).to.deep.include({
          sid: "A",
          effect: "Allow",
          action: ["s3:GetObject"],
          resource: ["arn:aws:s3:::b/*"],
          hasNotAction: false,
        });
        expect(s.principal).to.deep.include({ wildcard: false, service: ["sagemaker.amazonaws.com"] });
      }
    });
    it("says missing, unknown or malformed instead of throwing", () => {
      expect(parseDocument(undefined).kind).to.equal("missing");
      expect(parseDocument("").kind).to.equal("missing");
      expect(parseDocument(unknown()).kind).to.equal("unknown");
      expect(parseDocument({ Statement: unknown("array") }).kind).to.equal("unknown");
      expect(parseDocument("{oops")).to.deep.include({ kind: "malformed" });
      expect(parseDocument(42)).to.deep.equal({ kind: "malformed", reason: "not a JSON object" });
      expect(parseDocument({ Version: "x" })).to.deep.equal({ kind: "malformed", reason: "no Statement" });
      expect(parseDocument({ Statement: ["x"] })).to.deep.equal({ kind: "malformed", reason: "Statement 0 is not an object" });
    });
    it("keeps unknown parts as UNKNOWN and ignores values of other types", () => {
      const [s] = statementsOf(
        parseDocument({
          Statement: [
            { Effect: unknown(), Action: [unknown(), 5, "s3:GetObject"], Condition: { StringEquals: { "aws:SourceAccount": unknown() } } },
          ],
        }),
      );
      expect(s.effect).to.equal(UNKNOWN);
      expect(s.action).to.deep.equal([UNKNOWN, "s3:GetObject"]);
      expect(s.conditionUnknown).to.equal(true);
    });
    it("recognises wildcard principals in both forms", () => {
      expect(statementsOf(parseDocument({ Statement: [{ Principal: "*" }] }))[0].principal?.wildcard).to.equal(true);
      expect(statementsOf(parseDocument({ Statement: [{ Principal: { AWS: ["arn:x", "*"] } }] }))[0].principal?.wildcard).to.equal(true);
    });
  });

  describe("actions and conditions", () => {
    it("matches IAM wildcards case-insensitively", () => {
      expect(globMatch("s3:Get*", "s3:getobject")).to.equal(true);
      expect(globMatch("s3:Get?bject", "s3:GetObject")).to.equal(true);
      expect(globMatch("s3:Get*", "s3:PutObject")).to.equal(false);
      expect(globMatch("arn:aws:s3:::b.c/*", "arn:aws:s3:::bxc/k"), "dots are literal").to.equal(false);
    });
    it("tells whole-service wildcards from narrower ones", () => {
      expect(["*", "s3:*", "*:GetObject", "S3:**"].map(isWildcardAction)).to.deep.equal([true, true, true, true]);
      expect(["s3:Get*", "s3:GetObject"].map(isWildcardAction)).to.deep.equal([false, false]);
    });
    it("knows what NotAction grants", () => {
      const [s] = statementsOf(parseDocument({ Statement: [{ Effect: "Allow", NotAction: ["iam:*"] }] }));
      expect(grantsAction(s, "sagemaker:CreateTrainingJob")).to.equal(true);
      expect(grantsAction(s, "iam:PassRole")).to.equal(false);
    });
    it("treats IfExists and Null: true as not constraining a key", () => {
      const doc = (Condition: unknown) => statementsOf(parseDocument({ Statement: [{ Effect: "Allow", Action: "a:b", Condition }] }))[0];
      expect(constrains(doc({ StringEquals: { "AWS:SourceAccount": "1" } }), "aws:SourceAccount")).to.equal(true);
      expect(constrains(doc({ StringEqualsIfExists: { "aws:SourceAccount": "1" } }), "aws:SourceAccount")).to.equal(false);
      expect(constrains(doc({ Null: { "aws:SourceAccount": "true" } }), "aws:SourceAccount")).to.equal(false);
      expect(constrains(doc({ Null: { "aws:SourceAccount": "false" } }), "aws:SourceAccount")).to.equal(true);
    });
  });
});
