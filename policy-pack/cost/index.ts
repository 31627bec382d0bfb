/**
 * The idle-cost model of the policy pack: a rate table kept as data
 * (`rates.json`), one small mapper per priced resource type (`mappers/`),
 * the list of types with no idle charge (`free-types.ts`), and the estimator.
 *
 * Entry point for callers (the budget policy, `npm run check`, the README
 * table): `estimateIdleCost(resources, { region })` -> `CostEstimate`
 * (plain JSON; JSON Schema in `schema.json`).
 */
import costEstimateSchema from "./schema.json";

export { estimateIdleCost, normalizeType, isBillable, priceComponent } from "./estimate";
export { RATES, rate, periodsPerMonth, unitOf, loadRateTable, priceText } from "./rate-table";
export type { Rate, RateTable, Period } from "./rate-table";
export { FREE_TYPES, freeType } from "./free-types";
export { MAPPERS, MAPPER_BY_TYPE } from "./mappers";
export { usd, topComponents, groupByRate, countText, groupText, componentLine, renderText } from "./format";
export type { RateGroup } from "./format";
export type { CostComponent, CostEstimate, CostKind, EstimateOptions, FreeTypeEntry, NotPricedEntry, PlannedResource } from "./types";

/** JSON Schema (draft-07) of `CostEstimate`. */
export const COST_ESTIMATE_SCHEMA: Readonly<Record<string, unknown>> = costEstimateSchema;
