/**
 * The per-tier minimum log retention shared by the CloudWatch Logs and Log
 * Analytics policies: one setting, `minimumDaysByEnvironment`, keyed by the
 * `environment` tag (`*` for any other or a missing tag). Prod keeps audit
 * logs a year (CIS / Checkov CKV_AWS_338); dev keeps the stacks' 30-day
 * default, which is what a short-lived environment needs and pays for.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import { UNKNOWN, Unknown } from "./values";

export const DEFAULT_MINIMUM_DAYS: Readonly<Record<string, number>> = { prod: 365, "*": 30 };

export const RETENTION_SCHEMA: PolicyConfigSchema = {
  properties: {
    minimumDaysByEnvironment: {
      type: "object",
      additionalProperties: { type: "integer", minimum: 1 },
      default: DEFAULT_MINIMUM_DAYS,
      description:
        "Minimum log retention in days per value of the `environment` tag; `*` applies to any other value and to resources without the tag.",
    },
  },
};

export interface RetentionSettings {
  readonly minimumDaysByEnvironment: Record<string, number>;
}

/** The minimum for an environment tag value: its own entry, else `*`, else the default table's; `UNKNOWN` while the tag is unknown. */
export function minimumDays(environment: string | Unknown | undefined, table: Readonly<Record<string, unknown>>): number | Unknown {
  if (environment === UNKNOWN) return UNKNOWN;
  const pick = (t: Readonly<Record<string, unknown>>): number | undefined => {
    const v = environment !== undefined && typeof t[environment] === "number" ? t[environment] : t["*"];
    return typeof v === "number" && Number.isFinite(v) ? v : undefined;
  };
  return pick(table) ?? pick(DEFAULT_MINIMUM_DAYS) ?? DEFAULT_MINIMUM_DAYS["*"];
}
