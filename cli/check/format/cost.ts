/**
 * The idle-cost section of the table output: the total, one row per fixed
 * component (resource, component, quantity x unit price, monthly), what is
 * billed by use on top, the count of free types, the types the model does
 * not price (listed, never counted as zero), the estimate's notes and the
 * rate basis.
 */
import { priceText, RATES, usd } from "../../../policy-pack/cost";
import type { CostComponent, CostEstimate } from "../../../policy-pack/cost";

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

function padStart(s: string, n: number): string {
  return s.length >= n ? s : " ".repeat(n - s.length) + s;
}

/** 730, 1,460, 30.417 */
export function quantityText(q: number): string {
  return q.toLocaleString("en-US", { maximumFractionDigits: 3 });
}

/** "730 endpoint-AZ-hours x $0.01" */
export function quantityTimesPrice(c: CostComponent): string {
  const unit = c.quantity === 1 ? c.unit : `${c.unit}s`;
  return `${quantityText(c.quantity)} ${unit} x ${priceText(c.unitPrice)}`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** Lines of the section (without its heading). */
export function costTableLines(e: CostEstimate): string[] {
  const out: string[] = [];
  const fixed = e.components.filter((c) => c.kind === "fixed");
  const notPricedCount = e.notPriced.reduce((n, x) => n + x.count, 0);
  const where = e.region ? ` in ${e.region}` : "";
  out.push(
    e.incomplete
      ? `Total: at least ${usd(e.idleMonthlyUsd)}/month idle${where}: ${plural(notPricedCount, "resource")} not priced (below), so the real idle cost is higher`
      : `Total: ${usd(e.idleMonthlyUsd)}/month idle${where}`,
  );

  if (fixed.length > 0) {
    const rows = fixed.map((c) => [c.resourceName, c.component + (c.assumed ? " [assumed]" : ""), quantityTimesPrice(c), usd(c.monthly)]);
    const head = ["Resource", "Component", "Quantity x unit price", "Monthly"];
    const w = [0, 1, 2, 3].map((i) => Math.max(head[i].length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]) => `${pad(r[0], w[0] + 2)}${pad(r[1], w[1] + 2)}${pad(r[2], w[2] + 2)}${padStart(r[3], w[3])}`;
    out.push(line(head), ...rows.map(line));
  } else {
    out.push("Components: none (nothing with a fixed charge)");
  }

  const usage = new Map<string, string>();
  for (const c of e.components) {
    if (c.kind !== "usage" || usage.has(c.rateId)) continue;
    usage.set(c.rateId, `${RATES.rates[c.rateId]?.label ?? c.rateId} ${priceText(c.unitPrice)}/${c.unit}`);
  }
  if (usage.size > 0) out.push(`Billed by use on top (not in the total): ${[...usage.values()].join("; ")}`);

  const freeResources = e.free.reduce((n, f) => n + f.count, 0);
  out.push(
    e.free.length > 0
      ? `No idle charge: ${plural(e.free.length, "type")} (${plural(freeResources, "resource")}; listed in --format json under cost.free)`
      : "No idle charge: none",
  );

  if (e.notPriced.length > 0) {
    out.push(`Not priced (NOT in the total, not zero: the model has no price for them): ${plural(e.notPriced.length, "type")}`);
    for (const x of e.notPriced) out.push(`  - ${x.type} x${x.count} (${x.resources.join(", ")}): ${x.reason}`);
  } else {
    out.push("Not priced: none (every resource is priced or free)");
  }

  for (const n of e.notes) out.push(`Note: ${n}`);
  out.push(`Rates: ${e.rateBasis}`);
  return out;
}
