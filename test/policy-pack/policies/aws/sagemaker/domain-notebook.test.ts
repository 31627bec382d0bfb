/**
 * Tests of policy-pack/policies/aws/sagemaker/domain-notebook.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import * as sagemaker from "@pulumi/aws/sagemaker";
import {
  domainEnforceVpcOnly,
  domainMissingKmsKey,
  notebookDisableDirectInternet,
  notebookDisableRootAccess,
} from "../../../../../policy-pack/policies/aws/sagemaker/domain-notebook";
import { expectControl, expectPass, expectViolation } from "../../../expect";
import { KEY_ARN } from "../../../fixtures/aws";
import { ResourceSpec } from "../../../harness";

describe("policy pack: AWS SageMaker", () => {
  const domain = (props: Record<string, unknown> = {}): ResourceSpec => ({
    type: sagemaker.Domain,
    name: "domain",
    props: {
      domainName: "d",
      authMode: "IAM",
      vpcId: "vpc-1",
      subnetIds: ["subnet-1"],
      defaultUserSettings: { executionRole: "arn" },
      appNetworkAccessType: "VpcOnly",
      kmsKeyId: KEY_ARN,
      ...props,
    },
  });
  const notebook = (props: Record<string, unknown> = {}): ResourceSpec => ({
    type: sagemaker.NotebookInstance,
    name: "nb",
    props: {
      instanceType: "ml.t3.medium",
      roleArn: "arn",
      subnetId: "subnet-1",
      securityGroups: ["sg-1"],
      directInternetAccess: "Disabled",
      rootAccess: "Disabled",
      ...props,
    },
  });

  describe("aws-sagemaker-domain-enforce-vpc-only (C4)", () => {
    const p = domainEnforceVpcOnly;
    it("proves C4", () => expectControl(p, "C4"));
    it("passes a VpcOnly domain", () => expectPass(p, domain()));
    it("reports PublicInternetOnly, explicit or default", async () => {
      await expectViolation(p, domain({ appNetworkAccessType: "PublicInternetOnly" }), [
        '"PublicInternetOnly"',
        "property appNetworkAccessType",
      ]);
      await expectViolation(p, domain({ appNetworkAccessType: undefined }), ['not set (default "PublicInternetOnly")']);
    });
  });

  describe("aws-sagemaker-domain-missing-kms-key (C1)", () => {
    const p = domainMissingKmsKey;
    it("proves C1", () => expectControl(p, "C1"));
    it("passes a domain with a customer key", () => expectPass(p, domain()));
    it("reports a domain without kmsKeyId", () => expectViolation(p, domain({ kmsKeyId: undefined }), ["kmsKeyId is not set"]));
  });

  describe("aws-sagemaker-notebook-instance-disable-direct-internet (C4)", () => {
    const p = notebookDisableDirectInternet;
    it("proves C4", () => expectControl(p, "C4"));
    it("passes a notebook without direct internet in a subnet", () => expectPass(p, notebook()));
    it("reports direct internet (default Enabled) and a missing subnet", async () => {
      await expectViolation(p, notebook({ directInternetAccess: undefined }), ['not set (default "Enabled")']);
      await expectViolation(p, notebook({ subnetId: undefined }), ["no subnetId"]);
    });
  });

  describe("aws-sagemaker-notebook-instance-disable-root-access (C6)", () => {
    const p = notebookDisableRootAccess;
    it("proves C6", () => expectControl(p, "C6"));
    it("passes a notebook without root", () => expectPass(p, notebook()));
    it("reports root access", () => expectViolation(p, notebook({ rootAccess: "Enabled" }), ['rootAccess is "Enabled"']));
  });
});
