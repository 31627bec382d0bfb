/**
 * IAM policies (AWS), control C6: least-privilege workload identity and no
 * long-lived credentials. Identity policies are read wherever they live
 * (`aws.iam.Policy`, `RolePolicy`, `UserPolicy`, `GroupPolicy`, a role's
 * `inlinePolicies`), as strings or typed documents.
 * Docs: https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html
 */
import * as iam from "@pulumi/aws/iam";
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { ResourceClass, resourcePolicy, settings, validateResourcesOfTypes } from "../../../lib/define";
import {
  ParsedDocument,
  Statement,
  constrains,
  globMatch,
  identityDocuments,
  isAllow,
  isWildcardAction,
  label,
  parseDocument,
} from "../../../lib/iam";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, arr, describe, get, known, str } from "../../../lib/values";

const IDENTITY_POLICY_CLASSES: ResourceClass[] = [iam.Policy, iam.RolePolicy, iam.UserPolicy, iam.GroupPolicy, iam.Role];

/** Runs `check` on every statement of every identity document of the resource; reports unreadable documents. */
function eachIdentityStatement(
  props: Record<string, unknown>,
  args: ResourceValidationArgs,
  report: ReportViolation,
  check: (st: Statement, property: string) => void,
  reportMalformed: boolean,
): void {
  for (const { property, document } of identityDocuments(args.type, props)) {
    const doc: ParsedDocument = parseDocument(document);
    if (doc.kind === "malformed" && reportMalformed) {
      report(formatViolation({ what: `the policy document cannot be read: ${doc.reason}`, where: at(args, property), fix: "build it as a typed aws.iam.PolicyDocument and serialise it once with JSON.stringify" }));
    }
    if (doc.kind !== "document") continue;
    for (const st of doc.statements) check(st, `${property}.Statement[${st.index}]`);
  }
}

/** Severity critical. Resource: no identity policy allows `*` or a whole service (`s3:*`). */
export const policyDisallowWildcardAction = resourcePolicy({
  name: "aws-iam-policy-disallow-wildcard-action",
  control: "C6",
  severity: "critical",
  description: "No IAM identity policy allows the action \"*\" or a whole service (\"service:*\").",
  remediationSteps: "List the exact actions the workload needs (e.g. s3:GetObject, s3:ListBucket) instead of wildcards.",
  url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
  checks: ["CKV_AWS_1", "CKV_AWS_49", "CKV_AWS_62", "CKV_AWS_63", "CKV2_AWS_40", "CKV2_AWS_68", "AWS-0345"],
  frameworks: [["cis-aws-5.0.0", "1.15"], ["nist-800-53-r5", "AC-6"], ["nist-800-53-r5", "AC-3"]],
  validateResource: validateResourcesOfTypes(IDENTITY_POLICY_CLASSES, (props, args, report) =>
    eachIdentityStatement(
      props,
      args,
      report,
      (st, property) => {
        if (!isAllow(st)) return;
        const wild = st.action.filter((a): a is string => known(a) && isWildcardAction(a));
        if (wild.length === 0) return;
        report(
          formatViolation({
            what: `${label(st)} allows wildcard action${wild.length > 1 ? "s" : ""} ${wild.map((a) => `"${a}"`).join(", ")}`,
            where: at(args, property),
            fix: "replace the wildcard with the specific actions needed",
          }),
        );
      },
      true,
    ),
  ),
});

/** Severity high. Resource: no Allow statement uses NotAction or NotResource (they grant everything else). */
export const policyDisallowNotActionNotResource = resourcePolicy({
  name: "aws-iam-policy-disallow-not-action-not-resource",
  control: "C6",
  severity: "high",
  description: "No IAM identity policy has an Allow statement with NotAction or NotResource.",
  remediationSteps: "Rewrite the statement with Action and Resource lists; use NotAction/NotResource only in Deny statements.",
  url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
  checks: [],
  frameworks: [["nist-800-53-r5", "AC-6"]],
  validateResource: validateResourcesOfTypes(IDENTITY_POLICY_CLASSES, (props, args, report) =>
    eachIdentityStatement(
      props,
      args,
      report,
      (st, property) => {
        if (!isAllow(st)) return;
        const used = [st.hasNotAction ? "NotAction" : undefined, st.hasNotResource ? "NotResource" : undefined].filter(Boolean);
        if (used.length === 0) return;
        report(
          formatViolation({
            what: `${label(st)} is an Allow with ${used.join(" and ")}, which grants everything not listed`,
            where: at(args, property),
            fix: "use explicit Action and Resource lists",
          }),
        );
      },
      false,
    ),
  ),
});

/** Actions that AWS only authorises on Resource "*" (no resource-level permissions). */
export const DEFAULT_WILDCARD_RESOURCE_ACTIONS = [
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeVpcs",
  "ec2:DescribeSubnets",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeDhcpOptions",
  "ec2:DescribeVpcEndpoints",
  "ec2:DescribeRouteTables",
  "ecr:GetAuthorizationToken",
  "cloudwatch:PutMetricData",
  "logs:DescribeLogGroups",
  "sts:GetCallerIdentity",
  "kms:ListAliases",
];

const wildcardResourceSchema = {
  properties: {
    wildcardResourceActions: {
      type: "array" as const,
      items: { type: "string" as const },
      default: DEFAULT_WILDCARD_RESOURCE_ACTIONS,
      description: "Actions allowed on Resource \"*\" because AWS offers no resource-level permission for them (IAM patterns allowed).",
    },
  },
};

/** `*`, or an ARN whose resource part is only `*` (`arn:aws:s3:::*`). */
function isWildcardResource(resource: string): boolean {
  return resource === "*" || /^arn:[^:]*:[^:]*:[^:]*:[^:]*:\*$/.test(resource);
}

/** Severity high. Resource: Resource "*" only for actions on the configurable allow-list. */
export const policyDisallowWildcardResource = resourcePolicy({
  name: "aws-iam-policy-disallow-wildcard-resource",
  control: "C6",
  severity: "high",
  description: "No IAM identity policy allows actions on Resource \"*\" except the actions AWS only authorises on \"*\" (a configurable allow-list).",
  remediationSteps:
    "Scope the statement to the environment's ARNs (bucket, prefix, key, log group, subnets); keep Resource \"*\" only for the allow-listed actions, in their own statement.",
  url: "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
  checks: ["CKV_AWS_107", "CKV_AWS_108", "CKV_AWS_109", "CKV_AWS_110", "CKV_AWS_111", "CKV_AWS_286", "CKV_AWS_287", "CKV_AWS_288", "CKV_AWS_289", "CKV_AWS_290", "CKV_AWS_355", "CKV_AWS_356", "CKV2_AWS_68"],
  frameworks: [["nist-800-53-r5", "AC-6"]],
  configSchema: wildcardResourceSchema,
  validateResource: validateResourcesOfTypes(IDENTITY_POLICY_CLASSES, (props, args, report) => {
    const { wildcardResourceActions } = settings<{ wildcardResourceActions: string[] }>(args, wildcardResourceSchema);
    eachIdentityStatement(
      props,
      args,
      report,
      (st, property) => {
        if (!isAllow(st)) return;
        const wildResources = st.resource.filter((r): r is string => known(r) && isWildcardResource(r));
        if (wildResources.length === 0) return;
        const notAllowed = st.action.filter(
          (a): a is string => known(a) && !wildcardResourceActions.some((allowed) => a.toLowerCase() === allowed.toLowerCase() || (!a.includes("*") && globMatch(allowed, a))),
        );
        if (notAllowed.length === 0 && !st.hasNotAction) return;
        report(
          formatViolation({
            what: `${label(st)} allows ${st.hasNotAction ? "NotAction" : notAllowed.map((a) => `"${a}"`).join(", ")} on Resource ${wildResources.map((r) => `"${r}"`).join(", ")}`,
            where: at(args, property),
            fix: `scope these actions to the environment's resource ARNs; only ${wildcardResourceActions.join(", ")} may use "*"`,
          }),
        );
      },
      false,
    );
  }),
});

const trustSchema = {
  properties: {
    allowedServicePrincipals: {
      type: "array" as const,
      items: { type: "string" as const },
      default: ["sagemaker.amazonaws.com", "vpc-flow-logs.amazonaws.com"],
      description: "Service principals a role may trust.",
    },
    requireSourceCondition: {
      type: "boolean" as const,
      default: true,
      description: "Require an aws:SourceAccount or aws:SourceArn condition on service trust (confused-deputy protection).",
    },
  },
};

/** Severity critical. Resource: roles are assumable only by allowed AWS services, with a source condition. */
export const roleConfigureTrustedPrincipals = resourcePolicy({
  name: "aws-iam-role-configure-trusted-principals",
  control: "C6",
  severity: "critical",
  description:
    "Every IAM role's trust policy lets only allowed service principals (e.g. sagemaker.amazonaws.com) assume it, with an aws:SourceAccount or aws:SourceArn condition.",
  remediationSteps:
    `Use assumeRolePolicy { Statement: [{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": <account id> } } }] }; add other services to the policy's allowedServicePrincipals setting only when needed.`,
  url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
  checks: ["CKV_AWS_60", "CKV_AWS_61", "CKV_AWS_358", "CKV_AWS_393"],
  frameworks: [["nist-800-53-r5", "AC-3"], ["nist-800-53-r5", "AC-6"]],
  configSchema: trustSchema,
  validateResource: validateResourcesOfTypes([iam.Role], (props, args, report) => {
    const { allowedServicePrincipals, requireSourceCondition } = settings<{ allowedServicePrincipals: string[]; requireSourceCondition: boolean }>(args, trustSchema);
    const doc = parseDocument(get(props, "assumeRolePolicy"));
    if (doc.kind === "unknown") return;
    if (doc.kind !== "document") {
      report(
        formatViolation({
          what: `the trust policy is ${doc.kind === "missing" ? "missing" : `unreadable (${doc.reason})`}`,
          where: at(args, "assumeRolePolicy"),
          fix: "pass a typed aws.iam.PolicyDocument that trusts only the needed service principal",
        }),
      );
      return;
    }
    for (const st of doc.statements) {
      if (!isAllow(st)) continue;
      const where = at(args, `assumeRolePolicy.Statement[${st.index}]`);
      const p = st.principal;
      if (!p) {
        report(formatViolation({ what: `${label(st)} has no Principal`, where, fix: "name the service principal" }));
        continue;
      }
      if (p.unknown) continue;
      const others = [
        ...(p.wildcard ? ['"*"'] : []),
        ...p.aws.map((a) => `AWS ${describe(a)}`),
        ...p.federated.map((a) => `Federated ${describe(a)}`),
        ...p.canonicalUser.map((a) => `CanonicalUser ${describe(a)}`),
      ];
      const services = p.service.filter(known);
      const badServices = services.filter((s) => !allowedServicePrincipals.includes(s));
      if (others.length > 0 || badServices.length > 0) {
        report(
          formatViolation({
            what: `${label(st)} lets ${[...others, ...badServices.map((s) => `service "${s}"`)].join(", ")} assume the role`,
            where,
            fix: `trust only ${allowedServicePrincipals.map((s) => `"${s}"`).join(" or ")} (or add the service to allowedServicePrincipals)`,
          }),
        );
        continue;
      }
      if (requireSourceCondition && services.length > 0 && !st.conditionUnknown && !constrains(st, "aws:SourceAccount") && !constrains(st, "aws:SourceArn")) {
        report(
          formatViolation({
            what: `${label(st)} trusts ${services.join(", ")} without an aws:SourceAccount or aws:SourceArn condition (confused deputy)`,
            where,
            fix: `add Condition { StringEquals: { "aws:SourceAccount": "<account id>" } }`,
          }),
        );
      }
    }
  }),
});

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
  remediationSteps: "Remove the attachment and give the role a least-privilege inline or customer managed policy scoped to the environment's resources.",
  url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html",
  checks: ["CKV_AWS_274", "CKV2_AWS_56"],
  frameworks: [["cis-aws-5.0.0", "1.15"], ["nist-800-53-r5", "AC-6"]],
  configSchema: adminSchema,
  validateResource: validateResourcesOfTypes(
    [iam.RolePolicyAttachment, iam.PolicyAttachment, iam.UserPolicyAttachment, iam.GroupPolicyAttachment, iam.Role, iam.RolePolicyAttachmentsExclusive],
    (props, args, report) => {
      const { disallowedPolicyNames } = settings<{ disallowedPolicyNames: string[] }>(args, adminSchema);
      const arns: { property: string; value: unknown }[] = [];
      const single = get(props, "policyArn");
      if (single !== undefined) arns.push({ property: "policyArn", value: single });
      for (const key of ["managedPolicyArns", "policyArns"]) {
        const list = arr(props, key);
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

/** Severity high. Resource: no IAM users or long-lived credentials; workloads use roles. */
export const userDisallowUsersAndAccessKeys = resourcePolicy({
  name: "aws-iam-user-disallow-users-and-access-keys",
  control: "C6",
  severity: "high",
  description: "The stack creates no IAM users, access keys, login profiles or other long-lived credentials.",
  remediationSteps: "Use an IAM role assumed by the workload (SageMaker execution role) or by people through SSO instead of IAM users and keys.",
  url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles",
  checks: ["CKV_AWS_40", "CKV_AWS_273", "CKV_AWS_348", "CKV2_AWS_22"],
  frameworks: [["cis-aws-5.0.0", "1.14"], ["nist-800-53-r5", "AC-2"], ["nist-800-53-r5", "IA-5"]],
  validateResource: validateResourcesOfTypes(
    [iam.User, iam.AccessKey, iam.UserLoginProfile, iam.ServiceSpecificCredential, iam.SigningCertificate, iam.SshKey],
    (props, args, report) => {
      const user = str(props, "user");
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

export const policies = [
  policyDisallowWildcardAction,
  policyDisallowNotActionNotResource,
  policyDisallowWildcardResource,
  roleConfigureTrustedPrincipals,
  roleDisallowAdminPolicies,
  userDisallowUsersAndAccessKeys,
];
