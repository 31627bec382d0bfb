/**
 * Tests of policy-pack/lib/values.ts: safe property reading through the
 * runtime's unknown-checking proxy.
 */
import { expect } from "chai";
import { UNKNOWN, arr, bool, get, num, str, strings } from "../../../policy-pack/lib/values";
import { unknown } from "../harness";

const proxied = <T extends object>(v: T): T => (require("@pulumi/policy") as { unknownCheckingProxy<U>(x: U): U }).unknownCheckingProxy(v);

describe("policy-pack/lib/values", () => {
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
});
