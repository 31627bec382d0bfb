/**
 * Text renderings of an estimate, shared by the budget policy, the README
 * table generator and (if it wants them) the check tool.
 */
import { periodsPerMonth, priceText, rate, RATES } from "./rate-table";
import type { CostComponent, CostEstimate } from "./types";

/** `$1,234.50` */
export function usd(n: number): string {
  return `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** The `n` largest fixed components. */
export function topComponents(estimate: CostEstimate, n: number): CostComponent[] {
  return estimate.components.filter((c) => c.kind === "fixed").slice(0, Math.max(0, n));
}

export interface RateGroup {
  readonly rateId: string;
  readonly label: string;
  /** Items billed (endpoint-AZs, keys, zones), summed over resources; for per-event rates, events per month. */
  readonly count: number;
  readonly item: string;
  /** True for per-event rates (count is events per month), false for items billed per hour/day/month. */
  readonly perEvent: boolean;
  readonly monthly: number;
}

/** Fixed components grouped by rate, largest first: "Interface VPC endpoint: 14 endpoint-AZs, $102.20". */
export function groupByRate(estimate: CostEstimate): RateGroup[] {
  const groups = new Map<string, { rateId: string; label: string; count: number; item: string; perEvent: boolean; monthly: number }>();
  for (const c of estimate.components) {
    if (c.kind !== "fixed") continue;
    const rt = RATES.rates[c.rateId];
    const per = rt?.per;
    const count = per === "hour" || per === "day" || per === "month" ? c.quantity / periodsPerMonth(per) : c.quantity;
    const perEvent = !(per === "hour" || per === "day" || per === "month");
    const g = groups.get(c.rateId) ?? {
      rateId: c.rateId,
      label: rt?.label ?? c.rateId,
      count: 0,
      item: rt?.item ?? c.unit,
      perEvent,
      monthly: 0,
    };
    g.count += count;
    g.monthly += c.monthly;
    groups.set(c.rateId, g);
  }
  return [...groups.values()]
    .map((g) => ({ ...g, count: Math.round(g.count * 1e4) / 1e4, monthly: Math.round(g.monthly * 100) / 100 }))
    .sort((a, b) => b.monthly - a.monthly || a.label.localeCompare(b.label));
}

/** "14 endpoint-AZs", "1 key", "0.083 scheduled rotations" */
export function countText(count: number, item: string): string {
  const shown = Number.isInteger(count) ? String(count) : count.toFixed(3);
  return `${shown} ${item}${count === 1 ? "" : "s"}`;
}

/** A rate group as text: "Interface VPC endpoint: 14 endpoint-AZs, $102.20" or "...: 0.169 scheduled rotations/month, $0.17". */
export function groupText(g: RateGroup): string {
  return `${g.label}: ${countText(g.count, g.item)}${g.perEvent ? "/month" : ""}, ${usd(g.monthly)}`;
}

/** One line per fixed component, for messages: "- <resource> <component>: $14.60/month (detail)". */
export function componentLine(c: CostComponent): string {
  return `${c.resourceName} (${c.resourceType}) ${c.component}: ${usd(c.monthly)}/month (${c.detail})${c.assumed ? ` [assumed: ${c.assumed}]` : ""}`;
}

/** A plain-text report of an estimate (what a CLI prints). */
export function renderText(estimate: CostEstimate): string {
  const lines: string[] = [];
  lines.push(
    `Idle cost estimate: ${usd(estimate.idleMonthlyUsd)}/month${estimate.incomplete ? " (at least: some resources are not priced)" : ""}`,
  );
  for (const g of groupByRate(estimate)) lines.push(`  ${groupText(g)}/month`);
  const fixed = estimate.components.filter((c) => c.kind === "fixed");
  if (fixed.length > 0) {
    lines.push("Components:");
    for (const c of fixed) lines.push(`  - ${componentLine(c)}`);
  }
  const usageRates = [...new Set(estimate.components.filter((c) => c.kind === "usage").map((c) => c.rateId))];
  if (usageRates.length > 0) {
    lines.push(
      `Billed by use on top (not in the idle figure): ${usageRates
        .map((id) => {
          const r = rate(id);
          return `${r.label} ${priceText(r.price)}/${r.per}`;
        })
        .join("; ")}`,
    );
  }
  if (estimate.notPriced.length > 0) {
    lines.push("Not priced (the estimate does not include them):");
    for (const e of estimate.notPriced) lines.push(`  - ${e.type} x${e.count} (${e.resources.join(", ")}): ${e.reason}`);
  }
  if (estimate.free.length > 0) {
    lines.push(`No idle charge: ${estimate.free.map((f) => `${f.type} x${f.count}${f.billing === "usage" ? " (usage)" : ""}`).join(", ")}`);
  }
  for (const n of estimate.notes) lines.push(`Note: ${n}`);
  lines.push(`Rates: ${estimate.rateBasis}`);
  return lines.join("\n");
}
