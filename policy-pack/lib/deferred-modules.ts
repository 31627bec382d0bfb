/**
 * Shortens the pack process's start (issue 17) without changing what any
 * code sees. Loading @pulumi/pulumi loads, with it, the machinery of two
 * features a policy pack never uses: closure serialization
 * (runtime/closure/codePaths.js requires npm's @npmcli/arborist, with
 * pacote, sigstore, tuf-js, make-fetch-happen and some 150 more modules, and
 * normalize-package-data, fdir, upath) and the Automation API
 * (automation/cmd.js requires execa, automation/stack.js
 * @logdna/tail-file): about 0.3 of a 1.0 s pack start on the project's
 * machine, under the Pulumi CLI too. Imported by the pack's entry before
 * @pulumi/policy, this puts a stand-in for each of those packages in Node's
 * module cache; the real module loads the first time anything reads from
 * its stand-in, and then replaces it in the cache.
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
 * The stand-in reads as TypeScript's import helpers see the module: it
 * answers `__esModule` true, so `__importStar` and `__importDefault` keep it
 * instead of wrapping (and so loading) it at import time, and its `default`
 * is the module itself when the module is CommonJS (as the helpers' wrapper
 * would give), the module's own `default` otherwise; any other read gives
 * the module's own value. Returns false, and changes nothing, when the
 * module is loaded already. (The check's preload for compiled packs,
 * engine/pack/compiled-pack-preload.js, defers the TypeScript compiler with
 * this too.)
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
        const m = load();
        if (key === "default" && !(m as { __esModule?: unknown }).__esModule) return m;
        return Reflect.get(m, key);
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

/** The packages deferred, by the @pulumi/pulumi module that requires them when @pulumi/pulumi loads. */
const UNUSED: readonly (readonly [from: string, packages: readonly string[]])[] = [
  ["runtime/closure/codePaths", ["@npmcli/arborist", "normalize-package-data", "fdir", "upath"]],
  ["automation/cmd", ["execa"]],
  ["automation/stack", ["@logdna/tail-file"]],
];

/**
 * Defers the closure-serialization and Automation API packages of the
 * @pulumi/pulumi the policy SDK loads. Returns the packages now deferred
 * (none when the runtime is laid out otherwise, or they are loaded already).
 */
export function deferUnusedRuntimeModules(): string[] {
  const deferred: string[] = [];
  let pulumiDir: string;
  try {
    const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
    pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [policyDir] }));
  } catch {
    return deferred;
  }
  for (const [from, packages] of UNUSED) {
    for (const name of packages) {
      let file: string;
      try {
        file = require.resolve(name, { paths: [path.dirname(path.join(pulumiDir, from))] });
      } catch {
        continue; // a runtime laid out otherwise: loads as usual
      }
      if (deferModule(file)) deferred.push(name);
    }
  }
  return deferred;
}
