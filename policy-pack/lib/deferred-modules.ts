/**
 * Shortens the pack process's start (issue 17) without changing what any
 * code sees. Loading @pulumi/pulumi loads the machinery of closure
 * serialization with it: runtime/closure/codePaths.js requires npm's
 * @npmcli/arborist, and with it pacote, sigstore, tuf-js, make-fetch-happen
 * and some 150 more modules — about a quarter of a pack process's start
 * (0.25 of 1.0 s on the project's machine, under the Pulumi CLI too). Only
 * `computeCodePaths` (serializing a function with its node_modules) ever
 * reads it, and a policy pack never serializes a function. Imported by the
 * pack's entry before @pulumi/policy, this puts a stand-in for arborist in
 * Node's module cache; the real module loads the first time anything reads
 * from the stand-in, and then replaces it in the cache.
 */
import Module = require("module");
import * as path from "path";

/** Read from a stand-in without loading its module: true while the module is not loaded yet. */
export const PENDING = Symbol.for("secure-ml-training.deferredModule.pending");

/**
 * Puts a stand-in for the module file `filename` into Node's module cache,
 * so `require` answers with it; the module loads on the first read of
 * anything but `__esModule`, `PENDING` and the keys of `known` (values the
 * caller knows the module has, e.g. a version read from its package.json).
 * The stand-in answers `__esModule` true, so TypeScript's `__importStar`
 * keeps it instead of copying (and so loading) every export at import time;
 * reads through it give the module's own values. Returns false, and changes
 * nothing, when the module is loaded already. (The check's preload for
 * compiled packs, engine/pack/compiled-pack-preload.js, defers the
 * TypeScript compiler with this too.)
 */
export function deferModule(filename: string, known: Readonly<Record<string, unknown>> = {}): boolean {
  if (require.cache[filename]) return false;
  let real: object | undefined;
  const load = (): object => {
    if (real === undefined) {
      if (require.cache[filename] === stub) delete require.cache[filename];
      real = require(filename) as object;
    }
    return real;
  };
  const standIn = new Proxy<object>(
    {},
    {
      get: (_, key) => {
        if (key === "__esModule") return true;
        if (key === PENDING) return real === undefined;
        if (real === undefined && typeof key === "string" && Object.hasOwn(known, key)) return known[key];
        return Reflect.get(load(), key);
      },
      has: (_, key) => key === "__esModule" || Reflect.has(load(), key),
      ownKeys: () => Reflect.ownKeys(load()),
      // Reported configurable: the stand-in's own (empty) target must not contradict the module's descriptors.
      getOwnPropertyDescriptor: (_, key) => {
        const d = Reflect.getOwnPropertyDescriptor(load(), key);
        return d && { ...d, configurable: true };
      },
      set: (_, key, value) => Reflect.set(load(), key, value),
      defineProperty: (_, key, d) => Reflect.defineProperty(load(), key, d),
      deleteProperty: (_, key) => Reflect.deleteProperty(load(), key),
    },
  );
  const stub = new Module(filename);
  stub.filename = filename;
  stub.loaded = true;
  stub.exports = standIn;
  stub.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(filename));
  require.cache[filename] = stub;
  return true;
}

/**
 * Defers the @npmcli/arborist that @pulumi/pulumi's closure serialization
 * requires (the @pulumi/pulumi the policy SDK loads). Returns whether the
 * stand-in is in place.
 */
export function deferClosureSerializationModules(): boolean {
  let arborist: string;
  try {
    const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
    const codePaths = require.resolve("@pulumi/pulumi/runtime/closure/codePaths", { paths: [policyDir] });
    arborist = require.resolve("@npmcli/arborist", { paths: [path.dirname(codePaths)] });
  } catch {
    return false; // a runtime laid out otherwise: load as usual
  }
  return deferModule(arborist);
}
