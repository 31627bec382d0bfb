/**
 * Optional report sections, in the order they appear (after the violations
 * and remediations, before the summary). A section computes a value from the
 * recording and renders it; the JSON report carries it under its key.
 *
 * `cost`: the idle monthly cost estimate of policy-pack/cost/ over the same
 * recording the pack analysed (the value is a `CostEstimate`, JSON Schema
 * policy-pack/cost/schema.json, embedded in check-report.schema.json).
 */
import { CostEstimate, estimateIdleCost, PlannedResource } from "../../policy-pack/cost";
import { costTableLines } from "./format/cost";
import type { ReportSection, SectionContext } from "./report";

/** Provider packages and the config key / provider input that names where they deploy. */
const REGION_KEYS: readonly { readonly pkg: string; readonly key: string }[] = [
  { pkg: "aws", key: "region" },
  { pkg: "azure-native", key: "location" },
];

/** A value usable as a region name: `us-east-1`, `westeurope` (not a secret, an unknown or ciphertext). */
function regionName(value: unknown): string | undefined {
  return typeof value === "string" && /^[a-z][a-z0-9-]{1,63}$/i.test(value) ? value : undefined;
}

export interface StackRegion {
  readonly region: string;
  /** Where it came from: a config key or `provider <name> input region`. */
  readonly from: string;
}

/**
 * The region a stack deploys to, for the estimate's region basis: the
 * project's own `<project>:region` / `<project>:location` config (this
 * project's convention), else the providers' config (`aws:region`,
 * `azure-native:location`), else the `region` / `location` input of an
 * explicit provider the program creates. Secret values are never used.
 */
export function stackRegion(
  project: string,
  config: Readonly<Record<string, string>>,
  resources: readonly { readonly type: string; readonly name: string; readonly inputs?: Readonly<Record<string, unknown>> }[],
  secretKeys: readonly string[] = [],
): StackRegion | undefined {
  const secret = new Set(secretKeys);
  const fromConfig = (key: string): StackRegion | undefined => {
    const region = secret.has(key) ? undefined : regionName(config[key]);
    return region ? { region, from: `config ${key}` } : undefined;
  };
  for (const { key } of REGION_KEYS) {
    const found = fromConfig(`${project}:${key}`);
    if (found) return found;
  }
  for (const { pkg, key } of REGION_KEYS) {
    const found = fromConfig(`${pkg}:${key}`);
    if (found) return found;
  }
  for (const r of resources) {
    for (const { pkg, key } of REGION_KEYS) {
      if (r.type !== `pulumi:providers:${pkg}`) continue;
      const region = regionName(r.inputs?.[key]);
      if (region) return { region, from: `provider ${r.name} input ${key}` };
    }
  }
  return undefined;
}

/**
 * The planned resources the estimate covers: the program's custom resources
 * (components cost nothing themselves), plus the default providers the
 * engine adds (their inputs come from the stack's config), so that the model
 * can tell each cloud's region in a program that uses two clouds.
 */
export function plannedResources(ctx: Pick<SectionContext, "recording" | "model">): PlannedResource[] {
  const program: PlannedResource[] = ctx.recording.resources
    .filter((r) => r.custom)
    .map((r) => ({ urn: r.urn, type: r.type, name: r.name, inputs: r.inputs ?? {}, custom: true }));
  const defaults: PlannedResource[] = ctx.model.resources
    .filter((r) => r.synthetic === "default-provider")
    .map((r) => ({ urn: r.urn, type: r.type, name: r.name, inputs: r.inputs, custom: true }));
  return [...defaults, ...program];
}

/**
 * The estimator turns a mapper that throws (or names a rate the table lacks)
 * into a "not priced" entry carrying the error: a bug in the model, which the
 * user should hear about beyond the section itself.
 */
const MODEL_BUG = /^the cost mapper failed|^cost rate .* is not in the rate table/;

/** The idle-cost estimate of the checked stack. */
export function estimateStackCost(ctx: SectionContext): CostEstimate {
  const planned = plannedResources(ctx);
  const region = stackRegion(ctx.model.project, ctx.config, planned, ctx.secretKeys);
  const estimate = estimateIdleCost(planned, region ? { region: region.region } : {});
  for (const e of estimate.notPriced) {
    if (MODEL_BUG.test(e.reason))
      ctx.warn?.(`idle cost: ${e.type} (${e.resources.join(", ")}) is not priced: ${e.reason} (a bug in the cost model; please report it)`);
  }
  return estimate;
}

export const COST_SECTION: ReportSection<CostEstimate> = {
  key: "cost",
  title: "Idle cost (monthly, list prices)",
  compute: estimateStackCost,
  renderTable: costTableLines,
};

export const SECTIONS: readonly ReportSection[] = [COST_SECTION as ReportSection];
