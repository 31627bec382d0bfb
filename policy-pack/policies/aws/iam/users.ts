/**
 * IAM users and long-lived credentials (AWS), control C6: none; workloads
 * and people use roles with temporary credentials.
 */
import * as iam from "@pulumi/aws/iam";
import { resourcePolicy, validateResourcesOfTypes } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { propsOf } from "../../../lib/props";

const accessKey = propsOf(iam.AccessKey);

/** Severity high. Resource: no IAM users or long-lived credentials; workloads use roles. */
export const userDisallowUsersAndAccessKeys = resourcePolicy({
  name: "aws-iam-user-disallow-users-and-access-keys",
  control: "C6",
  severity: "high",
  description: "The stack creates no IAM users, access keys, login profiles or other long-lived credentials.",
  remediationSteps:
    "Use an IAM role assumed by the workload (SageMaker execution role) or by people through SSO instead of IAM users and keys.",
  url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles",
  checks: ["CKV_AWS_40", "CKV_AWS_273", "CKV_AWS_348", "CKV2_AWS_22"],
  frameworks: [
    ["cis-aws-5.0.0", "1.14"],
    ["nist-800-53-r5", "AC-2"],
    ["nist-800-53-r5", "IA-5"],
  ],
  validateResource: validateResourcesOfTypes(
    [iam.User, iam.AccessKey, iam.UserLoginProfile, iam.ServiceSpecificCredential, iam.SigningCertificate, iam.SshKey],
    (props, args, report) => {
      const user = accessKey.str(props, "user");
      report(
        formatViolation({
          what: `${args.type.split(":").pop()} creates a long-lived IAM credential${typeof user === "string" ? ` for user "${user}"` : ""}`,
          where: at(args),
          fix: "delete it and use a role with temporary credentials",
        }),
      );
    },
  ),
});
