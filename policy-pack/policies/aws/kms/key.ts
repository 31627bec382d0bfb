/**
 * KMS policies (AWS): keys rotate and cannot vanish quickly (C2); key
 * policies never open a key to anyone (C6).
 * Docs: https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
 */
import * as kms from "@pulumi/aws/kms";
import { resourcePolicy, settings, validateResourcesOfTypes } from "../../../lib/define";
import { reportUnconditionedPublicGrants } from "../../../lib/iam";
import { at, formatViolation } from "../../../lib/messages";
import { ENVIRONMENTS_SETTING, appliesToEnvironment, environmentOf } from "../../../lib/tags";
import { UNKNOWN, describe } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

/** Typed readers; `deletionWindowInDays` and `policy` have the same names on `ReplicaKey` and `KeyPolicy`. */
const keyProps = propsOf(kms.Key);

const rotationSchema = {
  properties: {
    maximumRotationPeriodDays: {
      type: "integer" as const,
      default: 365,
      minimum: 90,
      maximum: 2560,
      description: "Longest allowed rotationPeriodInDays.",
    },
  },
};

/** Severity high. Resource: every symmetric KMS key rotates at least yearly. */
export const keyEnableKeyRotation = resourcePolicy({
  name: "aws-kms-key-enable-key-rotation",
  control: "C2",
  severity: "high",
  description: "Every symmetric KMS key has automatic rotation on (enableKeyRotation) with a period of at most 365 days.",
  remediationSteps: "Set `enableKeyRotation: true` on the aws.kms.Key (and `rotationPeriodInDays` <= 365 if you set it).",
  url: "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
  checks: ["CKV_AWS_7"],
  frameworks: [
    ["cis-aws-5.0.0", "3.6"],
    ["nist-800-53-r5", "SC-12"],
  ],
  configSchema: rotationSchema,
  validateResource: validateResourcesOfTypes([kms.Key], (props, args, report) => {
    const spec = keyProps.str(props, "customerMasterKeySpec");
    if (typeof spec === "string" && spec !== "SYMMETRIC_DEFAULT") {
      args.notApplicable(`automatic rotation does not apply to ${spec} keys`);
    }
    const { maximumRotationPeriodDays } = settings<{ maximumRotationPeriodDays: number }>(args, rotationSchema);
    const rotation = keyProps.bool(props, "enableKeyRotation");
    if (rotation !== true && rotation !== UNKNOWN) {
      report(
        formatViolation({
          what: `key rotation is ${rotation === false ? "off" : "not set (off)"}`,
          where: at(args, "enableKeyRotation"),
          fix: "set enableKeyRotation: true",
        }),
      );
    }
    const period = keyProps.num(props, "rotationPeriodInDays");
    if (typeof period === "number" && period > maximumRotationPeriodDays) {
      report(
        formatViolation({
          what: `rotationPeriodInDays is ${period}, longer than ${maximumRotationPeriodDays} days`,
          where: at(args, "rotationPeriodInDays"),
          fix: `set rotationPeriodInDays to at most ${maximumRotationPeriodDays} (or leave it unset for 365)`,
        }),
      );
    }
  }),
});

const deletionSchema = {
  properties: {
    minimumDeletionWindowDays: {
      type: "integer" as const,
      default: 30,
      minimum: 7,
      maximum: 30,
      description: "Shortest allowed deletionWindowInDays.",
    },
    environments: ENVIRONMENTS_SETTING,
  },
};

/** Severity medium. Resource: keys of the listed environments (prod) wait at least 30 days before deletion. */
export const keyConfigureDeletionWindow = resourcePolicy({
  name: "aws-kms-key-configure-deletion-window",
  control: "C2",
  severity: "medium",
  description:
    "KMS keys of production environments (tag environment in the configured list) have a deletion window of at least the configured days (30).",
  remediationSteps: "Set `deletionWindowInDays: 30` on the aws.kms.Key (and protect it with `protect: true`).",
  url: "https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html",
  checks: [],
  frameworks: [["nist-800-53-r5", "SC-12"]],
  configSchema: deletionSchema,
  validateResource: validateResourcesOfTypes([kms.Key, kms.ReplicaKey], (props, args, report) => {
    const { minimumDeletionWindowDays, environments } = settings<{ minimumDeletionWindowDays: number; environments: string[] }>(
      args,
      deletionSchema,
    );
    if (appliesToEnvironment(environmentOf(props, args.provider), environments) !== true) return;
    const window = keyProps.num(props, "deletionWindowInDays");
    if (window === UNKNOWN) return;
    const effective = window ?? 30; // AWS default
    if (effective >= minimumDeletionWindowDays) return;
    report(
      formatViolation({
        what: `deletionWindowInDays is ${effective}, shorter than ${minimumDeletionWindowDays} days for environment ${describe(environmentOf(props, args.provider))}`,
        where: at(args, "deletionWindowInDays"),
        fix: `set deletionWindowInDays to ${minimumDeletionWindowDays} or more`,
      }),
    );
  }),
});

/** Severity critical. Resource: no key policy allows a wildcard principal without a condition. */
export const keyDisallowPublicPrincipal = resourcePolicy({
  name: "aws-kms-key-disallow-public-principal",
  control: "C6",
  severity: "critical",
  description: 'No KMS key policy allows a wildcard principal ("*") without a condition.',
  remediationSteps:
    'Grant the account root (arn:aws:iam::<account>:root) and named roles instead of "*", or add conditions such as kms:CallerAccount and kms:ViaService.',
  url: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html",
  checks: ["CKV_AWS_33", "CKV_AWS_283"],
  frameworks: [
    ["nist-800-53-r5", "AC-3"],
    ["nist-800-53-r5", "AC-6"],
  ],
  validateResource: validateResourcesOfTypes([kms.Key, kms.KeyPolicy, kms.ReplicaKey], (props, args, report) =>
    reportUnconditionedPublicGrants(keyProps.get(props, "policy"), args, report, {
      document: "key policy",
      property: "policy",
      malformedIsViolation: true,
      fix: "name the principals or add kms:CallerAccount / kms:ViaService conditions",
    }),
  ),
});
