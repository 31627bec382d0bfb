/**
 * The real CLI, run as a child process the way `npm run train` runs it:
 * --dry-run with --outputs prints exactly the golden request for each cloud
 * and exits 0; bad input exits 2 with nothing on stdout.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import { AWS_ARGV, AZURE_ARGV, readJson, ROOT } from "./helpers";

function cli(argv: readonly string[]) {
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join("cli", "train", "cli.ts"), ...argv], {
    cwd: ROOT,
    env: { ...process.env, INIT_CWD: ROOT },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("train CLI (child process)", () => {
  it("AWS: --dry-run --outputs prints the golden CreateTrainingJob request, exit 0", () => {
    const r = cli([...AWS_ARGV, "--dry-run"]);
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.deep.equal(readJson("test/fixtures/train/aws-prod.dry-run.json"));
    expect(r.stderr).to.include("dry run: nothing was sent");
  });

  it("Azure: --dry-run --outputs prints the golden environment and job requests, exit 0", () => {
    const r = cli([...AZURE_ARGV, "--dry-run"]);
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.deep.equal(readJson("test/fixtures/train/azure-prod.dry-run.json"));
  });

  it("an unknown stack exits 2, listing the stacks, with nothing on stdout", () => {
    const r = cli([
      "--stack",
      "staging",
      "--image",
      "x",
      "--instance-type",
      "ml.m5.xlarge",
      "--outputs",
      "test/fixtures/outputs/aws-prod.json",
      "--dry-run",
    ]);
    expect(r.code).to.equal(2);
    expect(r.stdout).to.equal("");
    expect(r.stderr).to.include("stacks here: azure-dev, azure-prod, dev, prod");
  });
});
