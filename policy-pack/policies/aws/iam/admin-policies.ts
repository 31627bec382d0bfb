/**
 * Managed policy attachments (AWS), control C6: no administrator, power-user
 * or *FullAccess managed policy on any role, user or group.
 */
import * as iam from "@pulumi/aws/iam";
import { resourcePolicy, settings, validateResourcesOfTypes } from "../../../lib/define";
import { globMatch } from "../../../lib/iam";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, known } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const attachment = propsOf(iam.RolePolicyAttachment);
const role = propsOf(iam.Role);
const exclusive = propsOf(iam.RolePolicyAttachmentsExclusive);

const adminSchema = {
  properties: {
    disallowedPolicyNames: {
      type: "array" as const,
      items: { type: "string" as const },
      default: ["AdministratorAccess", "PowerUserAccess", "*FullAccess"],
      description: "Managed policy names (IAM wildcards allowed) that must not be attached.",
    },
  },
};

/** The managed policy name of an ARN: `arn:aws:iam::aws:policy/service-role/AmazonSageMakerFullAccess` -> `AmazonSageMakerFullAccess`. */
function policyNameOf(arn: string): string | undefined {
  const m = /^arn:[^:]+:iam::[^:]*:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? m[1] : undefined;
}

/** Severity critical. Resource: no AdministratorAccess, PowerUserAccess or *FullAccess attachment anywhere. */
export const roleDisallowAdminPolicies = resourcePolicy({
  name: "aws-iam-role-disallow-admin-policies",
  control: "C6",
  severity: "critical",
  description: "No role, user or group has AdministratorAccess, PowerUserAccess or a *FullAccess managed policy attached.",
  remediationSteps:
    "Remove the attachment and give the role a least-privilege inline or customer managed policy scoped to the environment's resources.",
  url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html",
  checks: ["CKV_AWS_274", "CKV2_AWS_56"],
  frameworks: [
    ["cis-aws-5.0.0", "1.15"],
    ["nist-800-53-r5", "AC-6"],
  ],
  configSchema: adminSchema,
  validateResource: validateResourcesOfTypes(
    [
      iam.RolePolicyAttachment,
      iam.PolicyAttachment,
      iam.UserPolicyAttachment,
      iam.GroupPolicyAttachment,
      iam.Role,
      iam.RolePolicyAttachmentsExclusive,
    ],
    (props, args, report) => {
      const { disallowedPolicyNames } = settings<{ disallowedPolicyNames: string[] }>(args, adminSchema);
      const arns: { property: string; value: unknown }[] = [];
      const single = attachment.get(props, "policyArn");
      if (single !== undefined) arns.push({ property: "policyArn", value: single });
      for (const key of ["managedPolicyArns", "policyArns"] as const) {
        const list = key === "managedPolicyArns" ? role.arr(props, key) : exclusive.arr(props, key);
        if (list !== UNKNOWN) (list ?? []).forEach((v, i) => arns.push({ property: `${key}[${i}]`, value: v }));
      }
      for (const { property, value } of arns) {
        if (!known(value)) continue;
        const name = policyNameOf(value);
        if (!name || !disallowedPolicyNames.some((p) => globMatch(p, name))) continue;
        report(
          formatViolation({
            what: `managed policy "${name}" (${value}) grants far more than the workload needs`,
            where: at(args, property),
            fix: "remove it and attach a least-privilege policy scoped to the environment's resources",
          }),
        );
      }
    },
  ),
});
