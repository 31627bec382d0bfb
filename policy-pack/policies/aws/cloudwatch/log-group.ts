/**
 * CloudWatch Logs policies (AWS): audit and training logs are kept for a
 * set time and encrypted with the customer key (C8).
 * Docs: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, describe } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const logGroup = propsOf(cloudwatch.LogGroup);

/** Severity medium. Resource: log groups name a KMS key and a retention period. */
export const logGroupConfigureEncryptionRetention = resourcePolicy({
  name: "aws-cloudwatch-log-group-configure-encryption-retention",
  control: "C8",
  severity: "medium",
  description:
    "Every CloudWatch log group is encrypted with a customer managed KMS key (kmsKeyId) and has a retention period (retentionInDays).",
  remediationSteps:
    "Set `kmsKeyId` to the environment's KMS key ARN (its key policy must allow logs.<region>.amazonaws.com) and `retentionInDays` to the tier's value.",
  url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention",
  checks: ["CKV_AWS_66", "CKV_AWS_158"],
  frameworks: [
    ["nist-800-53-r5", "AU-9"],
    ["nist-800-53-r5", "AU-11"],
    ["nist-800-53-r5", "SC-28"],
  ],
  validateResource: validateResourceOfType(cloudwatch.LogGroup, (group, args, report) => {
    const key = logGroup.str(group, "kmsKeyId");
    if (key !== UNKNOWN && (key === undefined || key === "")) {
      report(
        formatViolation({
          what: "the log group is not encrypted with a customer managed key",
          where: at(args, "kmsKeyId"),
          fix: "set kmsKeyId to the environment's KMS key ARN",
        }),
      );
    }
    const days = logGroup.num(group, "retentionInDays");
    if (days !== UNKNOWN && (days === undefined || days <= 0)) {
      report(
        formatViolation({
          what: `retentionInDays is ${describe(days)}, so logs are never expired and retention is not a decision`,
          where: at(args, "retentionInDays"),
          fix: "set retentionInDays to the tier's log retention (30 in dev, 365 in prod)",
        }),
      );
    }
  }),
});
