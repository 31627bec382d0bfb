/**
 * Every workflow file is a valid GitHub Actions workflow (checked against the
 * published workflow schema by @action-validator/core), every action is pinned
 * to a release, and the delivery workflows that the other tests reason about
 * all exist.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ValidationError, validateWorkflow } from "@action-validator/core";
import { REPO_ROOT, WORKFLOW_DIR, allUses, loadWorkflows } from "./workflows";

/** Validates quietly: the wasm module warns on stdout/stderr that it cannot check `paths` globs. */
function validate(source: string): ValidationError[] {
  const { warn, log } = console;
  console.warn = () => undefined;
  console.log = () => undefined;
  try {
    return validateWorkflow(source).errors;
  } finally {
    console.warn = warn;
    console.log = log;
  }
}

/** One line per leaf error: where (JSON pointer) and what, e.g. "/jobs/a: Additional property 'runs-onn' is not allowed". */
function describeErrors(errors: readonly ValidationError[]): string[] {
  return errors.flatMap((e) => {
    const here = `${"path" in e ? e.path || "/" : "/"}: ${e.detail ?? e.title}`;
    const nested = "states" in e && e.states ? e.states.flatMap((s) => describeErrors(s.errors)) : [];
    return nested.length > 0 ? nested : [here];
  });
}

describe("delivery: workflow files", () => {
  const workflowFiles = fs.readdirSync(path.join(REPO_ROOT, WORKFLOW_DIR)).filter((f) => /\.ya?ml$/.test(f));

  it("include the PR review, deploy, policy pack and the reusable stack and checks workflows", () => {
    expect(workflowFiles).to.include.members(["pr-review.yml", "deploy.yml", "policy-pack.yml", "pulumi-stack.yml", "checks.yml"]);
  });

  for (const file of fs.readdirSync(path.join(REPO_ROOT, WORKFLOW_DIR)).filter((f) => /\.ya?ml$/.test(f))) {
    it(`${file} validates against the GitHub workflow schema`, () => {
      const errors = validate(fs.readFileSync(path.join(REPO_ROOT, WORKFLOW_DIR, file), "utf8"));
      expect(describeErrors(errors), `${WORKFLOW_DIR}/${file}`).to.deep.equal([]);
    });
  }

  it("the validator rejects what GitHub would reject (so a pass means something)", () => {
    const valid = fs.readFileSync(path.join(REPO_ROOT, WORKFLOW_DIR, "deploy.yml"), "utf8");
    expect(validate(valid)).to.deep.equal([]);
    const broken = [
      valid.replace("cancel-in-progress: false", "cancel-in-progress: nope"),
      valid.replace("id-token: write", "id-token: writ"),
      valid.replace("needs: up-dev", "needz: up-dev"),
      valid.replace("on:\n  push:", "on:\n  pushed:"),
      valid + "\n  bad:\n    steps: [{ run: x }]\n",
      "on: [push\n",
    ];
    for (const src of broken) {
      expect(src, "mutation applied").to.not.equal(valid);
      expect(describeErrors(validate(src)), src.slice(0, 80)).to.not.be.empty;
    }
  });

  it("pins every action to a full 40-hex commit SHA with its release tag in a comment (OpenSSF Pinned-Dependencies)", () => {
    const workflows = loadWorkflows();
    const bad = allUses(workflows)
      .filter(({ uses }) => !uses.startsWith("./"))
      .filter(({ workflow, uses }) => {
        if (!/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/.test(uses)) return true;
        // The tag Dependabot keeps in step with the SHA: `uses: owner/repo@<sha> # vX.Y.Z`.
        const line = workflows
          .get(workflow)!
          .source.split("\n")
          .find((l) => l.includes(`uses: ${uses}`));
        return !line || !/ # v\d+\.\d+\.\d+\s*$/.test(line);
      })
      .map(({ workflow, job, uses }) => `${workflow} ${job}: ${uses}`);
    expect(bad, "actions not pinned to a commit SHA with a `# vX.Y.Z` comment").to.deep.equal([]);
  });

  it("uses one SHA per action and tag everywhere (one pin to update)", () => {
    const workflows = loadWorkflows();
    const pins = new Map<string, Set<string>>();
    for (const w of workflows.values()) {
      for (const m of w.source.matchAll(/uses: ([\w.-]+\/[\w.-]+(?:\/[\w./-]+)?)@([0-9a-f]{40}) # (v[\d.]+)/g)) {
        const set = pins.get(m[1]) ?? new Set<string>();
        set.add(`${m[2]} ${m[3]}`);
        pins.set(m[1], set);
      }
    }
    expect(pins.size, "pinned actions found").to.be.greaterThan(3);
    for (const [action, set] of pins) expect([...set], action).to.have.length(1);
  });

  it("calls reusable workflows only from this repository", () => {
    const remote = allUses(loadWorkflows())
      .filter(({ uses }) => uses.includes(".github/workflows/") && !uses.startsWith("./"))
      .map(({ workflow, job, uses }) => `${workflow} ${job}: ${uses}`);
    expect(remote).to.deep.equal([]);
  });

  it("stores no long-lived cloud credential: the only secret used is the optional Pulumi token", () => {
    const workflows = [...loadWorkflows().values()];
    const secrets = new Set(workflows.flatMap((w) => [...w.source.matchAll(/secrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1])));
    expect([...secrets]).to.deep.equal(["PULUMI_ACCESS_TOKEN"]);
    for (const w of workflows) {
      expect(w.source, w.file).to.not.match(
        /aws-access-key-id|aws-secret-access-key|client-secret|creds:|AZURE_CREDENTIALS|PULUMI_CONFIG_PASSPHRASE/,
      );
    }
  });

  it("stack runs load the program transpile-only (PULUMI_NODEJS_TRANSPILE_ONLY); npm test checks the types on Node.js 20, 22, 24 and 26", () => {
    const workflows = loadWorkflows();
    const stack = workflows.get("pulumi-stack.yml")!.doc;
    for (const [id, job] of Object.entries(stack.jobs)) {
      if (!(job.steps ?? []).some((s) => s.uses?.startsWith("pulumi/actions@"))) continue;
      expect((job as { env?: Record<string, unknown> }).env?.PULUMI_NODEJS_TRANSPILE_ONLY, id).to.equal("true");
    }
    const test = workflows.get("checks.yml")!.doc.jobs.test;
    expect((test.strategy?.matrix as { node?: unknown[] }).node).to.deep.equal([20, 22, 24, 26]);
    const setup = test.steps!.find((s) => s.uses?.startsWith("actions/setup-node@"))!;
    expect(setup.with?.["node-version"]).to.equal("${{ matrix.node }}");
    expect(test.steps!.some((s) => s.run === "npm test")).to.equal(true);
  });
});
