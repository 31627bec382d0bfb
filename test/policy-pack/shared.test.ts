/**
 * Shared helpers of the policies: policy documents in every shape they
 * arrive in, safe property reading through the runtime's proxies, and
 * resource matching by value or by dependency.
 */
import { expect } from "chai";
import type { PolicyResource } from "@pulumi/policy";
import { constrains, globMatch, grantsAction, isWildcardAction, parseDocument, statementsOf } from "../../policy-pack/lib/iam";
import { refersTo } from "../../policy-pack/lib/match";
import { effectiveTags } from "../../policy-pack/lib/tags";
import { UNKNOWN, arr, bool, get, num, str, strings } from "../../policy-pack/lib/values";
import { unknown } from "./harness";

const proxied = <T extends object>(v: T): T => (require("@pulumi/policy") as { unknownCheckingProxy<U>(x: U): U }).unknownCheckingProxy(v);

describe("policy pack: shared helpers", () => {
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

  describe("safe reading", () => {
    it("reads through the runtime's unknown-checking proxy without throwing", () => {
      const props = proxied({ a: { b: unknown() }, n: "12", t: "true", list: ["x", unknown()], o: null });
      expect(() => (props as any).a.b).to.throw(/can't be known during preview/);
      expect(get(props, "a", "b")).to.equal(UNKNOWN);
      expect(str(props, "a", "b", "c")).to.equal(UNKNOWN);
      expect(num(props, "n")).to.equal(12);
      expect(bool(props, "t")).to.equal(true);
      expect(arr(props, "list")).to.deep.equal(["x", UNKNOWN]);
      expect(get(props, "o", "x")).to.equal(undefined);
      expect(str(props, "n", "deeper")).to.equal(undefined);
      expect(strings(["a", 1, null, unknown()])).to.deep.equal(["a", UNKNOWN]);
    });
    it("merges provider default tags under the resource's own tags", () => {
      const t = effectiveTags({ tags: { owner: "me" } }, { props: { defaultTags: { tags: { owner: "team", project: "p" } } } });
      expect(t).to.deep.equal({ tags: { owner: "me", project: "p" }, unknown: false, declared: true });
      expect(effectiveTags({ tags: unknown("object") }).unknown).to.equal(true);
    });
  });

  describe("refersTo", () => {
    const resource = (urn: string, props: Record<string, unknown>, deps: Record<string, PolicyResource[]> = {}): PolicyResource =>
      ({
        urn,
        type: "t",
        name: urn,
        props: proxied(props),
        opts: {} as any,
        dependencies: [],
        propertyDependencies: deps,
        isType: () => false,
        asType: () => undefined,
      }) as PolicyResource;
    const bucket = resource("urn:b", { bucket: "data-1", id: "data-1" });
    it("matches by value", () => {
      expect(refersTo(resource("urn:c", { bucket: "data-1" }), "bucket", bucket, ["bucket", "id"])).to.equal("yes");
      expect(refersTo(resource("urn:c", { bucket: "other" }), "bucket", bucket, ["bucket", "id"])).to.equal("no");
    });
    it("falls back on property dependencies when the value is unknown, and says unknown without them", () => {
      expect(refersTo(resource("urn:c", { bucket: unknown() }, { bucket: [bucket] }), "bucket", bucket, ["bucket"])).to.equal("yes");
      expect(refersTo(resource("urn:c", { bucket: unknown() }, { bucket: [] }), "bucket", bucket, ["bucket"])).to.equal("no");
      expect(refersTo(resource("urn:c", { bucket: unknown() }), "bucket", bucket, ["bucket"])).to.equal("unknown");
    });
    it("uses dependencies when the target's own identifiers are unknown", () => {
      const pending = resource("urn:p", { bucket: unknown(), id: unknown() });
      expect(refersTo(resource("urn:c", { bucket: "x" }, { bucket: [pending] }), "bucket", pending, ["bucket", "id"])).to.equal("yes");
    });
  });
});
