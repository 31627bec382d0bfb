/**
 * Tests of policy-pack/policies/azure/machinelearningservices/workspace-compute.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import * as ml from "@pulumi/azure-native/machinelearningservices";
import {
  computeDisablePublicIp,
  workspaceDisablePublicNetworkAccess,
} from "../../../../../policy-pack/policies/azure/machinelearningservices/workspace-compute";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../../expect";
import { IDENTITY_ID } from "../../../fixtures/azure";
import { ResourceSpec } from "../../../harness";

describe("policy pack: Azure Machine Learning", () => {
  describe("azure-ml-workspace-disable-public-network-access (C3)", () => {
    const p = workspaceDisablePublicNetworkAccess;
    const ws = (props: Record<string, unknown> = {}): ResourceSpec => ({
      type: ml.Workspace,
      name: "ws",
      props: { resourceGroupName: "rg", publicNetworkAccess: "Disabled", primaryUserAssignedIdentity: IDENTITY_ID, ...props },
    });
    it("proves C3", () => expectControl(p, "C3"));
    it("passes a private workspace", () => expectPass(p, ws()));
    it("reports public access, default or behind-VNet", async () => {
      await expectViolation(p, ws({ publicNetworkAccess: undefined }), ['not set (default "Enabled")']);
      await expectViolation(p, ws({ allowPublicAccessWhenBehindVnet: true }), ["allowPublicAccessWhenBehindVnet is true"]);
    });
  });

  describe("azure-ml-compute-disable-public-ip (C7)", () => {
    const p = computeDisablePublicIp;
    const cluster = (inner: Record<string, unknown> = {}, computeType = "AmlCompute"): ResourceSpec => ({
      type: ml.Compute,
      name: "cluster",
      props: {
        resourceGroupName: "rg",
        workspaceName: "ws",
        properties: {
          computeType,
          properties: { enableNodePublicIp: false, remoteLoginPortPublicAccess: "Disabled", vmSize: "STANDARD_D2S_V3", ...inner },
        },
      },
    });
    it("proves C7", () => expectControl(p, "C7"));
    it("passes a cluster without public IP or SSH", () => expectPass(p, cluster()));
    it("reports a public IP (the default) and public SSH", async () => {
      await expectViolation(p, cluster({ enableNodePublicIp: undefined }), ["enableNodePublicIp is not set (default true)"]);
      await expectViolation(p, cluster({ remoteLoginPortPublicAccess: "Enabled" }), ['remoteLoginPortPublicAccess is "Enabled"']);
    });
    it("checks compute instances and skips attached compute", async () => {
      await expectViolation(p, cluster({ enableNodePublicIp: true, remoteLoginPortPublicAccess: undefined }, "ComputeInstance"), [
        "enableNodePublicIp is true",
      ]);
      await expectNotApplicable(p, cluster({}, "Databricks"));
    });
  });
});
