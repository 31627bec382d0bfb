/**
 * engine/pack/compiled-pack-preload.js: a compiled pack starts without the
 * TypeScript compiler, and everything the runner's ts-node registration
 * does still happens when it matters — the first TypeScript file is
 * type-checked with the runner's options and the pack's tsconfig, stack
 * traces of the compiled JavaScript point at its TypeScript — unless
 * ts-node could compile the pack's JavaScript, and never with
 * `--pack-type-check`. The runner's inspector Debugger (for closure
 * serialization) starts when closure serialization first asks for it.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { FIXTURE_PROGRAM, ROOT, reportOf, runCheckCli } from "../../cli/check/helpers";

const preload = require(path.join(ROOT, "engine", "pack", "compiled-pack-preload.js")) as {
  tsNodeMayCompileJavaScript(dir: string): boolean;
};

/** The probe's stack policy reports this as its one violation message. */
interface Probe {
  readonly atStart: { readonly compilerDeferred: boolean; readonly tsNodeRegistered: boolean; readonly debuggerAtStart: boolean };
  readonly lateFile: string;
  readonly stack: string;
  readonly lazy: unknown;
  readonly broken: string;
  readonly afterTypeScript: {
    readonly compilerDeferred: boolean;
    readonly tsNodeRegistered: boolean;
    readonly typeCheck: unknown;
    readonly strict: unknown;
  };
}

const PROBE_INDEX = `"use strict";
const path = require("path");
const { PolicyPack } = require("@pulumi/policy");
const PENDING = Symbol.for("secure-ml-training.deferredModule.pending");
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const tsPath = require.resolve("typescript", { paths: [pulumiDir] });
const service = () => process[Symbol.for("ts-node.register.instance")];
const state = () => ({ compilerDeferred: Boolean(require.cache[tsPath] && require.cache[tsPath].exports[PENDING] === true), tsNodeRegistered: Boolean(service()) });
const atStart = state();
new PolicyPack("preload-probe", {
  policies: [
    {
      name: "probe",
      description: "Reports what the pack process loaded.",
      enforcementLevel: "advisory",
      validateStack: async (args, reportViolation) => {
        // Closure serialization's view of functions: the pack's own index.js is known to it only if the Debugger
        // was on when the pack loaded; late.js, loaded after the first ask, always.
        const v8 = require(path.join(pulumiDir, "runtime", "closure", "v8.js"));
        const indexFile = (await v8.getFunctionLocationAsync(state)).file;
        const lateFile = (await v8.getFunctionLocationAsync(require("./late.js").late)).file;
        const debuggerAtStart = indexFile.endsWith("index.js");
        const stack = require("./thrower.js").where();
        const lazy = require("./lazy.ts").answer;
        let broken = "";
        try { require("./broken.ts"); } catch (e) { broken = String(e.message); }
        const s = service();
        const afterTypeScript = { ...state(), typeCheck: s && s.options.typeCheck, strict: s && s.config.options.strict };
        reportViolation(JSON.stringify({ atStart: { ...atStart, debuggerAtStart }, lateFile, stack, lazy, broken, afterTypeScript }));
      },
    },
  ],
});
`;

const THROWER_TS = `// Compiled to thrower.js with a source map.
export function where(): string {
  const e = new Error("here");
  return String(e.stack).split("\\n")[1];
}
`;

/**
 * A compiled probe pack outside this repository, its node_modules a link to this repository's (so, as
 * for an installed pack, what it loads from there is under a node_modules folder, which ts-node ignores).
 */
function probePack(tsconfig: object | undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "compiled-pack-preload-"));
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: probe\n");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "preload-probe", version: "0.0.1", main: "index.js" }));
  fs.writeFileSync(path.join(dir, "index.js"), PROBE_INDEX);
  const out = ts.transpileModule(THROWER_TS, {
    fileName: "thrower.ts",
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, sourceMap: true },
  });
  fs.writeFileSync(
    path.join(dir, "thrower.js"),
    out.outputText.replace(/\/\/# sourceMappingURL=.*$/m, "//# sourceMappingURL=thrower.js.map"),
  );
  fs.writeFileSync(path.join(dir, "thrower.js.map"), out.sourceMapText!);
  fs.writeFileSync(path.join(dir, "lazy.ts"), "export const answer: number = 6 * 7;\n");
  fs.writeFileSync(path.join(dir, "late.js"), "exports.late = function late() { return 1; };\n");
  fs.writeFileSync(path.join(dir, "broken.ts"), 'export const n: number = "not a number";\n');
  if (tsconfig) fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
  return dir;
}

async function probe(dir: string, extra: string[] = []): Promise<Probe> {
  const run = await runCheckCli(["--program", FIXTURE_PROGRAM, "--stack", "dev", "--policy-pack", dir, "--format", "json", ...extra]);
  const report = reportOf(run);
  const found = report.violations.filter((v: { policy: string }) => v.policy === "probe");
  expect(found, run.stderr).to.have.length(1);
  // The SDK puts the policy's description before the reported text.
  const message: string = found[0].message;
  return JSON.parse(message.slice(message.indexOf("{"))) as Probe;
}

describe("engine: a compiled pack starts without TypeScript until a TypeScript file comes, and without the inspector's Debugger until asked", function () {
  this.timeout(300_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("defers the compiler and ts-node's registration; the first .ts file is type-checked with the runner's options and the pack's tsconfig; stacks point at the TypeScript", async () => {
    const dir = probePack({ compilerOptions: { strict: true } });
    dirs.push(dir);
    const p = await probe(dir);
    expect(p.atStart).to.deep.equal({ compilerDeferred: true, tsNodeRegistered: false, debuggerAtStart: false });
    expect(p.lateFile).to.match(/late\.js$/);
    expect(p.stack).to.match(/thrower\.ts:3:\d+\)$/);
    expect(p.lazy).to.equal(42);
    expect(p.broken).to.match(/Unable to compile TypeScript[\s\S]*broken\.ts\(1,14\): error TS2322/);
    expect(p.afterTypeScript).to.deep.equal({ compilerDeferred: false, tsNodeRegistered: true, typeCheck: true, strict: true });
  });

  it("with --pack-type-check the runner registers ts-node up front, as under the CLI; the same pack gives the same answers", async () => {
    const dir = probePack({ compilerOptions: { strict: true } });
    dirs.push(dir);
    const p = await probe(dir, ["--pack-type-check"]);
    expect(p.atStart).to.deep.equal({ compilerDeferred: false, tsNodeRegistered: true, debuggerAtStart: true });
    expect(p.lateFile).to.match(/late\.js$/);
    expect(p.stack).to.match(/thrower\.ts:3:\d+\)$/);
    expect(p.lazy).to.equal(42);
    expect(p.broken).to.match(/broken\.ts\(1,14\): error TS2322/);
    expect(p.afterTypeScript).to.deep.equal({ compilerDeferred: false, tsNodeRegistered: true, typeCheck: true, strict: true });
  });

  it("defers nothing when ts-node could compile the pack's JavaScript or change what loads", async () => {
    const dir = probePack({ extends: "./base" });
    dirs.push(dir);
    fs.writeFileSync(
      path.join(dir, "base.json"),
      '{\n  // comments and trailing commas, as tsc reads them\n  "compilerOptions": { "strict": true, },\n}\n',
    );
    expect(preload.tsNodeMayCompileJavaScript(dir)).to.equal(false);
    const settings: [string, boolean][] = [
      ['{ "compilerOptions": { "allowJs": true } }', true],
      ['{ "compilerOptions": { "allowJs": false } }', false],
      ['{ "ts-node": { "transpileOnly": true } }', true],
      ['{ "extends": "./missing" }', true],
      ['{ "extends": ["./other.json"] }', false],
      ['{ "compilerOptions": ', true],
      ["[]", true],
    ];
    fs.writeFileSync(path.join(dir, "other.json"), "{}");
    for (const [text, may] of settings) {
      fs.writeFileSync(path.join(dir, "base.json"), text);
      expect(preload.tsNodeMayCompileJavaScript(dir), text).to.equal(may);
    }
    // A package's tsconfig, as `extends` names it.
    const pkg = path.join(dir, "packages", "node_modules", "@probe", "tsconfig");
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, "tsconfig.json"), '{ "compilerOptions": { "allowJs": true } }');
    fs.writeFileSync(path.join(dir, "packages", "tsconfig.json"), '{ "extends": "@probe/tsconfig" }');
    fs.writeFileSync(path.join(dir, "tsconfig.json"), '{ "extends": "./packages/tsconfig.json" }');
    expect(preload.tsNodeMayCompileJavaScript(dir)).to.equal(true);
    fs.rmSync(path.join(dir, "tsconfig.json"));
    expect(preload.tsNodeMayCompileJavaScript(dir), "no tsconfig.json: the runner skips the project").to.equal(false);

    // allowJs: the runner's own registration, at start.
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { allowJs: true, strict: true } }));
    const p = await probe(dir);
    expect(p.atStart).to.deep.equal({ compilerDeferred: false, tsNodeRegistered: true, debuggerAtStart: false });
    expect(p.lazy).to.equal(42);
  });
});
