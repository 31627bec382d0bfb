/**
 * Azure Storage (C1, C3, C4, C5, C6, C9) and Key Vault (C1, C2, C3, C4, C6)
 * policies: compliant inputs pass, each insecure variant reports what,
 * where and how to fix it; remediation fixes TLS, HTTPS and container access.
 */
import { expect } from "chai";
import * as keyvault from "@pulumi/azure-native/keyvault";
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
  blobServiceEnableVersioningSoftDelete,
  containerDisablePublicAccess,
} from "../../../policy-pack/policies/azure/storage/account";
import {
  durationDays,
  keyConfigureKeySize,
  keyConfigureRotationPolicy,
  vaultConfigureDefaultDeny,
  vaultDisablePublicNetworkAccess,
  vaultEnablePurgeProtection,
  vaultEnableRbacAuthorization,
  vaultEnableSoftDelete,
} from "../../../policy-pack/policies/azure/keyvault/vault-key";
import { ResourceSpec, remediateThenAnalyze, unknown, urnOf } from "../harness";
import { expectControl, expectNotApplicable, expectPass, expectStackPass, expectStackViolations, expectViolation } from "../expect";
import { IDENTITY_ID, account, blobService, key, vault } from "./fixtures";

describe("policy pack: Azure Storage", () => {
  const flags: [typeof accountDisableBlobPublicAccess, string, Record<string, unknown>, string[]][] = [
    [accountDisableBlobPublicAccess, "C3", { allowBlobPublicAccess: true }, ["allowBlobPublicAccess is true, not false"]],
    [accountDisableSharedKeyAccess, "C6", { allowSharedKeyAccess: undefined }, ["allowSharedKeyAccess is missing, not false"]],
    [accountEnableHttpsOnly, "C5", { enableHttpsTrafficOnly: false }, ["enableHttpsTrafficOnly is false, not true"]],
    [accountConfigureMinimumTls, "C5", { minimumTlsVersion: "TLS1_0" }, ['minimumTlsVersion is "TLS1_0", not "TLS1_2"']],
    [accountDisablePublicNetworkAccess, "C3", { publicNetworkAccess: "Enabled" }, ['publicNetworkAccess is "Enabled", not "Disabled"']],
    [accountConfigureDefaultDeny, "C4", { networkRuleSet: { defaultAction: "Allow" } }, ['networkRuleSet.defaultAction is "Allow", not "Deny"']],
    [accountEnableInfrastructureEncryption, "C1", { encryption: { ...(account().props!.encryption as object), requireInfrastructureEncryption: false } }, ["encryption.requireInfrastructureEncryption is false"]],
  ];
  for (const [p, control, change, fragments] of flags) {
    describe(`${p.name} (${control})`, () => {
      it(`proves ${control}`, () => expectControl(p, control as "C1"));
      it("passes the compliant account", () => expectPass(p, account()));
      it("reports the insecure value", () => expectViolation(p, account(change), [...fragments, `property ${fragments[0].split(" ")[0]}`]));
      it("does not judge an unknown value (preview)", () => expectPass(p, account(Object.fromEntries(Object.keys(change).map((k) => [k, unknown()])))));
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
      await expectViolation(p, account({ encryption: { ...enc, keySource: "Microsoft.Storage" } }), ['encryption.keySource is "Microsoft.Storage"']);
      await expectViolation(p, account({ encryption: { requireInfrastructureEncryption: true } }), ['not set (default "Microsoft.Storage"']);
    });
    it("reports a missing key name and a missing identity", async () => {
      await expectViolation(p, account({ encryption: { ...enc, keyVaultProperties: { keyVaultUri: "https://v.vault.azure.net" } } }), ["lacks keyName"]);
      await expectViolation(p, account({ encryption: { ...enc, encryptionIdentity: {} } }), ["no user-assigned identity"]);
    });
  });

  describe("azure-storage-container-disable-public-access (C3, remediable)", () => {
    const p = containerDisablePublicAccess;
    const container = (props: Record<string, unknown> = {}): ResourceSpec => ({ type: storage.BlobContainer, name: "data", props: { accountName: "acct", resourceGroupName: "rg", publicAccess: "None", ...props } });
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

  describe("azure-storage-blob-service-enable-versioning-soft-delete (C9, stack)", () => {
    const p = blobServiceEnableVersioningSoftDelete;
    it("proves C9", () => expectControl(p, "C9"));
    it("passes an account with versioning and soft delete", () => expectStackPass(p, [account(), blobService()]));
    it("reports missing blob service properties, at the account", () => expectStackViolations(p, [account()], [[urnOf(account()), ["has no blob service properties"]]]));
    it("reports versioning off and soft delete off, at the service", () => {
      const svc = blobService({ isVersioningEnabled: false, deleteRetentionPolicy: { enabled: false } });
      return expectStackViolations(p, [account(), svc], [[urnOf(svc), ["isVersioningEnabled is false", "deleteRetentionPolicy.enabled is false"]]]);
    });
    it("matches the service by dependency while the account name is unknown (preview)", () =>
      expectStackPass(p, [account(), { ...blobService({ accountName: unknown() }), propertyDependencies: { accountName: [urnOf(account())] } }]));
  });
});

describe("policy pack: Azure Key Vault", () => {
  const vaultFlags: [typeof vaultEnableRbacAuthorization, string, Record<string, unknown>, string][] = [
    [vaultEnableRbacAuthorization, "C6", { enableRbacAuthorization: false }, "properties.enableRbacAuthorization is false, not true"],
    [vaultEnablePurgeProtection, "C2", { enablePurgeProtection: undefined }, "properties.enablePurgeProtection is missing, not true"],
    [vaultDisablePublicNetworkAccess, "C3", { publicNetworkAccess: "Enabled" }, 'properties.publicNetworkAccess is "Enabled", not "Disabled"'],
    [vaultConfigureDefaultDeny, "C4", { networkAcls: { defaultAction: "Allow", bypass: "AzureServices" } }, 'properties.networkAcls.defaultAction is "Allow", not "Deny"'],
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

  describe("azure-keyvault-key-configure-rotation-policy (C2)", () => {
    const p = keyConfigureRotationPolicy;
    it("proves C2", () => expectControl(p, "C2"));
    it("reads ISO 8601 durations", () => {
      expect([durationDays("P1Y"), durationDays("P90D"), durationDays("P1Y2M"), durationDays("PT36H"), durationDays("P2W")]).to.deep.equal([365, 90, 425, 1.5, 14]);
      expect([durationDays("P"), durationDays("1Y"), durationDays("PT")]).to.deep.equal([undefined, undefined, undefined]);
    });
    it("passes rotation 365 days after creation, and 30 days before a one-year expiry", async () => {
      await expectPass(p, key());
      await expectPass(p, key({ rotationPolicy: { attributes: { expiryTime: "P1Y" }, lifetimeActions: [{ action: { type: "Rotate" }, trigger: { timeBeforeExpiry: "P30D" } }] } }));
    });
    it("reports a key without a rotation policy, or with only a notify action", async () => {
      await expectViolation(p, key({ rotationPolicy: undefined }), ["the key has no rotation policy", "property properties.rotationPolicy"]);
      await expectViolation(p, key({ rotationPolicy: { lifetimeActions: [{ action: { type: "notify" }, trigger: { timeBeforeExpiry: "P30D" } }] } }), ["no Rotate action"]);
    });
    it("reports a rotation period above the maximum", () =>
      expectViolation(p, key({ rotationPolicy: { lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P2Y" } }] } }), ["rotates only every 730 days, more than 365"]));
  });

  describe("azure-keyvault-key-configure-rsa-key-size (C1)", () => {
    const p = keyConfigureKeySize;
    it("proves C1", () => expectControl(p, "C1"));
    it("passes RSA 3072", () => expectPass(p, key()));
    it("reports RSA 2048, explicit or default", async () => {
      await expectViolation(p, key({ keySize: 2048 }), ["RSA key size is 2048 bits, below 3072"]);
      await expectViolation(p, key({ keySize: undefined }), ["not set (default 2048)"]);
    });
    it("does not apply to EC keys", () => expectNotApplicable(p, key({ kty: "EC", curveName: "P-384", keySize: undefined })));
  });

  it("the fixtures name a real identity id", () => expect(IDENTITY_ID).to.match(/userAssignedIdentities/));
  it("vault fixtures use the keyvault module's class", () => expect(vault().type).to.equal(keyvault.Vault));
});
