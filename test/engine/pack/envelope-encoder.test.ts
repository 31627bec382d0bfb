/**
 * engine/pack/envelope-encoder.ts writes the envelope of each analyzer
 * request byte for byte as google-protobuf's generated classes serialize it:
 * every resource of the shipped stacks (as `pulumi up` and as a preview
 * records them), and odd values (empty strings, empty elements, many and
 * unsorted property dependencies, non-ASCII text, odd timeouts, long
 * fields whose length prefix takes several bytes).
 */
import { expect } from "chai";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { analyzeEnvelopeBytes, resourceEnvelopeBytes } from "../../../engine/pack/envelope-encoder";
import { buildStackModel, ModelResource } from "../../../engine/model";
import { readProject, readStackFile, recordStack } from "../../../engine/recorder";
import { ROOT, runStack, STACKS } from "../../harness";

/** The generated classes' serialization: what the check sent before envelope-encoder.ts. */
function optionsOf(r: ModelResource): analyzerpb.AnalyzerResourceOptions {
  const o = new analyzerpb.AnalyzerResourceOptions();
  o.setProtect(r.options.protect);
  o.setIgnorechangesList([...r.options.ignoreChanges]);
  o.setDeletebeforereplace(r.options.deleteBeforeReplace ?? false);
  o.setDeletebeforereplacedefined(r.options.deleteBeforeReplace !== undefined);
  o.setAdditionalsecretoutputsList([...r.options.additionalSecretOutputs]);
  o.setAliasesList([...r.options.aliases]);
  const t = new analyzerpb.AnalyzerResourceOptions.CustomTimeouts();
  t.setCreate(r.options.customTimeouts.create);
  t.setUpdate(r.options.customTimeouts.update);
  t.setDelete(r.options.customTimeouts.delete);
  o.setCustomtimeouts(t);
  o.setParent(r.options.parent ?? "");
  return o;
}

function identified<M extends analyzerpb.AnalyzeRequest | analyzerpb.AnalyzerResource>(m: M, r: ModelResource): M {
  m.setUrn(r.urn);
  m.setType(r.type);
  m.setName(r.name);
  m.setOptions(optionsOf(r));
  return m;
}

function generatedAnalyze(r: ModelResource): Buffer {
  return Buffer.from(identified(new analyzerpb.AnalyzeRequest(), r).serializeBinary());
}

function generatedResource(r: ModelResource): Buffer {
  const m = identified(new analyzerpb.AnalyzerResource(), r);
  m.setParent(r.parent ?? "");
  m.setDependenciesList([...r.dependencies]);
  const deps = m.getPropertydependenciesMap();
  for (const [k, urns] of Object.entries(r.propertyDependencies)) {
    if (urns.length === 0) continue;
    const d = new analyzerpb.AnalyzerPropertyDependencies();
    d.setUrnsList([...urns]);
    deps.set(k, d);
  }
  return Buffer.from(m.serializeBinary());
}

function expectSameBytes(r: ModelResource): void {
  expect(analyzeEnvelopeBytes(r).equals(generatedAnalyze(r)), `AnalyzeRequest of ${r.urn}`).to.equal(true);
  expect(resourceEnvelopeBytes(r).equals(generatedResource(r)), `AnalyzerResource of ${r.urn}`).to.equal(true);
}

describe("engine: analyzer request envelopes written byte for byte as the generated classes write them", function () {
  this.timeout(300_000);

  for (const stack of STACKS) {
    it(`every resource of stack ${stack}, all known and as a preview`, async () => {
      const file = readStackFile(readProject(ROOT), stack);
      const recordings = [await runStack(stack), await recordStack(ROOT, stack, { preview: true })];
      let count = 0;
      for (const recording of recordings) {
        const model = buildStackModel({ recording, programDir: ROOT, config: file.config, secretKeys: file.secretKeys });
        for (const r of model.resources) {
          expectSameBytes(r);
          count++;
        }
      }
      expect(count).to.be.greaterThan(40);
    });
  }

  it("odd values: empty strings and elements, unsorted and empty property dependencies, non-ASCII, odd timeouts, long fields", () => {
    const long = "x".repeat(20_000);
    const base: ModelResource = {
      urn: "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b",
      type: "aws:s3/bucket:Bucket",
      name: "b",
      custom: true,
      parent: undefined,
      inputs: {},
      outputs: {},
      options: {
        protect: false,
        ignoreChanges: [],
        deleteBeforeReplace: undefined,
        additionalSecretOutputs: [],
        aliases: [],
        customTimeouts: { create: 0, update: 0, delete: 0 },
        parent: undefined,
      },
      provider: undefined,
      dependencies: [],
      propertyDependencies: {},
    } as unknown as ModelResource;
    const variants: Partial<ModelResource>[] = [
      {},
      { urn: "", type: "", name: "" },
      { name: "bücket-ø-🙂", urn: `urn:pulumi:dev::p::t::${"é".repeat(100)}` },
      { name: long, urn: long, parent: long, dependencies: [long, "", "a"] },
      {
        options: {
          protect: true,
          ignoreChanges: ["", "tags", "tags"],
          deleteBeforeReplace: false,
          additionalSecretOutputs: ["arn", ""],
          aliases: ["urn:old", ""],
          customTimeouts: { create: 300, update: -0, delete: 1e-9 },
          parent: "urn:pulumi:dev::p::c::parent",
        },
      } as Partial<ModelResource>,
      {
        options: { ...base.options, deleteBeforeReplace: true, customTimeouts: { create: NaN, update: Infinity, delete: -60 } },
      } as Partial<ModelResource>,
      { propertyDependencies: { zeta: ["urn:z"], alpha: ["urn:a", "urn:b"], "": ["urn:empty"], Beta: [], b: [""], ä: ["urn:ä"] } },
      { propertyDependencies: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`p${(i * 7919) % 300}`, [`urn:${i}`, long]])) },
    ];
    for (const v of variants) expectSameBytes({ ...base, ...v } as ModelResource);
  });
});
