/**
 * Speeds up `AnalyzeStack` in the policy runtime (@pulumi/policy 1.21
 * server.js) without changing its answer: for every stack policy the runtime
 * turns every resource of the request into a policy resource again (options,
 * provider, property dependencies, parent and dependency links, a proxy of
 * the properties), which on a 10,000-resource stack was most of the call's
 * time and garbage. Installed through type-dispatch.ts, this builds the
 * resources once per call, the way the runtime builds them, and hands each
 * stack policy its own array of them.
 *
 * The runtime's own handler (`makeAnalyzeStackRpcFun`) still does everything
 * else (enforcement levels and config from Configure, disabled policies, its
 * "only applies to resources of type" shortcut, errors, the response): it
 * gets a request holding one resource of each type present, so its shortcut
 * sees the same types, and each stack policy's validation gets the full list
 * instead of the runtime's short one. Sharing the resource objects between
 * policies is safe because validations only read
 * (test/policy-pack/type-dispatch.test.ts compares the response bytes with
 * the runtime's over the shipped stacks and checks that no policy writes).
 * The messages come from request-decoder.ts: generated AnalyzerResources
 * whose properties are decoded straight to JavaScript when first read.
 */
import type { Policy, PolicyResource, StackValidationArgs } from "@pulumi/policy";

/** The parts of an AnalyzerResource message the runtime reads. */
export interface AnalyzerResourceMessage {
  getType(): string;
  getUrn(): string;
  getName(): string;
  getParent(): string;
  getProperties(): unknown;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { entries(): Iterable<[string, { getUrnsList(): string[] }]> } | undefined;
  getOptions():
    | {
        getProtect(): boolean;
        getIgnorechangesList(): string[];
        getAliasesList(): string[];
        getAdditionalsecretoutputsList(): string[];
        getDeletebeforereplacedefined(): boolean;
        getDeletebeforereplace(): boolean;
        getParent(): string;
        getCustomtimeouts(): { getCreate(): number; getUpdate(): number; getDelete(): number } | undefined;
      }
    | undefined;
  getProvider(): { getType(): string; getUrn(): string; getName(): string; getProperties(): unknown } | undefined;
}

type Handler = (
  call: { request: { getResourcesList(): AnalyzerResourceMessage[] } },
  callback: (err: unknown, response?: unknown) => void,
) => unknown;
type MakeStackHandler = (name: string, version: string, level: string, policies: Policy[]) => Handler;

interface Runtime {
  deserializeProperties(struct: unknown, proxySecrets: boolean): Record<string, unknown>;
  unknownCheckingProxy<T>(value: T): T;
  getPulumiType(obj: unknown): string | undefined;
}

function runtimeModules(): Runtime | undefined {
  try {
    const d = require("@pulumi/policy/deserialize") as { deserializeProperties?: unknown };
    const p = require("@pulumi/policy/proxy") as { unknownCheckingProxy?: unknown };
    const pol = require("@pulumi/policy/policy") as { getPulumiType?: unknown };
    if (typeof d.deserializeProperties !== "function" || typeof p.unknownCheckingProxy !== "function") return undefined;
    if (typeof pol.getPulumiType !== "function") return undefined;
    // Through the modules (not copies), as the runtime calls them: deserialize-once.ts's memo applies.
    return {
      deserializeProperties: (s, proxySecrets) => (d.deserializeProperties as Runtime["deserializeProperties"])(s, proxySecrets),
      unknownCheckingProxy: (v) => (p.unknownCheckingProxy as Runtime["unknownCheckingProxy"])(v),
      getPulumiType: pol.getPulumiType as Runtime["getPulumiType"],
    };
  } catch {
    return undefined;
  }
}

/** The runtime's `getResourceOptions` (server.js), for one message. */
function optionsOf(r: AnalyzerResourceMessage): PolicyResource["opts"] {
  const opts = r.getOptions();
  if (!opts) {
    throw new Error(
      "A more recent version of the Pulumi CLI is required. " + "To upgrade, see https://www.pulumi.com/docs/get-started/install/",
    );
  }
  const timeouts = opts.getCustomtimeouts();
  const result: { -readonly [K in keyof PolicyResource["opts"]]: PolicyResource["opts"][K] } = {
    protect: opts.getProtect(),
    ignoreChanges: opts.getIgnorechangesList(),
    aliases: opts.getAliasesList(),
    customTimeouts: {
      createSeconds: timeouts?.getCreate() ?? 0.0,
      updateSeconds: timeouts?.getUpdate() ?? 0.0,
      deleteSeconds: timeouts?.getDelete() ?? 0.0,
    },
    additionalSecretOutputs: opts.getAdditionalsecretoutputsList(),
  };
  if (opts.getDeletebeforereplacedefined()) result.deleteBeforeReplace = opts.getDeletebeforereplace();
  if (opts.getParent()) result.parent = opts.getParent();
  return result;
}

/** The policy resources of a request, linked as the runtime links them (parent, dependencies, property dependencies). */
export function stackResourcesOf(rt: Runtime, messages: readonly AnalyzerResourceMessage[]): PolicyResource[] {
  const isTypeOf = (type: string, resourceClass: unknown): boolean => {
    const pulumiType = rt.getPulumiType(resourceClass);
    if (pulumiType) return type === pulumiType;
    const isInstance = (resourceClass as { isInstance?: unknown }).isInstance;
    return !!isInstance && typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
  };
  const intermediates = messages.map((r) => {
    const type = r.getType();
    const props = rt.unknownCheckingProxy(rt.deserializeProperties(r.getProperties(), false));
    const resource: Record<string, unknown> = {
      type,
      props,
      urn: r.getUrn(),
      name: r.getName(),
      opts: optionsOf(r),
      dependencies: [],
      propertyDependencies: {},
      isType: (resourceClass: unknown) => isTypeOf(type, resourceClass),
      asType: (resourceClass: unknown) => (isTypeOf(type, resourceClass) ? props : undefined),
    };
    const prov = r.getProvider();
    if (prov) {
      resource.provider = {
        type: prov.getType(),
        props: rt.unknownCheckingProxy(rt.deserializeProperties(prov.getProperties(), false)),
        urn: prov.getUrn(),
        name: prov.getName(),
      };
    }
    const propertyDependencies: Record<string, string[]> = {};
    const map = r.getPropertydependenciesMap();
    if (map) for (const [k, v] of map.entries()) propertyDependencies[k] = v.getUrnsList();
    return { resource, parent: r.getParent(), dependencies: r.getDependenciesList(), propertyDependencies };
  });
  const byUrn = new Map<unknown, Record<string, unknown>>();
  for (const i of intermediates) byUrn.set(i.resource.urn, i.resource);
  for (const i of intermediates) {
    if (i.parent) {
      const parent = byUrn.get(i.parent);
      if (parent) i.resource.parent = parent;
    }
    i.resource.dependencies = i.dependencies.map((d) => byUrn.get(d)).filter((d) => d);
    const deps = i.resource.propertyDependencies as Record<string, unknown>;
    for (const k of Object.keys(i.propertyDependencies)) {
      deps[k] = i.propertyDependencies[k].map((d) => byUrn.get(d)).filter((d) => d);
    }
  }
  return intermediates.map((i) => i.resource as unknown as PolicyResource);
}

/**
 * An `analyzeStack` handler answering as `makeAnalyzeStackRpcFun(name,
 * version, level, policies)` does, building the resources once per call;
 * undefined if the runtime's modules are not the expected shape.
 */
export function stackResourcesOnce(
  makeStackHandler: MakeStackHandler,
  name: string,
  version: string,
  level: string,
  policies: Policy[],
): Handler | undefined {
  const rt = runtimeModules();
  if (!rt) return undefined;
  return (call, callback) => {
    const messages = call.request.getResourcesList();
    let built: PolicyResource[] | undefined;
    const resources = () => (built ??= stackResourcesOf(rt, messages));
    // One message of each type present, in first-seen order: the runtime's "only applies to type" shortcut sees the same types.
    const firstOfType = new Map<string, AnalyzerResourceMessage>();
    for (const r of messages) if (!firstOfType.has(r.getType())) firstOfType.set(r.getType(), r);
    const sample = [...firstOfType.values()];
    const own = policies.map((p) => {
      const validate = (p as { validateStack?: unknown }).validateStack;
      if (typeof validate !== "function") return p;
      const validateStack = function (this: unknown, args: StackValidationArgs, report: unknown) {
        return validate.call(this, { ...args, resources: resources().slice() }, report);
      } as typeof validate & { __pulumiType?: string };
      const type = rt.getPulumiType(validate);
      if (type) validateStack.__pulumiType = type;
      return { ...p, validateStack } as Policy;
    });
    return makeStackHandler(name, version, level, own)({ request: { getResourcesList: () => sample } }, callback);
  };
}
