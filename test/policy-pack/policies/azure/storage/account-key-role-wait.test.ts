/** azure-storage-account-enforce-key-role-wait (C11): the CMK account waits for its identity's role on the key. */
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { accountEnforceKeyRoleWait as p, SLEEP_TYPE } from "../../../../../policy-pack/policies/azure/storage/account-key-role-wait";
import { ResourceSpec, unknown, urnOf } from "../../../harness";
import { expectControl, expectStackPass, expectStackViolations, onStack } from "../../../expect";
import { IDENTITY_ID, SUB, VAULT_ID, account } from "../../../fixtures/azure";
import { expect } from "chai";

const CRYPTO_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6";
const READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
const identity: ResourceSpec = {
  type: managedidentity.UserAssignedIdentity,
  name: "cmk-id",
  props: { id: IDENTITY_ID, principalId: "p-cmk" },
};
const role = (guid = CRYPTO_USER, principalDeps = [urnOf(identity)]): ResourceSpec => ({
  type: authorization.RoleAssignment,
  name: "ra-key-crypto",
  props: {
    principalId: "p-cmk",
    roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
    scope: `${VAULT_ID}/keys/data-key`,
  },
  dependencies: [urnOf(identity)],
  propertyDependencies: { principalId: principalDeps },
});
const sleep = (deps: string[]): ResourceSpec => ({
  type: SLEEP_TYPE,
  name: "wait-key-role",
  props: { createDuration: "120s" },
  dependencies: deps,
});
const acct = (deps: string[], props: Record<string, unknown> = {}): ResourceSpec => ({ ...account(props), dependencies: deps });

describe("azure-storage-account-enforce-key-role-wait (C11)", () => {
  it("proves C11 and links the RBAC troubleshooting page", () => {
    expectControl(p, "C11");
    expect(p.url).to.match(/role-based-access-control\/troubleshooting/);
  });
  it("passes an account that depends on a sleep that depends on the identity's key role (directly or further down)", async () => {
    const r = role();
    const s = sleep([urnOf(r)]);
    await expectStackPass(p, [identity, r, s, acct([urnOf(s)])]);
    const mid: ResourceSpec = { type: "azure-native:resources:ResourceGroup", name: "between", props: {}, dependencies: [urnOf(r)] };
    const s2 = sleep([urnOf(mid)]);
    await expectStackPass(p, [identity, r, mid, s2, acct([urnOf(s2)])]);
  });
  it("reports an account that depends on the role assignment without waiting", async () => {
    const r = role();
    const a = acct([urnOf(r)]);
    await expectStackViolations(
      p,
      [identity, r, a],
      [
        [
          urnOf(a),
          [
            "right after that identity's role on the key is assigned, without waiting",
            "up to 10 minutes",
            "property encryption.encryptionIdentity",
          ],
        ],
      ],
    );
  });
  it("reports an account with no dependency on the role, or a wait for another role or identity", async () => {
    const a = acct([]);
    await expectStackViolations(p, [identity, role(), a], [[urnOf(a), ["without depending on that identity's role on the key"]]]);
    const reader = role(READER);
    const s = sleep([urnOf(reader)]);
    const b = acct([urnOf(s)]);
    await expectStackViolations(p, [identity, reader, s, b], [[urnOf(b), ["without depending"]]]);
    const other: ResourceSpec = { type: managedidentity.UserAssignedIdentity, name: "other-id", props: { id: `${IDENTITY_ID}-other` } };
    const otherRole = role(CRYPTO_USER, [urnOf(other)]);
    const s3 = sleep([urnOf(otherRole)]);
    const c = acct([urnOf(s3)]);
    await expectStackViolations(p, [identity, other, otherRole, s3, c], [[urnOf(c), ["without depending"]]]);
  });
  it("ignores accounts with Microsoft-managed keys, and unknown identities (preview)", async () => {
    await expectStackPass(p, [acct([], { encryption: { keySource: "Microsoft.Storage" } })]);
    const f = await onStack(p, [
      acct([], { encryption: { keySource: "Microsoft.Keyvault", encryptionIdentity: { encryptionUserAssignedIdentity: unknown() } } }),
    ]);
    expect(f.violations).to.deep.equal([]);
  });
  it("is not applicable without storage accounts", async () => {
    const f = await onStack(p, [identity]);
    expect(f.notApplicable).to.equal(true);
  });
});
