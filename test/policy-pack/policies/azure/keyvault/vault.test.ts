/**
 * Tests of policy-pack/policies/azure/keyvault/vault.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { expect } from "chai";
import * as keyvault from "@pulumi/azure-native/keyvault";
import {
  vaultConfigureDefaultDeny,
  vaultDisablePublicNetworkAccess,
  vaultEnablePurgeProtection,
  vaultEnableRbacAuthorization,
  vaultEnableSoftDelete,
} from "../../../../../policy-pack/policies/azure/keyvault/vault";
import { expectControl, expectPass, expectViolation } from "../../../expect";
import { IDENTITY_ID, vault } from "../../../fixtures/azure";

describe("policy pack: Azure Key Vault", () => {
  const vaultFlags: [typeof vaultEnableRbacAuthorization, string, Record<string, unknown>, string][] = [
    [vaultEnableRbacAuthorization, "C6", { enableRbacAuthorization: false }, "properties.enableRbacAuthorization is false, not true"],
    [vaultEnablePurgeProtection, "C2", { enablePurgeProtection: undefined }, "properties.enablePurgeProtection is missing, not true"],
    [
      vaultDisablePublicNetworkAccess,
      "C3",
      { publicNetworkAccess: "Enabled" },
      'properties.publicNetworkAccess is "Enabled", not "Disabled"',
    ],
    [
      vaultConfigureDefaultDeny,
      "C4",
      { networkAcls: { defaultAction: "Allow", bypass: "AzureServices" } },
      'properties.networkAcls.defaultAction is "Allow", not "Deny"',
    ],
  ];
  for (const [p, control, change, fragment] of vaultFlags) {
    describe(`${p.name} (${control})`, () => {
      it(`proves ${control}`, () => expectControl(p, control as "C1"));
      it("passes the compliant vault", () => expectPass(p, vault()));
      it("reports the insecure value", () => expectViolation(p, vault(change), [fragment]));
    });
  }

  describe("azure-keyvault-vault-enable-soft-delete (C2)", () => {
    const p = vaultEnableSoftDelete;
    it("proves C2", () => expectControl(p, "C2"));
    it("passes 90 days and the default", async () => {
      await expectPass(p, vault());
      await expectPass(p, vault({ softDeleteRetentionInDays: undefined }));
    });
    it("reports soft delete off and a short retention", async () => {
      await expectViolation(p, vault({ enableSoftDelete: false }), ["soft delete is disabled"]);
      await expectViolation(p, vault({ softDeleteRetentionInDays: 7 }), ["softDeleteRetentionInDays is 7, shorter than 90"]);
      await expectPass(p, vault({ softDeleteRetentionInDays: 30 }), { config: { [p.name]: { minimumRetentionDays: 30 } } });
    });
  });

  it("the fixtures name a real identity id", () => expect(IDENTITY_ID).to.match(/userAssignedIdentities/));
  it("vault fixtures use the keyvault module's class", () => expect(vault().type).to.equal(keyvault.Vault));
});
