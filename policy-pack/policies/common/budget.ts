/**
 * COST: the stack's idle monthly cost stays within the tier's budget.
 *
 * A stack policy over the same cost model `npm run check` prints
 * (`policy-pack/cost`), so `pulumi preview --policy-pack policy-pack
 * --policy-pack-config policy-pack/config/prod.json` enforces the budget on a
 * user's machine too. Not one of the security controls C1-C11: its id is
 * "COST". The budget per tier lives in `policy-pack/config/<tier>.json`
 * (advisory in dev, mandatory in prod).
 */
import type { PolicyResource, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import type { PolicyConfigSchema } from "@pulumi/policy";
import { componentLine, CostEstimate, estimateIdleCost, PlannedResource, topComponents, usd } from "../../cost";
import { settings } from "../../lib/define";
import { unwrap } from "../../lib/values";

export const BUDGET_CONTROL = "COST";
export const BUDGET_POLICY_NAME = "common-cost-stack-enforce-idle-monthly-budget";

export interface BudgetSettings {
  /** Largest idle monthly cost (USD) the stack may plan. */
  readonly monthlyBudgetUsd: number;
  /** How many of the largest cost components a violation lists. */
  readonly topComponents: number;
}

export const BUDGET_CONFIG_SCHEMA: PolicyConfigSchema = {
  properties: {
    monthlyBudgetUsd: {
      type: "number",
      minimum: 0,
      default: 110,
      description:
        "Largest idle monthly cost in USD (fixed charges: keys, endpoints, gateways, registries, DNS zones) the stack may plan. Per tier in policy-pack/config/<tier>.json.",
    },
    topComponents: {
      type: "integer",
      minimum: 1,
      maximum: 50,
      default: 5,
      description: "How many of the largest cost components a violation lists.",
    },
  },
};

/** Plain, proxy-free copy of a value: unknown values stay as the engine's sentinel strings, which the cost model reads as unknown. */
function plain(value: unknown, depth = 0): unknown {
  const v = unwrap(value);
  if (depth > 32 || v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((e) => plain(e, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    try {
      out[key] = plain((v as Record<string, unknown>)[key], depth + 1);
    } catch {
      out[key] = undefined;
    }
  }
  return out;
}

/** The stack's resources as the cost model takes them. A resource with a provider is a custom (billable) resource. */
export function plannedResources(resources: readonly PolicyResource[]): PlannedResource[] {
  return resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    inputs: (plain(r.props) ?? {}) as Record<string, unknown>,
    ...(r.provider ? { custom: true } : {}),
  }));
}

/** The deployment region, from the first resource whose provider names one. */
export function regionOf(resources: readonly PolicyResource[]): string | undefined {
  for (const r of resources) {
    if (!r.provider) continue;
    const props = plain(r.provider.props) as Record<string, unknown> | undefined;
    const region = props?.region ?? props?.location;
    if (typeof region === "string" && /^[a-z0-9-]+$/i.test(region)) return region;
  }
  return undefined;
}

/** The violation message for an estimate over budget, or undefined when within it. */
export function budgetViolation(estimate: CostEstimate, s: BudgetSettings): string | undefined {
  if (!(estimate.idleMonthlyUsd > s.monthlyBudgetUsd)) return undefined;
  const over = estimate.idleMonthlyUsd - s.monthlyBudgetUsd;
  const top = topComponents(estimate, s.topComponents);
  const fixedCount = estimate.components.filter((c) => c.kind === "fixed").length;
  const lines = [
    `Idle cost estimate ${usd(estimate.idleMonthlyUsd)}/month is over the monthly budget of ${usd(s.monthlyBudgetUsd)} by ${usd(over)} [stack, ${fixedCount} fixed cost component(s)].`,
    `Largest components:`,
    ...top.map((c, i) => `  ${i + 1}. ${componentLine(c)}`),
  ];
  if (fixedCount > top.length) lines.push(`  ... and ${fixedCount - top.length} more.`);
  if (estimate.incomplete) {
    lines.push(
      `Not priced (not included, so the real cost is higher): ${estimate.notPriced.map((e) => `${e.type} x${e.count}`).join(", ")}.`,
    );
  }
  lines.push(
    "Fix: drop interface endpoints / private endpoints the workload does not use, use fewer availability zones, remove NAT gateways and public IPs " +
      "(a training network needs none), pick a cheaper registry SKU; or, if the spend is intended, raise monthlyBudgetUsd for this tier in policy-pack/config/<tier>.json.",
  );
  lines.push(`Rates: ${estimate.rateBasis}`);
  return lines.join("\n");
}

export const idleMonthlyBudget: StackValidationPolicy = {
  name: BUDGET_POLICY_NAME,
  description: `[${BUDGET_CONTROL}] The stack's idle monthly cost (fixed charges before any traffic or training) stays within the tier's budget.`,
  enforcementLevel: "advisory",
  severity: "medium",
  tags: [BUDGET_CONTROL, "common"],
  remediationSteps:
    "Run `npm run check` to see the estimate and its components. Remove what the tier does not need (interface endpoints, AZs, NAT gateways, registries), " +
    "or raise `monthlyBudgetUsd` for the tier in policy-pack/config/<tier>.json.",
  configSchema: BUDGET_CONFIG_SCHEMA,
  validateStack: (args: StackValidationArgs, reportViolation) => {
    const s = settings<BudgetSettings>(args, BUDGET_CONFIG_SCHEMA);
    const estimate = estimateIdleCost(plannedResources(args.resources), { region: regionOf(args.resources) });
    const message = budgetViolation(estimate, s);
    if (message) reportViolation(message);
  },
};
