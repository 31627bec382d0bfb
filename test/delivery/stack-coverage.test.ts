/**
 * Every stack file in the repository (Pulumi.<stack>.yaml at the root) is
 * covered by the PR review (offline check + preview) and by the deployment
 * (offline check + up), with the cloud, tier and region its file declares;
 * no matrix names a stack without a file. Adding a stack file without adding
 * it to the matrices fails here, shown with a synthetic stack list and with a
 * temporary copy of the repository holding an extra Pulumi.staging.yaml.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  REPO_ROOT,
  WORKFLOW_DIR,
  StackMeta,
  coverageProblems,
  expandMatrix,
  loadWorkflows,
  readStacks,
  stackNamesFromFiles,
  stackRuns,
} from "./workflows";

const STAGING: StackMeta = { stack: "staging", file: "Pulumi.staging.yaml", cloud: "aws", tier: "dev", region: "us-east-1" };

/** A copy of the files the coverage depends on: project, stack files and workflows. */
function copyRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "delivery-coverage-"));
  for (const f of fs.readdirSync(REPO_ROOT).filter((f) => /^Pulumi(\..+)?\.ya?ml$/.test(f))) {
    fs.copyFileSync(path.join(REPO_ROOT, f), path.join(dir, f));
  }
  fs.mkdirSync(path.join(dir, WORKFLOW_DIR), { recursive: true });
  for (const f of fs.readdirSync(path.join(REPO_ROOT, WORKFLOW_DIR))) {
    fs.copyFileSync(path.join(REPO_ROOT, WORKFLOW_DIR, f), path.join(dir, WORKFLOW_DIR, f));
  }
  return dir;
}

describe("delivery: every stack file is previewed, checked and deployed", () => {
  const stacks = readStacks();
  const runs = stackRuns(loadWorkflows());

  it("finds the shipped stack files (dev, prod, azure-dev, azure-prod) with their cloud and tier", () => {
    expect(stacks.map((s) => s.stack)).to.have.members(["dev", "prod", "azure-dev", "azure-prod"]);
    for (const s of stacks) {
      expect(s.cloud, `${s.file} cloud`).to.be.oneOf(["aws", "azure"]);
      expect(s.tier, `${s.file} tier`).to.be.oneOf(["dev", "prod"]);
      if (s.cloud === "aws") expect(s.region, `${s.file} region`).to.match(/^[a-z]{2}-[a-z]+-\d$/);
    }
  });

  it("covers every stack file exactly once per workflow and command, with matching cloud/tier/region", () => {
    expect(coverageProblems(stacks, runs)).to.deep.equal([]);
  });

  for (const command of ["check", "preview", "up"] as const) {
    it(`runs ${command} for exactly the stack files`, () => {
      const covered = [...new Set(runs.filter((r) => r.command === command).map((r) => r.stack))];
      expect(covered).to.have.members(stacks.map((s) => s.stack));
    });
  }

  it("fails when a Pulumi.staging.yaml is added without matrix entries (pure check over a stack list)", () => {
    const problems = coverageProblems([...stacks, STAGING], runs);
    expect(problems).to.have.length(4);
    expect(problems.join("\n")).to.include("has no preview in pr-review.yml");
    expect(problems.join("\n")).to.include("has no check in pr-review.yml");
    expect(problems.join("\n")).to.include("has no up in deploy.yml");
    expect(problems.join("\n")).to.include("has no check in deploy.yml");
    for (const p of problems) expect(p).to.match(/^Pulumi\.staging\.yaml: stack 'staging'/);
  });

  it("fails when a Pulumi.staging.yaml is added to a copy of the repository, and passes once the matrices name it", () => {
    const dir = copyRepo();
    try {
      expect(coverageProblems(readStacks(dir), stackRuns(loadWorkflows(dir))), "copy as shipped").to.deep.equal([]);

      fs.copyFileSync(path.join(dir, "Pulumi.dev.yaml"), path.join(dir, "Pulumi.staging.yaml"));
      const problems = coverageProblems(readStacks(dir), stackRuns(loadWorkflows(dir)));
      expect(problems.filter((p) => p.includes("'staging'"))).to.have.length(4);

      // Add it where the docs say: the checks matrix, the preview matrix and the dev deploy job.
      const wf = (f: string) => path.join(dir, WORKFLOW_DIR, f);
      const edit = (f: string, from: string, to: string) => {
        const src = fs.readFileSync(wf(f), "utf8");
        expect(src, `${f} contains ${from}`).to.include(from);
        fs.writeFileSync(wf(f), src.replace(from, to));
      };
      const entry = "          - { stack: dev, cloud: aws, tier: dev, region: us-east-1 }\n";
      const staging = "          - { stack: staging, cloud: aws, tier: dev, region: us-east-1 }\n";
      edit("checks.yml", "stack: [dev, prod, azure-dev, azure-prod]", "stack: [dev, prod, azure-dev, azure-prod, staging]");
      edit("pr-review.yml", entry, entry + staging);
      edit("deploy.yml", entry, entry + staging);
      expect(coverageProblems(readStacks(dir), stackRuns(loadWorkflows(dir)))).to.deep.equal([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails when a matrix entry disagrees with its stack file or names a stack with no file", () => {
    const wrongTier = runs.map((r) => (r.command === "up" && r.stack === "prod" ? { ...r, tier: "dev" } : r));
    expect(coverageProblems(stacks, wrongTier).join("\n")).to.match(/stack 'prod' runs with tier 'dev' but Pulumi\.prod\.yaml says 'prod'/);
    const wrongRegion = runs.map((r) => (r.command === "preview" && r.stack === "dev" ? { ...r, region: "eu-central-1" } : r));
    expect(coverageProblems(stacks, wrongRegion).join("\n")).to.match(/region 'eu-central-1' but Pulumi\.dev\.yaml says 'us-east-1'/);
    const orphan = coverageProblems(
      stacks.filter((s) => s.stack !== "azure-dev"),
      runs,
    );
    expect(orphan.join("\n")).to.match(/but there is no Pulumi\.azure-dev\.yaml/);
    const twice = coverageProblems(stacks, [...runs, runs.find((r) => r.command === "up" && r.stack === "dev")!]);
    expect(twice.join("\n")).to.match(/stack 'dev' gets 2 up runs in deploy\.yml/);
  });

  it("reads stack names from file names: Pulumi.<stack>.yaml and .yml, not Pulumi.yaml", () => {
    expect(
      stackNamesFromFiles([
        "Pulumi.yaml",
        "Pulumi.dev.yaml",
        "Pulumi.azure-prod.yaml",
        "Pulumi.staging.yml",
        "README.md",
        "Pulumi.dev.yaml.bak",
      ]),
    ).to.deep.equal(["azure-prod", "dev", "staging"]);
  });

  it("expands matrices as GitHub does (axes, include, exclude)", () => {
    expect(expandMatrix({ stack: ["dev", "prod"] })).to.deep.equal([{ stack: "dev" }, { stack: "prod" }]);
    expect(expandMatrix({ include: [{ stack: "dev", tier: "dev" }] })).to.deep.equal([{ stack: "dev", tier: "dev" }]);
    expect(
      expandMatrix({ stack: ["dev", "prod"], exclude: [{ stack: "prod" }], include: [{ stack: "dev", tier: "dev" }, { stack: "x" }] }),
    ).to.deep.equal([{ stack: "dev", tier: "dev" }, { stack: "x" }]);
    expect(() => expandMatrix("${{ fromJSON(needs.a.outputs.m) }}")).to.throw(/literal/);
  });
});
