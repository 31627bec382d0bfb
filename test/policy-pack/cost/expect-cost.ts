/** Test helpers: expected amounts computed from the rate table, never retyped. */
import { CostComponent, CostEstimate, estimateIdleCost, Period, periodsPerMonth, PlannedResource, rate } from "../../../policy-pack/cost";

/** Monthly USD for `count` items (or events per month) billed at `rateId`. */
export function monthlyOf(rateId: string, count: number): number {
  const r = rate(rateId);
  const per = r.per as Period;
  return ["hour", "day", "month"].includes(r.per) ? count * periodsPerMonth(per) * r.price : count * r.price;
}

/** Units per month for `count` items billed at `rateId` (e.g. 2 endpoint-AZs -> 1460 hours). */
export function quantityOf(rateId: string, count: number): number {
  const r = rate(rateId);
  return ["hour", "day", "month"].includes(r.per) ? count * periodsPerMonth(r.per as Period) : count;
}

export function fixed(e: CostEstimate): CostComponent[] {
  return e.components.filter((c) => c.kind === "fixed");
}

export function usage(e: CostEstimate): CostComponent[] {
  return e.components.filter((c) => c.kind === "usage");
}

/** Estimate of a single resource. */
export function one(type: string, inputs: Record<string, unknown>, name = "r"): CostEstimate {
  const r: PlannedResource = { urn: `urn:pulumi:test::p::${type}::${name}`, type, name, inputs };
  return estimateIdleCost([r]);
}

/** [rateId, quantity] pairs of the fixed components, sorted, for exact list comparison. */
export function rateQuantities(e: CostEstimate): [string, number][] {
  return fixed(e)
    .map((c): [string, number] => [c.rateId, Math.round(c.quantity * 1e4) / 1e4])
    .sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]);
}
