/**
 * SageMaker notebook instances (AWS): their ML storage volume is encrypted
 * with the environment's customer managed key (C1), and their metadata
 * service answers only IMDSv2 session requests, so a server-side request
 * forgery in a notebook cannot read the instance role's credentials (C6).
 */
import * as sagemaker from "@pulumi/aws/sagemaker";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, describe } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const notebookProps = propsOf(sagemaker.NotebookInstance);

/** Severity high. Resource: notebook instances name a customer managed KMS key. */
export const notebookMissingKmsKey = resourcePolicy({
  name: "aws-sagemaker-notebook-instance-missing-kms-key",
  control: "C1",
  severity: "high",
  description: "Every SageMaker notebook instance encrypts its ML storage volume with a customer managed KMS key (kmsKeyId).",
  remediationSteps: "Set `kmsKeyId` on the aws.sagemaker.NotebookInstance to the environment's KMS key ARN.",
  url: "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateNotebookInstance.html",
  checks: ["CKV_AWS_22", "CKV_AWS_187"],
  frameworks: [
    ["nist-800-53-r5", "SC-28"],
    ["nist-800-53-r5", "SC-13"],
  ],
  validateResource: validateResourceOfType(sagemaker.NotebookInstance, (nb, args, report) => {
    const key = notebookProps.str(nb, "kmsKeyId");
    if (key === UNKNOWN || (key !== undefined && key !== "")) return;
    report(
      formatViolation({
        what: "kmsKeyId is not set, so the notebook's storage volume is encrypted with an AWS managed key instead of the environment's key",
        where: at(args, "kmsKeyId"),
        fix: "set kmsKeyId to the environment's KMS key ARN",
      }),
    );
  }),
});

/** Severity medium. Resource: notebook instances accept IMDSv2 only. */
export const notebookEnforceImdsv2 = resourcePolicy({
  name: "aws-sagemaker-notebook-instance-enforce-imdsv2",
  control: "C6",
  severity: "medium",
  description:
    "Every SageMaker notebook instance requires IMDSv2 (instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion 2).",
  remediationSteps: `Set \`instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: "2" }\` on the aws.sagemaker.NotebookInstance.`,
  url: "https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-update-imds.html",
  checks: ["CKV_AWS_371"],
  frameworks: [
    ["nist-800-53-r5", "AC-3"],
    ["nist-800-53-r5", "AC-6"],
  ],
  validateResource: validateResourceOfType(sagemaker.NotebookInstance, (nb, args, report) => {
    const version = notebookProps.str(nb, "instanceMetadataServiceConfiguration", "minimumInstanceMetadataServiceVersion");
    if (version === UNKNOWN || version === "2") return;
    report(
      formatViolation({
        what: `minimumInstanceMetadataServiceVersion is ${version === undefined ? "not set (IMDSv1 allowed)" : describe(version)}, so a request forged from the notebook can read the role's credentials without a session token`,
        where: at(args, "instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion"),
        fix: 'set instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion to "2"',
      }),
    );
  }),
});
