/**
 * Log retention per tier (Azure, C8): the Log Analytics workspace that
 * receives the environment's diagnostic logs keeps them at least the tier's
 * minimum (the same `minimumDaysByEnvironment` setting as AWS). Without
 * `retentionInDays` a PerGB2018 workspace keeps data 30 days.
 */
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, settings } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { RETENTION_SCHEMA, RetentionSettings, minimumDays } from "../../../lib/retention";
import { environmentOf } from "../../../lib/tags";
import { UNKNOWN, describe } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const workspaceProps = propsOf(operationalinsights.Workspace);

/** Log Analytics keeps data 30 days when no retention is set. */
const DEFAULT_RETENTION_DAYS = 30;

/** Severity medium. Resource: Log Analytics workspaces keep data at least the tier's minimum. */
export const workspaceConfigureTierMinimumRetention = resourcePolicy({
  name: "azure-monitor-log-analytics-workspace-configure-tier-minimum-retention",
  control: "C8",
  severity: "medium",
  description:
    "Every Log Analytics workspace keeps its data at least the minimum for its tier (setting minimumDaysByEnvironment, default 365 days in prod and 30 elsewhere, by the environment tag); without retentionInDays it keeps 30 days.",
  remediationSteps: "Set `retentionInDays` (30-730) at or above the tier's minimum (stack config `logRetentionDays`: 365 or more in prod).",
  url: "https://learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure",
  configSchema: RETENTION_SCHEMA,
  checks: [],
  frameworks: [["nist-800-53-r5", "AU-11"]],
  validateResource: validateResourceOfType(operationalinsights.Workspace, (ws, args, report) => {
    const { minimumDaysByEnvironment } = settings<RetentionSettings>(args, RETENTION_SCHEMA);
    const environment = environmentOf(ws, args.provider);
    const minimum = minimumDays(environment, minimumDaysByEnvironment);
    const set = workspaceProps.num(ws, "retentionInDays");
    if (minimum === UNKNOWN || set === UNKNOWN) return;
    const days = set ?? DEFAULT_RETENTION_DAYS;
    if (days >= minimum) return;
    report(
      formatViolation({
        what: `retentionInDays is ${set === undefined ? `not set (${DEFAULT_RETENTION_DAYS} days)` : days}, below the ${minimum}-day minimum for environment ${describe(environment)}; older data is purged`,
        where: at(args, "retentionInDays"),
        fix: `set retentionInDays to ${minimum} or more (at most 730)`,
      }),
    );
  }),
});
