/**
 * IAM role trust (AWS), control C6: a role is assumable only by the AWS
 * services the environment uses, with a source condition against the
 * confused-deputy problem.
 */
import * as iam from "@pulumi/aws/iam";
import { resourcePolicy, settings, validateResourcesOfTypes } from "../../../lib/define";
import { constrains, isAllow, label, parseDocument } from "../../../lib/iam";
import { at, formatViolation } from "../../../lib/messages";
import { describe, known } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const roleProps = propsOf(iam.Role);

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
    maxNamedAwsPrincipals: {
      type: "integer" as const,
      default: 10,
      minimum: 0,
      description:
        "How many named IAM roles/users of the role's own account may assume a role (the data ingest role's dataIngestPrincipals). Wildcards, account roots and other accounts are never allowed.",
    },
  },
};

const NAMED_PRINCIPAL_RE = /^arn:aws(-cn|-us-gov)?:iam::(\d{12}):(role|user)\/[\w+=,.@/-]+$/;

/** Why an AWS principal of a trust policy is too broad, or undefined for a named role/user of `account` (when known). */
export function awsPrincipalProblem(p: string, account: string | undefined): string | undefined {
  if (/[*?]/.test(p)) return "has a wildcard";
  if (/^\d{12}$/.test(p) || /:root$/.test(p)) return "is an account root (every principal of that account)";
  const m = NAMED_PRINCIPAL_RE.exec(p);
  if (!m) return "is not an IAM role or user ARN";
  if (account !== undefined && m[2] !== account) return `is in account ${m[2]}, not the role's account ${account}`;
  return undefined;
}

/** Severity critical. Resource: roles are assumable only by allowed AWS services, with a source condition. */
export const roleConfigureTrustedPrincipals = resourcePolicy({
  name: "aws-iam-role-configure-trusted-principals",
  control: "C6",
  severity: "critical",
  description:
    "Every IAM role's trust policy lets only allowed service principals (e.g. sagemaker.amazonaws.com) assume it, with an aws:SourceAccount or aws:SourceArn condition, or named IAM roles/users of its own account (the data ingest role): no wildcard, no account root, no other account.",
  remediationSteps: `Use assumeRolePolicy { Statement: [{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": <account id> } } }] }; add other services to the policy's allowedServicePrincipals setting only when needed.`,
  url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
  checks: ["CKV_AWS_60", "CKV_AWS_61", "CKV_AWS_358", "CKV_AWS_393"],
  frameworks: [
    ["nist-800-53-r5", "AC-3"],
    ["nist-800-53-r5", "AC-6"],
  ],
  configSchema: trustSchema,
  validateResource: validateResourcesOfTypes([iam.Role], (props, args, report) => {
    const { allowedServicePrincipals, requireSourceCondition, maxNamedAwsPrincipals } = settings<{
      allowedServicePrincipals: string[];
      requireSourceCondition: boolean;
      maxNamedAwsPrincipals: number;
    }>(args, trustSchema);
    const roleArn = roleProps.get(props, "arn");
    const account = known(roleArn) ? /^arn:[^:]+:iam::(\d{12}):/.exec(roleArn)?.[1] : undefined;
    const doc = parseDocument(roleProps.get(props, "assumeRolePolicy"));
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
      // Named roles/users of this account may assume it (the data ingest role), nothing broader.
      const named = p.aws.filter((a) => known(a) && awsPrincipalProblem(a, account) === undefined);
      const tooMany = named.length > maxNamedAwsPrincipals;
      const others = [
        ...(p.wildcard ? ['"*"'] : []),
        ...p.aws
          .filter((a) => known(a) && (tooMany || !named.includes(a)))
          .map((a) => `AWS ${describe(a)}${known(a) && awsPrincipalProblem(a, account) ? ` (${awsPrincipalProblem(a, account)})` : ""}`),
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
            fix: `trust only ${allowedServicePrincipals.map((s) => `"${s}"`).join(" or ")} (or add the service to allowedServicePrincipals), or at most ${maxNamedAwsPrincipals} named roles/users of this account (dataIngestPrincipals)`,
          }),
        );
        continue;
      }
      if (
        requireSourceCondition &&
        services.length > 0 &&
        !st.conditionUnknown &&
        !constrains(st, "aws:SourceAccount") &&
        !constrains(st, "aws:SourceArn")
      ) {
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
