/**
 * The storage account, blob service and containers (C1, C3, C4, C5, C6, C9, C11).
 */
import { expect } from "chai";
import { runStack } from "../../harness";
import { MOCK_AZURE_TENANT } from "../../../engine/recorder/mocks";
import { ROLE_PROPAGATION_WAIT } from "../../../stacks/azure/rbac-wait";
import { T, one, all, expectInput, get, identityOf } from "./helpers";

for (const stack of ["azure-dev", "azure-prod"]) {
  describe(`azure storage (${stack})`, () => {
    it("C3/C4/C5/C6: StorageV2, no public blobs, no shared keys, HTTPS and TLS 1.2 only, no public network, default deny", async () => {
      const rec = await runStack(stack);
      const account = one(rec, T.account);
      expectInput(account, "kind", "StorageV2");
      expectInput(account, "allowBlobPublicAccess", false);
      expectInput(account, "allowSharedKeyAccess", false);
      expectInput(account, "enableHttpsTrafficOnly", true);
      expectInput(account, "minimumTlsVersion", "TLS1_2");
      expectInput(account, "publicNetworkAccess", "Disabled");
      expectInput(account, "networkRuleSet.defaultAction", "Deny");
      expect(get(account.inputs, "networkRuleSet.ipRules") ?? [], `${account.urn}: ipRules`).to.deep.equal([]);
      expect(get(account.inputs, "networkRuleSet.virtualNetworkRules") ?? [], `${account.urn}: virtualNetworkRules`).to.deep.equal([]);
      expectInput(account, "allowCrossTenantReplication", false);
      expectInput(account, "defaultToOAuthAuthentication", true);
      expectInput(account, "isLocalUserEnabled", false);
      expectInput(account, "isSftpEnabled", false);
    });

    it("C1: encrypted with the vault's key through the storage-encryption identity, infrastructure encryption on", async () => {
      const rec = await runStack(stack);
      const account = one(rec, T.account);
      const identity = identityOf(rec, "cmk");
      const vault = one(rec, T.vault);
      const key = one(rec, T.key);
      expectInput(account, "identity.type", "UserAssigned");
      expectInput(account, "identity.userAssignedIdentities", [identity.outputs.id]);
      expectInput(account, "encryption.keySource", "Microsoft.Keyvault");
      expectInput(account, "encryption.requireInfrastructureEncryption", true);
      expectInput(account, "encryption.encryptionIdentity.encryptionUserAssignedIdentity", identity.outputs.id);
      expectInput(account, "encryption.keyVaultProperties.keyVaultUri", vault.outputs.properties.vaultUri);
      expectInput(account, "encryption.keyVaultProperties.keyName", key.outputs.name);
      expect(
        get(account.inputs, "encryption.keyVaultProperties.keyVersion"),
        `${account.urn}: versionless key (follows rotation)`,
      ).to.equal(undefined);
      for (const service of ["blob", "file", "queue", "table"]) {
        expectInput(account, `encryption.services.${service}.keyType`, "Account");
      }
    });

    it("C1/C11: the account is created only after its identity's role on the key has had time to take effect", async () => {
      const rec = await runStack(stack);
      const account = one(rec, T.account);
      const keyRole = one(rec, T.roleAssignment, "-ra-key-crypto");
      const wait = one(rec, T.sleep, "-wait-key-role");
      expect(wait.inputs.createDuration, `${wait.urn}: createDuration`).to.equal(ROLE_PROPAGATION_WAIT);
      expect(wait.dependencies, `${wait.urn}: depends on ${keyRole.urn}`).to.include(keyRole.urn);
      expect(account.dependencies, `${account.urn}: depends on ${wait.urn}`).to.include(wait.urn);
      expect(keyRole.inputs.principalId, `${keyRole.urn}: the storage-encryption identity`).to.equal(
        identityOf(rec, "cmk").outputs.principalId,
      );
    });

    it(`C4: the firewall ${stack === "azure-prod" ? "names the ML workspace as a resource instance" : "admits no resource instance (no workspace)"}`, async () => {
      const rec = await runStack(stack);
      const account = one(rec, T.account);
      const rules = get(account.inputs, "networkRuleSet.resourceAccessRules");
      if (stack !== "azure-prod") {
        expect(rules, `${account.urn}: resourceAccessRules`).to.equal(undefined);
        return;
      }
      const ws = one(rec, T.mlWorkspace);
      expect(rules, `${account.urn}: resourceAccessRules`).to.deep.equal([{ tenantId: MOCK_AZURE_TENANT, resourceId: ws.outputs.id }]);
    });

    it("C9: blob versioning, blob and container soft delete", async () => {
      const rec = await runStack(stack);
      const account = one(rec, T.account);
      const svc = one(rec, T.blobService);
      expect(svc.inputs.accountName, `${svc.urn}: accountName`).to.equal(account.outputs.name);
      expectInput(svc, "blobServicesName", "default");
      expectInput(svc, "isVersioningEnabled", true);
      expectInput(svc, "deleteRetentionPolicy.enabled", true);
      expectInput(svc, "containerDeleteRetentionPolicy.enabled", true);
      const minDays = stack === "azure-prod" ? 30 : 7;
      expect(get(svc.inputs, "deleteRetentionPolicy.days"), `${svc.urn}: deleteRetentionPolicy.days`)
        .to.be.at.least(minDays)
        .and.at.most(365);
      expect(get(svc.inputs, "containerDeleteRetentionPolicy.days"), `${svc.urn}: containerDeleteRetentionPolicy.days`)
        .to.be.at.least(minDays)
        .and.at.most(365);
    });

    it("C3: exactly the data and artifacts containers, private, named explicitly, in the account", async () => {
      const rec = await runStack(stack);
      const account = one(rec, T.account);
      const containers = all(rec, T.container);
      expect(containers.map((c) => c.inputs.containerName).sort(), `${stack}: containers`).to.deep.equal(["artifacts", "data"]);
      for (const c of containers) {
        expectInput(c, "publicAccess", "None");
        expect(c.inputs.accountName, `${c.urn}: accountName`).to.equal(account.outputs.name);
        expect(c.outputs.name, `${c.urn}: physical name is containerName`).to.equal(c.inputs.containerName);
      }
    });
  });
}

describe("azure storage: redundancy by tier", () => {
  it("dev is locally redundant, prod zone-redundant", async () => {
    const dev = one(await runStack("azure-dev"), T.account);
    const prod = one(await runStack("azure-prod"), T.account);
    expectInput(dev, "sku.name", "Standard_LRS");
    expectInput(prod, "sku.name", "Standard_ZRS");
  });
});
