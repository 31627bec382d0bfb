/**
 * How the check starts a policy pack: exactly as the Pulumi CLI does for a
 * JavaScript pack (this project's compiled pack, packs from npm), without
 * needing ts-node anywhere near the pack; a compiled pack whose JavaScript
 * no longer matches its TypeScript is refused; TypeScript packs of other
 * people still start (transpile-only, or type-checked as by the CLI).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CheckUsageError } from "../../../cli/check/errors";
import {
  ENGINE_ADDRESS,
  PackLaunchOptions,
  packNodeArgs,
  readPolicyPackProject,
  spawnPack,
  staleSources,
} from "../../../engine/pack/spawn";
import { FIXTURE_PACK, FIXTURE_PROGRAM, REAL_PACK, ROOT, reportOf, runCheckCli } from "../../cli/check/helpers";

const JS_PACK = path.join(ROOT, "test", "fixtures", "js-policy-pack");
const PRELOADS = path.join(ROOT, "engine", "pack");

function launch(packDir: string, typeCheck = false): PackLaunchOptions {
  return { packDir, project: "p", stack: "dev", config: {}, secretKeys: [], typeCheck };
}

/**
 * The JS fixture pack as `npm install` outside this repository leaves it: a
 * real copy of @pulumi/pulumi (so its `require("ts-node")` looks only in
 * this tree) and its other dependencies linked, but no ts-node, no typescript.
 */
function installOutside(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "js-pack-"));
  for (const f of fs.readdirSync(JS_PACK)) fs.copyFileSync(path.join(JS_PACK, f), path.join(dir, f));
  const nm = path.join(dir, "node_modules");
  fs.mkdirSync(path.join(nm, "@pulumi"), { recursive: true });
  const rootNm = path.join(ROOT, "node_modules");
  fs.cpSync(path.join(rootNm, "@pulumi", "pulumi"), path.join(nm, "@pulumi", "pulumi"), { recursive: true, dereference: true });
  fs.symlinkSync(path.join(rootNm, "@pulumi", "policy"), path.join(nm, "@pulumi", "policy"));
  const deps = Object.keys(JSON.parse(fs.readFileSync(path.join(rootNm, "@pulumi", "pulumi", "package.json"), "utf8")).dependencies ?? {});
  for (const d of deps) {
    if (d === "ts-node" || d === "typescript" || !fs.existsSync(path.join(rootNm, d))) continue;
    fs.mkdirSync(path.dirname(path.join(nm, d)), { recursive: true });
    fs.symlinkSync(path.join(rootNm, d), path.join(nm, d));
  }
  return dir;
}

describe("engine: starting a policy pack as the Pulumi CLI does", function () {
  this.timeout(180_000);

  it("this project's pack ships as JavaScript: main is the compiled entry, with source maps, current with its TypeScript", () => {
    const project = readPolicyPackProject(REAL_PACK);
    expect(path.relative(REAL_PACK, project.entry)).to.equal(path.join("bin", "index.js"));
    expect(project.typeScript).to.equal(false);
    expect(fs.existsSync(`${project.entry}.map`)).to.equal(true);
    const map = JSON.parse(fs.readFileSync(`${project.entry}.map`, "utf8"));
    expect(map.sources).to.deep.equal(["../index.ts"]);
    expect(staleSources(project), "run npm run build").to.deep.equal([]);
  });

  it("starts a pack with the runner's argv: a JavaScript one with TypeScript held back, a TypeScript one transpile-only, either exactly as the CLI with --pack-type-check", () => {
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [REAL_PACK] });
    const js = readPolicyPackProject(REAL_PACK);
    expect(packNodeArgs(launch(REAL_PACK), js, runner)).to.deep.equal([
      "-r",
      path.join(PRELOADS, "compiled-pack-preload.js"),
      runner,
      ENGINE_ADDRESS,
      ".",
    ]);
    expect(packNodeArgs(launch(REAL_PACK, true), js, runner)).to.deep.equal([
      "-r",
      path.join(PRELOADS, "orphan-guard.js"),
      runner,
      ENGINE_ADDRESS,
      ".",
    ]);
    const ts = readPolicyPackProject(FIXTURE_PACK);
    expect(ts.typeScript).to.equal(true);
    expect(packNodeArgs(launch(FIXTURE_PACK), ts, runner)[1]).to.equal(path.join(PRELOADS, "transpile-only-preload.js"));
    expect(packNodeArgs(launch(FIXTURE_PACK, true), ts, runner)[1]).to.equal(path.join(PRELOADS, "orphan-guard.js"));
    // The orphan guard touches nothing but the process's lifetime.
    expect(fs.readFileSync(path.join(PRELOADS, "orphan-guard.js"), "utf8")).to.not.match(/require\(|ts-node/);
  });

  it("refuses a compiled pack whose TypeScript changed since the build, naming the file and the build command", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stale-pack-"));
    try {
      fs.mkdirSync(path.join(dir, "bin"));
      fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "stale", main: "bin/index.js" }));
      const source = "export const x = 1;\n";
      fs.writeFileSync(path.join(dir, "index.ts"), source);
      fs.writeFileSync(path.join(dir, "bin", "index.js"), '"use strict";\nexports.x = 1;\n//# sourceMappingURL=index.js.map\n');
      fs.writeFileSync(
        path.join(dir, "bin", "index.js.map"),
        JSON.stringify({ version: 3, file: "index.js", sources: ["../index.ts"], sourcesContent: [source], mappings: "" }),
      );
      const project = readPolicyPackProject(dir);
      expect(staleSources(project)).to.deep.equal([]);
      fs.writeFileSync(path.join(dir, "index.ts"), "export const x = 2;\n");
      expect(staleSources(project)).to.deep.equal(["index.ts"]);
      expect(() => spawnPack(launch(dir), project)).to.throw(
        CheckUsageError,
        /compiled JavaScript \(bin\/index\.js\) is older than its TypeScript \(index\.ts changed since the build\); run `npm run build`/,
      );
      // Without the build, Node's fallback (index.js, then index.ts as ts-node registers it) loads the TypeScript.
      fs.rmSync(path.join(dir, "bin"), { recursive: true });
      expect(readPolicyPackProject(dir)).to.include({ entry: path.join(dir, "index.ts"), typeScript: true });
      fs.rmSync(path.join(dir, "index.ts"));
      expect(() => readPolicyPackProject(dir)).to.throw(
        CheckUsageError,
        /"main" is "bin\/index\.js", which does not exist; if it is built from TypeScript, run its build/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("a JavaScript pack installed outside this repository, without ts-node", () => {
    let dir: string;
    before(() => {
      dir = installOutside();
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("has no ts-node or typescript within reach of its runner (the CLI would use @pulumi/pulumi's vendored copies)", () => {
      const pulumiDir = path.join(dir, "node_modules", "@pulumi", "pulumi");
      expect(() => require.resolve("ts-node", { paths: [pulumiDir] })).to.throw(/Cannot find module/);
      expect(() => require.resolve("typescript", { paths: [pulumiDir] })).to.throw(/Cannot find module/);
      expect(fs.existsSync(path.join(pulumiDir, "vendor", "ts-node@7.0.1"))).to.equal(true);
    });

    it("`npm run check --policy-pack DIR` runs it: its resource and stack policies report over the analyzer protocol", async () => {
      const run = await runCheckCli(["--program", FIXTURE_PROGRAM, "--stack", "dev", "--policy-pack", dir, "--format", "json"]);
      const report = reportOf(run);
      expect(run.code, run.stderr).to.equal(1);
      expect(report.policyPack.name).to.equal("check-fixture-js");
      const names = report.violations.map((v: { policy: string }) => v.policy);
      expect(names).to.include("js-bucket-needs-tags");
      const untagged = report.violations.filter((v: { policy: string }) => v.policy === "js-bucket-needs-tags");
      expect(untagged.map((v: { resourceName: string }) => v.resourceName)).to.deep.equal(["store-logs"]);
    });
  });
});
