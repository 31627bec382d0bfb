/**
 * Tests of policy-pack/policies/azure/storage/account.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { expect } from "chai";
import * as storage from "@pulumi/azure-native/storage";
import {
  accountConfigureCustomerManagedKey,
  accountConfigureDefaultDeny,
  accountConfigureMinimumTls,
  accountDisableBlobPublicAccess,
  accountDisablePublicNetworkAccess,
  accountDisableSharedKeyAccess,
  accountEnableHttpsOnly,
  accountEnableInfrastructureEncryption,
} from "../../../../../policy-pack/policies/azure/storage/account";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../../expect";
import { account } from "../../../fixtures/azure";
import { remediateThenAnalyze, unknown } from "../../../harness";

describe("policy pack: Azure Storage", () => {
  const flags: [typeof accountDisableBlobPublicAccess, string, Record<string, unknown>, string[]][] = [
    [accountDisableBlobPublicAccess, "C3", { allowBlobPublicAccess: true }, ["allowBlobPublicAccess is true, not false"]],
    [accountDisableSharedKeyAccess, "C6", { allowSharedKeyAccess: undefined }, ["allowSharedKeyAccess is missing, not false"]],
    [accountEnableHttpsOnly, "C5", { enableHttpsTrafficOnly: false }, ["enableHttpsTrafficOnly is false, not true"]],
    [accountConfigureMinimumTls, "C5", { minimumTlsVersion: "TLS1_0" }, ['minimumTlsVersion is "TLS1_0", not "TLS1_2"']],
    [accountDisablePublicNetworkAccess, "C3", { publicNetworkAccess: "Enabled" }, ['publicNetworkAccess is "Enabled", not "Disabled"']],
    [
      accountConfigureDefaultDeny,
      "C4",
      { networkRuleSet: { defaultAction: "Allow" } },
      ['networkRuleSet.defaultAction is "Allow", not "Deny"'],
    ],
    [
      accountEnableInfrastructureEncryption,
      "C1",
      { encryption: { ...(account().props!.encryption as object), requireInfrastructureEncryption: false } },
      ["encryption.requireInfrastructureEncryption is false"],
    ],
  ];
  for (const [p, control, change, fragments] of flags) {
    describe(`${p.name} (${control})`, () => {
      it(`proves ${control}`, () => expectControl(p, control as "C1"));
      it("passes the compliant account", () => expectPass(p, account()));
      it("reports the insecure value", () => expectViolation(p, account(change), [...fragments, `property ${fragments[0].split(" ")[0]}`]));
      it("does not judge an unknown value (preview)", () =>
        expectPass(p, account(Object.fromEntries(Object.keys(change).map((k) => [k, unknown()])))));
      it("does not apply to containers", () => expectNotApplicable(p, { type: storage.BlobContainer, name: "c", props: {} }));
    });
  }

  describe("remediation (enforcement level remediate)", () => {
    it("sets enableHttpsTrafficOnly and minimumTlsVersion, after which both policies pass", async () => {
      const policies = [accountEnableHttpsOnly, accountConfigureMinimumTls];
      const config = { [accountEnableHttpsOnly.name]: "remediate", [accountConfigureMinimumTls.name]: "remediate" } as const;
      const r = await remediateThenAnalyze(policies, account({ enableHttpsTrafficOnly: false, minimumTlsVersion: "TLS1_1" }), { config });
      expect(r.props).to.include({ enableHttpsTrafficOnly: true, minimumTlsVersion: "TLS1_2", allowSharedKeyAccess: false });
      expect(r.diagnostics).to.deep.equal([]);
    });
    it("offers no remediation where no safe automatic fix exists", () => {
      expect(accountEnableInfrastructureEncryption.remediateResource).to.equal(undefined);
      expect(accountConfigureCustomerManagedKey.remediateResource).to.equal(undefined);
    });
  });

  describe("azure-storage-account-configure-customer-managed-key (C1)", () => {
    const p = accountConfigureCustomerManagedKey;
    const enc = account().props!.encryption as Record<string, unknown>;
    it("proves C1", () => expectControl(p, "C1"));
    it("passes a Key Vault key through a user-assigned identity", () => expectPass(p, account()));
    it("reports Microsoft-managed keys, explicit or default", async () => {
      await expectViolation(p, account({ encryption: { ...enc, keySource: "Microsoft.Storage" } }), [
        'encryption.keySource is "Microsoft.Storage"',
      ]);
      await expectViolation(p, account({ encryption: { requireInfrastructureEncryption: true } }), [
        'not set (default "Microsoft.Storage"',
      ]);
    });
    it("reports a missing key name and a missing identity", async () => {
      await expectViolation(p, account({ encryption: { ...enc, keyVaultProperties: { keyVaultUri: "https://v.vault.azure.net" } } }), [
        "lacks keyName",
      ]);
      await expectViolation(p, account({ encryption: { ...enc, encryptionIdentity: {} } }), ["no user-assigned identity"]);
    });
  });
});
