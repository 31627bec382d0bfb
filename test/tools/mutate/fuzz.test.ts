/**
 * Policy fuzzing: every policy of the registry (resource and stack
 * policies) is called at least 1,000 times with property bags generated
 * from a seeded PRNG (deterministic: same seed, same inputs), starting from
 * the real recorded inputs (resource policies) and outputs (stack policies)
 * of the four shipped stacks, the resources the mutation catalog adds, and
 * seeds for the other types the policies handle. Arguments are built by the
 * policy-pack harness as the runtime builds them (protobuf Struct, the SDK's
 * deserializer and unknown-checking proxy), with the prod config.
 *
 * A policy may report violations or declare itself not applicable; it must
 * never throw, and never touch an unknown value (the runtime would turn that
 * into "can't run during preview"). A failure names the policy, the seed,
 * the call and the input. Each policy's calls are counted and asserted.
 * Remediations are fuzzed too (fewer calls: the harness reconciles the
 * config on each).
 */
import { expect } from "chai";
import type {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { MUTATIONS } from "../../../tools/mutate/catalog";
import type { Recording } from "../../../engine/recorder";
import { runStack, STACKS } from "../../harness";
import {
  loadPackConfig,
  reconcileConfig,
  remediateResource,
  resourceArgs,
  ResourceSpec,
  specsOf,
  stackArgs,
  tokenOf,
} from "../../policy-pack/harness";
import { ALL_POLICIES } from "../../policy-pack/pack";
import { hash, oddBag, Rng } from "./fuzz-gen";
import { FUZZ_SEEDS, REGRESSIONS } from "./fuzz-seeds";

/** Change it to explore other inputs; the test stays deterministic for a given value. */
const BASE_SEED = 0x5eed2024;
const CALLS_PER_POLICY = 1000;
const REMEDIATION_CALLS = 200;

const sdkProxy = require("@pulumi/policy/proxy") as { UnknownValueError: new (...args: any[]) => Error };

class NotApplicable extends Error {}
const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

const resourcePolicies = ALL_POLICIES.filter(
  (p): p is ResourceValidationPolicy => "validateResource" in p && p.validateResource !== undefined,
);
const stackPolicies = ALL_POLICIES.filter(
  (p): p is StackValidationPolicy => typeof (p as StackValidationPolicy).validateStack === "function",
);
const ctx = { config: reconcileConfig(ALL_POLICIES, loadPackConfig("prod")), stackTags: new Map<string, string>() };
const configOf =
  (name: string) =>
  <T extends object>(): T =>
    JSON.parse(JSON.stringify(ctx.config.get(name)?.properties ?? {})) as T;

interface Failure {
  readonly call: number;
  readonly seed: number;
  readonly error: string;
  readonly input: string;
}

interface Tally {
  calls: number;
  judged: number;
  violations: number;
  failures: number;
  first?: Failure;
}

function describeInput(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
  } catch (e) {
    text = `<not serialisable: ${(e as Error).message}>`;
  }
  return text.length > 3000 ? `${text.slice(0, 3000)}... (${text.length} chars)` : text;
}

/** Runs one validation; returns "judged", "not-applicable" or the failure text. */
async function guarded(run: () => unknown): Promise<"judged" | "not-applicable" | string> {
  try {
    await Promise.resolve(run());
    return "judged";
  } catch (e) {
    if (e instanceof NotApplicable) return "not-applicable";
    if (e instanceof sdkProxy.UnknownValueError) return `touched a value unknown during preview: ${(e as Error).message}`;
    return (e as Error)?.stack ?? String(e);
  }
}

function record(t: Tally, outcome: string, call: number, seed: number, input: () => unknown): void {
  t.calls++;
  if (outcome === "judged") t.judged++;
  else if (outcome !== "not-applicable") {
    t.failures++;
    t.first ??= { call, seed, error: outcome, input: describeInput(input()) };
  }
}

/**
 * The policy's validation of `spec`, ready to run. The arguments are built
 * here, outside the guard: an input the runtime cannot even decode is the
 * fuzzer's bug, not the policy's, and fails the test at once.
 */
function runValidation(policy: ResourceValidationPolicy, spec: ResourceSpec, report: ReportViolation): () => Promise<void> {
  let args: ResourceValidationArgs;
  try {
    args = { ...resourceArgs(policy, spec, {}, ctx), notApplicable };
  } catch (e) {
    throw new Error(`the fuzzer generated an input the runtime cannot decode (${(e as Error).message}): ${describeInput(spec)}`, {
      cause: e,
    });
  }
  const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
  return async () => {
    for (const v of validations) await Promise.resolve(v(args, report));
  };
}

/** Resource specs to start from: the stacks' inputs, what the mutation catalog adds, and seeds for other handled types. */
function resourceSeeds(recordings: readonly Recording[]): Map<string, ResourceSpec[]> {
  const byType = new Map<string, ResourceSpec[]>();
  const addSpec = (s: ResourceSpec) => {
    const t = tokenOf(s.type);
    const list = byType.get(t) ?? [];
    if (list.length < 12) list.push(s);
    byType.set(t, list);
  };
  for (const rec of recordings) {
    specsOf(rec).inputs.forEach(addSpec);
    const known = new Set(rec.resources.map((r) => r.urn));
    for (const m of MUTATIONS) {
      if (!m.stacks.includes(rec.stack as never)) continue;
      const added = m.apply(rec);
      for (const s of specsOf(added).inputs) if (!known.has(String(s.urn))) addSpec(s);
    }
  }
  FUZZ_SEEDS.forEach(addSpec);
  return byType;
}

describe("policy fuzzing: no policy throws on generated property bags", function () {
  this.timeout(600_000);
  let recordings: Recording[];
  let seeds: Map<string, ResourceSpec[]>;
  const tallies = new Map<string, Tally>();
  const remediationTallies = new Map<string, Tally>();
  const handledTypes = new Map<string, string[]>();

  before(async () => {
    recordings = [];
    for (const s of STACKS) recordings.push(await runStack(s));
    seeds = resourceSeeds(recordings);
    for (const p of resourcePolicies) {
      const handled: string[] = [];
      for (const [type, specs] of seeds) if (!(await typeGateReason(p, specs[0]))) handled.push(type);
      handledTypes.set(p.name, handled);
    }
  });

  it("every resource policy handles at least one seeded type (so the bodies, not only the type checks, are fuzzed)", () => {
    const without = resourcePolicies.filter((p) => (handledTypes.get(p.name) ?? []).length === 0).map((p) => p.name);
    expect(without, "resource policies with no seed of a type they handle (add one to FUZZ_SEEDS)").to.deep.equal([]);
  });

  /** `calls` generated inputs (and the policy's regression inputs) through one resource policy. */
  async function fuzzResourcePolicy(p: ResourceValidationPolicy, types: readonly string[], calls: number): Promise<Tally> {
    const seed = (BASE_SEED ^ hash(p.name)) >>> 0;
    const rng = new Rng(seed);
    const t: Tally = { calls: 0, judged: 0, violations: 0, failures: 0 };
    const report: ReportViolation = () => void t.violations++;
    for (let i = 0; i < calls; i++) {
      const base = rng.pick(seeds.get(types[i % types.length])!);
      const props = i % 25 === 0 ? (base.props ?? {}) : oddBag(rng, base.props ?? {});
      let provider = base.provider;
      if (provider && rng.chance(0.1)) provider = { ...provider, props: oddBag(rng, provider.props ?? {}) };
      const spec: ResourceSpec = { ...base, props, provider };
      record(t, await guarded(runValidation(p, spec, report)), i, seed, () => spec);
    }
    for (const r of REGRESSIONS.filter((x) => x.policy === p.name)) {
      record(t, await guarded(runValidation(p, r.spec, report)), -1, 0, () => r.spec);
    }
    return t;
  }

  it("catches a fragile policy (negative control): an unguarded nested read throws and is reported with seed and input", async () => {
    const fragile: ResourceValidationPolicy = {
      name: "fragile-test-policy",
      description: "[C1] reads encryption.keySource without guards",
      enforcementLevel: "mandatory",
      validateResource: (args, report) => {
        if (args.type !== "azure-native:storage:StorageAccount") return;
        if ((args.props as any).encryption.keySource.toLowerCase() !== "microsoft.keyvault") report("not a customer key");
      },
    };
    const t = await fuzzResourcePolicy(fragile, ["azure-native:storage:StorageAccount"], 200);
    expect(t.failures, "the fuzzer must make an unguarded policy throw").to.be.greaterThan(0);
    expect(t.first?.seed).to.be.a("number");
    expect(t.first?.input).to.include("azure-native:storage:StorageAccount");
  });

  it(`every resource policy: ${CALLS_PER_POLICY}+ generated inputs of the types it handles, no throw`, async () => {
    for (const p of resourcePolicies) tallies.set(p.name, await fuzzResourcePolicy(p, handledTypes.get(p.name) ?? [], CALLS_PER_POLICY));
    assertTallies(
      resourcePolicies.map((p) => p.name),
      tallies,
    );
  });

  it(`every stack policy: ${CALLS_PER_POLICY}+ generated stacks (subsets of the shipped stacks with mangled outputs and dependencies), no throw`, async () => {
    for (const p of stackPolicies) {
      const seed = (BASE_SEED ^ hash(p.name)) >>> 0;
      const rng = new Rng(seed);
      const t: Tally = { calls: 0, judged: 0, violations: 0, failures: 0 };
      const report: ReportViolation = () => void t.violations++;
      // The stacks the policy judges, and the resource types whose properties it reads there.
      const targets: { outputs: ResourceSpec[]; read: Set<string> }[] = [];
      for (const rec of recordings) {
        const outputs = specsOf(rec).outputs;
        const read = new Set<string>();
        const args = stackArgs(p, outputs, {}, ctx);
        const watched = args.resources.map(
          (r) => new Proxy(r, { get: (target, key) => (key === "props" && read.add(target.type), (target as any)[key]) }),
        );
        const out = await guarded(() => p.validateStack({ ...args, resources: watched, notApplicable }, () => undefined));
        if (out === "judged") targets.push({ outputs, read });
      }
      if (targets.length === 0) targets.push(...recordings.map((rec) => ({ outputs: specsOf(rec).outputs, read: new Set<string>() })));
      for (let i = 0; i < CALLS_PER_POLICY; i++) {
        const { outputs, read } = rng.pick(targets);
        const specs = generatedStack(rng, outputs, read);
        let args: StackValidationArgs;
        try {
          args = { ...stackArgs(p, specs, {}, ctx), getConfig: configOf(p.name), notApplicable };
        } catch (e) {
          throw new Error(`the fuzzer generated a stack the runtime cannot decode (${(e as Error).message}): ${describeInput(specs)}`, {
            cause: e,
          });
        }
        record(t, await guarded(() => p.validateStack(args, report)), i, seed, () => specs.filter((_, j) => j < 40));
      }
      tallies.set(p.name, t);
    }
    assertTallies(
      stackPolicies.map((p) => p.name),
      tallies,
    );
  });

  it(`remediations: ${REMEDIATION_CALLS} generated inputs each, no throw`, async () => {
    const remediating = resourcePolicies.filter((p) => typeof p.remediateResource === "function");
    expect(remediating.length, "policies with a remediation").to.be.greaterThan(0);
    for (const p of remediating) {
      const seed = (BASE_SEED ^ hash(`remediate:${p.name}`)) >>> 0;
      const rng = new Rng(seed);
      const t: Tally = { calls: 0, judged: 0, violations: 0, failures: 0 };
      const types = handledTypes.get(p.name) ?? [];
      for (let i = 0; i < REMEDIATION_CALLS; i++) {
        const base = rng.pick(seeds.get(types[i % types.length])!);
        const spec: ResourceSpec = { ...base, props: oddBag(rng, base.props ?? {}) };
        let outcome: string;
        try {
          const r = await remediateResource(p, spec, { config: { all: "remediate" } });
          const notice = r.remediations.find((x) => x.diagnostic);
          outcome = notice ? `remediation could not run: ${notice.diagnostic}` : "judged";
        } catch (e) {
          outcome = (e as Error)?.stack ?? String(e);
        }
        record(t, outcome, i, seed, () => spec);
      }
      remediationTallies.set(p.name, t);
    }
    assertTallies(
      remediating.map((p) => p.name),
      remediationTallies,
      REMEDIATION_CALLS,
    );
  });

  it("covers every policy of the registry", () => {
    expect([...tallies.keys()].sort()).to.deep.equal(ALL_POLICIES.map((p) => p.name).sort());
    expect(ALL_POLICIES.length).to.be.at.least(58);
  });

  after(() => {
    if (tallies.size === 0) return;
    const total = [...tallies.values()].reduce((n, t) => n + t.calls, 0);
    const min = Math.min(...[...tallies.values()].map((t) => t.calls));
    const judged = Math.min(...[...tallies.values()].map((t) => t.judged));
    // Figures for docs/mutation.md, not assertions.
    console.log(
      `      fuzz: ${tallies.size} policies, ${total} calls (at least ${min} per policy, at least ${judged} judged rather than not applicable), seed 0x${BASE_SEED.toString(16)}`,
    );
  });
});

/** True when the policy declines the resource because of its type alone. */
async function typeGateReason(p: ResourceValidationPolicy, spec: ResourceSpec): Promise<boolean> {
  let reason = "";
  const args = { ...resourceArgs(p, spec, {}, ctx), notApplicable: (r?: string): never => ((reason = r ?? ""), notApplicable(r)) };
  const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource!];
  try {
    for (const v of validations) await Promise.resolve(v(args, () => undefined));
  } catch {
    // the reason is what matters
  }
  return /only applies to|take no tags/.test(reason);
}

/** A stack made from `outputs`: types the policy reads kept more often, 1-3 resources mangled, odd dependencies and options. */
function generatedStack(rng: Rng, outputs: readonly ResourceSpec[], read: ReadonlySet<string>): ResourceSpec[] {
  const full = rng.chance(0.1);
  let specs = outputs.filter((s) => full || rng.chance(read.has(tokenOf(s.type)) ? 0.85 : 0.15)).map((s) => ({ ...s }));
  if (specs.length === 0) specs = [{ ...rng.pick(outputs) }];
  const interesting = specs.filter((s) => read.has(tokenOf(s.type)));
  for (let k = 1 + rng.int(3); k > 0; k--) {
    const target = interesting.length && rng.chance(0.7) ? rng.pick(interesting) : rng.pick(specs);
    const i = specs.indexOf(target);
    specs[i] = { ...target, props: oddBag(rng, target.props ?? {}) };
  }
  if (rng.chance(0.15)) {
    const i = rng.int(specs.length);
    const deps = { ...(specs[i].propertyDependencies ?? {}) };
    const key = rng.pick([...Object.keys(deps), "bucket", "resourceUri", "accountName", "vpcId", "targetBucket"]);
    deps[key] = rng.pick([[], ["urn:pulumi:x::y::z::missing"], [String(rng.pick(specs).urn)], [String(specs[i].urn)]]);
    specs[i] = { ...specs[i], propertyDependencies: deps };
  }
  if (rng.chance(0.05)) specs.push({ ...rng.pick(specs) });
  if (rng.chance(0.05)) {
    const i = rng.int(specs.length);
    specs[i] = { ...specs[i], opts: { ...specs[i].opts, protect: rng.pick(["true", 1, null, undefined]) as never } };
  }
  return specs;
}

function assertTallies(names: readonly string[], tallies: ReadonlyMap<string, Tally>, minimum = CALLS_PER_POLICY): void {
  const problems: string[] = [];
  for (const name of names) {
    const t = tallies.get(name);
    if (!t) {
      problems.push(`${name}: never called`);
      continue;
    }
    if (t.calls < minimum) problems.push(`${name}: only ${t.calls} calls (want ${minimum})`);
    if (t.first) {
      problems.push(
        `${name}: ${t.failures} failure(s) in ${t.calls} calls; first at call ${t.first.call} (seed 0x${t.first.seed.toString(16)}):\n` +
          `    ${t.first.error.split("\n").slice(0, 6).join("\n    ")}\n    input: ${t.first.input}`,
      );
    }
  }
  expect(problems, problems.join("\n")).to.deep.equal([]);
}
