// Preloaded (`node -r`) into every policy pack process started by engine/pack/spawn.ts.
//
// 1. Transpile only. Pulumi's `@pulumi/pulumi/cmd/run-policy-pack` registers
//    ts-node with `typeCheck: true`, so every pack start type-checks the whole
//    pack (several seconds with the cloud SDKs' types). `npm run check` runs
//    each pack process transpile-only instead; the pack's types are checked
//    once by `npm run typecheck`. Everything else (entry point, arguments,
//    environment, working directory, port on stdout) is what the Pulumi CLI
//    does. `--pack-type-check` (CHECK_PACK_TYPE_CHECK=1) keeps the type check.
// 2. Transpiled once. Transpiling the pack's TypeScript was about half of a
//    pack process's start (1.2 of 2.3 CPU seconds), paid again by every pack
//    process of every check. ts-node's output for a file depends only on its
//    path, its text, the compiler options and the ts-node/TypeScript
//    versions, so it is kept on disk under that key
//    (node_modules/.cache/check-pack-transpile, one entry per source file;
//    CHECK_PACK_CACHE_DIR moves it, CHECK_PACK_TRANSPILE_CACHE=0 turns it
//    off) and a later start loads the very same JavaScript. Stack traces stay
//    mapped to the TypeScript lines: the cached output carries ts-node's
//    inline source map, served to source-map-support as ts-node serves its own.
// 3. No orphans. The pack process exits when the check that started it is
//    gone (e.g. killed), as the Pulumi CLI's plugins die with the CLI.
"use strict";
const path = require("path");

const runner = process.env.CHECK_RUN_POLICY_PACK;
if (runner && process.env.CHECK_PACK_TYPE_CHECK !== "1") {
  // Patch the very ts-node the runner will require (resolved from its own location).
  const tsnodePath = require.resolve("ts-node", { paths: [path.dirname(runner)] });
  const tsnode = require(tsnodePath);
  const register = tsnode.register;
  tsnode.register = function (opts) {
    const service = register.call(this, Object.assign({}, opts, { typeCheck: false, transpileOnly: true }));
    if (process.env.CHECK_PACK_TRANSPILE_CACHE !== "0") {
      try {
        cacheTranspiledOutput(service, tsnode, tsnodePath);
      } catch {
        // No cache: ts-node transpiles as usual.
      }
    }
    return service;
  };
}

function cacheTranspiledOutput(service, tsnode, tsnodePath) {
  const crypto = require("crypto");
  const fs = require("fs");
  const sourceMapSupport = require(require.resolve("@cspotcode/source-map-support", { paths: [path.dirname(tsnodePath)] }));
  const dir = process.env.CHECK_PACK_CACHE_DIR || path.join(__dirname, "..", "..", "..", "node_modules", ".cache", "check-pack-transpile");
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
        if (name.startsWith(`${prefix}-`) && name !== path.basename(file) && name.endsWith(".js")) fs.rmSync(path.join(dir, name), { force: true });
      }
    } catch {
      // A read-only tree: no cache.
    }
    return output;
  };
}

const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 500).unref();
