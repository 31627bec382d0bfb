/** azure-keyvault-key-configure-versioned-name (C11): the key's name carries the digest of its properties. */
import * as keyvault from "@pulumi/azure-native/keyvault";
import { keyConfigureVersionedName as p } from "../../../../../policy-pack/policies/azure/keyvault/key-versioned-name";
import { keyVersion, versionedKeyName } from "../../../../../policy-pack/lib/key-version";
import { unknown } from "../../../harness";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../../expect";
import { expect } from "chai";

const PROPERTIES = {
  kty: "RSA",
  keySize: 3072,
  keyOps: ["wrapKey", "unwrapKey"],
  attributes: { enabled: true, exportable: false },
  rotationPolicy: { lifetimeActions: [{ trigger: { timeAfterCreate: "P180D" }, action: { type: "rotate" } }] },
};
const key = (props: Record<string, unknown>) => ({
  type: keyvault.Key,
  name: "cmk",
  props: { resourceGroupName: "rg", vaultName: "kv", ...props },
});

describe("azure-keyvault-key-configure-versioned-name (C11)", () => {
  it("proves C11 and links the documentation of create-if-not-exist", () => {
    expectControl(p, "C11");
    expect(p.url).to.match(/^https:\/\/learn\.microsoft\.com\/.*keysoperations/);
  });
  it("passes a key named for its properties, whatever their key order", async () => {
    await expectPass(p, key({ keyName: versionedKeyName("storage-cmk", PROPERTIES), properties: PROPERTIES }));
    const reordered = Object.fromEntries(Object.entries(PROPERTIES).reverse());
    await expectPass(p, key({ keyName: versionedKeyName("storage-cmk", PROPERTIES), properties: reordered }));
  });
  it("reports a changed property under the old name: Azure would keep the existing key", async () => {
    const changed = { ...PROPERTIES, keySize: 4096 };
    await expectViolation(p, key({ keyName: versionedKeyName("storage-cmk", PROPERTIES), properties: changed }), [
      `digest ${keyVersion(PROPERTIES)}`,
      `these properties give ${keyVersion(changed)}`,
      "never updates an existing one",
      "property keyName",
      `storage-cmk-v${keyVersion(changed)}`,
    ]);
  });
  it("reports a key name without a version", async () => {
    await expectViolation(p, key({ keyName: "storage-cmk", properties: PROPERTIES }), [
      'keyName "storage-cmk" carries no version digest',
      "report success and change nothing",
      `storage-cmk-v${keyVersion(PROPERTIES)}`,
    ]);
    await expectViolation(p, key({ properties: PROPERTIES }), ["keyName is missing"]);
  });
  it("does not judge unknown names or properties (preview)", async () => {
    await expectPass(p, key({ keyName: unknown(), properties: PROPERTIES }));
    await expectPass(p, key({ keyName: "storage-cmk", properties: { ...PROPERTIES, keySize: unknown("number") } }));
    await expectPass(p, key({ keyName: "storage-cmk", properties: unknown("object") }));
  });
  it("applies to keys only", () => expectNotApplicable(p, { type: keyvault.Vault, name: "kv", props: {} }));
});
