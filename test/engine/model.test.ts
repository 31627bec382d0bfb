/**
 * Tests of engine/model.ts's wire values: what the engine hands an analyzer
 * for what the SDK sent (sdk/nodejs/runtime/rpc.ts `serializeProperty`, then
 * sdk/go/common/resource/plugin/rpc.go `MarshalProperties` with KeepUnknowns
 * and KeepSecrets, called by pkg/resource/plugin/analyzer_plugin.go). The
 * check, the mutation suite and the test harness all use these functions;
 * each case below is one where the harness's former copy and the check's
 * disagreed, pinned to what the engine does.
 */
import { expect } from "chai";
import * as rpcSdk from "@pulumi/pulumi/runtime/rpc";
import {
  buildStackModel,
  engineProperties,
  engineValue,
  recordedOutputValue,
  rpc,
  secretValue,
  UNKNOWN_SENTINELS,
} from "../../engine/model";
import { UNKNOWN as RECORDED_UNKNOWN, type Recording } from "../../engine/recorder";
import { PROJECT_ROOT } from "../../engine/project";
import { resourceArgs, specsOf } from "../policy-pack/harness";
import { recorded } from "./recorded";

const S = rpc.specialSigKey;
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";

describe("engine: wire values as the engine sends them to analyzers", () => {
  it("undefined array elements become null (the SDK serializes them so), undefined members disappear", () => {
    expect(engineValue([undefined, 1, [undefined]])).to.deep.equal([null, 1, [null]]);
    expect(engineProperties({ a: undefined, b: { c: undefined, d: 1 } })).to.deep.equal({ b: { d: 1 } });
  });

  it("internal (__) keys are skipped at the top level only for Analyze, and kept for Remediate", () => {
    const props = { __defaults: ["x"], nested: { __meta: 1, x: 2 }, list: [{ __k: 1 }] };
    expect(engineProperties(props)).to.deep.equal({ nested: { __meta: 1, x: 2 }, list: [{ __k: 1 }] });
    expect(engineProperties(props, { skipInternalKeys: false })).to.deep.equal(props);
  });

  it("a reference to a custom resource with an unknown id is unknown, not its URN", () => {
    const pending = { [S]: rpc.specialResourceSig, urn: "urn:pulumi:s::p::aws:iam/role:Role::r", id: "" };
    const pendingSentinel = { [S]: rpc.specialResourceSig, urn: "urn:pulumi:s::p::aws:iam/role:Role::r", id: rpc.unknownValue };
    expect(engineValue(pending)).to.equal(rpc.unknownValue);
    expect(engineValue(pendingSentinel)).to.equal(rpc.unknownValue);
    expect(engineValue({ [S]: rpc.specialResourceSig, urn: "urn:x", id: "role-1" })).to.equal("role-1");
    expect(engineValue({ [S]: rpc.specialResourceSig, urn: "urn:c" }), "a component is its URN").to.equal("urn:c");
  });

  it("secrets stay secret around the marshalled value; secret output values become secrets", () => {
    const ref = { [S]: rpc.specialResourceSig, urn: "urn:x", id: "k-1" };
    expect(engineValue(secretValue([ref, undefined]))).to.deep.equal(secretValue(["k-1", null]));
    expect(engineValue({ [S]: rpc.specialOutputValueSig, value: { a: ref }, secret: true })).to.deep.equal(secretValue({ a: "k-1" }));
    expect(engineValue({ [S]: rpc.specialOutputValueSig, secret: true }), "unknown and secret").to.deep.equal(
      secretValue(rpc.unknownValue),
    );
  });

  it("unknown sentinels of every type, assets and archives travel unchanged", () => {
    for (const v of Object.values(UNKNOWN_SENTINELS)) expect(engineValue(v)).to.equal(v);
    const asset = { [S]: ASSET_SIG, text: "hello" };
    expect(engineValue({ nested: [asset] })).to.deep.equal({ nested: [asset] });
  });

  it("matches the SDK's markers and the recorder's unknown marker", () => {
    expect(UNKNOWN_SENTINELS.string).to.equal(rpcSdk.unknownValue);
    expect(secretValue(1)).to.deep.equal({ [rpcSdk.specialSigKey]: rpcSdk.specialSecretSig, value: 1 });
    expect(recordedOutputValue(RECORDED_UNKNOWN)).to.equal(rpc.unknownValue);
  });

  it("outputs the mocks left unknown (preview) are unknown in resource and stack outputs, not the string '<unknown>'", () => {
    const recording: Recording = {
      project: "p",
      stack: "s",
      outputs: { endpoint: RECORDED_UNKNOWN, list: [RECORDED_UNKNOWN, "x"] },
      resources: [
        {
          urn: "urn:pulumi:s::p::my:index:Comp::c",
          type: "my:index:Comp",
          name: "c",
          custom: false,
          wireInputs: {},
          inputs: {},
          outputs: { arn: RECORDED_UNKNOWN, nested: { id: RECORDED_UNKNOWN } },
          dependencies: [],
          propertyDependencies: {},
          options: { ignoreChanges: [], replaceOnChanges: [], additionalSecretOutputs: ["arn"] },
        },
      ],
    };
    const model = buildStackModel({ recording, programDir: PROJECT_ROOT, config: {}, secretKeys: [] });
    expect(model.resources[0].outputs).to.deep.equal({ endpoint: rpc.unknownValue, list: [rpc.unknownValue, "x"] });
    expect(model.resources[1].outputs).to.deep.equal({ arn: secretValue(rpc.unknownValue), nested: { id: rpc.unknownValue } });
  });

  it("the test harness hands policies exactly these values (one emulation)", () => {
    const probe = { name: "test-probe", description: "Probe.", validateResource: () => undefined };
    const props = { role: { [S]: rpc.specialResourceSig, urn: "urn:x", id: "" }, list: [undefined], __internal: 1 };
    const args = resourceArgs(probe, { type: "aws:s3/bucket:Bucket", props });
    expect(Object.keys(args.props).sort()).to.deep.equal(["list", "role"]);
    expect(() => (args.props as Record<string, unknown>).role, "the pending id is unknown").to.throw(/can't be known during preview/);
    const recording: Recording = { project: "p", stack: "no-such-stack", resources: [] };
    expect(
      specsOf(recording).inputs.map((s) => s.type),
      "specs come from the stack model",
    ).to.deep.equal(["pulumi:pulumi:Stack"]);
  });

  it("names a default provider for its package's version also when the package is not @pulumi/<name> (@pulumiverse/time)", () => {
    const sleep = recorded({
      urn: "urn:pulumi:s::p::time:index/sleep:Sleep::wait",
      type: "time:index/sleep:Sleep",
      name: "wait",
      wireInputs: { createDuration: "120s" },
      inputs: { createDuration: "120s" },
    });
    const model = buildStackModel({
      recording: { project: "p", stack: "s", resources: [sleep] },
      programDir: PROJECT_ROOT,
      config: {},
      secretKeys: [],
    });
    const version = (require("@pulumiverse/time/package.json") as { version: string }).version.replace(/^v/, "");
    const provider = model.resources.find((r) => r.type === "pulumi:providers:time");
    expect(provider?.name).to.equal(`default_${version.replace(/[.+-]/g, "_")}`);
    expect(provider?.inputs).to.deep.equal({ version });
    expect(model.resources.find((r) => r.name === "wait")?.provider?.urn).to.equal(provider?.urn);
  });

  it("resources of one explicit provider share one reference to it (encoded once for all of them)", () => {
    const providerUrn = "urn:pulumi:s::p::pulumi:providers:aws::eu";
    const resources = [
      recorded({
        urn: providerUrn,
        type: "pulumi:providers:aws",
        name: "eu",
        wireInputs: { region: "eu-west-1" },
        inputs: { region: "eu-west-1" },
      }),
      ...["a", "b"].map((name) =>
        recorded({
          urn: `urn:pulumi:s::p::aws:s3/bucket:Bucket::${name}`,
          type: "aws:s3/bucket:Bucket",
          name,
          provider: `${providerUrn}::provider-id`,
        }),
      ),
    ];
    const model = buildStackModel({
      recording: { project: "p", stack: "s", resources },
      programDir: PROJECT_ROOT,
      config: {},
      secretKeys: [],
    });
    const [a, b] = ["a", "b"].map((n) => model.resources.find((r) => r.name === n)!);
    expect(a.provider).to.deep.equal({ urn: providerUrn, type: "pulumi:providers:aws", name: "eu", properties: { region: "eu-west-1" } });
    expect(a.provider).to.equal(b.provider);
  });
});
