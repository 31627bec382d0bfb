/**
 * The shell scripts the workflows call: they exist and are executable, the
 * preflight stops a CI run early with an error that names the stack file,
 * variable or config to fix (and passes a correct setup), and the publish
 * script refuses a tag that does not name the pack's version.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT, loadWorkflows } from "./workflows";

interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(script: string, args: string[], env: Record<string, string> = {}): Result {
  const r = spawnSync("bash", [script, ...args], {
    encoding: "utf8",
    // A clean environment: only what the script needs, plus NODE_PATH for `yaml` in a temp repo.
    env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), NODE_PATH: path.join(REPO_ROOT, "node_modules"), ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A throwaway repository with the preflight script, a project, stack files and policy configs. */
function fakeRepo(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "delivery-scripts-"));
  fs.mkdirSync(path.join(dir, "scripts"));
  for (const s of ["preflight.sh", "publish-policy-pack.sh"])
    fs.copyFileSync(path.join(REPO_ROOT, "scripts", s), path.join(dir, "scripts", s));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const PROJECT = "name: secure-ml-training\nruntime: nodejs\n";
const AWS_DEV = "config:\n  secure-ml-training:cloud: aws\n  secure-ml-training:tier: dev\n  secure-ml-training:region: us-east-1\n";
const AZURE_PROD = 'config:\n  secure-ml-training:cloud: azure\n  secure-ml-training:tier: "prod"\n';
const AWS_VARS = { AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/deploy", AWS_REGION: "us-east-1" };
const AZURE_VARS = { AZURE_CLIENT_ID: "c", AZURE_TENANT_ID: "t", AZURE_SUBSCRIPTION_ID: "s" };

describe("delivery: scripts the workflows call", () => {
  let dir: string;
  beforeEach(() => {
    dir = fakeRepo({
      "Pulumi.yaml": PROJECT,
      "Pulumi.dev.yaml": AWS_DEV,
      "Pulumi.azure-prod.yaml": AZURE_PROD,
      "policy-pack/config/dev.json": "{}",
      "policy-pack/config/prod.json": "{}",
      "policy-pack/package.json": JSON.stringify({ name: "p", version: "1.2.3" }),
    });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const preflight = () => path.join(dir, "scripts", "preflight.sh");
  const publish = () => path.join(dir, "scripts", "publish-policy-pack.sh");

  it("every script a workflow runs exists and is executable", () => {
    const scripts = new Set(
      [...loadWorkflows().values()].flatMap((w) => [...w.source.matchAll(/\bscripts\/[\w.-]+\.sh\b/g)].map((m) => m[0])),
    );
    expect([...scripts]).to.have.members(["scripts/preflight.sh", "scripts/publish-policy-pack.sh"]);
    for (const s of scripts) {
      const file = path.join(REPO_ROOT, s);
      expect(fs.existsSync(file), s).to.equal(true);
      expect(fs.statSync(file).mode & 0o111, `${s} is executable`).to.not.equal(0);
    }
  });

  it("preflight passes a stack whose workflow entry, policy config and variables are right", () => {
    const aws = run(preflight(), ["dev", "aws", "dev"], { ...AWS_VARS, DEPLOY_ENVIRONMENT: "dev" });
    expect(aws.status, aws.stderr).to.equal(0);
    expect(aws.stdout).to.include("preflight ok: stack 'dev' (aws, dev) in environment 'dev'");
    const azure = run(preflight(), ["azure-prod", "azure", "prod"], AZURE_VARS);
    expect(azure.status, azure.stderr).to.equal(0);
  });

  it("preflight names the missing variable and the environment to set it in", () => {
    const r = run(preflight(), ["azure-prod", "azure", "prod"], { AZURE_CLIENT_ID: "c", DEPLOY_ENVIRONMENT: "azure-prod" });
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include("variable AZURE_TENANT_ID is empty: set it in Settings > Environments > azure-prod");
    expect(r.stderr).to.include("variable AZURE_SUBSCRIPTION_ID is empty");
    expect(r.stderr).to.not.include("AZURE_CLIENT_ID is empty");
    const aws = run(preflight(), ["dev", "aws", "dev"], { AWS_REGION: "us-east-1" });
    expect(aws.status).to.equal(1);
    expect(aws.stderr).to.include("variable AWS_ROLE_ARN is empty: set it in Settings > Environments > dev");
  });

  it("preflight rejects a workflow entry whose tier, cloud or region disagrees with the stack file", () => {
    const tier = run(preflight(), ["azure-prod", "azure", "dev"], AZURE_VARS);
    expect(tier.status).to.equal(1);
    expect(tier.stderr).to.include("Pulumi.azure-prod.yaml says tier 'prod' but the workflow runs it as 'dev'");
    const cloud = run(preflight(), ["dev", "azure", "dev"], AZURE_VARS);
    expect(cloud.stderr).to.include("Pulumi.dev.yaml says cloud 'aws' but the workflow runs it as 'azure'");
    const region = run(preflight(), ["dev", "aws", "dev"], { ...AWS_VARS, AWS_REGION: "eu-central-1" });
    expect(region.stderr).to.include("Pulumi.dev.yaml says region 'us-east-1' but the workflow passes 'eu-central-1'");
  });

  it("preflight rejects a missing stack file or policy config, and bad usage", () => {
    const noStack = run(preflight(), ["staging", "aws", "dev"], AWS_VARS);
    expect(noStack.status).to.equal(1);
    expect(noStack.stderr).to.include("Pulumi.staging.yaml not found");
    fs.rmSync(path.join(dir, "policy-pack", "config", "dev.json"));
    const noConfig = run(preflight(), ["dev", "aws", "dev"], AWS_VARS);
    expect(noConfig.status).to.equal(1);
    expect(noConfig.stderr).to.include("policy-pack/config/dev.json not found");
    expect(run(preflight(), ["dev", "gcp", "dev"]).status).to.equal(2);
    expect(run(preflight(), ["dev", "aws", "staging"]).status).to.equal(2);
    expect(run(preflight(), ["dev"]).status).to.equal(2);
  });

  it("publish runs `pulumi policy publish <org>` in policy-pack/ when the tag names the pack's version", () => {
    const r = run(publish(), ["acme", "policy-pack-v1.2.3"], { PUBLISH_DRY_RUN: "1" });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.include("(cd policy-pack && pulumi policy publish acme)");
    const noTag = run(publish(), ["acme"], { PUBLISH_DRY_RUN: "1" });
    expect(noTag.status, noTag.stderr).to.equal(0);
  });

  it("publish refuses a tag for another version, a malformed tag and a missing organisation", () => {
    const other = run(publish(), ["acme", "policy-pack-v1.2.4"], { PUBLISH_DRY_RUN: "1" });
    expect(other.status).to.equal(1);
    expect(other.stderr).to.include("tag 'policy-pack-v1.2.4' names version '1.2.4' but policy-pack/package.json has version '1.2.3'");
    expect(run(publish(), ["acme", "v1.2.3"], { PUBLISH_DRY_RUN: "1" }).status).to.equal(2);
    expect(run(publish(), [""], { PUBLISH_DRY_RUN: "1" }).status).to.equal(2);
  });
});
