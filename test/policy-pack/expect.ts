/**
 * Small assertions over the harness for the per-policy tests: run one
 * policy on one resource or one stack and get the violation messages (the
 * part after the description the runtime prefixes) with their URNs.
 */
import { expect } from "chai";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { controlOf } from "../../policy-pack/lib/define";
import type { ControlId } from "../../policy-pack/controls";
import { Diagnostic, ResourceSpec, RunOptions, analyzeResource, analyzeStack } from "./harness";

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

export interface Found {
  readonly violations: { readonly message: string; readonly urn?: string; readonly level: string }[];
  readonly notApplicable: boolean;
  readonly diagnostics: Diagnostic[];
}

function found(policy: AnyPolicy, r: { diagnostics: Diagnostic[]; notApplicable: { policyName: string }[] }): Found {
  return {
    violations: r.diagnostics.map((d) => {
      expect(d.message.startsWith(`${policy.description}\n`) || d.message.startsWith("can't run policy"), d.message).to.equal(true);
      return { message: d.message.slice(policy.description.length + 1), urn: d.urn, level: d.enforcementLevel };
    }),
    notApplicable: r.notApplicable.some((n) => n.policyName === policy.name),
    diagnostics: r.diagnostics,
  };
}

export async function onResource(policy: AnyPolicy, spec: ResourceSpec, options: RunOptions = {}): Promise<Found> {
  return found(policy, await analyzeResource(policy, spec, options));
}

export async function onStack(policy: AnyPolicy, specs: readonly ResourceSpec[], options: RunOptions = {}): Promise<Found> {
  return found(policy, await analyzeStack(policy, specs, options));
}

/** The resource passes: applicable, no diagnostics. */
export async function expectPass(policy: AnyPolicy, spec: ResourceSpec, options: RunOptions = {}): Promise<void> {
  const f = await onResource(policy, spec, options);
  expect(f.notApplicable, `${policy.name} should apply to ${String(spec.name ?? "")}`).to.equal(false);
  expect(f.violations.map((v) => v.message)).to.deep.equal([]);
}

/** The resource fails with exactly one violation whose message contains every fragment. */
export async function expectViolation(
  policy: AnyPolicy,
  spec: ResourceSpec,
  fragments: string[],
  options: RunOptions = {},
): Promise<string> {
  const f = await onResource(policy, spec, options);
  expect(
    f.violations.map((v) => v.message),
    policy.name,
  ).to.have.length(1);
  const m = f.violations[0].message;
  for (const fr of fragments) expect(m).to.contain(fr);
  expect(m, "a message says how to fix it").to.contain("Fix: ");
  return m;
}

export async function expectNotApplicable(policy: AnyPolicy, spec: ResourceSpec, options: RunOptions = {}): Promise<void> {
  const f = await onResource(policy, spec, options);
  expect(f.notApplicable, `${policy.name} should not apply`).to.equal(true);
  expect(f.violations).to.deep.equal([]);
}

/** The stack passes: no diagnostics. */
export async function expectStackPass(policy: AnyPolicy, specs: readonly ResourceSpec[], options: RunOptions = {}): Promise<void> {
  const f = await onStack(policy, specs, options);
  expect(f.notApplicable, `${policy.name} should apply`).to.equal(false);
  expect(f.violations.map((v) => `${v.urn}: ${v.message}`)).to.deep.equal([]);
}

/** The stack fails with one violation per [urn, fragments] pair, in any order. */
export async function expectStackViolations(
  policy: AnyPolicy,
  specs: readonly ResourceSpec[],
  expected: [string | undefined, string[]][],
  options: RunOptions = {},
): Promise<void> {
  const f = await onStack(policy, specs, options);
  const got = f.violations.map((v) => `${v.urn}: ${v.message}`);
  expect(f.violations, got.join("\n")).to.have.length(expected.length);
  for (const [urn, fragments] of expected) {
    const match = f.violations.find((v) => v.urn === urn && fragments.every((fr) => v.message.includes(fr)));
    expect(match, `expected a violation at ${urn} containing ${JSON.stringify(fragments)}; got:\n${got.join("\n")}`).to.not.equal(
      undefined,
    );
    expect(match!.message).to.contain("Fix: ");
  }
}

export function expectControl(policy: AnyPolicy, control: ControlId): void {
  expect(controlOf(policy), `${policy.name} proves ${control}`).to.equal(control);
}
