/**
 * The check's speed-ups around the pack, pinned without timing:
 * - `hasDiagnostics` tells from an encoded AnalyzeResponse's field tags
 *   whether it holds a diagnostic, so the check decodes only those
 *   responses (nearly all hold only the not-applicable list);
 * - the pack preload's transpile cache: a second start loads the cached
 *   JavaScript (one entry per source file, replaced when the file changes),
 *   and stack traces still point at the TypeScript lines.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { hasDiagnostics } from "../../../engine/pack/wire";

const PRELOAD = path.resolve(__dirname, "..", "..", "..", "engine", "pack", "transpile-only-preload.js");
const PACK_DIR = path.resolve(__dirname, "..", "..", "..", "policy-pack");

function notApplicable(name: string): analyzerpb.PolicyNotApplicable {
  const n = new analyzerpb.PolicyNotApplicable();
  n.setPolicyName(name);
  n.setReason(`Policy only applies to resources of type 'aws:s3/bucket:Bucket'`);
  return n;
}

describe("check: speed-ups around the pack", () => {
  describe("hasDiagnostics reads an AnalyzeResponse's tags without decoding it", () => {
    it("says false for an empty response and one with only not-applicable entries", () => {
      expect(hasDiagnostics(new Uint8Array(0))).to.equal(false);
      const res = new analyzerpb.AnalyzeResponse();
      res.setNotApplicableList(Array.from({ length: 45 }, (_, i) => notApplicable(`policy-${i}`)));
      expect(hasDiagnostics(res.serializeBinary())).to.equal(false);
    });

    it("says true when a diagnostic is there, before or after the not-applicable entries", () => {
      const d = new analyzerpb.AnalyzeDiagnostic();
      d.setPolicyname("p");
      d.setMessage("m");
      const only = new analyzerpb.AnalyzeResponse();
      only.setDiagnosticsList([d]);
      expect(hasDiagnostics(only.serializeBinary())).to.equal(true);
      const both = new analyzerpb.AnalyzeResponse();
      both.setNotApplicableList([notApplicable("a"), notApplicable("b")]);
      both.setDiagnosticsList([d]);
      const bytes = both.serializeBinary();
      expect(hasDiagnostics(bytes)).to.equal(true);
      // Field order on the wire is free: diagnostics last.
      const na = new analyzerpb.AnalyzeResponse();
      na.setNotApplicableList([notApplicable("a")]);
      const reordered = Buffer.concat([Buffer.from(na.serializeBinary()), Buffer.from(only.serializeBinary())]);
      expect(hasDiagnostics(reordered)).to.equal(true);
      expect(analyzerpb.AnalyzeResponse.deserializeBinary(reordered).getDiagnosticsList()).to.have.length(1);
    });

    it("says true (decode it) for bytes it cannot walk", () => {
      expect(hasDiagnostics(Uint8Array.from([0x1a, 0x05, 0x01]))).to.equal(true); // length past the end
      expect(hasDiagnostics(Uint8Array.from([0x1b]))).to.equal(true); // a group
      expect(hasDiagnostics(Uint8Array.from([0x80]))).to.equal(true); // truncated tag
    });
  });

  describe("the pack preload caches ts-node's output", function () {
    this.timeout(120_000);
    let dir: string;
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK_DIR] });

    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-transpile-cache-"));
      fs.writeFileSync(
        path.join(dir, "run.js"),
        [
          `const tsn = require(require.resolve("ts-node", { paths: [require("path").dirname(process.env.CHECK_RUN_POLICY_PACK)] }));`,
          `tsn.register({ skipProject: true, compilerOptions: { target: "ES2020", module: "commonjs" } });`,
          `try { require("./thrower.ts").boom(); } catch (e) { console.log(e.stack.split("\\n").slice(0, 2).join(" | ")); }`,
        ].join("\n"),
      );
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const writeThrower = (padding: number) =>
      fs.writeFileSync(
        path.join(dir, "thrower.ts"),
        `${"// padding\n".repeat(padding)}interface X { a: number }\nconst x: X = { a: 1 };\n\nexport function boom(): never {\n  throw new Error(\`boom \${x.a}\`);\n}\n`,
      );
    const run = () => {
      const r = spawnSync(process.execPath, ["-r", PRELOAD, path.join(dir, "run.js")], {
        cwd: dir,
        env: { ...process.env, CHECK_RUN_POLICY_PACK: runner, CHECK_PACK_TYPE_CHECK: "0", CHECK_PACK_CACHE_DIR: path.join(dir, "cache") },
        encoding: "utf8",
      });
      expect(r.status, r.stderr).to.equal(0);
      return r.stdout.trim();
    };
    const entries = () => fs.readdirSync(path.join(dir, "cache")).filter((f) => f.endsWith(".js"));

    it("stores one entry per file, loads it on the next start with the stack trace still on the TypeScript line, and replaces it when the file changes", () => {
      writeThrower(0);
      const cold = run();
      expect(cold).to.match(/thrower\.ts:5:9\)$/);
      expect(entries()).to.have.length(1);
      const [entry] = entries();
      // Mark the cached output: a warm start must run it, not transpile again.
      const file = path.join(dir, "cache", entry);
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("`boom ", "`cached boom "));
      const warm = run();
      expect(warm).to.match(/^Error: cached boom 1 \| .*thrower\.ts:5:9\)$/);
      writeThrower(3);
      expect(run()).to.match(/^Error: boom 1 \| .*thrower\.ts:8:9\)$/);
      expect(entries()).to.have.length(1);
      expect(entries()[0]).to.not.equal(entry);
    });
  });
});
