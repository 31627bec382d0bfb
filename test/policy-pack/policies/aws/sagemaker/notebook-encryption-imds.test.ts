/** Notebook instances: customer managed key (C1) and IMDSv2 only (C6). */
import * as sagemaker from "@pulumi/aws/sagemaker";
import { notebookEnforceImdsv2, notebookMissingKmsKey } from "../../../../../policy-pack/policies/aws/sagemaker/notebook-encryption-imds";
import { unknown } from "../../../harness";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../../expect";

const KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd";
const notebook = (props: Record<string, unknown>) => ({
  type: sagemaker.NotebookInstance,
  name: "nb",
  props: {
    instanceType: "ml.t3.medium",
    roleArn: "arn:aws:iam::111122223333:role/r",
    directInternetAccess: "Disabled",
    subnetId: "subnet-1",
    ...props,
  },
});

describe("aws-sagemaker-notebook-instance-missing-kms-key (C1)", () => {
  const p = notebookMissingKmsKey;
  it("proves C1", () => expectControl(p, "C1"));
  it("passes a customer key, known or not", async () => {
    await expectPass(p, notebook({ kmsKeyId: KEY }));
    await expectPass(p, notebook({ kmsKeyId: unknown() }));
  });
  it("reports a notebook without kmsKeyId", () =>
    expectViolation(p, notebook({}), ["kmsKeyId is not set", "AWS managed key", "property kmsKeyId"]));
  it("does not apply to a domain", () => expectNotApplicable(p, { type: sagemaker.Domain, name: "d", props: {} }));
});

describe("aws-sagemaker-notebook-instance-enforce-imdsv2 (C6)", () => {
  const p = notebookEnforceImdsv2;
  it("proves C6", () => expectControl(p, "C6"));
  it("passes IMDSv2 only", async () => {
    await expectPass(p, notebook({ instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: "2" } }));
    await expectPass(p, notebook({ instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: unknown() } }));
  });
  it("reports IMDSv1 allowed, explicitly or by default", async () => {
    await expectViolation(p, notebook({ instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: "1" } }), [
      'minimumInstanceMetadataServiceVersion is "1"',
      "property instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion",
    ]);
    await expectViolation(p, notebook({}), ["not set (IMDSv1 allowed)"]);
  });
});
