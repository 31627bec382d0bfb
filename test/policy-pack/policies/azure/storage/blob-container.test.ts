/**
 * Tests of policy-pack/policies/azure/storage/blob-container.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { expect } from "chai";
import * as storage from "@pulumi/azure-native/storage";
import { containerDisablePublicAccess } from "../../../../../policy-pack/policies/azure/storage/blob-container";
import { expectControl, expectPass, expectViolation } from "../../../expect";
import { remediateThenAnalyze, ResourceSpec } from "../../../harness";

describe("policy pack: Azure Storage", () => {
  describe("azure-storage-container-disable-public-access (C3, remediable)", () => {
    const p = containerDisablePublicAccess;
    const container = (props: Record<string, unknown> = {}): ResourceSpec => ({
      type: storage.BlobContainer,
      name: "data",
      props: { accountName: "acct", resourceGroupName: "rg", publicAccess: "None", ...props },
    });
    it("proves C3", () => expectControl(p, "C3"));
    it("passes publicAccess None", () => expectPass(p, container()));
    it("reports Blob/Container access and a missing value", async () => {
      await expectViolation(p, container({ publicAccess: "Blob" }), ['publicAccess is "Blob", not "None"']);
      await expectViolation(p, container({ publicAccess: undefined }), ["publicAccess is missing"]);
    });
    it("remediates to None", async () => {
      const r = await remediateThenAnalyze(p, container({ publicAccess: "Container" }), { config: { [p.name]: "remediate" } });
      expect(r.props.publicAccess).to.equal("None");
      expect(r.diagnostics).to.deep.equal([]);
    });
  });
});
