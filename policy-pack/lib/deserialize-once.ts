/**
 * Speeds up the policy runtime (@pulumi/policy 1.21 server.js) without
 * changing what a policy sees: the runtime turns a resource's properties
 * (a protobuf Struct) into JavaScript once per policy in `Analyze` and once
 * per resource per stack policy in `AnalyzeStack` (each provider's too),
 * which was most of a pack process's time on large stacks. Installed by the
 * pack's entry, this keeps the result per Struct object (a WeakMap: gone
 * with the request), so every policy of one call gets the same properties,
 * each behind its own unknown-checking proxy as before.
 *
 * Sharing is safe because validations only read (the tests run every policy
 * over the shipped stacks and assert the shared object is unchanged).
 * Remediations (`proxySecrets` true) still get a fresh copy: they may change
 * it. If the runtime's module ever changes shape, nothing is installed.
 */
type Deserialize = (struct: unknown, proxySecrets: boolean) => Record<string, unknown>;

const INSTALLED = Symbol.for("secure-ml-training.deserializeOnce");

/** Installs the memo on the runtime's deserialize module; returns whether it is in place. */
export function installDeserializeOnce(runtime: { deserializeProperties?: unknown } = require("@pulumi/policy/deserialize")): boolean {
  const original = runtime.deserializeProperties as (Deserialize & { [INSTALLED]?: true }) | undefined;
  if (typeof original !== "function") return false;
  if (original[INSTALLED]) return true;
  const memo = new WeakMap<object, Record<string, unknown>>();
  const once: Deserialize & { [INSTALLED]?: true } = function (this: unknown, struct: unknown, proxySecrets: boolean) {
    if (proxySecrets || struct === null || typeof struct !== "object") return original.call(this, struct, proxySecrets);
    let props = memo.get(struct);
    if (props === undefined) {
      props = original.call(this, struct, proxySecrets);
      memo.set(struct, props);
    }
    return props;
  };
  once[INSTALLED] = true;
  runtime.deserializeProperties = once;
  return true;
}
