// Preloaded (`node -r`) into a compiled (JavaScript) policy pack process started by engine/pack/spawn.ts
// (`--pack-type-check` starts it with only the orphan guard, exactly as the CLI does).
//
// 1. TypeScript when a TypeScript file comes. Pulumi's runner (@pulumi/pulumi 3.248
//    cmd/run-policy-pack/run.js) registers ts-node for every pack, compiled or not: it requires the
//    TypeScript compiler (to log and check its version), parses the pack folder's tsconfig.json with it
//    (tsutils.loadTypeScriptCompilerOptions) and calls ts-node's `register` — about 0.3 s of CPU on
//    every start, though ts-node compiles only .ts/.tsx/.mts/.cts files (.js too with allowJs) and a
//    compiled pack requires none. Here the runner's `typescript` is a stand-in that knows its version
//    (read from its package.json) and loads the compiler when anything else is read; the tsconfig's
//    compilerOptions are read when the registration happens; and `register` installs hooks for those
//    extensions that do the runner's very registration (its options, then the tsconfig's
//    compilerOptions, as the runner spreads them) when the first such file is required, then hand it the
//    file. Stack traces of a compiled pack point at its TypeScript as before: the runner installs
//    source-map-support itself (cmd/run-policy-pack/index.js), which reads the .js.map files.
//    Nothing is deferred, and the runner registers ts-node itself, when ts-node could compile the pack's
//    JavaScript or change what loads (the pack's tsconfig.json, or one it extends, sets `allowJs` or has a
//    "ts-node" section, or cannot be read), when the runner would use @pulumi/pulumi's vendored ts-node or
//    TypeScript, or when the runner's modules are not shaped as in 3.248.
// 2. The inspector's Debugger when something asks for it. Before loading the pack the runner awaits
//    @pulumi/pulumi's runtime/closure/v8Hooks.js `isInitializedAsync`, which opens an inspector session and
//    enables its Debugger domain (so closure serialization can map script ids to files): V8 then reports
//    every script it compiles to that session and every exception costs more — about 0.1 s of a pack's
//    start and more on large stacks, for a feature a policy pack never uses. Here `isInitializedAsync`
//    resolves at once; the session and its Debugger start on the first `getSessionAsync`, i.e. when
//    closure serialization first asks (its map of script ids then holds the scripts parsed from then on,
//    where the runner's holds those parsed after the pack's start).
// 3. No orphans (orphan-guard.js).
"use strict";
const fs = require("fs");
const path = require("path");
require("./orphan-guard");

const TS_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts"];

const runner = process.env.CHECK_RUN_POLICY_PACK;
if (runner) {
  let plan;
  try {
    plan = planDeferral(runner, process.cwd());
  } catch {
    plan = undefined; // anything unexpected: the runner registers ts-node as under the CLI
  }
  if (plan) applyDeferral(plan);
  deferDebugger(runner);
}

/** Step 2: the runner's wait for the inspector session resolves at once; the session starts when first asked for. */
function deferDebugger(runnerPath) {
  let hooks;
  try {
    hooks = require(path.resolve(path.dirname(runnerPath), "..", "..", "runtime", "closure", "v8Hooks.js"));
  } catch {
    return; // laid out otherwise: the runner enables it as under the CLI
  }
  if (typeof hooks.isInitializedAsync !== "function" || typeof hooks.getSessionAsync !== "function") return;
  hooks.isInitializedAsync = async function () {};
}

/** What to patch, found and checked before anything is patched; undefined: defer nothing. */
function planDeferral(runnerPath, packDir) {
  const pulumiDir = path.resolve(path.dirname(runnerPath), "..", "..");
  // As @pulumi/pulumi's tsutils.typeScriptRequireStrings finds them; a vendored copy: defer nothing.
  const tsPath = require.resolve("typescript", { paths: [pulumiDir] });
  const tsnodePath = require.resolve("ts-node", { paths: [pulumiDir] });
  if (tsNodeMayCompileJavaScript(packDir)) return undefined;
  const tsVersion = require(require.resolve("typescript/package.json", { paths: [pulumiDir] })).version;
  const tsutils = require(path.join(pulumiDir, "tsutils.js"));
  const tsnode = require(tsnodePath);
  if (typeof tsutils.loadTypeScriptCompilerOptions !== "function" || typeof tsnode.register !== "function") return undefined;
  if (typeof tsVersion !== "string" || require.cache[tsPath]) return undefined;
  // The stand-in is this project's pack's own (policy-pack/lib/deferred-modules.ts, built by npm install).
  const { deferModule } = require(path.join(__dirname, "..", "..", "policy-pack", "bin", "lib", "deferred-modules.js"));
  return { tsPath, tsVersion, tsutils, tsnode, deferModule };
}

function applyDeferral({ tsPath, tsVersion, tsutils, tsnode, deferModule }) {
  if (!deferModule(tsPath, { version: tsVersion })) return;
  const loadCompilerOptions = tsutils.loadTypeScriptCompilerOptions;
  let tsconfigPath;
  tsutils.loadTypeScriptCompilerOptions = function (p) {
    tsconfigPath = p;
    return {};
  };
  const register = tsnode.register;
  tsnode.register = function (opts) {
    tsnode.register = register;
    tsutils.loadTypeScriptCompilerOptions = loadCompilerOptions;
    const before = new Map(TS_EXTENSIONS.map((e) => [e, Object.getOwnPropertyDescriptor(require.extensions, e)]));
    let registered = false;
    const registerNow = () => {
      if (registered) return;
      registered = true;
      for (const [e, d] of before) {
        if (d) Object.defineProperty(require.extensions, e, d);
        else delete require.extensions[e];
      }
      const fileOptions = tsconfigPath === undefined ? {} : loadCompilerOptions(tsconfigPath);
      register.call(tsnode, { ...opts, compilerOptions: { ...(opts && opts.compilerOptions), ...fileOptions } });
    };
    for (const e of TS_EXTENSIONS) {
      require.extensions[e] = function (m, filename) {
        registerNow();
        // ts-node hooks .mts/.cts through the .js handler when nothing else registered them.
        return (require.extensions[e] || require.extensions[".js"])(m, filename);
      };
    }
  };
}

/**
 * Whether ts-node, registered by the runner in `packDir`, could compile JavaScript or load more than
 * TypeScript files: the runner lets ts-node read ./tsconfig.json (and what it extends) when it exists.
 * Unreadable or unresolvable configuration counts as yes.
 */
function tsNodeMayCompileJavaScript(packDir) {
  const first = path.join(packDir, "tsconfig.json");
  if (!fs.existsSync(first)) return false;
  const jsonc = require("jsonc-parser");
  const queue = [first];
  const seen = new Set();
  while (queue.length > 0) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const errors = [];
    const config = jsonc.parse(fs.readFileSync(file, "utf8"), errors, { allowTrailingComma: true });
    if (errors.length > 0 || config === null || typeof config !== "object" || Array.isArray(config)) return true;
    if ("ts-node" in config) return true;
    const options = config.compilerOptions;
    if (
      options !== undefined &&
      (options === null || typeof options !== "object" || (options.allowJs !== undefined && options.allowJs !== false))
    )
      return true;
    for (const ext of config.extends === undefined ? [] : [].concat(config.extends)) {
      const next = typeof ext === "string" ? resolveExtends(ext, path.dirname(file)) : undefined;
      if (next === undefined) return true;
      queue.push(next);
    }
  }
  return false;
}

/** A tsconfig `extends` entry as TypeScript resolves it: a path (with or without .json) or a package's file. */
function resolveExtends(ext, dir) {
  const isPath = ext.startsWith(".") || path.isAbsolute(ext);
  const candidates = isPath ? [path.resolve(dir, ext), path.resolve(dir, `${ext}.json`)] : [];
  for (const c of candidates) if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  if (isPath) return undefined;
  for (const request of [ext, `${ext}.json`, `${ext}/tsconfig.json`]) {
    try {
      return require.resolve(request, { paths: [dir] });
    } catch {
      // next form
    }
  }
  return undefined;
}

module.exports = { tsNodeMayCompileJavaScript };
