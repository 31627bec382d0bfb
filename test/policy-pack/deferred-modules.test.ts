/**
 * policy-pack/lib/deferred-modules.ts: the pack's process no longer loads
 * @pulumi/pulumi's closure-serialization npm machinery at start, and a
 * deferred module reads exactly as the module itself once something uses it.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { deferModule, PENDING } from "../../policy-pack/lib/deferred-modules";

const ROOT = path.join(__dirname, "..", "..");
const COMPILED = path.join(ROOT, "policy-pack", "bin", "lib", "deferred-modules.js");

/** Runs `script` in a fresh Node process (its own module cache) from the pack's folder; returns its JSON. */
function inFreshProcess<T>(script: string): T {
  const out = execFileSync(process.execPath, ["-e", script], { cwd: path.join(ROOT, "policy-pack"), encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!) as T;
}

const COUNT_NPM_MACHINERY = `
  const loaded = Object.keys(require.cache).filter((f) => /[\\\\/]node_modules[\\\\/](@npmcli|pacote|sigstore|@sigstore|tuf-js|make-fetch-happen|normalize-package-data|fdir|upath|execa|@logdna)[\\\\/]/.test(f));
  const standIns = loaded.filter((f) => require.cache[f].exports[Symbol.for("secure-ml-training.deferredModule.pending")] === true);
  console.log(JSON.stringify({ loaded: loaded.length, standIns: standIns.length }));`;

describe("policy pack: modules the pack never uses load only when used", function () {
  this.timeout(60_000);

  it("loading the policy SDK after the pack's first import leaves closure serialization's and the Automation API's packages unloaded (without it, over 100 modules load)", () => {
    const deferred = inFreshProcess<{ loaded: number; standIns: number; names: string[] }>(
      `const names = require(${JSON.stringify(COMPILED)}).deferUnusedRuntimeModules(); require("@pulumi/policy");${COUNT_NPM_MACHINERY.replace("standIns: standIns.length", "standIns: standIns.length, names")}`,
    );
    expect(deferred).to.deep.equal({
      loaded: 6,
      standIns: 6,
      names: ["@npmcli/arborist", "normalize-package-data", "fdir", "upath", "execa", "@logdna/tail-file"],
    });
    const plain = inFreshProcess<{ loaded: number; standIns: number }>(`require("@pulumi/policy");${COUNT_NPM_MACHINERY}`);
    expect(plain.loaded).to.be.greaterThan(100);
    expect(plain.standIns).to.equal(0);
  });

  it("@pulumi/pulumi's closure serialization gets the real arborist through the stand-in when it uses it", () => {
    const r = inFreshProcess<{ same: boolean; pendingBefore: boolean; pendingAfter: boolean; cachedIsReal: boolean }>(`
      const path = require("path");
      require(${JSON.stringify(COMPILED)}).deferUnusedRuntimeModules();
      require("@pulumi/policy");
      const codePaths = require.resolve("@pulumi/pulumi/runtime/closure/codePaths");
      const file = require.resolve("@npmcli/arborist", { paths: [path.dirname(codePaths)] });
      const standIn = require(file);
      const PENDING = Symbol.for("secure-ml-training.deferredModule.pending");
      const pendingBefore = standIn[PENDING];
      const Arborist = standIn.Arborist;
      const pendingAfter = standIn[PENDING];
      const real = require(file);
      console.log(JSON.stringify({ same: Arborist === real.Arborist && typeof Arborist === "function", pendingBefore, pendingAfter, cachedIsReal: real !== standIn }));`);
    expect(r).to.deep.equal({ same: true, pendingBefore: true, pendingAfter: false, cachedIsReal: true });
  });

  it("the Automation API's execa, imported with __importDefault, is the module itself through the stand-in's default", () => {
    const r = inFreshProcess<{ sameDefault: boolean; hasSync: boolean }>(`
      const path = require("path");
      require(${JSON.stringify(COMPILED)}).deferUnusedRuntimeModules();
      require("@pulumi/policy");
      const cmd = require.resolve("@pulumi/pulumi/automation/cmd");
      const file = require.resolve("execa", { paths: [path.dirname(cmd)] });
      const standIn = require(file);
      const viaDefault = standIn.default;
      console.log(JSON.stringify({ sameDefault: viaDefault === require(file) && typeof viaDefault === "function", hasSync: typeof viaDefault.sync === "function" }));`);
    expect(r).to.deep.equal({ sameDefault: true, hasSync: true });
  });

  describe("deferModule", () => {
    let dir: string;
    let file: string;
    const counter = Symbol.for("deferred-modules.test.loads");
    const g = globalThis as unknown as Record<symbol, number>;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "deferred-"));
      file = path.join(dir, "mod.js");
      fs.writeFileSync(
        file,
        `globalThis[Symbol.for("deferred-modules.test.loads")] = (globalThis[Symbol.for("deferred-modules.test.loads")] || 0) + 1;
         exports.a = 1; exports.b = { c: [2] }; exports.f = function () { return this === exports; };`,
      );
      g[counter] = 0;
    });
    afterEach(() => {
      delete require.cache[file];
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("loads nothing until read, then reads as the module: values, keys, `in`, assignments, method receivers", () => {
      expect(deferModule(file)).to.equal(true);
      const m = require(file);
      expect(g[counter]).to.equal(0);
      expect(m.__esModule).to.equal(true);
      expect(m[PENDING]).to.equal(true);
      expect(g[counter]).to.equal(0);
      expect(m.a).to.equal(1);
      expect(g[counter]).to.equal(1);
      expect(m[PENDING]).to.equal(false);
      expect(Object.keys(m)).to.deep.equal(["a", "b", "f"]);
      expect("b" in m).to.equal(true);
      expect(m.b).to.deep.equal({ c: [2] });
      m.a = 5;
      const real = require(file);
      expect(real).to.not.equal(m);
      expect(real.a).to.equal(5);
      expect(m.f.call(real)).to.equal(true);
      expect(g[counter]).to.equal(1);
    });

    it("answers the values the caller knows without loading (the check's compiler stand-in knows its version), the module's own once loaded", () => {
      expect(deferModule(file, { a: "known" })).to.equal(true);
      const m = require(file);
      expect(m.a).to.equal("known");
      expect(g[counter]).to.equal(0);
      expect(m.b).to.deep.equal({ c: [2] });
      expect(g[counter]).to.equal(1);
      expect(m.a).to.equal(1);
    });

    it("reads `default` as TypeScript's import helpers do: the module itself when CommonJS, its own default when compiled from ES modules", () => {
      expect(deferModule(file)).to.equal(true);
      const cjs = require(file);
      expect(cjs.default).to.equal(require(file));
      delete require.cache[file];
      fs.writeFileSync(file, 'Object.defineProperty(exports, "__esModule", { value: true }); exports.default = "es default";');
      expect(deferModule(file)).to.equal(true);
      expect(require(file).default).to.equal("es default");
    });

    it("changes nothing for a module already loaded", () => {
      const real = require(file);
      expect(deferModule(file)).to.equal(false);
      expect(require(file)).to.equal(real);
      expect(g[counter]).to.equal(1);
    });
  });
});
