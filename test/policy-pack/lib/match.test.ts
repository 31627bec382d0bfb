/**
 * Tests of policy-pack/lib/match.ts: resource matching by value or by
 * dependency.
 */
import { expect } from "chai";
import type { PolicyResource } from "@pulumi/policy";
import { refersTo } from "../../../policy-pack/lib/match";
import { unknown } from "../harness";

const proxied = <T extends object>(v: T): T => (require("@pulumi/policy") as { unknownCheckingProxy<U>(x: U): U }).unknownCheckingProxy(v);

describe("policy-pack/lib/match", () => {
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
