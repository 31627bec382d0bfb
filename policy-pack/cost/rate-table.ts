/**
 * The rate table (`rates.json`): list prices kept as data, each with its
 * unit, region basis, source and the date it was read. This module checks
 * the table once when it loads and turns a rate into monthly quantities.
 */
import table from "./rates.json";
import type { CostKind } from "./types";

/** Time-based billing periods; anything else (GB, requests, rotations) is a count. */
export type Period = "hour" | "day" | "month";

export interface Rate {
  readonly id: string;
  readonly label: string;
  /** USD per `per`. */
  readonly price: number;
  /** "hour" | "day" | "month" for time-based rates; a volume ("GB", "10,000 requests") or event ("rotation") otherwise. */
  readonly per: string;
  /** What one unit counts, e.g. "endpoint-AZ", "key", "registry". */
  readonly item: string;
  readonly kind: CostKind;
  readonly regionBasis: string;
  readonly source: string;
  /** Date the price was read (YYYY-MM-DD). */
  readonly read: string;
  readonly note?: string;
}

export interface RateTable {
  readonly currency: "USD";
  readonly hoursPerMonth: number;
  readonly basis: string;
  readonly rates: Readonly<Record<string, Rate>>;
}

const PERIODS: readonly string[] = ["hour", "day", "month"];

/** Checks the raw table; throws one error listing every problem. */
export function loadRateTable(raw: unknown): RateTable {
  const problems: string[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw JSON, every field checked below
  const doc = (raw ?? {}) as Record<string, any>;
  if (doc.currency !== "USD") problems.push(`currency: got ${JSON.stringify(doc.currency)}; allowed: "USD"`);
  if (typeof doc.hoursPerMonth !== "number" || doc.hoursPerMonth <= 0)
    problems.push(`hoursPerMonth: got ${JSON.stringify(doc.hoursPerMonth)}; allowed: a positive number (730)`);
  if (typeof doc.basis !== "string" || doc.basis === "")
    problems.push("basis: missing; allowed: a sentence naming the regions and date of the prices");
  const rates: Record<string, Rate> = {};
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw JSON, every field checked below
  for (const [id, r] of Object.entries((doc.rates ?? {}) as Record<string, any>)) {
    const where = `rates.${id}`;
    if (typeof r?.price !== "number" || !(r.price > 0))
      problems.push(`${where}.price: got ${JSON.stringify(r?.price)}; allowed: a positive number of USD`);
    for (const key of ["label", "per", "item", "regionBasis"]) {
      if (typeof r?.[key] !== "string" || r[key] === "") problems.push(`${where}.${key}: missing; allowed: a non-empty string`);
    }
    if (r?.kind !== "fixed" && r?.kind !== "usage")
      problems.push(`${where}.kind: got ${JSON.stringify(r?.kind)}; allowed: "fixed" | "usage"`);
    if (typeof r?.source !== "string" || !/^https:\/\/\S+$/.test(r.source))
      problems.push(`${where}.source: got ${JSON.stringify(r?.source)}; allowed: an https URL of the published price`);
    if (typeof r?.read !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(r.read))
      problems.push(`${where}.read: got ${JSON.stringify(r?.read)}; allowed: the date read, YYYY-MM-DD`);
    if (r?.kind === "fixed" && r?.per !== "rotation" && !PERIODS.includes(r?.per))
      problems.push(`${where}.per: got ${JSON.stringify(r?.per)}; a fixed rate is billed per ${PERIODS.join(" | ")} | rotation`);
    rates[id] = { id, ...r };
  }
  if (Object.keys(rates).length === 0) problems.push("rates: empty");
  if (problems.length > 0) throw new Error(`invalid cost rate table:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return { currency: "USD", hoursPerMonth: doc.hoursPerMonth, basis: doc.basis, rates };
}

export const RATES: RateTable = loadRateTable(table);

/** The rate `id`; throws naming the id if the table has none (a mapper bug, caught by the unit tests). */
export function rate(id: string, rates: RateTable = RATES): Rate {
  const r = rates.rates[id];
  if (!r) throw new Error(`cost rate ${JSON.stringify(id)} is not in the rate table; known: ${Object.keys(rates.rates).join(", ")}`);
  return r;
}

/** Billing periods in one month: 730 hours, 730/24 days, 1 month. */
export function periodsPerMonth(per: Period, rates: RateTable = RATES): number {
  switch (per) {
    case "hour":
      return rates.hoursPerMonth;
    case "day":
      return rates.hoursPerMonth / 24;
    case "month":
      return 1;
  }
}

/** The billing unit of a rate as it appears in a component, e.g. "endpoint-AZ-hour", "GB". */
export function unitOf(r: Rate): string {
  if (PERIODS.includes(r.per)) return `${r.item}-${r.per}`;
  return r.per;
}

/** A list price as text with at least two decimals: $0.50, $0.005, $1.667. */
export function priceText(price: number): string {
  const decimals = Math.max(2, (String(price).split(".")[1] ?? "").length);
  return `$${price.toFixed(decimals)}`;
}
