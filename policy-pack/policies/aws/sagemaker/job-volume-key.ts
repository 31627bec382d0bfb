/**
 * SageMaker job guardrails that the cloud would make unusable (C11): a
 * statement conditioned on a deprecated key that no request carries, and a
 * statement that requires the volume key for instance types with local NVMe
 * storage, which SageMaker refuses a volume key for.
 */
import * as iam from "@pulumi/aws/iam";
import { ResourceClass, resourcePolicy, validateResourcesOfTypes } from "../../../lib/define";
import { grantsAction, identityDocuments, isAllow, label, parseDocument } from "../../../lib/iam";
import { at, formatViolation } from "../../../lib/messages";
import { familyPatterns } from "../../../lib/sagemaker-instance-storage";
import {
  admitsNvme,
  DEPRECATED_KEYS,
  INSTANCE_TYPES_KEY,
  requiresVolumeKey,
  scopeUnknown,
  VOLUME_KEY,
} from "../../../lib/sagemaker-job-conditions";

const IDENTITY_POLICY_CLASSES: ResourceClass[] = [iam.Policy, iam.RolePolicy, iam.UserPolicy, iam.GroupPolicy, iam.Role];
const CREATE_JOB_ACTIONS = ["sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob"];

/** Severity high. Resource: no identity policy conditions on sagemaker:VolumeKmsKey / sagemaker:OutputKmsKey. */
export const jobGuardrailDisallowDeprecatedKmsKeys = resourcePolicy({
  name: "aws-sagemaker-job-guardrail-disallow-deprecated-kms-keys",
  control: "C11",
  severity: "high",
  description:
    "No IAM statement conditions on sagemaker:VolumeKmsKey or sagemaker:OutputKmsKey: they are deprecated and no SageMaker action lists them, so requests do not carry them.",
  remediationSteps: "Use sagemaker:VolumeKmsKeyArn and sagemaker:OutputKmsKeyArn (with the full key ARN) instead.",
  frameworks: [
    ["nist-800-53-r5", "AC-3"],
    ["nist-800-53-r5", "SC-28"],
  ],
  url: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html",
  validateResource: validateResourcesOfTypes(IDENTITY_POLICY_CLASSES, (props, args, report) => {
    for (const { property, document } of identityDocuments(args.type, props)) {
      const doc = parseDocument(document);
      if (doc.kind !== "document") continue;
      for (const st of doc.statements) {
        const deprecated = [...new Set(st.conditions.map((c) => c.key).filter((k) => DEPRECATED_KEYS[k.toLowerCase()] !== undefined))];
        if (deprecated.length === 0) continue;
        report(
          formatViolation({
            what:
              `${label(st)} conditions on ${deprecated.join(", ")}, which SageMaker has deprecated: no action lists it, so IAM evaluates the condition as if ` +
              `the key were missing from every request (an Allow with Null "false" or ArnEquals on it never matches, so no job can be started under it; a Deny on it never applies)`,
            where: at(args, `${property}.Statement[${st.index}].Condition`),
            fix: `replace ${deprecated.map((k) => `${k} with ${DEPRECATED_KEYS[k.toLowerCase()]}`).join(", ")}`,
          }),
        );
      }
    }
  }),
});

/** Severity medium. Resource: a statement requiring the volume key admits no instance type with local NVMe storage. */
export const jobGuardrailDisallowVolumeKeyOnNvme = resourcePolicy({
  name: "aws-sagemaker-job-guardrail-disallow-volume-key-on-nvme",
  control: "C11",
  severity: "medium",
  description:
    "A statement allowing CreateTrainingJob or CreateProcessingJob that requires sagemaker:VolumeKmsKeyArn admits, through sagemaker:InstanceTypes, only EBS-only instance families: SageMaker refuses a volume key on instance types with local storage.",
  remediationSteps:
    'Restrict the statement with Null { "sagemaker:InstanceTypes": "false" } and ForAllValues:StringLike { "sagemaker:InstanceTypes": [EBS-only family patterns, e.g. "ml.m5.*"] }, and allow families with local NVMe storage in a second statement with Null { "sagemaker:VolumeKmsKeyArn": "true" } (their storage is hardware-encrypted).',
  frameworks: [["nist-800-53-r5", "SC-28"]],
  url: "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ResourceConfig.html",
  validateResource: validateResourcesOfTypes(IDENTITY_POLICY_CLASSES, (props, args, report) => {
    for (const { property, document } of identityDocuments(args.type, props)) {
      const doc = parseDocument(document);
      if (doc.kind !== "document") continue;
      for (const st of doc.statements) {
        if (!isAllow(st) || st.conditionUnknown || !CREATE_JOB_ACTIONS.some((a) => grantsAction(st, a))) continue;
        if (!requiresVolumeKey(st) || !admitsNvme(st) || scopeUnknown(st)) continue;
        report(
          formatViolation({
            what:
              `${label(st)} requires ${VOLUME_KEY} but its ${INSTANCE_TYPES_KEY} admits instance types with local NVMe storage (${familyPatterns("nvme").slice(0, 4).join(", ")}, ...): ` +
              `SageMaker rejects CreateTrainingJob with a VolumeKmsKeyId for them ("You can't request a VolumeKmsKeyId when using an instance type with local storage"), ` +
              `so this statement can never start a job on them`,
            where: at(args, `${property}.Statement[${st.index}].Condition`),
            fix: `limit this statement to EBS-only families (Null "false" and ForAllValues:StringLike on ${INSTANCE_TYPES_KEY}) and allow NVMe families in a statement with Null { "${VOLUME_KEY}": "true" }`,
          }),
        );
      }
    }
  }),
});
