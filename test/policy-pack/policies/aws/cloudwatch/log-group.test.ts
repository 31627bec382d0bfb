/**
 * Tests of policy-pack/policies/aws/cloudwatch/log-group.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { logGroupConfigureEncryptionRetention } from "../../../../../policy-pack/policies/aws/cloudwatch/log-group";
import { expectControl, expectPass, expectViolation } from "../../../expect";
import { KEY_ARN } from "../../../fixtures/aws";

describe("policy pack: AWS CloudWatch Logs", () => {
  describe("aws-cloudwatch-log-group-configure-encryption-retention (C8)", () => {
    const p = logGroupConfigureEncryptionRetention;
    it("proves C8", () => expectControl(p, "C8"));
    it("passes an encrypted log group with retention", () =>
      expectPass(p, { type: cloudwatch.LogGroup, name: "lg", props: { kmsKeyId: KEY_ARN, retentionInDays: 30 } }));
    it("reports a missing key and missing retention", async () => {
      await expectViolation(p, { type: cloudwatch.LogGroup, name: "lg", props: { retentionInDays: 30 } }, [
        "not encrypted with a customer managed key",
        "property kmsKeyId",
      ]);
      await expectViolation(p, { type: cloudwatch.LogGroup, name: "lg", props: { kmsKeyId: KEY_ARN, retentionInDays: 0 } }, [
        "retentionInDays is 0",
      ]);
    });
  });
});
