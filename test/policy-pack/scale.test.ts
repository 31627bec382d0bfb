/**
 * The pack at scale, pinned without timing: every stack policy reads each
 * resource of a stack a bounded number of times (the work grows linearly
 * with the stack, not with the square of it), the indexed matching gives
 * exactly the pairwise `refersTo` answers, compiled globs and parsed
 * documents are reused, and the runtime's type fast paths cannot change a
 * verdict.
 *
 * The linear bound is checked by counting reads of `props` and
 * `propertyDependencies` on every resource a policy is given, for synthetic
 * stacks of 1,000 and 10,000 resources (copies of the prod stacks, as
 * `npm run bench` builds them): 10x the resources may cost at most 12x the
 * reads (a policy that matches every bucket against every configuration
 * resource costs about 100x).
 */
import { expect } from "chai";
import type { PolicyResource, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import * as s3 from "@pulumi/aws/s3";
import { syntheticRecording } from "../../tools/bench";
import type { Recording } from "../../engine/recorder";
import { runStack, STACKS } from "../harness";
import { notApplicable, validateResourcesOfTypes } from "../../policy-pack/lib/define";
import { globCacheSize, globMatch, parseDocument } from "../../policy-pack/lib/iam";
import { coverage, Match, refersTo } from "../../policy-pack/lib/match";
import { loadPackConfig, reconcileConfig, ResourceSpec, specsOf, stackArgs, tokenOf, unknown } from "./harness";
import { ALL_POLICIES } from "./pack";

const stackPolicies = ALL_POLICIES.filter(
  (p): p is StackValidationPolicy => typeof (p as StackValidationPolicy).validateStack === "function",
);
const pulumiTypeOf = (fn: unknown): string | undefined => {
  const t = (fn as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof t === "string" && t !== "" ? t : undefined;
};

class NotApplicable extends Error {
  constructor(readonly reason?: string) {
    super(reason);
  }
}

/** Runs a stack policy over `args`, counting reads of each resource's props and property dependencies. */
async function countedRun(p: StackValidationPolicy, args: StackValidationArgs): Promise<{ reads: number; outcome: string }> {
  let reads = 0;
  const watched = args.resources.map(
    (r) =>
      new Proxy(r, {
        get: (target, key) => {
          if (key === "props" || key === "propertyDependencies") reads++;
          return (target as unknown as Record<string | symbol, unknown>)[key];
        },
      }),
  );
  let outcome = "judged";
  try {
    await Promise.resolve(
      p.validateStack(
        {
          ...args,
          resources: watched,
          notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
          },
        },
        () => undefined,
      ),
    );
  } catch (e) {
    if (!(e instanceof NotApplicable)) throw e;
    outcome = "not applicable";
  }
  return { reads, outcome };
}

describe("policy pack at scale: linear work, same verdicts", function () {
  this.timeout(300_000);

  describe("every stack policy reads a 10,000-resource stack at most 12x as often as a 1,000-resource one", () => {
    const config = reconcileConfig(ALL_POLICIES, loadPackConfig("prod"));
    for (const stack of ["prod", "azure-prod"]) {
      it(`${stack} copies, prod config`, async () => {
        const rec: Recording = await runStack(stack);
        const argsOf = (n: number) => {
          const specs = specsOf(syntheticRecording(rec, n)).outputs;
          // One set of resources for all policies (the runtime builds the same ones for each).
          return stackArgs(stackPolicies[0], specs, { config: loadPackConfig("prod") });
        };
        const small = argsOf(1_000);
        const large = argsOf(10_000);
        expect(large.resources.length).to.be.at.least(9_000);
        const problems: string[] = [];
        let judged = 0;
        for (const p of stackPolicies) {
          const getConfig = <T extends object>(): T => JSON.parse(JSON.stringify(config.get(p.name)?.properties ?? {})) as T;
          const a = await countedRun(p, { ...small, getConfig });
          const b = await countedRun(p, { ...large, getConfig });
          if (b.outcome === "judged") judged++;
          if (b.reads > 12 * Math.max(a.reads, 1))
            problems.push(`${p.name}: ${a.reads} reads for ${small.resources.length} resources, ${b.reads} for ${large.resources.length}`);
        }
        expect(judged, "stack policies that judged the large stack").to.be.at.least(5);
        expect(problems, problems.join("\n")).to.deep.equal([]);
      });
    }
  });

  describe("indexed matching (coverage) gives exactly the pairwise refersTo answers", () => {
    /** A small deterministic PRNG (mulberry32). */
    const rng = (seed: number) => () => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    it("on 2,000 generated stacks with known, unknown and missing values and odd dependencies", () => {
      const next = rng(0x5ca1e);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
      const values = ["b1", "b2", "b3", "", unknown(), unknown("object"), undefined, 7, null];
      let compared = 0;
      let matched = 0;
      for (let round = 0; round < 2_000; round++) {
        const targets: PolicyResource[] = [];
        const candidates: PolicyResource[] = [];
        const make = (urn: string, keys: string[]): PolicyResource => {
          const props: Record<string, unknown> = {};
          for (const k of keys) {
            const v = pick(values);
            if (v !== undefined) props[k] = v;
          }
          return {
            urn,
            type: "t",
            name: urn,
            props,
            opts: {} as never,
            dependencies: [],
            propertyDependencies: {},
            isType: () => false,
            asType: () => undefined,
          } as unknown as PolicyResource;
        };
        for (let i = Math.floor(next() * 5); i > 0; i--) targets.push(make(`urn:t${i}`, ["bucket", "id"]));
        for (let i = Math.floor(next() * 8); i > 0; i--) candidates.push(make(`urn:c${i}`, ["bucket"]));
        for (const c of candidates) {
          const r = next();
          if (r < 0.3) continue;
          const deps: PolicyResource[] = [];
          for (let k = Math.floor(next() * 3); k > 0; k--) deps.push(next() < 0.8 && targets.length ? pick(targets) : pick(candidates));
          (c.propertyDependencies as Record<string, PolicyResource[]>).bucket = r < 0.4 ? [] : deps;
        }
        const transform = round % 2 ? undefined : (v: string) => [v, v.toUpperCase()];
        const fast = coverage(targets, candidates, "bucket", ["bucket", "id"], transform);
        targets.forEach((target, i) => {
          const answers: Match[] = candidates.map((c) => refersTo(c, "bucket", target, ["bucket", "id"], transform));
          expect(fast[i].target).to.equal(target);
          expect(fast[i].matches, `round ${round} target ${i}`).to.deep.equal(candidates.filter((_, j) => answers[j] === "yes"));
          expect(fast[i].undetermined, `round ${round} target ${i}`).to.deep.equal(candidates.filter((_, j) => answers[j] === "unknown"));
          compared += candidates.length;
          matched += fast[i].matches.length + fast[i].undetermined.length;
        });
      }
      expect(compared).to.be.greaterThan(5_000);
      expect(matched, "the generator produces matches and undetermined pairs").to.be.greaterThan(500);
    });
  });

  describe("reuse", () => {
    it("compiles a glob pattern once, however many values it matches", () => {
      const pattern = `arn:aws:s3:::scale-test-${Date.now()}-*/*`;
      const before = globCacheSize();
      let hits = 0;
      for (let i = 0; i < 10_000; i++) if (globMatch(pattern, `arn:aws:s3:::SCALE-test-${pattern.split("-")[2]}-${i}/key`)) hits++;
      expect(hits).to.equal(10_000);
      expect(globCacheSize() - before).to.equal(1);
      expect(globMatch(pattern, "arn:aws:s3:::other/key")).to.equal(false);
    });

    it("parses one policy document text once (the parsed document is shared and frozen)", () => {
      const text = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::reuse-${Date.now()}/*` }],
      });
      const parse = JSON.parse;
      let parses = 0;
      JSON.parse = ((...a: Parameters<typeof JSON.parse>) => (parses++, parse(...a))) as typeof JSON.parse;
      let first: ReturnType<typeof parseDocument> | undefined;
      try {
        first = parseDocument(text);
        for (let i = 0; i < 1_000; i++) expect(parseDocument(text)).to.equal(first);
      } finally {
        JSON.parse = parse;
      }
      expect(parses).to.equal(1);
      expect(Object.isFrozen(first)).to.equal(true);
      expect(parseDocument(`${text} `)).to.not.equal(first);
      expect(parseDocument(`${text} `)).to.deep.equal(first);
    });
  });

  describe("type fast paths of the policy runtime cannot change a verdict", () => {
    it("a resource validation of one class carries its type (the runtime skips other types with the same reason); of several classes, none", () => {
      const one = validateResourcesOfTypes([s3.BucketPolicy], () => undefined);
      const two = validateResourcesOfTypes([s3.BucketPolicy, s3.Bucket], () => undefined);
      expect(pulumiTypeOf(one)).to.equal(tokenOf(s3.BucketPolicy));
      expect(pulumiTypeOf(two)).to.equal(undefined);
      let reason = "";
      const args = {
        type: "aws:s3/bucket:Bucket",
        props: {},
        notApplicable: (r?: string): never => {
          reason = r ?? "";
          throw new NotApplicable(r);
        },
      };
      expect(() => one(args as never, () => undefined)).to.throw(NotApplicable);
      expect(reason).to.equal(`Policy only applies to resources of type '${tokenOf(s3.BucketPolicy)}'`);
    });

    it("every resource policy with a type is not applicable, with the runtime's reason, to a resource of another type", async () => {
      const typed = ALL_POLICIES.filter(
        (p): p is ResourceValidationPolicy => !!pulumiTypeOf((p as ResourceValidationPolicy).validateResource),
      );
      expect(typed.length).to.be.at.least(20);
      for (const p of typed) {
        const t = pulumiTypeOf(p.validateResource)!;
        let reason: string | undefined;
        const args = {
          type: "x:y:Other",
          props: {},
          urn: "urn:x",
          name: "x",
          opts: {},
          getConfig: () => ({}),
          isType: () => false,
          asType: () => undefined,
          notApplicable: (r?: string): never => {
            reason = r;
            throw new NotApplicable(r);
          },
        };
        try {
          await Promise.resolve((p.validateResource as (a: unknown, r: unknown) => unknown)(args, () => undefined));
        } catch (e) {
          if (!(e instanceof NotApplicable)) throw e;
        }
        expect(reason, p.name).to.equal(`Policy only applies to resources of type '${t}'`);
      }
    });

    it("every stack policy with a type is not applicable to a stack without that type", async () => {
      const typed = stackPolicies.filter((p) => pulumiTypeOf(p.validateStack));
      expect(typed.length).to.be.at.least(5);
      const recs = await Promise.all(STACKS.map((s) => runStack(s)));
      for (const p of typed) {
        const t = pulumiTypeOf(p.validateStack)!;
        for (const rec of recs) {
          const specs: ResourceSpec[] = specsOf(rec).outputs.filter((s) => tokenOf(s.type) !== t);
          const { outcome } = await countedRun(p, stackArgs(p, specs, { config: loadPackConfig("prod") }));
          expect(outcome, `${p.name} on ${rec.stack} without ${t}`).to.equal("not applicable");
        }
      }
    });

    it("the cheap notApplicable throws the runtime's error and restores the stack trace limit", () => {
      const limit = Error.stackTraceLimit;
      const args = {
        notApplicable: (r?: string): never => {
          throw new NotApplicable(r);
        },
      };
      expect(() => notApplicable(args, "why")).to.throw(NotApplicable, "why");
      expect(Error.stackTraceLimit).to.equal(limit);
    });
  });
});
