/**
 * Log retention per tier (AWS, C8): a log group keeps its events at least
 * the tier's minimum (`minimumDaysByEnvironment`, default 365 in prod, 30
 * elsewhere). A group without `retentionInDays` never expires its events,
 * which meets any minimum (whether retention is a decision at all is
 * aws-cloudwatch-log-group-configure-encryption-retention's concern).
 */
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, settings } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { RETENTION_SCHEMA, RetentionSettings, minimumDays } from "../../../lib/retention";
import { environmentOf } from "../../../lib/tags";
import { UNKNOWN, describe } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const logGroupProps = propsOf(cloudwatch.LogGroup);

/** Severity medium. Resource: log groups keep events at least the tier's minimum. */
export const logGroupConfigureTierMinimumRetention = resourcePolicy({
  name: "aws-cloudwatch-log-group-configure-tier-minimum-retention",
  control: "C8",
  severity: "medium",
  description:
    "Every CloudWatch log group keeps its events at least the minimum for its tier (setting minimumDaysByEnvironment, default 365 days in prod and 30 elsewhere, by the environment tag).",
  remediationSteps:
    "Set `retentionInDays` to a CloudWatch value at or above the tier's minimum (stack config `logRetentionDays`: 365 or more in prod).",
  url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention",
  configSchema: RETENTION_SCHEMA,
  checks: ["CKV_AWS_338"],
  frameworks: [["nist-800-53-r5", "AU-11"]],
  validateResource: validateResourceOfType(cloudwatch.LogGroup, (group, args, report) => {
    const { minimumDaysByEnvironment } = settings<RetentionSettings>(args, RETENTION_SCHEMA);
    const environment = environmentOf(group, args.provider);
    const minimum = minimumDays(environment, minimumDaysByEnvironment);
    const days = logGroupProps.num(group, "retentionInDays");
    if (minimum === UNKNOWN || days === UNKNOWN || days === undefined || days === 0 || days >= minimum) return;
    report(
      formatViolation({
        what: `retentionInDays is ${days}, below the ${minimum}-day minimum for environment ${describe(environment)}; CloudWatch deletes older events for good`,
        where: at(args, "retentionInDays"),
        fix: `set retentionInDays to ${minimum} or more`,
      }),
    );
  }),
});
