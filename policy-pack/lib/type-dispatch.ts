/**
 * Speeds up `Analyze` in the policy runtime (@pulumi/policy 1.21 server.js)
 * without changing its answer: the runtime walks every policy of the pack
 * for every resource, and for a policy whose validation covers several
 * types (or gates itself) it builds the validation's arguments, a proxy and
 * the provider resource, awaits the validation and catches the
 * not-applicable error it throws — for each of ~95 policies, for each
 * resource. Installed by the pack's entry, this hands each request only to
 * the resource policies that can apply to its type (the runtime's own
 * handler, `makeAnalyzeRpcFun`, built once per type over that subset) and
 * adds the not-applicable entries of the others itself, with the reasons
 * the runtime or the validation would give, in policy order; disabled
 * policies get none, as in the runtime. The response is the runtime's
 * (test/policy-pack/type-dispatch.test.ts compares the bytes over every
 * resource of the shipped stacks).
 *
 * A policy says which types it covers with `__pulumiType` (one type, the
 * runtime's own marker) or `__appliesTo` + `__notApplicableReason` (set by
 * `gated` in define.ts, e.g. through `validateResourcesOfTypes`); any other
 * policy gets every request. If the runtime's modules ever change shape, nothing is installed.
 * `AnalyzeStack` goes through stack-resources-once.ts. Both decode their
 * requests with request-decoder.ts (the service definition grpc-js gets is a
 * copy with its deserializers).
 */
import * as path from "path";
import type { Policy } from "@pulumi/policy";
import { withRequestDecoder } from "./request-decoder";
import { stackResourcesOnce } from "./stack-resources-once";

interface NotApplicable {
  getPolicyName(): string;
  getReason(): string;
}

/** A place in a response's not-applicable list: a policy the runtime ran (by name), or skipped policies' entries. */
type Slot = string | { bytes: Uint8Array; readonly nas: NotApplicable[] };

interface AnalyzeResponse {
  getNotApplicableList(): NotApplicable[];
  setNotApplicableList(list: NotApplicable[]): void;
  serializeBinary(): Uint8Array;
}

type Callback = (err: unknown, response?: AnalyzeResponse) => void;
type Handler = (call: { request: { getType(): string } }, callback: Callback) => unknown;

interface ServerModule {
  serve(name: string, version: string, level: string, args: { policies?: Policy[] }, initialConfig?: unknown): void;
  makeAnalyzeRpcFun(name: string, version: string, level: string, policies: Policy[]): Handler;
  makeAnalyzeStackRpcFun?: Parameters<typeof stackResourcesOnce>[0];
}

interface Gate {
  /** Whether the validation can apply to a type; undefined: any type. */
  readonly applies?: (type: string) => boolean;
  /** What the runtime (one type) or the validation answers for a type it does not apply to. */
  readonly reason?: (type: string) => string;
}

/** The types a resource policy's validation covers, as its markers say (define.ts `gated` sets them). */
export function gateOf(policy: Policy): Gate {
  const v = (policy as { validateResource?: unknown }).validateResource;
  if (typeof v !== "function") return {};
  const marked = v as { __pulumiType?: unknown; __appliesTo?: unknown; __notApplicableReason?: unknown };
  if (typeof marked.__pulumiType === "string" && marked.__pulumiType !== "") {
    const only = marked.__pulumiType;
    return { applies: (t) => t === only, reason: () => `Policy only applies to resources of type '${only}'` };
  }
  if (typeof marked.__appliesTo === "function" && typeof marked.__notApplicableReason === "function")
    return { applies: marked.__appliesTo as Gate["applies"], reason: marked.__notApplicableReason as Gate["reason"] };
  return {};
}

const INSTALLED = Symbol.for("secure-ml-training.typeDispatch");

/**
 * Wraps the runtime's `serve` so the Analyzer service it registers
 * dispatches `Analyze` by type. Returns whether it is in place.
 */
export function installTypeDispatch(server: Partial<ServerModule> = require("@pulumi/policy/server")): boolean {
  const { serve, makeAnalyzeRpcFun, makeAnalyzeStackRpcFun } = server;
  if (typeof serve !== "function" || typeof makeAnalyzeRpcFun !== "function") return false;
  if ((serve as { [INSTALLED]?: true })[INSTALLED]) return true;
  let grpcServer: { prototype: { addService(service: unknown, impl: Record<string, Handler>): void } };
  let proto: {
    PolicyNotApplicable: new () => NotApplicable & { setPolicyName(n: string): void; setReason(r: string): void };
    AnalyzeResponse: new () => AnalyzeResponse;
  };
  let convertLevel: (level: number) => string;
  let protoPath: string;
  try {
    const policyDir = path.dirname(require.resolve("@pulumi/policy/server"));
    grpcServer = require(require.resolve("@grpc/grpc-js", { paths: [policyDir] })).Server;
    protoPath = require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [policyDir] });
    proto = require(protoPath);
    convertLevel = require("@pulumi/policy/protoutil").convertEnforcementLevel;
  } catch {
    return false;
  }
  if (typeof grpcServer?.prototype?.addService !== "function" || typeof convertLevel !== "function") return false;

  const wrapped = function (
    this: unknown,
    name: string,
    version: string,
    level: string,
    args: { policies?: Policy[] },
    initialConfig?: unknown,
  ) {
    const policies = args.policies ?? [];
    const gates = policies.map(gateOf);
    /** Enforcement levels set by Configure (the runtime keeps its own copy). */
    let configured = new Map<string, string>();
    const levelOf = (p: Policy) => configured.get(p.name) || p.enforcementLevel || level;
    /** Per type, for the current configuration: each policy's place in the response's list (see `layoutOf`). */
    let layouts = new Map<string, Slot[]>();
    /** One entry of the response's not-applicable list, and its bytes as the response's field 3 (tag, length, message). */
    type Entry = { readonly na: NotApplicable; readonly bytes: Uint8Array };
    const encodeEntry = (na: NotApplicable): Entry => {
      const alone = new proto.AnalyzeResponse();
      alone.setNotApplicableList([na]);
      return { na, bytes: alone.serializeBinary() };
    };
    /** The runtime's entries repeat (a policy, the same reason) from resource to resource: encoded once each. */
    const entries = new Map<string, Map<string, Entry>>();
    const entryOf = (na: NotApplicable): Entry => {
      const name = na.getPolicyName();
      const reason = na.getReason();
      let byReason = entries.get(name);
      if (!byReason) entries.set(name, (byReason = new Map()));
      let e = byReason.get(reason);
      if (!e) {
        e = encodeEntry(na);
        // A reason that names the resource would not repeat: keep a few per policy.
        if (byReason.size < 64) byReason.set(reason, e);
      }
      return e;
    };
    const byType = new Map<string, { handler: Handler; skipped: Map<number, Entry> }>();
    const dispatchFor = (type: string) => {
      let d = byType.get(type);
      if (!d) {
        const skipped = new Map<number, Entry>();
        gates.forEach((g, i) => {
          if (!g.applies || g.applies(type)) return;
          const na = new proto.PolicyNotApplicable();
          na.setPolicyName(policies[i].name);
          na.setReason(g.reason!(type));
          skipped.set(i, encodeEntry(na));
        });
        d = {
          handler: makeAnalyzeRpcFun(
            name,
            version,
            level,
            policies.filter((_, i) => !skipped.has(i)),
          ),
          skipped,
        };
        byType.set(type, d);
      }
      return d;
    };
    /**
     * The not-applicable list of a response for `type`, in pack order: the name of a policy the runtime
     * ran (its entries, if any, come from the runtime's response), or the entries of skipped policies
     * that are not disabled, consecutive ones joined into one chunk of bytes.
     */
    const layoutOf = (type: string, d: { skipped: Map<number, Entry> }): Slot[] => {
      let layout = layouts.get(type);
      if (!layout) {
        const built: Slot[] = [];
        policies.forEach((p, i) => {
          const skipped = d.skipped.get(i);
          if (skipped === undefined) return void built.push(p.name);
          if (levelOf(p) === "disabled") return;
          const last = built[built.length - 1];
          if (last !== undefined && typeof last !== "string") {
            last.bytes = Buffer.concat([last.bytes, skipped.bytes]);
            last.nas.push(skipped.na);
          } else built.push({ bytes: skipped.bytes, nas: [skipped.na] });
        });
        layouts.set(type, (layout = built));
      }
      return layout;
    };
    const analyze: Handler = (call, callback) => {
      const type = call.request.getType();
      const d = dispatchFor(type);
      if (d.skipped.size === 0) return d.handler(call, callback);
      return d.handler(call, (err, response) => {
        if (response) {
          // The runtime's entries by policy, then every policy's in pack order (as the runtime lists them).
          const given = new Map<string, Entry[]>();
          for (const na of response.getNotApplicableList()) {
            const list = given.get(na.getPolicyName());
            if (list) list.push(entryOf(na));
            else given.set(na.getPolicyName(), [entryOf(na)]);
          }
          const chunks: Uint8Array[] = [];
          const nas: NotApplicable[] = [];
          for (const slot of layoutOf(type, d)) {
            if (typeof slot === "string") {
              for (const e of given.get(slot) ?? []) {
                chunks.push(e.bytes);
                nas.push(e.na);
              }
            } else {
              chunks.push(slot.bytes);
              nas.push(...slot.nas);
            }
          }
          // Field 2 (diagnostics) comes first, then each field-3 entry: the bytes the runtime's response would
          // serialize to, with the entries of skipped policies encoded once per type instead of once per resource.
          response.setNotApplicableList([]);
          const bytes = Buffer.concat([response.serializeBinary(), ...chunks]);
          response.setNotApplicableList(nas);
          response.serializeBinary = () => bytes;
        }
        callback(err, response);
      });
    };

    const addService = grpcServer.prototype.addService;
    grpcServer.prototype.addService = function (this: unknown, service: unknown, impl: Record<string, Handler>) {
      grpcServer.prototype.addService = addService;
      if (typeof impl?.analyze === "function" && typeof impl.configure === "function") {
        // Requests decoded without google-protobuf's Struct messages (request-decoder.ts); the shared definition is not touched.
        service = withRequestDecoder(service, protoPath);
        const configure = impl.configure;
        // AnalyzeStack builds the stack's resources once per call, not once per stack policy (stack-resources-once.ts).
        const analyzeStack =
          (typeof makeAnalyzeStackRpcFun === "function" &&
            (stackResourcesOnce(makeAnalyzeStackRpcFun, name, version, level, policies) as Handler | undefined)) ||
          impl.analyzeStack;
        impl = {
          ...impl,
          analyze,
          analyzeStack,
          configure: (call, callback) => {
            const next = new Map<string, string>();
            const req = call.request as unknown as {
              getPolicyconfigMap(): { entries(): Iterable<[string, { getEnforcementlevel(): number }]> };
            };
            for (const [k, v] of req.getPolicyconfigMap().entries()) next.set(k, convertLevel(v.getEnforcementlevel()));
            configured = next;
            layouts = new Map();
            return configure(call, callback);
          },
        };
      }
      return addService.call(this, service, impl);
    };
    try {
      return serve.call(this, name, version, level, args, initialConfig);
    } finally {
      grpcServer.prototype.addService = addService;
    }
  } as ServerModule["serve"] & { [INSTALLED]?: true };
  wrapped[INSTALLED] = true;
  server.serve = wrapped;
  return true;
}
