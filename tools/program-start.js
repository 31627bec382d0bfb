// Loads a Pulumi TypeScript program the way the Pulumi CLI's Node.js language host does
// (@pulumi/pulumi/cmd/run: ts-node registered with the program's tsconfig.json, type-checked unless
// PULUMI_NODEJS_TRANSPILE_ONLY=true) under Pulumi's mocks with one stack's config, and prints one JSON line:
// {"loadedMs": <from process start to the program's module loaded>, "rssMB": ...}.
// Plain JavaScript on purpose: it registers ts-node itself. Used by `npm run bench` (tools/bench.ts).
// Usage: node tools/program-start.js PROGRAM_DIR STACK
"use strict";
const fs = require("fs");
const path = require("path");
const { performance } = require("perf_hooks");

const [dir, stack] = process.argv.slice(2);
process.chdir(dir);
const YAML = require(require.resolve("yaml", { paths: [__dirname] }));
const project = YAML.parse(fs.readFileSync("Pulumi.yaml", "utf8"));
const stackConfig = (YAML.parse(fs.readFileSync(`Pulumi.${stack}.yaml`, "utf8")) || {}).config || {};
const config = {};
for (const [k, v] of Object.entries(stackConfig))
  config[k.includes(":") ? k : `${project.name}:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
process.env.PULUMI_CONFIG = JSON.stringify(config);

// As cmd/run/run.js: the program's tsconfig.json, transpileOnly from PULUMI_NODEJS_TRANSPILE_ONLY (else type-check).
const tsn = require(require.resolve("ts-node", { paths: [dir] }));
const env = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
tsn.register({
  transpileOnly: env ? env === "true" : undefined,
  project: "tsconfig.json",
  skipProject: !fs.existsSync("tsconfig.json"),
  compilerOptions: { target: "ES2020", module: "commonjs", moduleResolution: "node", sourceMap: "true" },
});
const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [dir] }));
pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: () => ({}) }, project.name, stack, true);
process.on("unhandledRejection", () => undefined);
require(path.resolve(project.main || "."));
process.stdout.write(
  JSON.stringify({ loadedMs: Math.round(performance.now()), rssMB: Math.round(process.memoryUsage().rss / 1e6) }) + "\n",
  () => process.exit(0),
);
