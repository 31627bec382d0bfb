/**
 * Key Vault and the storage CMK (C1, C2, C3, C4, C11): RBAC vault that cannot
 * be purged or reached publicly, RSA >= 3072 key that rotates within a year,
 * named for its properties, deleted with its vault and never through the
 * vault's (closed) data plane.
 */
import { expect } from "chai";
import { runStack } from "../../harness";
import { keyVersion, versionedKeyName } from "../../../policy-pack/lib/key-version";
import { KEY_BASE_NAME, KEY_PROPERTIES } from "../../../stacks/azure/keys";
import { T, one, all, expectInput, get, durationDays } from "./helpers";
import { MOCK_AZURE_TENANT } from "../../../engine/recorder/mocks";

for (const stack of ["azure-dev", "azure-prod"]) {
  describe(`azure keys (${stack})`, () => {
    it("C2/C3/C4: the vault uses RBAC, soft delete 90 days, purge protection, no public access, default-deny ACLs", async () => {
      const rec = await runStack(stack);
      const vault = one(rec, T.vault);
      expectInput(vault, "properties.tenantId", MOCK_AZURE_TENANT);
      expectInput(vault, "properties.sku", { family: "A", name: "standard" });
      expectInput(vault, "properties.enableRbacAuthorization", true);
      expectInput(vault, "properties.enableSoftDelete", true);
      expectInput(vault, "properties.softDeleteRetentionInDays", 90);
      expectInput(vault, "properties.enablePurgeProtection", true);
      expectInput(vault, "properties.publicNetworkAccess", "Disabled");
      expectInput(vault, "properties.networkAcls.defaultAction", "Deny");
      expectInput(vault, "properties.networkAcls.bypass", "AzureServices");
      expect(get(vault.inputs, "properties.networkAcls.ipRules") ?? [], `${vault.urn}: ipRules`).to.deep.equal([]);
      expect(get(vault.inputs, "properties.networkAcls.virtualNetworkRules") ?? [], `${vault.urn}: virtualNetworkRules`).to.deep.equal([]);
      expect(get(vault.inputs, "properties.accessPolicies") ?? [], `${vault.urn}: no access policies beside RBAC`).to.deep.equal([]);
      expectInput(vault, "properties.enabledForDeployment", false);
      expectInput(vault, "properties.enabledForTemplateDeployment", false);
    });

    it("C1: the one key is RSA of at least 3072 bits, wrap/unwrap only, in the environment's vault", async () => {
      const rec = await runStack(stack);
      const vault = one(rec, T.vault);
      const keys = all(rec, T.key);
      expect(keys, `${stack}: one key`).to.have.length(1);
      const key = keys[0];
      expect(key.inputs.vaultName, `${key.urn}: vaultName`).to.equal(vault.outputs.name);
      expect(["RSA", "RSA-HSM"], `${key.urn}: properties.kty`).to.include(get(key.inputs, "properties.kty"));
      expect(get(key.inputs, "properties.keySize"), `${key.urn}: properties.keySize`).to.be.a("number").and.at.least(3072);
      expect([...get(key.inputs, "properties.keyOps")].sort(), `${key.urn}: keyOps`).to.deep.equal(["unwrapKey", "wrapKey"]);
      expectInput(key, "properties.attributes.enabled", true);
    });

    it("C2: the key has a rotation policy that rotates within 365 days", async () => {
      const rec = await runStack(stack);
      const key = one(rec, T.key);
      const actions: any[] = get(key.inputs, "properties.rotationPolicy.lifetimeActions") ?? [];
      const rotate = actions.filter((a) => a?.action?.type === "rotate");
      expect(rotate, `${key.urn}: a 'rotate' lifetime action`).to.have.length.at.least(1);
      for (const a of rotate) {
        const after = a.trigger?.timeAfterCreate;
        expect(after, `${key.urn}: rotate trigger timeAfterCreate`).to.be.a("string");
        expect(durationDays(after), `${key.urn}: rotation period ${after}`).to.be.at.most(365).and.at.least(1);
      }
    });
  });
}

for (const stack of ["azure-dev", "azure-prod"]) {
  describe(`azure keys: deployable (${stack})`, () => {
    it("C11: the key's name carries the digest of its properties, and a change of them replaces it", async () => {
      const rec = await runStack(stack);
      const key = one(rec, T.key);
      expect(key.inputs.keyName, `${key.urn}: keyName`).to.equal(versionedKeyName(KEY_BASE_NAME, key.inputs.properties));
      expect(key.options.replaceOnChanges, `${key.urn}: replaceOnChanges`).to.include("properties");
    });

    it("C11: the key is deleted with its vault and retained on replace (azure-native deletes keys through the closed data plane)", async () => {
      const rec = await runStack(stack);
      const key = one(rec, T.key);
      expect(key.options.deletedWith, `${key.urn}: deletedWith`).to.equal(one(rec, T.vault).urn);
      expect(key.options.retainOnDelete, `${key.urn}: retainOnDelete`).to.equal(true);
    });
  });
}

describe("azure keys: versioned key names", () => {
  it("the digest changes with every property that matters and not with key order", () => {
    const base = keyVersion(KEY_PROPERTIES);
    expect(keyVersion({ ...KEY_PROPERTIES, keySize: 4096 })).to.not.equal(base);
    expect(
      keyVersion({
        ...KEY_PROPERTIES,
        rotationPolicy: { lifetimeActions: [{ trigger: { timeAfterCreate: "P90D" }, action: { type: "rotate" } }] },
      }),
    ).to.not.equal(base);
    expect(keyVersion({ ...KEY_PROPERTIES, keyOps: ["unwrapKey", "wrapKey"] })).to.not.equal(base);
    const reordered = Object.fromEntries(Object.entries(KEY_PROPERTIES).reverse());
    expect(keyVersion(reordered)).to.equal(base);
    expect(versionedKeyName("storage-cmk", KEY_PROPERTIES)).to.match(/^storage-cmk-v[0-9a-f]{8}$/);
  });
});

describe("azure keys: duration parsing used by the rotation check", () => {
  it("reads days, months and years and rejects the rest", () => {
    expect(durationDays("P180D")).to.equal(180);
    expect(durationDays("P1Y")).to.equal(365);
    expect(durationDays("P13M")).to.be.above(365);
    expect(() => durationDays("PT5M")).to.throw(/ISO 8601/);
    expect(() => durationDays("P")).to.throw(/ISO 8601/);
  });
});
