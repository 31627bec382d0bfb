/** azure-storage-account-disable-local-users (C6): no local users, no SFTP. */
import * as storage from "@pulumi/azure-native/storage";
import { accountDisableLocalUsers as p } from "../../../../../policy-pack/policies/azure/storage/local-users";
import { unknown } from "../../../harness";
import { expectControl, expectNotApplicable, expectPass, expectViolation, onResource } from "../../../expect";
import { expect } from "chai";

describe("azure-storage-account-disable-local-users (C6)", () => {
  const account = (props: Record<string, unknown>) => ({
    type: storage.StorageAccount,
    name: "data",
    props: { resourceGroupName: "rg", kind: "StorageV2", sku: { name: "Standard_ZRS" }, ...props },
  });
  it("proves C6", () => expectControl(p, "C6"));
  it("passes local users off and SFTP off or unset", async () => {
    await expectPass(p, account({ isLocalUserEnabled: false, isSftpEnabled: false }));
    await expectPass(p, account({ isLocalUserEnabled: false }));
    await expectPass(p, account({ isLocalUserEnabled: unknown("boolean") }));
  });
  it("reports local users on or not stated", async () => {
    await expectViolation(p, account({ isLocalUserEnabled: true }), ["isLocalUserEnabled is true", "property isLocalUserEnabled"]);
    await expectViolation(p, account({}), ["isLocalUserEnabled is missing"]);
  });
  it("reports SFTP", async () => {
    await expectViolation(p, account({ isLocalUserEnabled: false, isSftpEnabled: true, isHnsEnabled: true }), [
      "isSftpEnabled is true",
      "property isSftpEnabled",
    ]);
    const f = await onResource(p, account({ isLocalUserEnabled: true, isSftpEnabled: true }));
    expect(f.violations).to.have.length(2);
  });
  it("reports any LocalUser resource", () =>
    expectViolation(p, { type: storage.LocalUser, name: "sftp-user", props: { accountName: "data", hasSshPassword: true } }, [
      "a storage local user authenticates with its own password or SSH key",
    ]));
  it("does not apply to a blob container", () => expectNotApplicable(p, { type: storage.BlobContainer, name: "c", props: {} }));
});
