/**
 * Shapes of the cost model. Everything here is plain, JSON-serialisable
 * data: `npm run check --format json` and the budget policy carry a
 * `CostEstimate` as is. `cost/schema.json` is the JSON Schema of
 * `CostEstimate` (docs/cost.md documents it for users).
 */

/** A planned resource, as the engine (policy), the recorder or the check tool sees it. */
export interface PlannedResource {
  readonly urn?: string;
  readonly type: string;
  readonly name: string;
  /** Inputs (or, in a stack policy, the planned properties). Unknown values may be `undefined` or a marker string. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /**
   * `false` for component resources, which cost nothing themselves. When not
   * given, a type of a known provider package is taken as a custom resource.
   */
  readonly custom?: boolean;
}

export type CostKind = "fixed" | "usage";

/** One line of the estimate: what a resource is billed for. */
export interface CostComponent {
  readonly urn?: string;
  readonly resourceName: string;
  readonly resourceType: string;
  /** What is billed, e.g. "interface endpoint in 2 AZs". */
  readonly component: string;
  /** Key of the rate in `cost/rates.json`. */
  readonly rateId: string;
  /** Billing unit of `unitPrice`, e.g. "endpoint-AZ-hour", "key-month", "registry-day", "GB". */
  readonly unit: string;
  /** Units billed per month (0 for usage components: they depend on traffic). */
  readonly quantity: number;
  /** USD per unit (the list price from the rate table). */
  readonly unitPrice: number;
  /** USD per month = quantity x unitPrice (0 for usage components). */
  readonly monthly: number;
  /** "fixed": billed while the resource exists (the idle cost); "usage": billed per use. */
  readonly kind: CostKind;
  /** How the quantity was reached, e.g. "2 AZs x 730 h". */
  readonly detail: string;
  /** Set when the quantity rests on an assumption (an input was unknown or missing): why. */
  readonly assumed?: string;
}

/** Resources of one type that have no idle charge. */
export interface FreeTypeEntry {
  readonly type: string;
  readonly count: number;
  /** "none": never billed; "usage": billed only for what is stored or used (no fixed charge). */
  readonly billing: "none" | "usage";
  readonly note?: string;
}

/** Resources of one type (or variant) the model has no price for: they are NOT zero, they are unknown. */
export interface NotPricedEntry {
  readonly type: string;
  readonly count: number;
  /** Names of the resources. */
  readonly resources: readonly string[];
  readonly reason: string;
}

export interface CostEstimate {
  readonly schemaVersion: 1;
  readonly currency: "USD";
  /** Hours in the month the hourly rates are multiplied by. */
  readonly hoursPerMonth: number;
  /** Where the rates come from (regions and the date they were read). */
  readonly rateBasis: string;
  /** The region the resources are deployed to, when known. */
  readonly region?: string;
  /** Sum of the fixed components, USD per month, rounded to cents. */
  readonly idleMonthlyUsd: number;
  /** True when some resource could not be priced: the real idle cost is then higher than `idleMonthlyUsd`. */
  readonly incomplete: boolean;
  /** Fixed components first (largest first), then usage components. */
  readonly components: readonly CostComponent[];
  readonly free: readonly FreeTypeEntry[];
  readonly notPriced: readonly NotPricedEntry[];
  /** Human-readable caveats: assumed quantities, region basis. */
  readonly notes: readonly string[];
}

export interface EstimateOptions {
  /** Deployment region (e.g. eu-west-1, westeurope); noted when it differs from the rate basis. */
  readonly region?: string;
}
