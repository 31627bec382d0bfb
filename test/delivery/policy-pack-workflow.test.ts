/**
 * policy-pack.yml tests the pack whenever it changes and publishes it only on
 * a `policy-pack-v*` tag, only after the tests passed, and only when the
 * organisation variable is set (publishing is optional).
 */
import { expect } from "chai";
import { condition } from "./expressions";
import { loadWorkflows, needsOf, triggers } from "./workflows";

describe("delivery: policy pack CI", () => {
  const wf = loadWorkflows().get("policy-pack.yml")!;
  const on = triggers(wf.doc) as Record<string, Record<string, string[]>>;
  const test = wf.doc.jobs.test;
  const publish = wf.doc.jobs.publish;

  it("runs on changes to policy-pack/** (pull requests and main) and on policy-pack-v* tags", () => {
    expect(on.pull_request.paths).to.include("policy-pack/**");
    expect(on.push.paths).to.include("policy-pack/**");
    expect(on.push.branches).to.deep.equal(["main"]);
    expect(on.push.tags).to.deep.equal(["policy-pack-v*"]);
  });

  it("tests the pack: npm ci, npm test, and every stack checked with the pack type-checked", () => {
    const runs = (test.steps ?? []).map((s) => s.run ?? "");
    expect(runs.some((r) => r.startsWith("npm ci"))).to.equal(true);
    expect(runs).to.include("npm test");
    const loop = runs.find((r) => r.includes("npm run check"))!;
    expect(loop).to.include("for file in Pulumi.*.yaml");
    expect(loop).to.include("--pack-type-check");
  });

  it("publishes only after the tests, on a policy-pack-v* tag, when PULUMI_POLICY_ORG is set", () => {
    expect(needsOf(publish)).to.deep.equal(["test"]);
    const when = (ref: string, org: string) => condition(publish.if, { github: { ref }, vars: { PULUMI_POLICY_ORG: org } });
    expect(when("refs/tags/policy-pack-v0.1.0", "acme")).to.equal(true);
    expect(when("refs/tags/policy-pack-v0.1.0", ""), "org unset: publishing is skipped").to.equal(false);
    expect(when("refs/heads/main", "acme"), "a branch push never publishes").to.equal(false);
    expect(when("refs/tags/v0.1.0", "acme"), "another tag never publishes").to.equal(false);
  });

  it("publishes with the shared script, which runs pulumi policy publish <org>", () => {
    const step = (publish.steps ?? []).find((s) => s.run?.includes("publish-policy-pack.sh"))!;
    expect(step.run).to.equal('scripts/publish-policy-pack.sh "$PULUMI_POLICY_ORG" "$TAG"');
    expect(step.env).to.include({ PULUMI_POLICY_ORG: "${{ vars.PULUMI_POLICY_ORG }}", TAG: "${{ github.ref_name }}" });
    expect(
      (publish.steps ?? []).some((s) => s.uses?.startsWith("pulumi/actions@") && s.with === undefined),
      "installs the Pulumi CLI only",
    ).to.equal(true);
  });
});
