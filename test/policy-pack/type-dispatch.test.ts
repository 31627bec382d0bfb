/**
 * policy-pack/lib/type-dispatch.ts: the pack's entry hands each `Analyze`
 * request only to the resource policies that can apply to its type and
 * answers "not applicable" for the others itself. Proven here: over every
 * resource of every shipped stack (all values known, and as a preview with
 * unknowns), with the tier's config and with gated policies disabled, the
 * response serializes to exactly the bytes of the policy runtime's own
 * handler over all policies (diagnostics, not-applicable entries, reasons
 * and order). Also that every resource policy of the pack is gated (so the
 * dispatch skips work), and that a runtime of another shape is left alone.
 * Likewise `AnalyzeStack` (stack-resources-once.ts: the stack's resources
 * built once per call): the same bytes as the runtime's handler. The
 * dispatch's requests are decoded by the deserializers of the service
 * definition the wrapped serve registers (request-decoder.ts, lazy Structs);
 * the runtime's by the generated ones.
 */
import { expect } from "chai";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import type { Policy, StackValidationPolicy } from "@pulumi/policy";
import { STACKS, ROOT } from "../harness";
import { stackModels } from "./stack-models";
import { ALL_POLICIES } from "./pack";
import { gateOf, installTypeDispatch } from "../../policy-pack/lib/type-dispatch";
import { LazyStruct } from "../../policy-pack/lib/request-decoder";
import { installDeserializeOnce } from "../../policy-pack/lib/deserialize-once";
import { encodeAnalyzeRequest, encodeAnalyzeStackRequest } from "../../engine/pack/wire";
import { configureRequest } from "../../engine/pack/metadata";
import { readPolicyConfigFile, PolicyConfigMap } from "../../engine/pack/policy-config";
import { readProject, readStackFile } from "../../engine/recorder";
import { tierOf } from "../../cli/check/start";

type Callback = (err: unknown, response?: analyzerpb.AnalyzeResponse) => void;
type Handler = (call: { request: unknown }, callback: Callback) => unknown;
type Service = Record<string, { requestDeserialize(b: Buffer): unknown }>;

const NAME = "secure-ml-training";

/**
 * A stack policy that reports what it was given (every resource's URN, type, name, options, parent, dependencies,
 * property dependencies, provider and properties), so the AnalyzeStack comparison covers the resources themselves.
 */
const PROBE: StackValidationPolicy = {
  name: "test-probe-stack-resources",
  description: "reports a digest of the resources it sees",
  enforcementLevel: "advisory",
  validateStack: (args, report) => {
    const json = (v: unknown) => {
      try {
        return JSON.stringify(v);
      } catch (e) {
        return `unknown: ${(e as Error).message}`;
      }
    };
    const seen = args.resources.map((r) =>
      json({
        urn: r.urn,
        type: r.type,
        name: r.name,
        opts: r.opts,
        parent: r.parent?.urn,
        dependencies: r.dependencies.map((d) => d.urn),
        propertyDependencies: Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map((d) => d.urn)]),
        provider: r.provider && { urn: r.provider.urn, type: r.provider.type, name: r.provider.name, props: json(r.provider.props) },
        props: json(r.props),
        isType: r.isType({ __pulumiType: r.type } as never),
      }),
    );
    report(`${args.resources.length} resources ${createHash("sha256").update(seen.join("\n")).digest("hex")}`);
  },
};
const POLICIES = [...(ALL_POLICIES as Policy[]), PROBE];
const VERSION = "0.1.0";

const policyDir = path.dirname(require.resolve("@pulumi/policy/server"));
const grpcServer = (require(require.resolve("@grpc/grpc-js", { paths: [policyDir] })) as { Server: { prototype: Record<string, unknown> } })
  .Server.prototype;

interface RuntimeServer {
  serve(name: string, version: string, level: string, args: { policies?: Policy[] }): void;
  makeAnalyzeRpcFun(name: string, version: string, level: string, policies: Policy[]): Handler;
  makeAnalyzeStackRpcFun(name: string, version: string, level: string, policies: Policy[]): Handler;
}

/**
 * A fresh instance of the runtime's server module (its own policy config and
 * "one pack per process" flag), its `serve` wrapped by the type dispatch and
 * run with the gRPC server's addService/bindAsync stubbed: returns the
 * runtime's reference handler over all policies and the handlers the wrapped
 * serve registers.
 */
function runtimeAndDispatch(): {
  reference: Handler;
  analyze: Handler;
  configure: Handler;
  referenceStack: Handler;
  analyzeStack: Handler;
  service: Service;
} {
  const file = require.resolve("@pulumi/policy/server");
  const cached = require.cache[file];
  delete require.cache[file];
  let fresh: RuntimeServer;
  try {
    fresh = require(file) as RuntimeServer;
  } finally {
    require.cache[file] = cached;
  }
  expect(installTypeDispatch(fresh as never)).to.equal(true);
  const { addService, bindAsync } = grpcServer;
  let impl: Record<string, Handler> | undefined;
  let service: Service | undefined;
  grpcServer.addService = (s: Service, i: Record<string, Handler>) => {
    service = s;
    impl = i;
  };
  grpcServer.bindAsync = () => undefined;
  try {
    fresh.serve(NAME, VERSION, "advisory", { policies: POLICIES });
  } finally {
    Object.assign(grpcServer, { addService, bindAsync });
  }
  return {
    reference: fresh.makeAnalyzeRpcFun(NAME, VERSION, "advisory", POLICIES),
    analyze: impl!.analyze,
    configure: impl!.configure,
    referenceStack: fresh.makeAnalyzeStackRpcFun(NAME, VERSION, "advisory", POLICIES),
    analyzeStack: impl!.analyzeStack,
    service: service!,
  };
}

function call(handler: Handler, request: unknown): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    handler({ request }, (err, response) => (err ? reject(err) : resolve(Buffer.from(response!.serializeBinary()))));
  });
}

async function configure(handler: Handler, config: PolicyConfigMap): Promise<void> {
  await new Promise<void>((resolve, reject) => handler({ request: configureRequest(config) }, (err) => (err ? reject(err) : resolve())));
}

/**
 * Runs `body` with the stack's tier config, then again with every third of `names` disabled on top
 * (Configure between), and configures nothing again afterwards.
 */
async function underEachConfig(handler: Handler, stack: string, names: readonly string[], body: () => Promise<void>): Promise<void> {
  const disabled: PolicyConfigMap = Object.fromEntries(
    names.filter((_, i) => i % 3 === 0).map((n) => [n, { enforcementLevel: "disabled" }]),
  );
  try {
    for (const config of [tierConfig(stack), { ...tierConfig(stack), ...disabled }]) {
      await configure(handler, config);
      await body();
    }
  } finally {
    await configure(handler, {});
  }
}

function tierConfig(stack: string): PolicyConfigMap {
  const project = readProject(ROOT);
  const tier = tierOf(project.name, stack, readStackFile(project, stack).config);
  const file = path.join(ROOT, "policy-pack", "config", `${tier}.json`);
  return fs.existsSync(file) ? readPolicyConfigFile(file) : {};
}

describe("policy pack: Analyze dispatched by resource type", function () {
  this.timeout(300_000);
  installDeserializeOnce();
  const { reference, ...dispatch } = runtimeAndDispatch();

  it("every resource policy of the pack says which types it applies to", () => {
    const resourcePolicies = (ALL_POLICIES as Policy[]).filter((p) => "validateResource" in p && p.validateResource);
    expect(resourcePolicies.length).to.be.greaterThan(40);
    expect(resourcePolicies.filter((p) => !gateOf(p).applies).map((p) => p.name)).to.deep.equal([]);
  });

  it("leaves a runtime it does not recognise alone", () => {
    expect(installTypeDispatch({} as never)).to.equal(false);
  });

  for (const stack of STACKS) {
    it(`answers byte for byte as the runtime (${stack}: every resource, known and preview values, tier config and gated policies disabled)`, async () => {
      const models = await stackModels(stack);
      const gatedNames = (ALL_POLICIES as Policy[]).filter((p) => gateOf(p).applies).map((p) => p.name);
      let compared = 0;
      let skippedEntries = 0;
      await underEachConfig(dispatch.configure, stack, gatedNames, async () => {
        for (const model of models) {
          for (const r of model.resources) {
            const bytes = encodeAnalyzeRequest(r);
            const request = analyzerpb.AnalyzeRequest.deserializeBinary(bytes);
            const decoded = dispatch.service.analyze.requestDeserialize(Buffer.from(bytes)) as analyzerpb.AnalyzeRequest;
            expect(decoded.getProperties()).to.be.instanceOf(LazyStruct);
            const [want, got] = [await call(reference, request), await call(dispatch.analyze, decoded)];
            expect(got.equals(want), `${r.urn}: ${got.length} bytes, runtime ${want.length}`).to.equal(true);
            skippedEntries += analyzerpb.AnalyzeResponse.deserializeBinary(got).getNotApplicableList().length;
            compared++;
          }
        }
      });
      expect(compared).to.be.greaterThan(40);
      expect(skippedEntries).to.be.greaterThan(compared * 10);
    });
  }

  for (const stack of STACKS) {
    it(`answers AnalyzeStack byte for byte as the runtime (${stack}: known and preview values, tier config and some stack policies disabled)`, async () => {
      expect(dispatch.analyzeStack).to.not.equal(undefined);
      const models = await stackModels(stack);
      const stackNames = (ALL_POLICIES as Policy[]).filter((p) => "validateStack" in p && p.validateStack).map((p) => p.name);
      expect(stackNames.length).to.be.greaterThan(10);
      let entries = 0;
      let probed = 0;
      await underEachConfig(dispatch.configure, stack, stackNames, async () => {
        for (const model of models) {
          const bytes = encodeAnalyzeStackRequest(model.resources);
          const request = analyzerpb.AnalyzeStackRequest.deserializeBinary(bytes);
          const decoded = dispatch.service.analyzeStack.requestDeserialize(Buffer.from(bytes)) as analyzerpb.AnalyzeStackRequest;
          expect(decoded.getResourcesList().every((r) => r.getProperties() instanceof LazyStruct)).to.equal(true);
          const [want, got] = [await call(dispatch.referenceStack, request), await call(dispatch.analyzeStack, decoded)];
          expect(got.equals(want), `${stack}: ${got.length} bytes, runtime ${want.length}`).to.equal(true);
          const res = analyzerpb.AnalyzeResponse.deserializeBinary(got);
          entries += res.getDiagnosticsList().length + res.getNotApplicableList().length;
          const probe = res.getDiagnosticsList().filter((d) => d.getPolicyname() === PROBE.name);
          expect(probe.map((d) => /(\d+) resources [0-9a-f]{64}/.exec(d.getMessage())?.[1])).to.deep.equal([
            String(model.resources.length),
          ]);
          probed++;
        }
      });
      expect(entries).to.be.greaterThan(0);
      expect(probed).to.equal(4);
    });
  }
});
