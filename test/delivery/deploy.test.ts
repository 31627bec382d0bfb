/**
 * The deployment and preview paths do what docs/delivery.md promises:
 * - deploy.yml runs on pushes to main only, the checks first, dev stacks
 *   next and prod stacks only after every dev stack;
 * - each stack deploys in the GitHub Environment named after it (prod ones
 *   protected by required reviewers), previews in a separate `-preview` one;
 * - one deployment per stack at a time, never cancelled, no fail-fast;
 * - every preview and every up carries the policy pack and the config of the
 *   stack's tier, and an up is preceded by a preview that gates it;
 * - each run logs in to its own cloud by OIDC and to no other.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import {
  REPO_ROOT,
  StackRun,
  isAction,
  loadWorkflows,
  pulumiCommandsOfRun,
  readStacks,
  stackRuns,
  stackWorkflowSteps,
  transitiveNeeds,
  triggers,
} from "./workflows";
import { resolveValue } from "./expressions";

const DOCS = path.join(REPO_ROOT, "docs", "delivery.md");

describe("delivery: deploy order, environments, concurrency and policy enforcement", () => {
  const workflows = loadWorkflows();
  const stacks = readStacks();
  const runs = stackRuns(workflows);
  const deploy = workflows.get("deploy.yml")!;
  const ups = runs.filter((r) => r.command === "up");
  const previews = runs.filter((r) => r.command === "preview");
  const tierOf = (stack: string) => stacks.find((s) => s.stack === stack)!.tier!;
  const devStacks = stacks.filter((s) => s.tier === "dev").map((s) => s.stack);
  const prodStacks = stacks.filter((s) => s.tier === "prod").map((s) => s.stack);
  const upOf = (stack: string): StackRun => ups.find((r) => r.stack === stack)!;

  it("ships at least one dev and one prod stack per cloud", () => {
    for (const cloud of ["aws", "azure"]) {
      expect(
        stacks.filter((s) => s.cloud === cloud).map((s) => s.tier),
        cloud,
      ).to.include.members(["dev", "prod"]);
    }
  });

  it("deploys on push to main only, and previews on pull requests to main only", () => {
    expect(triggers(deploy.doc)).to.deep.equal({ push: { branches: ["main"] } });
    expect(triggers(workflows.get("pr-review.yml")!.doc)).to.deep.equal({ pull_request: { branches: ["main"] } });
    expect(ups.every((r) => r.workflow === "deploy.yml")).to.equal(true);
    expect(previews.every((r) => r.workflow === "pr-review.yml")).to.equal(true);
  });

  it("deploys every stack only after the credential-free checks passed", () => {
    for (const r of ups) {
      expect([...transitiveNeeds(deploy.doc, r.job)], `${r.stack}`).to.include("checks");
    }
    expect(deploy.doc.jobs.checks.uses).to.equal("./.github/workflows/checks.yml");
  });

  it("deploys each prod stack only after every dev stack (needs), and no dev stack waits for a prod one", () => {
    expect(prodStacks).to.not.be.empty;
    for (const prod of prodStacks) {
      const waitsFor = transitiveNeeds(deploy.doc, upOf(prod).job);
      for (const dev of devStacks) {
        expect(waitsFor.has(upOf(dev).job), `${prod} (job ${upOf(prod).job}) waits for ${dev} (job ${upOf(dev).job})`).to.equal(true);
      }
    }
    for (const dev of devStacks) {
      const waitsFor = transitiveNeeds(deploy.doc, upOf(dev).job);
      for (const prod of prodStacks) expect(waitsFor.has(upOf(prod).job), `${dev} must not wait for ${prod}`).to.equal(false);
      expect(
        prodStacks.map((p) => upOf(p).job),
        `dev stack ${dev} shares a job with a prod stack`,
      ).to.not.include(upOf(dev).job);
    }
  });

  it("deploys each stack in the GitHub Environment named after it; prod environments are documented as requiring reviewers", () => {
    const docs = fs.readFileSync(DOCS, "utf8");
    const reviewerRows = docs.split("\n").filter((l) => l.startsWith("|") && /required reviewers/i.test(l));
    for (const r of ups) {
      expect(r.environment, `up ${r.stack}`).to.equal(r.stack);
    }
    for (const prod of prodStacks) {
      expect(
        reviewerRows.some((row) => row.includes(`\`${prod}\``)),
        `docs table row with required reviewers for \`${prod}\``,
      ).to.equal(true);
      expect(docs, `docs say where ${prod}'s reviewers are configured`).to.match(/Settings > Environments/);
    }
    for (const dev of devStacks) {
      expect(
        reviewerRows.some((row) => row.includes(`\`${dev}\``)),
        `dev environment ${dev} needs no reviewers`,
      ).to.equal(false);
    }
  });

  it("previews in a separate `<stack>-preview` environment, never in a deploy environment", () => {
    const deployEnvs = new Set(ups.map((r) => r.environment));
    for (const r of previews) {
      expect(r.environment, `preview ${r.stack}`).to.equal(`${r.stack}-preview`);
      expect(deployEnvs.has(r.environment), `${r.environment} is a deploy environment`).to.equal(false);
    }
  });

  it("runs one deployment per stack at a time and never cancels a running up", () => {
    const groups = new Map<string, string>();
    for (const r of ups) {
      expect(r.concurrencyGroup, `up ${r.stack} concurrency`).to.be.a("string").and.include(r.stack);
      expect(r.cancelInProgress, `up ${r.stack} cancel-in-progress`).to.equal(false);
      expect(
        groups.has(r.concurrencyGroup!),
        `group ${r.concurrencyGroup} shared by ${groups.get(r.concurrencyGroup!)} and ${r.stack}`,
      ).to.equal(false);
      groups.set(r.concurrencyGroup!, r.stack);
    }
    // A preview must not sit in a deploy group: GitHub would replace a waiting deployment with it.
    for (const r of previews) expect(groups.has(r.concurrencyGroup ?? "")).to.equal(false);
    const prConcurrency = workflows.get("pr-review.yml")!.doc.concurrency;
    expect(JSON.stringify(prConcurrency)).to.not.match(/pulumi-up/);
  });

  it("never lets one stack's failure cancel another stack's running up (fail-fast off)", () => {
    for (const r of ups) expect(r.failFast, `${r.job} fail-fast`).to.equal(false);
  });

  it("runs preview with the policy pack and the stack tier's config", () => {
    expect(previews).to.have.length(stacks.length);
    for (const r of previews) {
      expect(pulumiCommandsOfRun(r, workflows)).to.deep.equal([
        `pulumi preview --stack ${r.stack} --policy-pack ./policy-pack --policy-pack-config policy-pack/config/${tierOf(r.stack)}.json`,
      ]);
    }
  });

  it("runs up with the policy pack and the stack tier's config, after a preview that gates it", () => {
    for (const r of ups) {
      const flags = `--stack ${r.stack} --policy-pack ./policy-pack --policy-pack-config policy-pack/config/${tierOf(r.stack)}.json`;
      expect(pulumiCommandsOfRun(r, workflows)).to.deep.equal([`pulumi preview ${flags}`, `pulumi up ${flags}`]);
    }
  });

  it("posts the preview on the pull request, and only for previews", () => {
    for (const r of [...previews, ...ups]) {
      const commenting = stackWorkflowSteps(r, workflows)
        .filter((s) => s.active === true && isAction(s.step, "pulumi/actions"))
        .filter((s) => resolveValue(s.step.with?.["comment-on-pr"], { inputs: r.inputs ?? {} }) === true);
      expect(commenting.length, `${r.command} ${r.stack}: steps commenting on the PR`).to.equal(r.command === "preview" ? 1 : 0);
    }
  });

  it("ships a policy config for every tier a stack uses", () => {
    for (const tier of new Set(stacks.map((s) => s.tier!))) {
      const file = path.join(REPO_ROOT, "policy-pack", "config", `${tier}.json`);
      expect(fs.existsSync(file), `policy-pack/config/${tier}.json`).to.equal(true);
      expect(() => JSON.parse(fs.readFileSync(file, "utf8")), `${file} is JSON`).to.not.throw();
    }
  });

  it("logs each run in to its own cloud by OIDC, and to no other", () => {
    for (const r of [...previews, ...ups]) {
      const steps = stackWorkflowSteps(r, workflows);
      const active = (action: string) => steps.filter((s) => isAction(s.step, action)).map((s) => s.active);
      const cloud = stacks.find((s) => s.stack === r.stack)!.cloud;
      expect(active("aws-actions/configure-aws-credentials"), `${r.command} ${r.stack}`).to.deep.equal([cloud === "aws"]);
      expect(active("azure/login"), `${r.command} ${r.stack}`).to.deep.equal([cloud === "azure"]);
      const aws = steps.find((s) => isAction(s.step, "aws-actions/configure-aws-credentials"))!.step;
      expect(aws.with?.["role-to-assume"]).to.equal("${{ vars.AWS_ROLE_ARN }}");
      const azure = steps.find((s) => isAction(s.step, "azure/login"))!.step;
      expect(Object.keys(azure.with ?? {}).sort()).to.deep.equal(["client-id", "subscription-id", "tenant-id"]);
    }
  });

  it("checks the stack file, policy config and environment variables before any login (preflight)", () => {
    for (const r of [...previews, ...ups]) {
      const steps = stackWorkflowSteps(r, workflows).map((s) => s.step);
      const preflight = steps.findIndex((s) => s.run?.includes("scripts/preflight.sh"));
      const firstLogin = steps.findIndex((s) =>
        ["aws-actions/configure-aws-credentials", "azure/login", "pulumi/auth-actions"].some((a) => isAction(s, a)),
      );
      expect(preflight, "preflight step").to.be.greaterThan(-1);
      expect(preflight).to.be.lessThan(firstLogin);
    }
  });
});
