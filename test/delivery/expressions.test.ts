/**
 * The expression evaluator the delivery tests rely on: if it resolved
 * `${{ matrix.stack }}` or an `if:` wrongly, every other delivery test would
 * prove nothing. These pin its GitHub semantics.
 */
import { expect } from "chai";
import { UNKNOWN, condition, evaluate, interpolate, resolveValue } from "./expressions";

describe("delivery: GitHub expression evaluator", () => {
  const ctx = { matrix: { stack: "azure-prod", tier: "prod" }, inputs: { command: "up", cloud: "aws", region: "" } };

  it("resolves context paths, and a missing property to null", () => {
    expect(evaluate("matrix.stack", ctx)).to.equal("azure-prod");
    expect(evaluate("matrix.region", ctx)).to.equal(null);
  });

  it("returns UNKNOWN for contexts it was not given (vars, secrets, github, steps)", () => {
    expect(evaluate("vars.AWS_ROLE_ARN", ctx)).to.equal(UNKNOWN);
    expect(evaluate("secrets.PULUMI_ACCESS_TOKEN", ctx)).to.equal(UNKNOWN);
    expect(interpolate("pulumi-${{ github.run_id }}", ctx)).to.equal(UNKNOWN);
  });

  it("compares strings ignoring case, as GitHub does", () => {
    expect(evaluate("inputs.command == 'UP'", ctx)).to.equal(true);
    expect(evaluate("inputs.cloud != 'aws'", ctx)).to.equal(false);
  });

  it("yields values from || and && with GitHub truthiness", () => {
    expect(evaluate("matrix.region || ''", ctx)).to.equal("");
    expect(evaluate("inputs.region || 'us-east-1'", ctx)).to.equal("us-east-1");
    expect(evaluate("inputs.cloud == 'aws' && 'yes'", ctx)).to.equal("yes");
    expect(evaluate("inputs.cloud == 'azure' && vars.X", ctx)).to.equal(false);
    expect(evaluate("inputs.cloud == 'aws' && vars.X", ctx)).to.equal(UNKNOWN);
  });

  it("evaluates format, startsWith and negation", () => {
    expect(evaluate("format('out/check-{0}.sarif', matrix.stack)", ctx)).to.equal("out/check-azure-prod.sarif");
    expect(evaluate("startsWith('refs/tags/policy-pack-v1', 'refs/tags/policy-pack-v')", ctx)).to.equal(true);
    expect(evaluate("!(inputs.command == 'preview')", ctx)).to.equal(true);
    expect(evaluate("!cancelled()", ctx)).to.equal(UNKNOWN);
  });

  it("interpolates templates and keeps a whole-expression value's type", () => {
    expect(interpolate("policy-pack/config/${{ matrix.tier }}.json", ctx)).to.equal("policy-pack/config/prod.json");
    expect(interpolate("${{ matrix.stack }}-preview", ctx)).to.equal("azure-prod-preview");
    expect(resolveValue("${{ inputs.command == 'preview' }}", ctx)).to.equal(false);
    expect(resolveValue(false, ctx)).to.equal(false);
  });

  it("evaluates if: conditions with or without ${{ }}, absent meaning true", () => {
    expect(condition(undefined, ctx)).to.equal(true);
    expect(condition("inputs.command == 'up'", ctx)).to.equal(true);
    expect(condition("${{ inputs.cloud == 'azure' }}", ctx)).to.equal(false);
    expect(condition("vars.PULUMI_OIDC_ORGANIZATION != ''", ctx)).to.equal(UNKNOWN);
  });

  it("rejects malformed expressions instead of guessing", () => {
    expect(() => evaluate("matrix.stack ==", ctx)).to.throw(/end of expression/);
    expect(() => evaluate("'unterminated", ctx)).to.throw(/unterminated/);
  });
});
