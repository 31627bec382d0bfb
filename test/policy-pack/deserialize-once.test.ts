/**
 * policy-pack/lib/deserialize-once.ts: the pack's entry makes the policy
 * runtime turn each resource's properties into JavaScript once and hand the
 * same object to every policy. Proven here: the memo returns one object per
 * Struct and a fresh one per remediation; and no policy of the pack writes
 * to the properties it is given (over every resource of the shipped stacks,
 * resource and stack policies alike), which is what makes sharing safe.
 */
import { expect } from "chai";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { installDeserializeOnce } from "../../policy-pack/lib/deserialize-once";
import { STACKS, runStack } from "../harness";
import { ALL_POLICIES } from "./pack";
import { engineProperties } from "../../engine/model";
import { resourceArgs, specsOf, stackArgs } from "./harness";

const proxy = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T>(v: T): T };

type Deserialize = (s: Struct, proxySecrets: boolean) => Record<string, unknown>;

function memoized(): Deserialize {
  const runtime = {
    deserializeProperties: (require("@pulumi/policy/deserialize") as { deserializeProperties: Deserialize }).deserializeProperties,
  };
  expect(installDeserializeOnce(runtime)).to.equal(true);
  expect(installDeserializeOnce(runtime), "installing twice keeps one memo").to.equal(true);
  return runtime.deserializeProperties;
}

function structOf(props: Record<string, unknown> | undefined): Struct {
  return Struct.fromJavaScript(engineProperties(props ?? {}) as never);
}

describe("policy pack: properties deserialized once per resource", function () {
  this.timeout(120_000);

  it("returns the same object for one Struct, another for another Struct, and a fresh copy for remediations", () => {
    const deserialize = memoized();
    const a = structOf({ bucket: "b", tags: { owner: "x" } });
    const first = deserialize(a, false);
    expect(deserialize(a, false)).to.equal(first);
    expect(first).to.deep.equal({ bucket: "b", tags: { owner: "x" } });
    expect(deserialize(structOf({ bucket: "b", tags: { owner: "x" } }), false)).to.not.equal(first);
    const forRemediation = deserialize(a, true);
    expect(forRemediation).to.not.equal(first);
    expect(forRemediation).to.deep.equal(first);
  });

  it("leaves a runtime it does not recognise alone", () => {
    expect(installDeserializeOnce({})).to.equal(false);
  });

  for (const stack of STACKS) {
    it(`no policy writes to the shared properties (${stack}: every resource, resource and stack policies)`, async () => {
      const deserialize = memoized();
      const { inputs, outputs } = specsOf(await runStack(stack));
      const resourcePolicies = ALL_POLICIES.filter((p): p is ResourceValidationPolicy => "validateResource" in p && !!p.validateResource);
      const stackPolicies = ALL_POLICIES.filter((p): p is StackValidationPolicy => "validateStack" in p);
      expect(resourcePolicies.length).to.be.greaterThan(20);
      expect(stackPolicies.length).to.be.greaterThan(5);
      for (const spec of inputs) {
        const struct = structOf(spec.props);
        const shared = deserialize(struct, false);
        const before = JSON.stringify(shared);
        for (const p of resourcePolicies) {
          for (const validate of Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource!]) {
            const args = { ...resourceArgs(p, spec), props: proxy.unknownCheckingProxy(deserialize(struct, false)) };
            try {
              await validate(args, () => undefined);
            } catch {
              // not applicable, unknown values: what matters is the properties afterwards
            }
          }
        }
        expect(JSON.stringify(shared), `${spec.urn}`).to.equal(before);
      }
      const structs = outputs.map((s) => structOf(s.props));
      const shared = structs.map((s) => deserialize(s, false));
      const before = shared.map((s) => JSON.stringify(s));
      for (const p of stackPolicies) {
        const args = stackArgs(p, outputs);
        args.resources.forEach(
          (r, i) =>
            ((r as { props: unknown }).props = proxy.unknownCheckingProxy(deserialize(structs[i], false)) as PolicyResource["props"]),
        );
        try {
          await p.validateStack(args, () => undefined);
        } catch {
          // as above
        }
      }
      expect(shared.map((s) => JSON.stringify(s))).to.deep.equal(before);
    });
  }
});
