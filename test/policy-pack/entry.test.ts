/**
 * The pack's entry file (`policy-pack/index.ts`) assembles every policy of
 * every policy module under `policy-pack/policies/`. The entry file runs in
 * a child process, as the Pulumi CLI runs it, with the analyzer server's
 * `serve` replaced so it prints the pack instead of listening; the expected
 * policies are found by loading each module file on disk. A module missing
 * from the registry (`policies/index.ts`) makes the check fail, which a
 * copy of the pack with one registry line removed demonstrates.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PACK_DIR, PACK_NAME } from "./harness";
import { policiesOfModule } from "../../policy-pack/lib/registry";

interface Served {
  readonly name: string;
  readonly version: string;
  readonly policies: { readonly name: string }[];
}

/** Runs `<packDir>/index.ts` the way the CLI does (cwd = pack dir) and returns what it would serve. */
function servedBy(packDir: string): Served {
  const r = spawnSync(
    process.execPath,
    ["-r", require.resolve("ts-node/register/transpile-only"), "-r", path.join(__dirname, "serve-stub.js"), "index.ts"],
    {
      cwd: packDir,
      encoding: "utf8",
      timeout: 120_000,
    },
  );
  if (r.status !== 0) throw new Error(`the entry file failed (status ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Served;
}

/** Every policy module file under `<packDir>/policies` (not the shared helpers, not the registry). */
function moduleFiles(packDir: string): string[] {
  const root = path.join(packDir, "policies");
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "shared") walk(p);
      } else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") && p !== path.join(root, "index.ts")) {
        out.push(p);
      }
    }
  };
  walk(root);
  return out.sort();
}

/** Policies defined in module files but not served by the entry file: `module: policy`. */
function missingFromPack(packDir: string): string[] {
  const served = new Set(servedBy(packDir).policies.map((p) => p.name));
  const missing: string[] = [];
  for (const file of moduleFiles(packDir)) {
    for (const p of policiesOfModule(require(file))) {
      if (!served.has(p.name)) missing.push(`${path.relative(packDir, file)}: ${p.name}`);
    }
  }
  return missing;
}

describe("policy pack: entry file", function () {
  this.timeout(240_000);

  it("serves the pack under its name and package version, with every policy of every module", () => {
    const served = servedBy(PACK_DIR);
    const version = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")).version;
    expect(served.name).to.equal(PACK_NAME);
    expect(served.version).to.equal(version);
    expect(moduleFiles(PACK_DIR).length, "module files found").to.be.greaterThan(10);
    expect(missingFromPack(PACK_DIR)).to.deep.equal([]);
    const names = served.policies.map((p) => p.name);
    expect(new Set(names).size, "no policy served twice").to.equal(names.length);
  });

  it("fails when a module is left out of the registry", () => {
    const copy = fs.mkdtempSync(path.join(PACK_DIR, "..", "test", "policy-pack", ".pack-copy-"));
    try {
      fs.cpSync(PACK_DIR, copy, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
      // The copy sits elsewhere: point its tsconfig at the project's again.
      const tsconfig = path.join(copy, "tsconfig.json");
      const cfg = JSON.parse(fs.readFileSync(tsconfig, "utf8"));
      fs.writeFileSync(tsconfig, JSON.stringify({ ...cfg, extends: path.resolve(PACK_DIR, cfg.extends) }));
      const registry = path.join(copy, "policies", "index.ts");
      const text = fs.readFileSync(registry, "utf8");
      const line = 'export * as awsKmsKey from "./aws/kms/key";\n';
      expect(text).to.contain(line);
      fs.writeFileSync(registry, text.replace(line, ""));
      const missing = missingFromPack(copy);
      expect(missing).to.include.members([
        "policies/aws/kms/key.ts: aws-kms-key-enable-key-rotation",
        "policies/aws/kms/key.ts: aws-kms-key-configure-deletion-window",
        "policies/aws/kms/key.ts: aws-kms-key-disallow-public-principal",
      ]);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});
