/**
 * The test harness behaves like the policy runtime (`@pulumi/policy`
 * server.js) and the CLI: unknown values throw inside policies and become a
 * "can't run during preview" advisory, type tokens come from classes, the
 * fast type check and `notApplicable` work, config gets schema defaults and
 * CLI precedence, stack tags, options and providers reach the policy, and
 * recordings become analyzer requests (resource references as ids,
 * providers resolved, parents linked).
 */
import { expect } from "chai";
import * as s3 from "@pulumi/aws/s3";
import { validateResourceOfType } from "@pulumi/policy";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { runStack } from "../harness";
import {
  analyzeResource,
  analyzeStack,
  reconcileConfig,
  remediateResource,
  resourceArgs,
  secret,
  specsOf,
  stackArgs,
  unknown,
  urnOf,
} from "./harness";

const probe = (
  validate: ResourceValidationPolicy["validateResource"],
  extra: Partial<ResourceValidationPolicy> = {},
): ResourceValidationPolicy => ({
  name: "test-probe-resource-enforce-probe",
  description: "Probe.",
  enforcementLevel: "mandatory",
  validateResource: validate,
  ...extra,
});

describe("policy pack: test harness", () => {
  it("makes touching an unknown value throw, reported as the runtime's preview advisory", async () => {
    const fragile = probe((args, report) => {
      if ((args.props as any).acl.length > 0) report("acl set");
    });
    const r = await analyzeResource(fragile, { type: s3.Bucket, props: { acl: unknown() } });
    expect(r.diagnostics).to.have.length(1);
    expect(r.diagnostics[0]).to.include({ enforcementLevel: "advisory" });
    expect(r.diagnostics[0].message).to.match(
      /^can't run policy 'test-probe-resource-enforce-probe' from policy pack 'secure-ml-training@v[\d.]+' during preview: string value at \.acl can't be known during preview$/,
    );
  });

  it("re-raises any other error from a policy, as the runtime fails the request", async () => {
    const broken = probe(() => {
      throw new TypeError("boom");
    });
    let err: Error | undefined;
    await analyzeResource(broken, { type: s3.Bucket, props: {} }).catch((e) => (err = e));
    expect(err?.message).to.contain("Error validating resource with policy 'test-probe-resource-enforce-probe'").and.to.contain("boom");
  });

  it("takes the type token from the class and applies the fast type check of validateResourceOfType", async () => {
    const seen: string[] = [];
    const typed = probe(validateResourceOfType(s3.Bucket, (_b, args) => void seen.push(args.type)));
    const onBucket = await analyzeResource(typed, { type: s3.Bucket, props: {} });
    const onBlock = await analyzeResource(typed, { type: s3.BucketPublicAccessBlock, props: {} });
    expect(seen).to.deep.equal(["aws:s3/bucket:Bucket"]);
    expect(onBucket.notApplicable).to.deep.equal([]);
    expect(onBlock.notApplicable).to.deep.equal([
      { policyName: typed.name, reason: "Policy only applies to resources of type 'aws:s3/bucket:Bucket'" },
    ]);
  });

  it("prefixes messages with the description and uses the configured enforcement level", async () => {
    const p = probe((_a, report) => report("bad"));
    const [d] = (await analyzeResource(p, { type: s3.Bucket }, { config: { [p.name]: "advisory" } })).diagnostics;
    expect(d).to.include({ message: "Probe.\nbad", enforcementLevel: "advisory", urn: undefined });
    expect((await analyzeResource(p, { type: s3.Bucket }, { config: { all: "disabled" } })).diagnostics).to.deep.equal([]);
  });

  it("reconciles config like the CLI: schema defaults, then all, then the policy's entry", () => {
    const p = probe(() => undefined, {
      configSchema: {
        properties: { list: { type: "array", items: { type: "string" }, default: ["a"] }, n: { type: "integer", default: 3 } },
      },
    });
    const other = probe(() => undefined, { name: "test-other-resource-enforce-probe" });
    const c = reconcileConfig([p, other], { all: "advisory", [p.name]: { enforcementLevel: "mandatory", n: 5 } });
    expect(c.get(p.name)).to.deep.equal({ enforcementLevel: "mandatory", properties: { list: ["a"], n: 5 } });
    expect(c.get(other.name)).to.deep.equal({ enforcementLevel: "advisory", properties: {} });
    expect(() => reconcileConfig([p], { [p.name]: { n: "five" } })).to.throw(/probe\.n: must be integer/);
  });

  it("hands getConfig, stackTags, options and provider to the policy as the analyzer does", () => {
    const p = probe(() => undefined, { configSchema: { properties: { n: { type: "integer", default: 3 } } } });
    const args = resourceArgs(
      p,
      {
        type: s3.Bucket,
        name: "b",
        props: { bucket: secret("name") },
        opts: { protect: true },
        provider: { type: "pulumi:providers:aws", name: "aws", props: { region: "eu-west-1" } },
      },
      { stackTags: { "pulumi:project": "secure-ml-training" } },
    );
    expect(args.getConfig()).to.deep.equal({ n: 3 });
    expect(args.stackTags.get("pulumi:project")).to.equal("secure-ml-training");
    expect(args.opts).to.include({ protect: true });
    expect(args.opts.customTimeouts).to.deep.equal({ createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 });
    expect(args.provider).to.include({ type: "pulumi:providers:aws", name: "aws" });
    expect(args.props.bucket, "secrets are unwrapped for validation").to.equal("name");
    expect(args.urn).to.equal(urnOf({ type: s3.Bucket, name: "b" }));
    expect(args.isType(s3.Bucket)).to.equal(true);
    expect(() => args.notApplicable("why")).to.throw("why");
  });

  it("keeps secrets secret through remediation", async () => {
    const p = probe((_a, _r) => undefined, {
      remediateResource: (args) => {
        args.props.acl = "private";
        return args.props;
      },
    });
    const r = await remediateResource(p, { type: s3.Bucket, props: { bucket: secret("name") } }, { config: { [p.name]: "remediate" } });
    expect(r.props.acl).to.equal("private");
    expect(r.props.bucket).to.deep.equal(secret("name"));
  });

  it("builds stack args with linked parents and property dependencies", async () => {
    const seen: string[] = [];
    const p: StackValidationPolicy = {
      name: "test-probe-stack-enforce-probe",
      description: "Probe.",
      validateStack: (args) => {
        for (const r of args.resources)
          seen.push(`${r.name}<${r.parent?.name ?? ""}>[${(r.propertyDependencies.bucket ?? []).map((d) => d.name).join()}]`);
      },
    };
    const comp = { type: "my:index:Component", name: "comp" };
    const bucket = { type: s3.Bucket, name: "b", parent: urnOf(comp) };
    await analyzeStack(p, [
      comp,
      bucket,
      { type: s3.BucketPublicAccessBlock, name: "pab", propertyDependencies: { bucket: [urnOf(bucket)] } },
    ]);
    expect(seen).to.deep.equal(["comp<>[]", "b<comp>[]", "pab<>[b]"]);
    expect(stackArgs(p, [comp]).getConfig()).to.deep.equal({});
  });

  it("sends resource references as ids, output values as values or unknowns, like the engine (engine/model.ts)", () => {
    const ref = { [rpc.specialSigKey]: rpc.specialResourceSig, urn: "urn:x", id: "role-1" };
    const comp = { [rpc.specialSigKey]: rpc.specialResourceSig, urn: "urn:c" };
    const out = { [rpc.specialSigKey]: rpc.specialOutputValueSig, value: "v" };
    const unk = { [rpc.specialSigKey]: rpc.specialOutputValueSig };
    const props = { role: ref, parent: comp, a: out, b: unk, gone: undefined, list: [undefined, 1], __internal: 1 };
    const args = resourceArgs(
      probe(() => undefined),
      { type: s3.Bucket, props },
    );
    const seen = args.props as Record<string, unknown>;
    expect([seen.role, seen.parent, seen.a, [...(seen.list as unknown[])]]).to.deep.equal(["role-1", "urn:c", "v", [null, 1]]);
    expect(Object.keys(seen).sort(), "undefined members and top-level internal keys are not sent").to.deep.equal(
      ["a", "b", "list", "parent", "role"].sort(),
    );
    expect(() => seen.b, "an unknown output value is unknown").to.throw(/can't be known during preview/);
  });

  it("turns a recording into analyzer requests: inputs, outputs, providers, options", async () => {
    const rec = await runStack("dev");
    const { inputs, outputs } = specsOf(rec);
    expect(
      inputs.map((s) => s.urn),
      "every resource of the program is analyzed",
    ).to.include.members(rec.resources.map((r) => r.urn));
    const custom = rec.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    const withoutProvider = custom.filter((r) => !inputs.find((s) => s.urn === r.urn)?.provider);
    expect(
      withoutProvider.map((r) => r.urn),
      "custom resources name their provider (default or explicit)",
    ).to.deep.equal([]);
    expect(inputs[0].type, "the stack resource comes first").to.equal("pulumi:pulumi:Stack");
    expect(outputs[0].type, "the stack resource comes first").to.equal("pulumi:pulumi:Stack");
    const withProvider = inputs.find((s) => s.provider);
    expect(withProvider?.provider?.type ?? "", "explicit providers are resolved from the recording").to.match(/^pulumi:providers:/);
    const bucket = outputs.find((s) => s.type === "aws:s3/bucket:Bucket");
    expect(bucket?.props).to.have.property("arn");
  });
});
