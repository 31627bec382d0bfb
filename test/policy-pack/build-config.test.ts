/**
 * The pack's build (`tsc -b tsconfig.build.json`, run by `npm run build` and
 * `prepare`) decides whether the compiled pack is up to date from the files
 * its `include` names: a source file left out of it is still compiled when
 * something imports it, but an edit to it alone leaves `bin/` stale (found
 * with policy-pack/lib/type-dispatch.ts). So every TypeScript source of the
 * pack must be a root file of the build.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { PACK_DIR } from "./harness";

/**
 * Every .ts file of the pack's own sources: not dependencies, not the compiled
 * output, not `coverage/` (the Checkov matrix that tools/coverage-table.ts
 * renders; the pack never loads it, which the last test checks).
 */
const SKIPPED_DIRS = new Set(["node_modules", "bin", "coverage"]);

function packSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return SKIPPED_DIRS.has(e.name) ? [] : packSources(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

describe("policy pack build config", () => {
  it("names every source file of the pack as a root file, so an edit to any of them rebuilds bin/", () => {
    const configPath = path.join(PACK_DIR, "tsconfig.build.json");
    const read = ts.readConfigFile(configPath, (f) => ts.sys.readFile(f));
    expect(read.error, "tsconfig.build.json parses").to.equal(undefined);
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, PACK_DIR);
    const roots = new Set(parsed.fileNames.map((f) => path.resolve(f)));
    const sources = packSources(PACK_DIR);
    expect(sources.length).to.be.greaterThan(50);
    const missing = sources.filter((f) => !roots.has(f)).map((f) => path.relative(PACK_DIR, f));
    expect(missing, "add these to `include` in policy-pack/tsconfig.build.json").to.deep.equal([]);
  });

  it("leaves out only coverage/, which no compiled file of the pack loads", () => {
    const compiled = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? compiled(p) : e.name.endsWith(".js") ? [p] : [];
      });
    const loaders = compiled(path.join(PACK_DIR, "bin")).filter((f) => /require\("(\.\.?\/)+coverage/.test(fs.readFileSync(f, "utf8")));
    expect(loaders.map((f) => path.relative(PACK_DIR, f))).to.deep.equal([]);
  });
});
