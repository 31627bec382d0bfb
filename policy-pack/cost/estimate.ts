/**
 * The estimator: classifies every planned resource (priced by a mapper,
 * free, or not priced), multiplies the mappers' counts with the rate table
 * and sums the fixed components into the idle monthly cost.
 *
 * It never throws on odd input: a mapper that fails reports its resource as
 * "not priced" with the error, so one bad resource cannot hide the rest.
 */
import { freeType } from "./free-types";
import { ComponentDraft, MapperResult } from "./mapper";
import { MAPPER_BY_TYPE } from "./mappers";
import { isUnknown } from "./inputs";
import { Period, periodsPerMonth, priceText, rate, RateTable, RATES, unitOf } from "./rate-table";
import type { CostComponent, CostEstimate, EstimateOptions, FreeTypeEntry, NotPricedEntry, PlannedResource } from "./types";

/** Packages whose resources are custom (cloud) resources when the caller does not say. */
export const PROVIDER_PACKAGES: ReadonlySet<string> = new Set([
  "aws",
  "aws-native",
  "azure-native",
  "azure",
  "azuread",
  "gcp",
  "google-native",
  "kubernetes",
  "random",
  "tls",
  "cloudflare",
  "datadog",
  "github",
  "docker",
  "command",
  "mongodbatlas",
  "snowflake",
  "databricks",
  "confluentcloud",
]);

/** `azure-native:network/v20240301:PrivateEndpoint` -> `azure-native:network:PrivateEndpoint`. */
export function normalizeType(type: string): string {
  return type.replace(/^(azure-native:[^:/]+)\/v[0-9a-z]+:/i, "$1:");
}

/** Whether a resource is a cloud resource to classify (not the stack, a provider or a component). */
export function isBillable(r: PlannedResource): boolean {
  if (typeof r.type !== "string" || r.type.startsWith("pulumi:")) return false;
  if (r.custom !== undefined) return r.custom;
  const pkg = r.type.split(":")[0];
  return PROVIDER_PACKAGES.has(pkg) || MAPPER_BY_TYPE.has(normalizeType(r.type)) || freeType(normalizeType(r.type)) !== undefined;
}

const round = (n: number, places: number): number => {
  const f = 10 ** places;
  return Math.round(n * f) / f;
};

function isPeriod(per: string): per is Period {
  return per === "hour" || per === "day" || per === "month";
}

/** Turns a mapper's draft into a component priced from the table. */
export function priceComponent(r: PlannedResource, d: ComponentDraft, rates: RateTable = RATES): CostComponent {
  const rt = rate(d.rateId, rates);
  const base = {
    ...(r.urn ? { urn: r.urn } : {}),
    resourceName: r.name,
    resourceType: r.type,
    component: d.component,
    rateId: rt.id,
    unit: unitOf(rt),
    unitPrice: rt.price,
    kind: rt.kind,
    ...(d.assumed ? { assumed: d.assumed } : {}),
  };
  if (rt.kind === "usage") {
    return {
      ...base,
      quantity: 0,
      monthly: 0,
      detail: d.detail ?? `${priceText(rt.price)} per ${rt.per}; depends on use, not part of the idle cost`,
    };
  }
  if (isPeriod(rt.per)) {
    const periods = periodsPerMonth(rt.per, rates);
    const quantity = d.count * periods;
    const periodText = rt.per === "hour" ? `${periods} h` : rt.per === "day" ? `${round(periods, 2)} d` : "1 month";
    const detail = d.detail ?? `${d.count} ${rt.item}${d.count === 1 ? "" : "s"} x ${periodText} x ${priceText(rt.price)}/${rt.per}`;
    return { ...base, quantity: round(quantity, 6), monthly: round(quantity * rt.price, 6), detail };
  }
  // Per-event rates (e.g. per rotation): the count is events per month.
  return {
    ...base,
    quantity: round(d.count, 6),
    monthly: round(d.count * rt.price, 6),
    detail: d.detail ?? `${d.count} ${rt.per}(s)/month x ${priceText(rt.price)}`,
  };
}

/** Region of the stack from its default providers, when the caller did not give one. */
function detectRegions(resources: readonly PlannedResource[]): { aws?: string; azure?: string } {
  const found: { aws?: string; azure?: string } = {};
  for (const r of resources) {
    if (!r || (r.type !== "pulumi:providers:aws" && r.type !== "pulumi:providers:azure-native")) continue;
    const v = (k: string) => {
      let x: unknown;
      try {
        x = (r.inputs ?? {})[k];
      } catch {
        x = undefined;
      }
      return typeof x === "string" && !isUnknown(x) ? x : undefined;
    };
    if (r.type === "pulumi:providers:aws") found.aws ??= v("region");
    if (r.type === "pulumi:providers:azure-native") found.azure ??= v("location");
  }
  return found;
}

const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

function classify(r: PlannedResource): MapperResult {
  const type = normalizeType(r.type);
  const mapper = MAPPER_BY_TYPE.get(type);
  if (mapper) {
    try {
      return mapper.map({ ...r, type, inputs: r.inputs && typeof r.inputs === "object" ? r.inputs : {} });
    } catch (e) {
      return { kind: "notPriced", reason: `the cost mapper failed on this resource: ${(e as Error).message}` };
    }
  }
  const f = freeType(type);
  if (f) return { kind: "free", billing: f.billing, note: f.note };
  return { kind: "notPriced", reason: "the cost model has no rate for this type" };
}

/**
 * Estimates the idle monthly cost of planned resources: the sum of the
 * components billed while the resources exist, whatever the traffic.
 */
export function estimateIdleCost(
  resources: readonly PlannedResource[],
  options: EstimateOptions = {},
  rates: RateTable = RATES,
): CostEstimate {
  const fixed: CostComponent[] = [];
  const usage: CostComponent[] = [];
  const free = new Map<string, { type: string; count: number; billing: "none" | "usage"; note?: string }>();
  const notPriced = new Map<string, { type: string; count: number; resources: string[]; reason: string }>();
  const notes: string[] = [];

  for (const r of resources ?? []) {
    if (!r || !isBillable(r)) continue;
    const result = classify(r);
    const type = normalizeType(r.type);
    if (result.kind === "priced") {
      for (const d of result.components) {
        let c: CostComponent;
        try {
          c = priceComponent(r, d, rates);
        } catch (e) {
          const key = `${type}|${(e as Error).message}`;
          const entry = notPriced.get(key) ?? { type, count: 0, resources: [], reason: (e as Error).message };
          entry.count++;
          entry.resources.push(r.name);
          notPriced.set(key, entry);
          continue;
        }
        (c.kind === "fixed" ? fixed : usage).push(c);
        if (c.assumed) notes.push(`${r.name} (${type}): ${c.assumed}.`);
      }
    } else if (result.kind === "free") {
      const key = `${type}|${result.billing}|${result.note ?? ""}`;
      const entry = free.get(key) ?? { type, count: 0, billing: result.billing, note: result.note };
      entry.count++;
      free.set(key, entry);
    } else {
      const shownType = result.variant ? `${type} (${result.variant})` : type;
      const key = `${shownType}|${result.reason}`;
      const entry = notPriced.get(key) ?? { type: shownType, count: 0, resources: [], reason: result.reason };
      entry.count++;
      entry.resources.push(r.name);
      notPriced.set(key, entry);
    }
  }

  fixed.sort((a, b) => b.monthly - a.monthly || a.resourceName.localeCompare(b.resourceName) || a.component.localeCompare(b.component));
  const detected = detectRegions(resources ?? []);
  const region = options.region ?? detected.aws ?? detected.azure;
  const awsRegion = options.region && AWS_REGION.test(options.region) ? options.region : detected.aws;
  const azureRegion = options.region && !AWS_REGION.test(options.region) ? options.region : detected.azure;
  const usesCloud = (prefix: string) => fixed.some((c) => c.rateId.startsWith(prefix));
  if (awsRegion && awsRegion !== "us-east-1" && usesCloud("aws.")) {
    notes.push(`AWS rates are us-east-1 list prices; ${awsRegion} may be priced higher, so the real idle cost there can be higher.`);
  }
  if (azureRegion && azureRegion.toLowerCase() !== "eastus" && usesCloud("azure.")) {
    notes.push(`Azure rates are East US list prices; ${azureRegion} may be priced differently.`);
  }
  const notPricedList: NotPricedEntry[] = [...notPriced.values()].sort((a, b) => a.type.localeCompare(b.type));
  if (notPricedList.length > 0) {
    notes.push(
      `${notPricedList.reduce((n, e) => n + e.count, 0)} resource(s) could not be priced; the idle cost is at least the figure shown.`,
    );
  }
  const freeList: FreeTypeEntry[] = [...free.values()]
    .sort((a, b) => a.type.localeCompare(b.type))
    .map((e) => (e.note ? e : { type: e.type, count: e.count, billing: e.billing }));

  return {
    schemaVersion: 1,
    currency: "USD",
    hoursPerMonth: rates.hoursPerMonth,
    rateBasis: rates.basis,
    ...(region ? { region } : {}),
    idleMonthlyUsd: round(
      fixed.reduce((sum, c) => sum + c.monthly, 0),
      2,
    ),
    incomplete: notPricedList.length > 0,
    components: [...fixed, ...usage],
    free: freeList,
    notPriced: notPricedList,
    notes,
  };
}
