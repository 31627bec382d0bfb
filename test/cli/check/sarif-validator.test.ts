/**
 * Every SARIF report of the check passes Microsoft's SARIF validator with
 * GitHub code scanning's rules: the shipped dev stack with the real pack,
 * and a program outside this repository (its files relative to its own
 * folder, not absolute paths under the check's %SRCROOT%). A report with an
 * absolute path as a relative reference (what the check wrote before) is
 * rejected, so the validator run is not vacuous.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as url from "url";
import { FIXTURE_PACK, FIXTURE_PROGRAM, ROOT, runCheckCli } from "./helpers";
import { validateSarif, ValidatorFinding } from "./sarif-validator";

function errorsOf(findings: readonly ValidatorFinding[]): string[] {
  return findings.filter((f) => f.level === "error" || f.level === "warning").map((f) => `${f.ruleId} ${f.level}: ${f.message}`);
}

function validateText(text: string): ValidatorFinding[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sarif-in-"));
  try {
    const file = path.join(dir, "report.sarif");
    fs.writeFileSync(file, text);
    return validateSarif(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("check: SARIF passes Microsoft's validator (rule kinds Sarif and Ghas)", function () {
  this.timeout(240_000);
  let outside: string;

  before(() => {
    outside = fs.mkdtempSync(path.join(os.tmpdir(), "prog-"));
    fs.cpSync(FIXTURE_PROGRAM, outside, { recursive: true });
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(outside, "node_modules"));
  });
  after(() => fs.rmSync(outside, { recursive: true, force: true }));

  it("a program outside any repository: locations relative to its folder, no validator error or warning", async () => {
    const run = await runCheckCli(["--program", outside, "--stack", "dev", "--policy-pack", FIXTURE_PACK, "--format", "sarif"], true);
    expect(run.code, run.stderr).to.equal(1);
    const log = JSON.parse(run.output!);
    const uris = log.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation);
    expect(uris.length).to.be.greaterThan(2);
    for (const u of uris) expect(u, JSON.stringify(u)).to.deep.include({ uriBaseId: "%SRCROOT%" });
    expect(uris.map((u: { uri: string }) => u.uri)).to.include.members(["index.ts", "storage.ts"]);
    expect(log.runs[0].originalUriBaseIds["%SRCROOT%"].uri).to.equal(`${url.pathToFileURL(outside).href}/`);
    expect(errorsOf(validateText(run.output!))).to.deep.equal([]);
  });

  it("the shipped dev stack with the real pack: no validator error or warning", async () => {
    const run = await runCheckCli(["--stack", "dev", "--format", "sarif"], true);
    expect(run.code, run.stderr).to.equal(0);
    expect(errorsOf(validateText(run.output!))).to.deep.equal([]);
  });

  it("rejects an absolute path given as a relative reference (SARIF1004), as the check once wrote", async () => {
    const run = await runCheckCli(["--program", outside, "--stack", "dev", "--policy-pack", FIXTURE_PACK, "--format", "sarif"], true);
    const log = JSON.parse(run.output!);
    log.runs[0].results[0].locations[0].physicalLocation.artifactLocation = { uri: path.join(outside, "index.ts"), uriBaseId: "%SRCROOT%" };
    const errors = errorsOf(validateText(JSON.stringify(log)));
    expect(errors.join("\n")).to.match(/SARIF1004/);
  });
});
