/**
 * GITHUB_TOKEN permissions are exactly what each job uses, nothing broader:
 * every entry workflow starts from `permissions: {}`; each job grants
 * `contents: read`, plus `id-token: write` only where an OIDC login happens
 * (in the job or in the reusable workflow it calls), `pull-requests: write`
 * only where the preview is posted on the PR, and `security-events: write` +
 * `actions: read` only where SARIF is uploaded. Reusable workflows grant
 * nothing themselves, so they inherit their caller's grant and no more.
 */
import { expect } from "chai";
import { resolveValue } from "./expressions";
import {
  Job,
  OIDC_ACTIONS,
  Workflows,
  calledWorkflow,
  effectiveSteps,
  isAction,
  isReusable,
  loadWorkflows,
  stackRuns,
  stackWorkflowSteps,
} from "./workflows";

type Grant = Record<string, string>;

/** The permissions a job needs, derived from what its steps (and its callee's) do. */
function neededPermissions(workflowFile: string, jobId: string, job: Job, workflows: Workflows): Grant {
  const steps = effectiveSteps(job, workflows);
  const need: Grant = { contents: "read" };
  if (steps.some((s) => OIDC_ACTIONS.some((a) => isAction(s, a)))) need["id-token"] = "write";
  if (steps.some((s) => isAction(s, "github/codeql-action/upload-sarif"))) {
    need["security-events"] = "write";
    need.actions = "read"; // upload-sarif reads the run's metadata in private repositories
  }
  // The PR comment: a pulumi/actions step whose comment-on-pr is true for one of this job's runs.
  const runs = stackRuns(workflows).filter((r) => r.workflow === workflowFile && r.job === jobId && r.inputs);
  const direct = steps.filter((s) => isAction(s, "pulumi/actions") && resolveValue(s.with?.["comment-on-pr"], {}) === true);
  const viaCallee = runs.some((r) =>
    stackWorkflowSteps(r, workflows).some(
      (s) =>
        s.active === true &&
        isAction(s.step, "pulumi/actions") &&
        resolveValue(s.step.with?.["comment-on-pr"], { inputs: r.inputs! }) === true,
    ),
  );
  if (direct.length > 0 || viaCallee) need["pull-requests"] = "write";
  return need;
}

describe("delivery: token permissions are least privilege", () => {
  const workflows = loadWorkflows();
  const entries = [...workflows.values()].filter((w) => !isReusable(w.doc));
  const reusable = [...workflows.values()].filter((w) => isReusable(w.doc));

  it("every entry workflow starts from no permissions at all", () => {
    for (const w of entries) expect(w.doc.permissions, `${w.file} top-level permissions`).to.deep.equal({});
  });

  for (const w of [...workflows.values()].filter((w) => !isReusable(w.doc))) {
    for (const [jobId, job] of Object.entries(w.doc.jobs)) {
      it(`${w.file} job ${jobId} grants exactly the permissions it uses`, () => {
        expect(job.permissions, "job-level permissions must be explicit").to.be.an("object");
        expect(job.permissions).to.deep.equal(neededPermissions(w.file, jobId, job, workflows));
      });
    }
  }

  it("reusable workflows grant nothing themselves (they inherit the caller's grant)", () => {
    for (const w of reusable) {
      expect(w.doc.permissions, `${w.file} top-level`).to.equal(undefined);
      for (const [jobId, job] of Object.entries(w.doc.jobs)) expect(job.permissions, `${w.file} ${jobId}`).to.equal(undefined);
    }
  });

  it("grants id-token: write to every job that logs in by OIDC (preview, up, publish) and to no other", () => {
    const withOidc = entries.flatMap((w) =>
      Object.entries(w.doc.jobs)
        .filter(([, job]) => (job.permissions as Record<string, string>)["id-token"] === "write")
        .map(([id]) => `${w.file}:${id}`),
    );
    expect(withOidc).to.have.members(["deploy.yml:up-dev", "deploy.yml:up-prod", "pr-review.yml:preview", "policy-pack.yml:publish"]);
  });

  it("never grants write-all, read-all or contents: write", () => {
    for (const w of workflows.values()) {
      expect(w.source, w.file).to.not.match(/write-all|read-all|contents:\s*write/);
    }
  });

  it("detects a broader grant (the check is not vacuous)", () => {
    const deploy = workflows.get("deploy.yml")!;
    const job = deploy.doc.jobs["up-dev"];
    const broader = { ...job, permissions: { ...(job.permissions as Grant), "pull-requests": "write" } };
    expect(broader.permissions).to.not.deep.equal(neededPermissions("deploy.yml", "up-dev", broader, workflows));
    const checks = deploy.doc.jobs.checks;
    expect(calledWorkflow(checks, workflows)?.file).to.equal("checks.yml");
    expect(neededPermissions("deploy.yml", "checks", checks, workflows)).to.not.have.property("id-token");
  });
});
