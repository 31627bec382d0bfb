// Preloaded (`node -r`) into every policy pack process started by tools/check/pack/spawn.ts.
//
// 1. Transpile only. Pulumi's `@pulumi/pulumi/cmd/run-policy-pack` registers
//    ts-node with `typeCheck: true`, so every pack start type-checks the whole
//    pack (several seconds with the cloud SDKs' types). `npm run check` runs
//    each pack process transpile-only instead; the pack's types are checked
//    once by `npm run typecheck`. Everything else (entry point, arguments,
//    environment, working directory, port on stdout) is what the Pulumi CLI
//    does. `--pack-type-check` (CHECK_PACK_TYPE_CHECK=1) keeps the type check.
// 2. No orphans. The pack process exits when the check that started it is
//    gone (e.g. killed), as the Pulumi CLI's plugins die with the CLI.
"use strict";
const path = require("path");

const runner = process.env.CHECK_RUN_POLICY_PACK;
if (runner && process.env.CHECK_PACK_TYPE_CHECK !== "1") {
  // Patch the very ts-node the runner will require (resolved from its own location).
  const tsnode = require(require.resolve("ts-node", { paths: [path.dirname(runner)] }));
  const register = tsnode.register;
  tsnode.register = function (opts) {
    return register.call(this, Object.assign({}, opts, { typeCheck: false, transpileOnly: true }));
  };
}

const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 500).unref();
