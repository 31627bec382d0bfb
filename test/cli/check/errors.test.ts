/**
 * Bad input to `npm run check` (run as a child process): exit code 2 and a
 * message naming the flag, file or value at fault and what is allowed.
 */
import { expect } from "chai";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { FIXTURE_PACK, FIXTURE_PROGRAM, ROOT, runCheckCli, scratchPath, THROWING_PROGRAM } from "./helpers";

describe("check: bad input exits 2 with a clear message", function () {
  this.timeout(180_000);

  it("an unknown flag names the flag and the allowed ones", async () => {
    const r = await runCheckCli(["--stak", "dev"]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain("error: unknown flag --stak; allowed flags: --stack, --program");
    expect(r.stdout).to.equal("");
  });

  it("a flag without its value says so", async () => {
    const r = await runCheckCli(["--stack"]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain("error: flag --stack needs a value");
  });

  it("a bad --format names the value and the formats", async () => {
    const r = await runCheckCli(["--format", "xml"]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('error: --format "xml" is not supported; allowed: table, json, sarif');
  });

  it("a missing stack file names the file and the stacks there", async () => {
    const r = await runCheckCli(["--stack", "staging"]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain(`no stack file ${path.join(ROOT, "Pulumi.staging.yaml")}`);
    expect(r.stderr).to.match(/stacks here: .*\bdev\b.*\bprod\b/);
  });

  it("a program directory without Pulumi.yaml is named", async () => {
    const r = await runCheckCli(["--program", "test/fixtures"]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain(`--program ${path.join(ROOT, "test", "fixtures")}: no Pulumi.yaml there`);
  });

  it("a policy pack directory without PulumiPolicy.yaml is named", async () => {
    const r = await runCheckCli(["--policy-pack", "test/fixtures/programs"]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain("no PulumiPolicy.yaml there");
  });

  it("a missing --policy-config file and one with a bad enforcement level are named", async () => {
    const missing = await runCheckCli(["--policy-config", "nope.json"]);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.contain(`--policy-config ${path.join(ROOT, "nope.json")}: cannot read it (ENOENT)`);
    const bad = scratchPath("bad.json");
    fs.writeFileSync(bad, JSON.stringify({ "fixture-kms-rotation": "strict" }));
    const r = await runCheckCli(["--program", FIXTURE_PROGRAM, "--policy-pack", FIXTURE_PACK, "--policy-config", bad]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain(`"fixture-kms-rotation" has enforcement level "strict"; allowed: advisory, mandatory, remediate, disabled`);
  });

  it("a policy config that does not fit a policy's config schema is named with the policy and property", async () => {
    const r = await runCheckCli([
      "--program",
      FIXTURE_PROGRAM,
      "--policy-pack",
      FIXTURE_PACK,
      "--policy-config",
      path.join(FIXTURE_PACK, "config", "bad-schema.json"),
    ]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain("the policy config does not fit the pack's schemas");
    expect(r.stderr).to.contain("fixture-required-tags.requiredTags: must be array");
  });

  it("--output into a missing directory is refused before any work", async () => {
    const r = await runCheckCli(["--output", "/nonexistent-dir/report.json"]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain("--output /nonexistent-dir/report.json: directory /nonexistent-dir does not exist");
  });

  it("a program that throws is reported with its message and where it threw; no report is written", async () => {
    const out = scratchPath("report.json");
    const r = await runCheckCli(["--program", THROWING_PROGRAM, "--policy-pack", FIXTURE_PACK, "--format", "json", "--output", out]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain(`error: the program in ${THROWING_PROGRAM} threw while evaluating stack dev`);
    expect(r.stderr).to.contain("fixture program failed on purpose: region is not configured");
    expect(r.stderr).to.contain(`${path.join(THROWING_PROGRAM, "index.ts")}:5`);
    expect(r.stdout).to.equal("");
    expect(fs.existsSync(out)).to.equal(false);
  });

  it("npm run check -- --help prints the usage and exits 0", async () => {
    const r = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile("npm", ["run", "-s", "check", "--", "--help"], { cwd: ROOT }, (err, stdout) =>
        resolve({ code: err ? Number(err.code) : 0, stdout }),
      ),
    );
    expect(r.code).to.equal(0);
    expect(r.stdout).to.contain("Usage: npm run check -- [flags]");
    expect(r.stdout).to.contain("Exit codes: 0 no mandatory violation, 1 mandatory violation(s), 2 usage or program error.");
  });
});
