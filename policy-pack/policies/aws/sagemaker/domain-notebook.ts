/**
 * SageMaker policies (AWS): the domain stays in the VPC and is encrypted with
 * the customer key (C4, C1); notebooks have no direct internet and no root
 * (C4, C6); (training-job guardrails: job-guardrails.ts).
 * Docs: https://docs.aws.amazon.com/sagemaker/latest/dg/security.html
 */
import * as sagemaker from "@pulumi/aws/sagemaker";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, describe } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const domainProps = propsOf(sagemaker.Domain);
const notebookProps = propsOf(sagemaker.NotebookInstance);

/** Severity high. Resource: the domain's apps reach AWS only through the VPC. */
export const domainEnforceVpcOnly = resourcePolicy({
  name: "aws-sagemaker-domain-enforce-vpc-only",
  control: "C4",
  severity: "high",
  description: "Every SageMaker domain uses appNetworkAccessType VpcOnly, so its apps have no direct internet access.",
  remediationSteps: `Set \`appNetworkAccessType: "VpcOnly"\` with the environment's private subnets and VPC endpoints.`,
  url: "https://docs.aws.amazon.com/sagemaker/latest/dg/studio-notebooks-and-internet-access.html",
  checks: [],
  frameworks: [
    ["nist-800-53-r5", "SC-7"],
    ["nist-800-53-r5", "AC-4"],
  ],
  validateResource: validateResourceOfType(sagemaker.Domain, (domain, args, report) => {
    const mode = domainProps.str(domain, "appNetworkAccessType");
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
  checks: ["CKV_AWS_187"],
  frameworks: [["nist-800-53-r5", "SC-28"]],
  validateResource: validateResourceOfType(sagemaker.Domain, (domain, args, report) => {
    const key = domainProps.str(domain, "kmsKeyId");
    if (key === UNKNOWN || (typeof key === "string" && key !== "")) return;
    report(
      formatViolation({
        what: "kmsKeyId is not set, so the domain uses an AWS owned key",
        where: at(args, "kmsKeyId"),
        fix: "set kmsKeyId to the environment's KMS key ARN",
      }),
    );
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
  checks: ["CKV_AWS_122", "CKV_AWS_306"],
  frameworks: [
    ["nist-800-53-r5", "SC-7"],
    ["nist-800-53-r5", "AC-4"],
  ],
  validateResource: validateResourceOfType(sagemaker.NotebookInstance, (nb, args, report) => {
    const access = notebookProps.str(nb, "directInternetAccess");
    if (access !== UNKNOWN && access !== "Disabled") {
      report(
        formatViolation({
          what: `directInternetAccess is ${access === undefined ? 'not set (default "Enabled")' : describe(access)}`,
          where: at(args, "directInternetAccess"),
          fix: `set directInternetAccess: "Disabled" with subnetId and securityGroups`,
        }),
      );
    }
    if (access === "Disabled" && notebookProps.get(nb, "subnetId") === undefined) {
      report(
        formatViolation({
          what: "directInternetAccess is Disabled but no subnetId is set",
          where: at(args, "subnetId"),
          fix: "set subnetId to a private subnet of the environment",
        }),
      );
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
  checks: ["CKV_AWS_307"],
  frameworks: [["nist-800-53-r5", "AC-6"]],
  validateResource: validateResourceOfType(sagemaker.NotebookInstance, (nb, args, report) => {
    const root = notebookProps.str(nb, "rootAccess");
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
