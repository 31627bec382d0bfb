/** SageMaker (C7): the execution role may create training jobs only under the guardrails. */
import * as iam from "@pulumi/aws/iam";
import type { PolicyResource } from "@pulumi/policy";
import { settings, stackPolicy, typeToken } from "../../../lib/define";
import {
  IDENTITY_POLICY_TYPES,
  Statement,
  baseOperator,
  conditionsOn,
  constrains,
  grantsAction,
  identityDocuments,
  isAllow,
  label,
  parseDocument,
} from "../../../lib/iam";
import { ofTypes } from "../../../lib/match";
import { at, formatViolation } from "../../../lib/messages";
import { familyPatterns } from "../../../lib/sagemaker-instance-storage";
import { admitsOnlyNvme, INSTANCE_TYPES_KEY, scopeUnknown, VOLUME_KEY } from "../../../lib/sagemaker-job-conditions";
import { propsOf } from "../../../lib/props";

const roleProps = propsOf(iam.Role);

// ---------------------------------------------------------------- C7

export const CREATE_TRAINING_JOB = "sagemaker:CreateTrainingJob";

const guardrailSchema = {
  properties: {
    requiredConditionKeys: {
      type: "array" as const,
      items: { type: "string" as const },
      default: [
        "sagemaker:VpcSubnets",
        "sagemaker:VolumeKmsKeyArn",
        "sagemaker:OutputKmsKeyArn",
        "sagemaker:InterContainerTrafficEncryption",
        "sagemaker:NetworkIsolation",
      ],
      description:
        "Condition keys every statement allowing sagemaker:CreateTrainingJob must constrain. The volume key (sagemaker:VolumeKmsKeyArn) is waived for a statement whose sagemaker:InstanceTypes admits only families with local NVMe storage: SageMaker refuses a VolumeKmsKeyId for them.",
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
    // Instance types with local NVMe storage take no volume key (hardware-encrypted): the waiver holds only for a
    // statement that admits nothing else (policy-pack/lib/sagemaker-instance-storage.ts classifies the families).
    if (key.toLowerCase() === VOLUME_KEY.toLowerCase() && admitsOnlyNvme(st)) return false;
    if (!constrains(st, key)) return true;
    if (s.requiredTrueKeys.some((k) => k.toLowerCase() === key.toLowerCase())) {
      return !conditionsOn(st, key).some(
        (c) =>
          baseOperator(c.operator) === "Bool" &&
          !/IfExists$/.test(c.operator) &&
          c.values.length > 0 &&
          c.values.every((v) => v === "true"),
      );
    }
    return false;
  });
}

function trustsSageMaker(role: PolicyResource): boolean {
  const doc = parseDocument(roleProps.get(role.props, "assumeRolePolicy"));
  return doc.kind === "document" && doc.statements.some((st) => isAllow(st) && st.principal?.service.includes("sagemaker.amazonaws.com"));
}

/** Severity high. Stack: some IAM policy allows CreateTrainingJob, and only under the guardrail conditions. */
export const executionRoleEnforceJobGuardrails = stackPolicy({
  name: "aws-sagemaker-execution-role-enforce-job-guardrails",
  control: "C7",
  severity: "high",
  description:
    "An IAM policy of the environment allows sagemaker:CreateTrainingJob, and every statement allowing it requires VPC subnets, volume and output KMS keys, inter-container traffic encryption and network isolation (sagemaker:* condition keys); only a statement limited to instance types with local NVMe storage (hardware-encrypted) omits the volume key.",
  remediationSteps: `Give the execution role (and the job launcher policy) two statements allowing "sagemaker:CreateTrainingJob" on "arn:aws:sagemaker:<region>:<account>:training-job/*", both with Null "false" on every key they use, "ForAllValues:StringEquals": { "sagemaker:VpcSubnets": [<subnet ids>], "sagemaker:VpcSecurityGroupIds": [<sg ids>] }, ArnEquals: { "sagemaker:OutputKmsKeyArn": <key arn> }, Bool: { "sagemaker:InterContainerTrafficEncryption": "true", "sagemaker:NetworkIsolation": "true" }: one for EBS-only families ("ForAllValues:StringLike": { "sagemaker:InstanceTypes": ["ml.m5.*", ...] }, ArnEquals "sagemaker:VolumeKmsKeyArn": <key arn>) and one for families with local NVMe storage ("ml.g5.*", "ml.p4d.*", ...; Null "sagemaker:VolumeKmsKeyArn": "true").`,
  url: "https://docs.aws.amazon.com/sagemaker/latest/dg/security_iam_id-based-policy-examples.html#sagemaker-condition-examples",
  checks: [],
  frameworks: [
    ["nist-800-53-r5", "SC-7"],
    ["nist-800-53-r5", "SC-8"],
    ["nist-800-53-r5", "SC-28"],
  ],
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
          if (scopeUnknown(st)) {
            undecided = true;
            continue;
          }
          const volumeKeyMissing = missing.some((k) => k.toLowerCase() === VOLUME_KEY.toLowerCase());
          report(
            formatViolation({
              what:
                `${label(st)} allows ${CREATE_TRAINING_JOB} without requiring ${missing.join(", ")}` +
                `${missing.some((k) => s.requiredTrueKeys.includes(k)) ? ` (${s.requiredTrueKeys.join(", ")} must be Bool "true")` : ""}` +
                (volumeKeyMissing
                  ? `; a statement may omit ${VOLUME_KEY} only when ${INSTANCE_TYPES_KEY} (with Null "false") admits nothing but families with local NVMe storage (${familyPatterns("nvme").join(", ")}), so jobs on EBS-only types would get volumes encrypted with an AWS managed key`
                  : ""),
              where: at(r, `${property}.Statement[${st.index}]`),
              fix: volumeKeyMissing
                ? `add the missing condition keys to the statement's Condition, or restrict it with Null { "${INSTANCE_TYPES_KEY}": "false" } and ForAllValues:StringLike { "${INSTANCE_TYPES_KEY}": [NVMe family patterns] }`
                : "add the missing condition keys to the statement's Condition",
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
