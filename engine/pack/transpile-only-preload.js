// Preloaded (`node -r`) into a TypeScript policy pack process (a pack whose package.json `main` is a .ts
// file) started by engine/pack/spawn.ts. A compiled (JavaScript) pack never gets this file.
//
// 1. Transpile only. Pulumi's `@pulumi/pulumi/cmd/run-policy-pack` registers
//    ts-node with `typeCheck: true`, so every pack start type-checks the whole
//    pack (10 s and more with the cloud SDKs' types). `npm run check` runs a
//    TypeScript pack transpile-only instead; `--pack-type-check` starts it
//    exactly as the CLI does. The ts-node patched is the one the runner will
//    load, found as @pulumi/pulumi's tsutils finds it: `ts-node` resolved
//    from @pulumi/pulumi, else the copy it vendors (vendor/ts-node@7.0.1), so
//    a pack without its own ts-node works as under the CLI.
// 2. Transpiled once. ts-node's output for a file depends only on its path,
//    its text, the compiler options and the ts-node/TypeScript versions, so
//    it is kept on disk under that key (node_modules/.cache/check-pack-transpile
//    of this repository, one entry per source file; CHECK_PACK_CACHE_DIR moves
//    it, CHECK_PACK_TRANSPILE_CACHE=0 turns it off) and a later start loads
//    the very same JavaScript, with ts-node's inline source map.
// 3. No orphans (orphan-guard.js).
"use strict";
const path = require("path");
require("./orphan-guard");

/** The ts-node module the runner will register (see @pulumi/pulumi/tsutils.js typeScriptRequireStrings). */
function runnersTsNode(runner) {
  const pulumiDir = path.resolve(path.dirname(runner), "..", "..");
  try {
    return require.resolve("ts-node", { paths: [pulumiDir] });
  } catch {
    return require.resolve(path.join(pulumiDir, "vendor", "ts-node@7.0.1"));
  }
}

const runner = process.env.CHECK_RUN_POLICY_PACK;
if (runner) {
  const tsnodePath = runnersTsNode(runner);
  const tsnode = require(tsnodePath);
  const register = tsnode.register;
  tsnode.register = function (opts) {
    const service = register.call(this, Object.assign({}, opts, { typeCheck: false, transpileOnly: true }));
    if (process.env.CHECK_PACK_TRANSPILE_CACHE !== "0") {
      try {
        cacheTranspiledOutput(service, tsnode, tsnodePath);
      } catch {
        // No cache (e.g. the vendored ts-node 7): ts-node transpiles as usual.
      }
    }
    return service;
  };
}

function cacheTranspiledOutput(service, tsnode, tsnodePath) {
  const crypto = require("crypto");
  const fs = require("fs");
  const sourceMapSupport = require(require.resolve("@cspotcode/source-map-support", { paths: [path.dirname(tsnodePath)] }));
  const dir = process.env.CHECK_PACK_CACHE_DIR || path.join(__dirname, "..", "..", "node_modules", ".cache", "check-pack-transpile");
  const hash = (text) => crypto.createHash("sha256").update(text).digest("hex");
  const salt = JSON.stringify([tsnode.VERSION, service.ts.version, service.config.options, service.options]);
  const normalize = (p) => String(p).replace(/\\/g, "/");
  /** Outputs loaded from the cache, for source maps (ts-node only knows the ones it produced). */
  const loaded = new Map();
  sourceMapSupport.install({
    environment: "node",
    retrieveFile(pathOrUrl) {
      let p = String(pathOrUrl);
      if (p.startsWith("file://")) {
        try {
          p = require("url").fileURLToPath(p);
        } catch {
          return null;
        }
      }
      return loaded.get(normalize(p)) || null;
    },
  });
  const compile = service.compile;
  service.compile = function (code, fileName, lineOffset) {
    if (lineOffset) return compile.call(this, code, fileName, lineOffset);
    const prefix = hash(normalize(fileName)).slice(0, 24);
    const file = path.join(dir, `${prefix}-${hash(`${salt}\0${normalize(fileName)}\0${code}`)}.js`);
    let output;
    try {
      output = fs.readFileSync(file, "utf8");
    } catch {
      output = undefined;
    }
    if (output !== undefined) {
      loaded.set(normalize(fileName), output);
      return output;
    }
    output = compile.call(this, code, fileName);
    try {
      fs.mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, output);
      fs.renameSync(tmp, file);
      // One entry per source file: drop the outputs of its earlier versions.
      for (const name of fs.readdirSync(dir)) {
        if (name.startsWith(`${prefix}-`) && name !== path.basename(file) && name.endsWith(".js"))
          fs.rmSync(path.join(dir, name), { force: true });
      }
    } catch {
      // A read-only tree: no cache.
    }
    return output;
  };
}
