/**
 * policy-pack/lib/request-decoder.ts: the `Analyze` and `AnalyzeStack`
 * requests decoded with lazy Structs answer every getter the runtime and the
 * pack read as the generated messages do: over every resource of every
 * shipped stack (known and preview values), on special values (secrets,
 * assets, archives, resource references, unknowns) through the runtime's own
 * `deserializeProperties`, and on odd request bytes (unknown fields, repeated
 * fields, wrong wire types, truncation), where the outcome (value or error)
 * is the generated deserializer's. Also that the service definition handed
 * to grpc-js is a copy and the shared one is untouched.
 */
import { expect } from "chai";
import * as path from "path";
import { inspect } from "util";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { STACKS } from "../harness";
import { stackModels } from "./stack-models";
import { LazyStruct, RequestDecoder, withRequestDecoder } from "../../policy-pack/lib/request-decoder";
import { encodeAnalyzeRequest, encodeAnalyzeStackRequest, encodeStruct } from "../../engine/pack/wire";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { secretValue } from "../../engine/model";
import { double, len, tag, utf8, varint } from "./wire-bytes";

const policyDir = path.dirname(require.resolve("@pulumi/policy/server"));
const protoPath = require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [policyDir] });
const grpcPb = require(require.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb", { paths: [policyDir] })) as {
  AnalyzerService: Record<string, { requestDeserialize(b: Buffer): unknown; requestType: unknown }>;
  AnalyzerClient: new (
    address: string,
    credentials: unknown,
  ) => {
    analyze(r: analyzerpb.AnalyzeRequest, cb: (err: unknown) => void): void;
    analyzeStack(r: analyzerpb.AnalyzeStackRequest, cb: (err: unknown) => void): void;
    close(): void;
  };
};
/** The runtime's grpc-js (the one its server registers the service with). */
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [policyDir] })) as typeof import("@grpc/grpc-js");
const { deserializeProperties } = require("@pulumi/policy/deserialize") as {
  deserializeProperties(s: unknown, proxySecrets: boolean): Record<string, unknown>;
};
const decoder = new RequestDecoder(analyzerpb, Struct);
const service = withRequestDecoder(grpcPb.AnalyzerService, protoPath) as typeof grpcPb.AnalyzerService;

/** A plain value with key order and -0 visible to deep equality. */
function ordered(v: unknown): unknown {
  if (Array.isArray(v)) return { list: v.map(ordered) };
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return { proto: Object.getPrototypeOf(o)?.constructor?.name, entries: Object.keys(o).map((k) => [k, ordered(o[k])]) };
  }
  return v;
}

type Resource = analyzerpb.AnalyzeRequest | analyzerpb.AnalyzerResource;

/** Everything the runtime and the pack read from a request or resource message. */
function view(r: Resource): unknown {
  const p = r.getProvider();
  const common = {
    type: r.getType(),
    urn: r.getUrn(),
    name: r.getName(),
    options: r.getOptions()?.toObject(),
    hasOptions: r.hasOptions(),
    hasProperties: r.hasProperties(),
    properties: r.getProperties() && ordered(r.getProperties()!.toJavaScript()),
    // The runtime's own conversion (assets, archives, secrets; it refuses resource references): the same value or error.
    deserialized: r.getProperties() && outcome(() => ordered(deserializeProperties(r.getProperties(), false))),
    hasProvider: r.hasProvider(),
    provider: p && {
      type: p.getType(),
      urn: p.getUrn(),
      name: p.getName(),
      hasProperties: p.hasProperties(),
      properties: p.getProperties() && ordered(p.getProperties()!.toJavaScript()),
    },
  };
  if (!(r instanceof analyzerpb.AnalyzerResource)) return common;
  return {
    ...common,
    parent: r.getParent(),
    dependencies: r.getDependenciesList(),
    propertyDependencies: [...r.getPropertydependenciesMap().entries()].map(([k, v]) => [k, v.getUrnsList()]),
  };
}

function outcome(decode: () => unknown): unknown {
  try {
    return { value: decode() };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

const isLazy = (r: Resource) => r.getProperties() instanceof LazyStruct;

describe("policy pack: Analyze and AnalyzeStack requests decoded with lazy Structs", function () {
  this.timeout(300_000);

  for (const stack of STACKS) {
    it(`every request of ${stack} (known and preview values) reads as the generated message`, async () => {
      let requests = 0;
      let resources = 0;
      for (const model of await stackModels(stack)) {
        for (const r of model.resources) {
          const bytes = encodeAnalyzeRequest(r);
          const fast = decoder.analyzeRequest(Buffer.from(bytes))!;
          expect(isLazy(fast), r.urn).to.equal(true);
          expect(view(fast), r.urn).to.deep.equal(view(analyzerpb.AnalyzeRequest.deserializeBinary(bytes)));
          requests++;
        }
        const bytes = encodeAnalyzeStackRequest(model.resources);
        const fast = decoder.analyzeStackRequest(Buffer.from(bytes))!;
        const generated = analyzerpb.AnalyzeStackRequest.deserializeBinary(bytes).getResourcesList();
        expect(fast.getResourcesList().length).to.equal(generated.length);
        fast.getResourcesList().forEach((r, i) => {
          expect(isLazy(r)).to.equal(true);
          expect(view(r), r.getUrn()).to.deep.equal(view(generated[i]));
          resources++;
        });
      }
      expect(requests).to.be.greaterThan(40);
      expect(resources).to.equal(requests);
    });
  }

  it("requests naming the same provider share its decoded message (so its properties deserialize once); another provider gets its own", async () => {
    const [model] = await stackModels("dev");
    const withProvider = model.resources.filter((r) => r.provider);
    const sameAs = (x: (typeof withProvider)[number], y: (typeof withProvider)[number]) => x.provider!.urn === y.provider!.urn;
    const first = withProvider[0];
    const twin = withProvider.find((r) => r !== first && sameAs(r, first))!;
    const decode = (r: typeof first) => decoder.analyzeRequest(Buffer.from(encodeAnalyzeRequest(r)))!.getProvider()!;
    expect(decode(twin)).to.equal(decode(first));
    const provider = (m: analyzerpb.AnalyzerProviderResource) => [m.getUrn(), m.getType(), m.getName(), m.getProperties()?.toJavaScript()];
    expect(provider(decode(first))).to.deep.equal(
      provider(analyzerpb.AnalyzeRequest.deserializeBinary(encodeAnalyzeRequest(first)).getProvider()!),
    );
    const other = { ...first, provider: { ...first.provider!, properties: { ...first.provider!.properties, region: "eu-central-1" } } };
    expect(decode(other)).to.not.equal(decode(first));
    expect(decode(other).getProperties()!.toJavaScript()).to.include({ region: "eu-central-1" });
  });

  it("special values (secrets, assets, archives, resource references, unknowns) deserialize as the runtime's", () => {
    const sig = rpc.specialSigKey;
    const props = {
      secret: secretValue({ password: "p", nested: secretValue([1, "two"]) }),
      fileAsset: { [sig]: rpc.specialAssetSig, path: "./file.txt" },
      stringAsset: { [sig]: rpc.specialAssetSig, text: "hello" },
      remoteAsset: { [sig]: rpc.specialAssetSig, uri: "https://example.com/a" },
      assetArchive: { [sig]: rpc.specialArchiveSig, assets: { a: { [sig]: rpc.specialAssetSig, text: "x" } } },
      fileArchive: { [sig]: rpc.specialArchiveSig, path: "./dir" },
      resourceReference: { [sig]: rpc.specialResourceSig, urn: "urn:pulumi:dev::p::t::n", id: "i-1", packageVersion: "" },
      unknown: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
      list: ["04da6b54-80e4-46f7-96ec-b56ff0331ba9", null, { n: -0 }],
    };
    let compared = 0;
    for (const encoded of [Struct.fromJavaScript(props as never).serializeBinary(), encodeStruct(props)]) {
      const req = new analyzerpb.AnalyzeRequest();
      req.setType("aws:s3/bucketV2:BucketV2");
      const bytes = Buffer.concat([Buffer.from(req.serializeBinary()), Buffer.from(len(2, [...encoded]))]);
      const fast = decoder.analyzeRequest(bytes)!;
      expect(isLazy(fast)).to.equal(true);
      const generated = analyzerpb.AnalyzeRequest.deserializeBinary(new Uint8Array(bytes));
      expect(view(fast)).to.deep.equal(view(generated));
      // Without the resource reference (the runtime refuses it, as compared above), the values themselves.
      const { resourceReference: _ref, ...rest } = props;
      const restBytes = Buffer.concat([Buffer.from(req.serializeBinary()), Buffer.from(len(2, [...encodeStruct(rest)]))]);
      const [a, b] = [decoder.analyzeRequest(restBytes)!, analyzerpb.AnalyzeRequest.deserializeBinary(new Uint8Array(restBytes))];
      // Assets hold settled promises: inspect shows their values (deep equality would compare the promise objects).
      const shown = (r: Resource) => inspect(deserializeProperties(r.getProperties(), false), { depth: null });
      expect(shown(a)).to.equal(shown(b));
      expect(shown(a)).to.include("FileAsset").and.include("AssetArchive").and.include("password");
      compared++;
    }
    expect(compared).to.equal(2);
  });

  describe("odd request bytes: the generated deserializer's outcome", () => {
    const base = new analyzerpb.AnalyzeRequest();
    base.setType("t");
    base.setUrn("urn:pulumi:dev::p::t::n");
    base.setName("n");
    base.setOptions(new analyzerpb.AnalyzerResourceOptions().setProtect(true));
    const envelope = [...base.serializeBinary()];
    const props = (o: Record<string, unknown>) => len(2, [...encodeStruct(o)]);
    const provider = (type: string, o: Record<string, unknown>) => len(6, [...len(1, utf8(type)), ...props(o)]);
    const cases: [string, number[], "lazy" | "generated"][] = [
      ["plain", [...envelope, ...props({ a: 1 }), ...provider("pulumi:providers:aws", { region: "r" })], "lazy"],
      ["no properties, no provider", envelope, "generated"],
      ["empty request", [], "generated"],
      [
        "unknown fields of every wire type",
        [...envelope, ...tag(15, 0), ...varint(300), ...double(16, 1.5), ...len(17, [1, 2]), ...tag(18, 5), 1, 2, 3, 4, ...props({ a: 1 })],
        "lazy",
      ],
      ["properties twice: the last wins", [...envelope, ...props({ first: true }), ...props({ second: true })], "lazy"],
      ["provider twice: the last wins", [...envelope, ...provider("p1", { a: 1 }), ...provider("p2", { b: 2 }), ...props({})], "lazy"],
      ["provider without properties", [...envelope, ...len(6, len(1, utf8("p"))), ...props({})], "lazy"],
      [
        "provider with unknown fields",
        [...envelope, ...len(6, [...len(1, utf8("p")), ...tag(9, 0), 1, ...props({ x: 1 })]), ...props({})],
        "lazy",
      ],
      ["properties before the envelope", [...props({ a: [1, "2"] }), ...envelope], "lazy"],
      ["properties with the wrong wire type", [...envelope, ...tag(2, 0), 1], "generated"],
      ["provider with the wrong wire type", [...envelope, ...tag(6, 5), 1, 2, 3, 4], "generated"],
      ["group field", [...envelope, ...tag(20, 3), ...tag(20, 4)], "generated"],
      ["truncated inside properties' length", [...envelope, ...tag(2, 2), 0x85], "generated"],
      ["truncated inside properties", [...envelope, ...props({ a: "long value" })].slice(0, -3), "generated"],
      ["malformed bytes inside properties", [...envelope, ...len(2, [0x0a, 0x05, 0xff, 0xff])], "lazy"],
    ];
    for (const [what, bytes, by] of cases) {
      it(`${what}: decoded by the ${by === "lazy" ? "lazy decoder" : "generated deserializer"}`, () => {
        const fast = outcome(() => {
          const r = service.analyze.requestDeserialize(Buffer.from(bytes)) as analyzerpb.AnalyzeRequest;
          expect(isLazy(r), "lazy properties").to.equal(by === "lazy");
          return view(r);
        });
        const generated = outcome(() => view(analyzerpb.AnalyzeRequest.deserializeBinary(new Uint8Array(bytes))));
        expect(fast).to.deep.equal(generated);
      });
    }

    it("an AnalyzeStack request with an odd resource goes to the generated deserializer whole", () => {
      const good = len(1, [...envelope, ...props({ a: 1 })]);
      for (const odd of [
        [...tag(2, 0), 1],
        [...tag(20, 3), ...tag(20, 4)],
      ]) {
        const bytes = Buffer.from([...good, ...len(1, odd)]);
        expect(decoder.analyzeStackRequest(bytes)).to.equal(undefined);
        const got = outcome(() =>
          (service.analyzeStack.requestDeserialize(bytes) as analyzerpb.AnalyzeStackRequest).getResourcesList().map(view),
        );
        const want = outcome(() => analyzerpb.AnalyzeStackRequest.deserializeBinary(new Uint8Array(bytes)).getResourcesList().map(view));
        expect(got).to.deep.equal(want);
      }
      const fine = service.analyzeStack.requestDeserialize(
        Buffer.from([...good, ...good, ...tag(9, 0), 1]),
      ) as analyzerpb.AnalyzeStackRequest;
      expect(fine.getResourcesList().map((x) => isLazy(x))).to.deep.equal([true, true]);
    });
  });

  describe("the service definition", () => {
    it("is a copy with new request deserializers for analyze and analyzeStack only; the shared one is untouched", () => {
      const shared = grpcPb.AnalyzerService;
      const before = { ...shared, analyze: { ...shared.analyze }, analyzeStack: { ...shared.analyzeStack } };
      const copy = withRequestDecoder(shared, protoPath) as typeof shared;
      expect(copy).to.not.equal(shared);
      expect(shared).to.deep.equal(before);
      expect(shared.analyze.requestDeserialize).to.equal(before.analyze.requestDeserialize);
      for (const k of Object.keys(shared)) {
        if (k === "analyze" || k === "analyzeStack") {
          expect(copy[k].requestDeserialize, k).to.not.equal(shared[k].requestDeserialize);
          expect({ ...copy[k], requestDeserialize: undefined }, k).to.deep.equal({ ...shared[k], requestDeserialize: undefined });
        } else expect(copy[k], k).to.equal(shared[k]);
      }
    });

    it("is left as it is when its shape is not the expected one", () => {
      for (const odd of [
        undefined,
        null,
        42,
        {},
        { analyze: {} },
        { analyze: { ...grpcPb.AnalyzerService.analyze, requestType: Object } },
      ]) {
        expect(withRequestDecoder(odd, protoPath)).to.equal(odd);
      }
      expect(withRequestDecoder(grpcPb.AnalyzerService, "/nonexistent/analyzer_pb.js")).to.equal(grpcPb.AnalyzerService);
    });

    it("decodes what the runtime's grpc-js server receives (a real call over loopback)", async () => {
      const server = new grpc.Server();
      const seen: Resource[][] = [];
      const answer = (call: { request: unknown }, cb: (err: null, r: analyzerpb.AnalyzeResponse) => void) => {
        const r = call.request as analyzerpb.AnalyzeRequest | analyzerpb.AnalyzeStackRequest;
        seen.push(r instanceof analyzerpb.AnalyzeStackRequest ? r.getResourcesList() : [r]);
        cb(null, new analyzerpb.AnalyzeResponse());
      };
      server.addService(service as never, { analyze: answer, analyzeStack: answer } as never);
      const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
      );
      const client = new grpcPb.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      try {
        const req = new analyzerpb.AnalyzeRequest().setType("t").setProperties(Struct.fromJavaScript({ a: [1, "b"], c: { d: null } }));
        const stack = new analyzerpb.AnalyzeStackRequest().setResourcesList([
          new analyzerpb.AnalyzerResource().setUrn("u1").setProperties(Struct.fromJavaScript({ x: true })),
          new analyzerpb.AnalyzerResource().setUrn("u2"),
        ]);
        await new Promise<void>((resolve, reject) => client.analyze(req, (err) => (err ? reject(err) : resolve())));
        await new Promise<void>((resolve, reject) => client.analyzeStack(stack, (err) => (err ? reject(err) : resolve())));
      } finally {
        client.close();
        server.forceShutdown();
      }
      expect(seen.map((list) => list.map(isLazy))).to.deep.equal([[true], [true, false]]);
      expect(seen.map((list) => list.map((r) => r.getProperties()?.toJavaScript()))).to.deep.equal([
        [{ a: [1, "b"], c: { d: null } }],
        [{ x: true }, undefined],
      ]);
    });

    it("hands what is not a Buffer to the generated deserializer", () => {
      const bytes = [...len(1, utf8("t")), ...len(2, [...encodeStruct({ a: 1 })])];
      const r = service.analyze.requestDeserialize(new Uint8Array(bytes) as Buffer) as analyzerpb.AnalyzeRequest;
      expect(r.getProperties()).to.be.instanceOf(Struct);
      expect(r.getProperties()!.toJavaScript()).to.deep.equal({ a: 1 });
    });
  });
});
