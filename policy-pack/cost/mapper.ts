/**
 * What a mapper is: a small function that turns one planned resource of the
 * type(s) it knows into cost components, or says the resource has no idle
 * charge, or says the model cannot price it. Mappers only name a rate and
 * count what is billed; the estimator multiplies with the rate table.
 */
import type { PlannedResource } from "./types";

export interface ComponentDraft {
  /** What is billed, e.g. "interface endpoint sagemaker.api in 2 AZs". */
  readonly component: string;
  /** Key in rates.json. */
  readonly rateId: string;
  /**
   * For rates billed per hour/day/month: how many items are billed (endpoint-AZs, keys, registries).
   * For per-event rates (e.g. per rotation): events per month. Ignored for usage rates.
   */
  readonly count: number;
  /** Overrides the generated "2 endpoint-AZs x 730 h" detail. */
  readonly detail?: string;
  /** Why the count is an assumption, when it is one. */
  readonly assumed?: string;
}

export type MapperResult =
  | { readonly kind: "priced"; readonly components: readonly ComponentDraft[] }
  | { readonly kind: "free"; readonly billing: "none" | "usage"; readonly note?: string }
  | {
      readonly kind: "notPriced";
      readonly reason: string;
      /** Distinguishes e.g. an endpoint type: "(GatewayLoadBalancer)". */ readonly variant?: string;
    };

export interface Mapper {
  /** Resource type tokens this mapper prices (azure-native tokens without an API version). */
  readonly types: readonly string[];
  readonly map: (resource: PlannedResource) => MapperResult;
}

export const priced = (...components: ComponentDraft[]): MapperResult => ({ kind: "priced", components });
export const free = (billing: "none" | "usage", note?: string): MapperResult => ({ kind: "free", billing, note });
export const notPriced = (reason: string, variant?: string): MapperResult => ({ kind: "notPriced", reason, variant });

export function plural(n: number, noun: string): string {
  const shown = Number.isInteger(n) ? String(n) : n.toFixed(3);
  return `${shown} ${noun}${n === 1 ? "" : "s"}`;
}
