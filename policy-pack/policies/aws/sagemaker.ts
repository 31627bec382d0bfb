/**
 * SageMaker policies (AWS): the domain stays in the VPC and is encrypted with
 * the customer key (C4, C1); notebooks have no direct internet and no root
 * (C4, C6); and training jobs can only be created under the guardrails (C7).
 * Docs: https://docs.aws.amazon.com/sagemaker/latest/dg/security.html
 */
import * as iam from "@pulumi/aws/iam";
import * as sagemaker from "@pulumi/aws/sagemaker";
import { validateResourceOfType } from "@pulumi/policy";
import type { PolicyResource } from "@pulumi/policy";
import { resourcePolicy, settings, stackPolicy, typeToken } from "../shared/define";
import { IDENTITY_POLICY_TYPES, Statement, baseOperator, conditionsOn, constrains, grantsAction, identityDocuments, isAllow, label, parseDocument } from "../shared/iam";
import { ofTypes } from "../shared/match";
import { at, formatViolation } from "../shared/messages";
import { UNKNOWN, describe, get, str } from "../shared/values";

/** Severity high. Resource: the domain's apps reach AWS only through the VPC. */
export const domainEnforceVpcOnly = resourcePolicy({
  name: "aws-sagemaker-domain-enforce-vpc-only",
  control: "C4",
  severity: "high",
  description: "Every SageMaker domain uses appNetworkAccessType VpcOnly, so its apps have no direct internet access.",
  remediationSteps: `Set \`appNetworkAccessType: "VpcOnly"\` with the environment's private subnets and VPC endpoints.`,
  url: "https://docs.aws.amazon.com/sagemaker/latest/dg/studio-notebooks-and-internet-access.html",
  validateResource: validateResourceOfType(sagemaker.Domain, (domain, args, report) => {
    const mode = str(domain, "appNetworkAccessType");
    if (mode === UNKNOWN || mode === "VpcOnly") return;
    report(
      formatViolation({
        what: `appNetworkAccessType is ${mode === undefined ? 'not set (default "PublicInternetOnly")' : describe(mode)}`,
        where: at(args, "appNetworkAccessType"),
        fix: `set appNetworkAccessType: "VpcOnly"`,
      }),
    );
  }),
});

/** Severity high. Resource: the domain's EFS volume and apps are encrypted with a customer key. */
export const domainMissingKmsKey = resourcePolicy({
  name: "aws-sagemaker-domain-missing-kms-key",
  control: "C1",
  severity: "high",
  description: "Every SageMaker domain names a customer managed KMS key (kmsKeyId).",
  remediationSteps: "Set `kmsKeyId` to the environment's aws.kms.Key ARN.",
  url: "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest-studio.html",
  validateResource: validateResourceOfType(sagemaker.Domain, (domain, args, report) => {
    const key = str(domain, "kmsKeyId");
    if (key === UNKNOWN || (typeof key === "string" && key !== "")) return;
    report(formatViolation({ what: "kmsKeyId is not set, so the domain uses an AWS owned key", where: at(args, "kmsKeyId"), fix: "set kmsKeyId to the environment's KMS key ARN" }));
  }),
});

/** Severity high. Resource: notebooks reach the network only through the VPC. */
export const notebookDisableDirectInternet = resourcePolicy({
  name: "aws-sagemaker-notebook-instance-disable-direct-internet",
  control: "C4",
  severity: "high",
  description: "Every SageMaker notebook instance has directInternetAccess Disabled and runs in a private subnet.",
  remediationSteps: `Set \`directInternetAccess: "Disabled"\`, \`subnetId\` to a private subnet and \`securityGroups\` to the environment's security group.`,
  url: "https://docs.aws.amazon.com/sagemaker/latest/dg/appendix-notebook-and-internet-access.html",
  validateResource: validateResourceOfType(sagemaker.NotebookInstance, (nb, args, report) => {
    const access = str(nb, "directInternetAccess");
    if (access !== UNKNOWN && access !== "Disabled") {
      report(
        formatViolation({
          what: `directInternetAccess is ${access === undefined ? 'not set (default "Enabled")' : describe(access)}`,
          where: at(args, "directInternetAccess"),
          fix: `set directInternetAccess: "Disabled" with subnetId and securityGroups`,
        }),
      );
    }
    if (access === "Disabled" && get(nb, "subnetId") === undefined) {
      report(formatViolation({ what: "directInternetAccess is Disabled but no subnetId is set", where: at(args, "subnetId"), fix: "set subnetId to a private subnet of the environment" }));
    }
  }),
});

/** Severity medium. Resource: notebook users have no root on the instance. */
export const notebookDisableRootAccess = resourcePolicy({
  name: "aws-sagemaker-notebook-instance-disable-root-access",
  control: "C6",
  severity: "medium",
  description: "Every SageMaker notebook instance has rootAccess Disabled.",
  remediationSteps: `Set \`rootAccess: "Disabled"\` (use lifecycle configurations for setup that needs root).`,
  url: "https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-root-access.html",
  validateResource: validateResourceOfType(sagemaker.NotebookInstance, (nb, args, report) => {
    const root = str(nb, "rootAccess");
    if (root === UNKNOWN || root === "Disabled") return;
    report(
      formatViolation({
        what: `rootAccess is ${root === undefined ? 'not set (default "Enabled")' : describe(root)}`,
        where: at(args, "rootAccess"),
        fix: `set rootAccess: "Disabled"`,
      }),
    );
  }),
});

// ---------------------------------------------------------------- C7

export const CREATE_TRAINING_JOB = "sagemaker:CreateTrainingJob";

const guardrailSchema = {
  properties: {
    requiredConditionKeys: {
      type: "array" as const,
      items: { type: "string" as const },
      default: ["sagemaker:VpcSubnets", "sagemaker:VolumeKmsKey", "sagemaker:OutputKmsKey", "sagemaker:InterContainerTrafficEncryption", "sagemaker:NetworkIsolation"],
      description: "Condition keys every statement allowing sagemaker:CreateTrainingJob must constrain.",
    },
    requiredTrueKeys: {
      type: "array" as const,
      items: { type: "string" as const },
      default: ["sagemaker:InterContainerTrafficEncryption", "sagemaker:NetworkIsolation"],
      description: "Boolean condition keys that must be required to be true (Bool: true).",
    },
  },
};

interface GuardrailSettings {
  requiredConditionKeys: string[];
  requiredTrueKeys: string[];
}

/** The guardrail keys a statement that allows CreateTrainingJob does not enforce. */
function missingGuardrails(st: Statement, s: GuardrailSettings): string[] {
  return s.requiredConditionKeys.filter((key) => {
    if (!constrains(st, key)) return true;
    if (s.requiredTrueKeys.some((k) => k.toLowerCase() === key.toLowerCase())) {
      return !conditionsOn(st, key).some((c) => baseOperator(c.operator) === "Bool" && !/IfExists$/.test(c.operator) && c.values.length > 0 && c.values.every((v) => v === "true"));
    }
    return false;
  });
}

function trustsSageMaker(role: PolicyResource): boolean {
  const doc = parseDocument(get(role.props, "assumeRolePolicy"));
  return doc.kind === "document" && doc.statements.some((st) => isAllow(st) && st.principal?.service.includes("sagemaker.amazonaws.com"));
}

/** Severity high. Stack: some IAM policy allows CreateTrainingJob, and only under the guardrail conditions. */
export const executionRoleEnforceJobGuardrails = stackPolicy({
  name: "aws-sagemaker-execution-role-enforce-job-guardrails",
  control: "C7",
  severity: "high",
  description:
    "An IAM policy of the environment allows sagemaker:CreateTrainingJob, and every statement allowing it requires VPC subnets, volume and output KMS keys, inter-container traffic encryption and network isolation (sagemaker:* condition keys).",
  remediationSteps:
    `Give the execution role (and the job launcher policy) one statement { Effect: "Allow", Action: "sagemaker:CreateTrainingJob", Resource: "arn:aws:sagemaker:<region>:<account>:training-job/*", Condition: { "ForAllValues:StringEquals": { "sagemaker:VpcSubnets": [<subnet ids>] }, StringEquals: { "sagemaker:VolumeKmsKey": <key arn>, "sagemaker:OutputKmsKey": <key arn> }, Bool: { "sagemaker:InterContainerTrafficEncryption": "true", "sagemaker:NetworkIsolation": "true" } } }.`,
  url: "https://docs.aws.amazon.com/sagemaker/latest/dg/security_iam_id-based-policy-examples.html#sagemaker-condition-examples",
  configSchema: guardrailSchema,
  validateStack: (args, report) => {
    const s = settings<GuardrailSettings>(args, guardrailSchema);
    const roles = ofTypes(args.resources, [typeToken(iam.Role)]);
    const executionRoles = roles.filter(trustsSageMaker);
    const sagemakerResources = args.resources.filter((r) => r.type.startsWith("aws:sagemaker/"));
    if (executionRoles.length === 0 && sagemakerResources.length === 0) {
      args.notApplicable("the stack has no SageMaker execution role or SageMaker resource");
    }
    let granting = 0;
    let undecided = false;
    for (const r of ofTypes(args.resources, IDENTITY_POLICY_TYPES)) {
      for (const { property, document } of identityDocuments(r.type, r.props)) {
        const doc = parseDocument(document);
        if (doc.kind === "unknown") undecided = true;
        if (doc.kind !== "document") continue;
        for (const st of doc.statements) {
          if (!isAllow(st) || !grantsAction(st, CREATE_TRAINING_JOB)) continue;
          if (st.conditionUnknown) {
            undecided = true;
            continue;
          }
          granting++;
          const missing = missingGuardrails(st, s);
          if (missing.length === 0) continue;
          report(
            formatViolation({
              what: `${label(st)} allows ${CREATE_TRAINING_JOB} without requiring ${missing.join(", ")}${missing.some((k) => s.requiredTrueKeys.includes(k)) ? ` (${s.requiredTrueKeys.join(", ")} must be Bool "true")` : ""}`,
              where: at(r, `${property}.Statement[${st.index}]`),
              fix: "add the missing condition keys to the statement's Condition",
            }),
            r.urn,
          );
        }
      }
    }
    // Statements that grant it without the guardrails are reported above; here: nothing grants it at all.
    if (granting > 0 || undecided) return;
    const role = executionRoles[0];
    report(
      formatViolation({
        what: `no IAM policy in the stack allows ${CREATE_TRAINING_JOB}, so no training job can be launched under the guardrail conditions`,
        where: role ? at(role) : { name: "stack", type: "pulumi:pulumi:Stack" },
        fix: `add a statement allowing ${CREATE_TRAINING_JOB} with conditions on ${s.requiredConditionKeys.join(", ")} to the execution role's policy`,
      }),
      role?.urn,
    );
  },
});

export const policies = [domainEnforceVpcOnly, domainMissingKmsKey, notebookDisableDirectInternet, notebookDisableRootAccess, executionRoleEnforceJobGuardrails];
