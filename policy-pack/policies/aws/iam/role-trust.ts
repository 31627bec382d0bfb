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
