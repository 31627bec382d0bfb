/**
 * In-process tests of the pieces of `npm run check`: flag parsing, the
 * policy config handling the CLI does (levels, `all`, schema defaults and
 * validation), the engine's marshalling of properties for analyzers, the
 * stack model (stack root, default providers, secrets), tree order and the
 * SARIF level mapping.
 */
import { expect } from "chai";
import * as path from "path";
import * as rpcSdk from "@pulumi/pulumi/runtime/rpc";
import type { Recording } from "../../../engine/recorder";
import { parseCheckArgs } from "../../../cli/check/args";
import { PROJECT_ROOT } from "../../../engine/project";
import { tierOf } from "../../../cli/check/check";
import { CheckUsageError } from "../../../cli/check/errors";
import { toSarif } from "../../../cli/check/format/sarif";
import { buildStackModel, durationSeconds, engineProperties, rpc } from "../../../engine/model";
import { PackMetadata, parsePolicyConfig, reconcilePolicyConfig } from "../../../engine/pack/policy-config";
import { buildReport, displayType } from "../../../cli/check/report";
import { encodeAnalyzeRequest, encodeAnalyzeStackRequest, encodeStruct } from "../../../engine/pack/wire";
import { recorded } from "../../engine/recorded";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(CheckUsageError);
    return (e as Error).message;
  }
  throw new Error("expected a CheckUsageError");
}

describe("check units: flags", () => {
  it("defaults: stack dev, this project, ./policy-pack, table", () => {
    const a = parseCheckArgs([], "/somewhere");
    expect(a).to.include({
      stack: "dev",
      programDir: PROJECT_ROOT,
      policyPackDir: path.join(PROJECT_ROOT, "policy-pack"),
      format: "table",
      help: false,
    });
    expect(a.policyConfig).to.equal(undefined);
  });

  it("resolves relative paths against the working directory", () => {
    const a = parseCheckArgs(
      ["--program", "p", "--policy-pack", "k", "--policy-config", "c.json", "--output", "o.sarif", "--format", "sarif"],
      "/w",
    );
    expect(a).to.include({ programDir: "/w/p", policyPackDir: "/w/k", policyConfig: "/w/c.json", output: "/w/o.sarif", format: "sarif" });
  });

  it("rejects unknown flags, positionals, bad formats, stack names and job counts, naming what is allowed", () => {
    expect(usageError(() => parseCheckArgs(["--verbose"]))).to.match(/^unknown flag --verbose; allowed flags: --stack/);
    expect(usageError(() => parseCheckArgs(["dev"]))).to.contain('unexpected argument "dev"');
    expect(usageError(() => parseCheckArgs(["--format", "html"]))).to.equal(
      '--format "html" is not supported; allowed: table, json, sarif, engine-events, stack-export',
    );
    expect(usageError(() => parseCheckArgs(["--stack", "a/b"]))).to.contain("not a valid stack name");
    expect(usageError(() => parseCheckArgs(["--jobs", "x"]))).to.contain("allowed: an integer from 1 to 64");
    expect(usageError(() => parseCheckArgs(["--program", " "]))).to.contain("--program needs a non-empty value");
  });

  it("tier: the stack's <project>:tier, else the stack name's suffix", () => {
    expect(tierOf("p", "azure-prod", {})).to.equal("prod");
    expect(tierOf("p", "dev", {})).to.equal("dev");
    expect(tierOf("p", "staging", { "p:tier": "prod" })).to.equal("prod");
  });
});

const PACK: PackMetadata = {
  name: "pack",
  version: "1.0.0",
  supportsConfig: true,
  policies: [
    { name: "a", description: "A", enforcementLevel: "advisory", type: "resource", severity: "high", tags: [] },
    {
      name: "b",
      description: "B",
      enforcementLevel: "mandatory",
      type: "stack",
      severity: "low",
      tags: [],
      configSchema: {
        properties: { limit: { type: "integer", default: 3 }, names: { type: "array", items: { type: "string" } } },
        required: [],
      },
    },
  ],
  initialConfig: {},
};

describe("check units: policy config as the Pulumi CLI reconciles it", () => {
  it("parses levels and objects, and rejects bad levels and shapes naming the file and key", () => {
    expect(parsePolicyConfig('{"a":"mandatory","b":{"enforcementLevel":"disabled","limit":5}}', "f")).to.deep.equal({
      a: { enforcementLevel: "mandatory" },
      b: { enforcementLevel: "disabled", properties: { limit: 5 } },
    });
    expect(parsePolicyConfig("  ", "f")).to.deep.equal({});
    expect(usageError(() => parsePolicyConfig('{"a":"block"}', "cfg.json"))).to.equal(
      'cfg.json: "a" has enforcement level "block"; allowed: advisory, mandatory, remediate, disabled',
    );
    expect(usageError(() => parsePolicyConfig('{"a":3}', "cfg.json"))).to.contain('cfg.json: "a" is 3');
    expect(usageError(() => parsePolicyConfig("[1]", "cfg.json"))).to.contain("must hold a JSON object");
    expect(usageError(() => parsePolicyConfig("{", "cfg.json"))).to.contain("cfg.json is not valid JSON");
  });

  it("fills schema defaults, applies `all` before per-policy entries, and lists unknown policies", () => {
    const r = reconcilePolicyConfig(PACK, parsePolicyConfig('{"all":"mandatory","b":{"names":["x"]},"zz":"advisory"}', "f"), "f");
    expect(r.levels).to.deep.equal({ a: "mandatory", b: "mandatory" });
    expect(r.config.b.properties).to.deep.equal({ limit: 3, names: ["x"] });
    expect(r.unknownPolicies).to.deep.equal(["zz"]);
    expect(reconcilePolicyConfig(PACK, {}, "f").levels).to.deep.equal({ a: "advisory", b: "mandatory" });
  });

  it("validates properties against each policy's schema", () => {
    expect(usageError(() => reconcilePolicyConfig(PACK, parsePolicyConfig('{"b":{"limit":"many"}}', "f"), "cfg.json"))).to.contain(
      "b.limit: must be integer",
    );
  });
});

describe("check units: the engine's view of a recording", () => {
  it("uses the SDK's wire markers", () => {
    expect(rpc.specialSigKey).to.equal(rpcSdk.specialSigKey);
    expect(rpc.specialSecretSig).to.equal(rpcSdk.specialSecretSig);
    expect(rpc.specialResourceSig).to.equal(rpcSdk.specialResourceSig);
    expect(rpc.specialOutputValueSig).to.equal(rpcSdk.specialOutputValueSig);
    expect(rpc.unknownValue).to.equal(rpcSdk.unknownValue);
  });

  it("marshals like the engine for analyzers: secrets and unknowns kept, references and output values downgraded, top-level __ keys dropped", () => {
    const S = rpc.specialSigKey;
    const value = engineProperties({
      secret: { [S]: rpc.specialSecretSig, value: "s" },
      custom: { [S]: rpc.specialResourceSig, urn: "urn:a", id: "i-1" },
      pendingId: { [S]: rpc.specialResourceSig, urn: "urn:b", id: "" },
      component: { [S]: rpc.specialResourceSig, urn: "urn:c" },
      known: { [S]: rpc.specialOutputValueSig, value: 3, secret: true },
      unknown: { [S]: rpc.specialOutputValueSig },
      list: [rpc.unknownValue, { __internal: 1, x: 2 }],
      __defaults: ["x"],
    });
    expect(value).to.deep.equal({
      secret: { [S]: rpc.specialSecretSig, value: "s" },
      custom: "i-1",
      pendingId: rpc.unknownValue,
      component: "urn:c",
      known: { [S]: rpc.specialSecretSig, value: 3 },
      unknown: rpc.unknownValue,
      list: [rpc.unknownValue, { __internal: 1, x: 2 }],
    });
  });

  it("reads Go durations as seconds", () => {
    expect(durationSeconds("1h30m")).to.equal(5400);
    expect(durationSeconds("90s")).to.equal(90);
    expect(durationSeconds("250ms")).to.equal(0.25);
    expect(durationSeconds(undefined)).to.equal(0);
    expect(durationSeconds("soon")).to.equal(0);
  });

  const stackUrn = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev";
  const recording: Recording = {
    project: "proj",
    stack: "dev",
    outputs: { name: "b" },
    resources: [
      recorded({ urn: "urn:pulumi:dev::proj::my:index:Comp::c", type: "my:index:Comp", name: "c", custom: false, parent: stackUrn }),
      recorded({
        urn: "urn:pulumi:dev::proj::my:index:Comp$aws:s3/bucket:Bucket::b",
        type: "aws:s3/bucket:Bucket",
        name: "b",
        parent: "urn:pulumi:dev::proj::my:index:Comp::c",
        wireInputs: { tags: { owner: "x" }, token: { [rpc.specialSigKey]: rpc.specialSecretSig, value: "[secret]" } },
        outputs: { tags: { owner: "x" }, token: "[secret]", arn: "arn:aws:s3:::b" },
        options: {
          protect: true,
          ignoreChanges: ["tags"],
          replaceOnChanges: [],
          additionalSecretOutputs: ["arn"],
          customTimeouts: { create: "5m" },
        },
        source: { file: "index.ts", line: 7, column: 1 },
      }),
    ],
  };
  const model = buildStackModel({
    recording,
    programDir: PROJECT_ROOT,
    config: { "aws:region": "eu-west-1", "aws:token": "[secret]" },
    secretKeys: ["aws:token"],
  });

  it("adds the stack root and a default provider (named for the package version, inputs from config, secrets kept secret)", () => {
    expect(model.resources.map((r) => r.type)).to.deep.equal([
      "pulumi:pulumi:Stack",
      "my:index:Comp",
      "pulumi:providers:aws",
      "aws:s3/bucket:Bucket",
    ]);
    expect(model.resources[0]).to.include({ urn: stackUrn, synthetic: "stack" });
    const provider = model.resources[2];
    expect(provider.name).to.match(/^default_\d+_\d+_\d+$/);
    expect(provider.inputs.region).to.equal("eu-west-1");
    expect(provider.inputs.token).to.deep.equal({ [rpc.specialSigKey]: rpc.specialSecretSig, value: "[secret]" });
    const bucket = model.resources[3];
    expect(bucket.provider?.urn).to.equal(provider.urn);
    expect(model.resources[1].provider).to.equal(undefined);
  });

  it("carries options, and makes outputs secret where the input was secret or listed in additionalSecretOutputs", () => {
    const bucket = model.resources[3];
    expect(bucket.options).to.include({ protect: true, parent: recording.resources[0].urn });
    expect(bucket.options.customTimeouts.create).to.equal(300);
    const secret = (v: unknown) => ({ [rpc.specialSigKey]: rpc.specialSecretSig, value: v });
    expect(bucket.outputs).to.deep.equal({ tags: { owner: "x" }, token: secret("[secret]"), arn: secret("arn:aws:s3:::b") });
  });

  it("reports the tree depth first and shows types as preview does", () => {
    const report = buildReport({
      toolVersion: "0",
      programDir: PROJECT_ROOT,
      programMain: "index.ts",
      packDir: path.join(PROJECT_ROOT, "policy-pack"),
      pack: PACK,
      reconciled: reconcilePolicyConfig(PACK, {}, "f"),
      model,
      analysis: {
        diagnostics: [
          {
            policyName: "a",
            policyPackName: "pack",
            policyPackVersion: "1",
            description: "A",
            message: "adv",
            enforcementLevel: "advisory",
            severity: "high",
            urn: model.resources[3].urn,
            stage: "analyze",
          },
          {
            policyName: "b",
            policyPackName: "pack",
            policyPackVersion: "1",
            description: "B",
            message: "man",
            enforcementLevel: "mandatory",
            severity: "low",
            stage: "analyzeStack",
          },
        ],
        remediations: [],
        timings: { totalMs: 1, analyzeMs: 1, analyzeStackMs: 1, processes: 1, resources: 4 },
      },
      evaluateMs: 1,
      totalMs: 2,
      root: PROJECT_ROOT,
    });
    expect(report.resources.map((r) => r.name)).to.deep.equal(["proj-dev", "c", "b", model.resources[2].name]);
    expect(report.violations.map((v) => v.policy)).to.deep.equal(["a", "b"]);
    expect(report.violations[0].source).to.deep.equal({ file: "index.ts", line: 7, column: 1 });
    expect(report.summary).to.deep.include({ passed: false, violations: { mandatory: 1, advisory: 1, total: 2 } });
    expect(displayType("aws:s3/bucket:Bucket")).to.equal("aws:s3:Bucket");
    expect(displayType("azure-native:storage:StorageAccount")).to.equal("azure-native:storage:StorageAccount");

    const sarif = toSarif(report, PROJECT_ROOT, "index.ts");
    const results = sarif.runs[0].results!;
    expect(results.map((r) => r.level)).to.deep.equal(["warning", "error"]);
    // A stack violation without a resource is placed on the program's main file.
    expect(results[1].locations![0].physicalLocation!.artifactLocation!.uri).to.equal("index.ts");
    expect(sarif.runs[0].tool.driver.rules!.map((r) => r.defaultConfiguration!.level)).to.deep.equal(["warning", "error"]);
    expect(sarif.runs[0].tool.driver.rules![0].properties!["security-severity"]).to.equal("8.0");
  });
});

describe("check units: analyzer messages on the wire", () => {
  const props = {
    s: "x",
    empty: "",
    n: 0,
    f: -1.5,
    big: 1e21,
    t: true,
    no: false,
    nil: null,
    list: [1, "a", null, [true], { k: "v" }],
    nested: { deeper: { unicode: "äø€🙂", arr: [] }, emptyObj: {} },
    secret: { [rpc.specialSigKey]: rpc.specialSecretSig, value: "[secret]" },
    unknown: rpc.unknownValue,
  };

  it("encodes properties exactly as google.protobuf.Struct carries them", () => {
    const decoded = Struct.deserializeBinary(encodeStruct(props)).toJavaScript();
    expect(decoded).to.deep.equal(Struct.fromJavaScript(props as never).toJavaScript());
    expect(decoded).to.deep.equal(props);
  });

  const urn = "urn:pulumi:dev::proj::aws:s3/bucket:Bucket::b";
  const provider = {
    urn: "urn:pulumi:dev::proj::pulumi:providers:aws::p",
    type: "pulumi:providers:aws",
    name: "p",
    properties: { region: "eu-west-1" },
  };
  const resource = {
    urn,
    type: "aws:s3/bucket:Bucket",
    name: "b",
    custom: true,
    parent: "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev",
    inputs: props,
    outputs: { ...props, arn: "arn" },
    options: {
      protect: true,
      ignoreChanges: ["tags"],
      deleteBeforeReplace: true,
      additionalSecretOutputs: ["arn"],
      aliases: [],
      customTimeouts: { create: 300, update: 0, delete: 60 },
      parent: "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev",
    },
    provider,
    dependencies: ["urn:a"],
    propertyDependencies: { bucket: ["urn:a"], none: [] },
  };

  it("an AnalyzeRequest carries type, URN, name, properties, options and provider", () => {
    const req = analyzerpb.AnalyzeRequest.deserializeBinary(encodeAnalyzeRequest(resource));
    expect(req.getType()).to.equal("aws:s3/bucket:Bucket");
    expect(req.getUrn()).to.equal(urn);
    expect(req.getName()).to.equal("b");
    expect(req.getProperties()!.toJavaScript()).to.deep.equal(props);
    const o = req.getOptions()!;
    expect([o.getProtect(), o.getIgnorechangesList(), o.getDeletebeforereplace(), o.getDeletebeforereplacedefined()]).to.deep.equal([
      true,
      ["tags"],
      true,
      true,
    ]);
    expect(o.getAdditionalsecretoutputsList()).to.deep.equal(["arn"]);
    expect([o.getCustomtimeouts()!.getCreate(), o.getCustomtimeouts()!.getDelete()]).to.deep.equal([300, 60]);
    expect(o.getParent()).to.equal(resource.parent);
    const p = req.getProvider()!;
    expect([p.getUrn(), p.getType(), p.getName(), p.getProperties()!.toJavaScript()]).to.deep.equal([
      provider.urn,
      provider.type,
      "p",
      { region: "eu-west-1" },
    ]);
    // Remediated inputs replace the recorded ones.
    expect(
      analyzerpb.AnalyzeRequest.deserializeBinary(encodeAnalyzeRequest(resource, { a: 1 }))
        .getProperties()!
        .toJavaScript(),
    ).to.deep.equal({ a: 1 });
  });

  it("an AnalyzeStackRequest carries every resource's outputs, parent, dependencies and non-empty property dependencies", () => {
    const req = analyzerpb.AnalyzeStackRequest.deserializeBinary(
      encodeAnalyzeStackRequest([resource, { ...resource, urn: "urn:2", provider: undefined }]),
    );
    const [r1, r2] = req.getResourcesList();
    expect(req.getResourcesList()).to.have.length(2);
    expect(r1.getProperties()!.toJavaScript()).to.deep.equal({ ...props, arn: "arn" });
    expect(r1.getParent()).to.equal(resource.parent);
    expect(r1.getDependenciesList()).to.deep.equal(["urn:a"]);
    const deps: Record<string, string[]> = {};
    r1.getPropertydependenciesMap().forEach((v, k) => (deps[k] = v.getUrnsList()));
    expect(deps).to.deep.equal({ bucket: ["urn:a"] });
    expect(r1.getOptions()!.getProtect()).to.equal(true);
    expect(r2.getUrn()).to.equal("urn:2");
    expect(r2.hasProvider()).to.equal(false);
  });
});
