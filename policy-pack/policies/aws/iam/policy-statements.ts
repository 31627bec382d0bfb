/**
 * IAM identity-policy statements (AWS), control C6: no wildcard actions, no
 * NotAction/NotResource in Allow statements, Resource "*" only for actions
 * without resource-level permissions. Identity policies are read wherever
 * they live (`aws.iam.Policy`, `RolePolicy`, `UserPolicy`, `GroupPolicy`, a
 * role's `inlinePolicies`), as strings or typed documents.
 * Docs: https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html
 */
import * as iam from "@pulumi/aws/iam";
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { ResourceClass, resourcePolicy, settings, validateResourcesOfTypes } from "../../../lib/define";
import { ParsedDocument, Statement, globMatch, identityDocuments, isAllow, isWildcardAction, label, parseDocument } from "../../../lib/iam";
import { at, formatViolation } from "../../../lib/messages";
import { known } from "../../../lib/values";

const IDENTITY_POLICY_CLASSES: ResourceClass[] = [iam.Policy, iam.RolePolicy, iam.UserPolicy, iam.GroupPolicy, iam.Role];

/** What is wrong with a statement and how to fix it. */
interface StatementProblem {
  readonly what: string;
  readonly fix: string;
}

/**
 * Reports every Allow statement of every identity document of the resource
 * that `problem` finds fault with, and (when `reportMalformed`) documents
 * that cannot be read.
 */
function reportAllowStatements(
  props: Record<string, unknown>,
  args: ResourceValidationArgs,
  report: ReportViolation,
  problem: (st: Statement) => StatementProblem | undefined,
  reportMalformed: boolean,
): void {
  for (const { property, document } of identityDocuments(args.type, props)) {
    const doc: ParsedDocument = parseDocument(document);
    if (doc.kind === "malformed" && reportMalformed) {
      report(
        formatViolation({
          what: `the policy document cannot be read: ${doc.reason}`,
          where: at(args, property),
          fix: "build it as a typed aws.iam.PolicyDocument and serialise it once with JSON.stringify",
        }),
      );
    }
    if (doc.kind !== "document") continue;
    for (const st of doc.statements) {
      const found = isAllow(st) ? problem(st) : undefined;
      if (found) report(formatViolation({ ...found, where: at(args, `${property}.Statement[${st.index}]`) }));
    }
  }
}

/** Severity critical. Resource: no identity policy allows `*` or a whole service (`s3:*`). */
export const policyDisallowWildcardAction = resourcePolicy({
  name: "aws-iam-policy-disallow-wildcard-action",
  control: "C6",
  severity: "critical",
  description: 'No IAM identity policy allows the action "*" or a whole service ("service:*").',
  remediationSteps: "List the exact actions the workload needs (e.g. s3:GetObject, s3:ListBucket) instead of wildcards.",
  url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
  checks: ["CKV_AWS_1", "CKV_AWS_49", "CKV_AWS_62", "CKV_AWS_63", "CKV2_AWS_40", "CKV2_AWS_68", "AWS-0345"],
  frameworks: [
    ["cis-aws-5.0.0", "1.15"],
    ["nist-800-53-r5", "AC-6"],
    ["nist-800-53-r5", "AC-3"],
  ],
  validateResource: validateResourcesOfTypes(IDENTITY_POLICY_CLASSES, (props, args, report) =>
    reportAllowStatements(
      props,
      args,
      report,
      (st) => {
        const wild = st.action.filter((a): a is string => known(a) && isWildcardAction(a));
        if (wild.length === 0) return undefined;
        return {
          what: `${label(st)} allows wildcard action${wild.length > 1 ? "s" : ""} ${wild.map((a) => `"${a}"`).join(", ")}`,
          fix: "replace the wildcard with the specific actions needed",
        };
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
    reportAllowStatements(
      props,
      args,
      report,
      (st) => {
        const used = [st.hasNotAction ? "NotAction" : undefined, st.hasNotResource ? "NotResource" : undefined].filter(Boolean);
        if (used.length === 0) return undefined;
        return {
          what: `${label(st)} is an Allow with ${used.join(" and ")}, which grants everything not listed`,
          fix: "use explicit Action and Resource lists",
        };
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
      description: 'Actions allowed on Resource "*" because AWS offers no resource-level permission for them (IAM patterns allowed).',
    },
  },
};

const HAS_WILDCARD = /[*?]/;

/**
 * Why a resource pattern reaches beyond the environment's own resources, or
 * undefined when it does not: `*`; an ARN whose resource part is only `*`
 * (`arn:aws:s3:::*`); an ARN with a wildcard in its partition, service,
 * region or account position (`arn:aws:logs:*:123456789012:...`,
 * `arn:aws:ec2:us-east-1:*:...`); an S3 ARN with a wildcard in the bucket
 * name (`arn:aws:s3:::*` + `/*` reads every bucket's objects). Wildcards after
 * the resource type (`training-job/*`, a bucket's `prefix/*`) stay inside
 * the account, region and bucket the ARN names.
 * ARN format: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export function resourceScopeProblem(resource: string): string | undefined {
  if (resource === "*") return "any resource";
  if (!resource.startsWith("arn:")) return undefined;
  const parts = resource.split(":");
  if (parts.length < 6) return undefined;
  const [, partition, service, region, account] = parts;
  const rest = parts.slice(5).join(":");
  if (rest === "*") return "every resource of the service";
  if (HAS_WILDCARD.test(partition)) return "any partition";
  if (HAS_WILDCARD.test(service)) return "any service";
  if (HAS_WILDCARD.test(region)) return "any region";
  if (HAS_WILDCARD.test(account)) return "any account";
  if (service === "s3" && HAS_WILDCARD.test(rest.split("/")[0])) return "any bucket";
  return undefined;
}

/** Severity high. Resource: Resource "*" (or a pattern reaching beyond the environment) only for actions on the configurable allow-list. */
export const policyDisallowWildcardResource = resourcePolicy({
  name: "aws-iam-policy-disallow-wildcard-resource",
  control: "C6",
  severity: "high",
  description:
    'No IAM identity policy allows actions on Resource "*" or on a pattern that reaches beyond the environment\'s own resources (a wildcard in the partition, service, region or account position, or in an S3 bucket name), except the actions AWS only authorises on "*" (a configurable allow-list).',
  remediationSteps:
    'Scope the statement to the environment\'s ARNs (its buckets and prefixes, key, log groups, subnets, roles) with the account and region spelt out; keep Resource "*" only for the allow-listed actions, in their own statement.',
  url: "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
  checks: [
    "CKV_AWS_107",
    "CKV_AWS_108",
    "CKV_AWS_109",
    "CKV_AWS_110",
    "CKV_AWS_111",
    "CKV_AWS_286",
    "CKV_AWS_287",
    "CKV_AWS_288",
    "CKV_AWS_289",
    "CKV_AWS_290",
    "CKV_AWS_355",
    "CKV_AWS_356",
    "CKV2_AWS_68",
  ],
  frameworks: [["nist-800-53-r5", "AC-6"]],
  configSchema: wildcardResourceSchema,
  validateResource: validateResourcesOfTypes(IDENTITY_POLICY_CLASSES, (props, args, report) => {
    const { wildcardResourceActions } = settings<{ wildcardResourceActions: string[] }>(args, wildcardResourceSchema);
    reportAllowStatements(
      props,
      args,
      report,
      (st) => {
        const wildResources = st.resource.filter((r): r is string => known(r) && resourceScopeProblem(r) !== undefined);
        if (wildResources.length === 0) return undefined;
        const notAllowed = st.action.filter(
          (a): a is string =>
            known(a) &&
            !wildcardResourceActions.some(
              (allowed) => a.toLowerCase() === allowed.toLowerCase() || (!a.includes("*") && globMatch(allowed, a)),
            ),
        );
        if (notAllowed.length === 0 && !st.hasNotAction) return undefined;
        return {
          what: `${label(st)} allows ${st.hasNotAction ? "NotAction" : notAllowed.map((a) => `"${a}"`).join(", ")} on Resource ${wildResources.map((r) => `"${r}" (${resourceScopeProblem(r)})`).join(", ")}, beyond the environment's own resources`,
          fix: `scope these actions to the environment's resource ARNs, with its account, region and bucket names spelt out; only ${wildcardResourceActions.join(", ")} may use "*"`,
        };
      },
      false,
    );
  }),
});
