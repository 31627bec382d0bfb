/**
 * Tests of policy-pack/policies/azure/authorization/role-assignment.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { expect } from "chai";
import * as authorization from "@pulumi/azure-native/authorization";
import {
  WORKSPACE_IDENTITY_EXCEPTIONS,
  broadScope,
  matchingException,
  roleAssignmentDisallowBroadScope,
  roleAssignmentDisallowPrivilegedRoles,
  roleGuid,
  scopeResourceType,
} from "../../../../../policy-pack/policies/azure/authorization/role-assignment";
import { expectControl, expectPass, expectViolation } from "../../../expect";
import { ACCOUNT_ID, RG, SUB, VAULT_ID } from "../../../fixtures/azure";
import { ResourceSpec, unknown } from "../../../harness";

const READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"; // Storage Blob Data Reader

const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

const CONTAINER_SCOPE = `${ACCOUNT_ID}/blobServices/default/containers/data`;

function assignment(props: Record<string, unknown> = {}): ResourceSpec {
  return {
    type: authorization.RoleAssignment,
    name: "reader",
    props: {
      principalId: "p",
      principalType: "ServicePrincipal",
      roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
      scope: CONTAINER_SCOPE,
      ...props,
    },
  };
}

describe("policy pack: Azure authorization", () => {
  describe("azure-authorization-role-assignment-disallow-privileged-roles (C6)", () => {
    const p = roleAssignmentDisallowPrivilegedRoles;
    it("proves C6", () => expectControl(p, "C6"));
    it("passes a data role", () => expectPass(p, assignment()));
    it("reports Owner, Contributor and User Access Administrator by GUID, in any id form", async () => {
      await expectViolation(p, assignment({ roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}` }), [
        "privileged role Owner",
        "property roleDefinitionId",
      ]);
      await expectViolation(
        p,
        assignment({ roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/B24988AC-6180-42A0-AB88-20F7382DD24C/" }),
        ["Contributor"],
      );
      await expectViolation(p, assignment({ roleDefinitionId: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9" }), ["User Access Administrator"]);
    });
    it("reads the list from config", () =>
      expectViolation(p, assignment(), [READER], { config: { [p.name]: { disallowedRoleDefinitionIds: [READER] } } }));
    it("extracts role GUIDs", () => expect(roleGuid(`/x/roleDefinitions/${OWNER.toUpperCase()}`)).to.equal(OWNER));
  });

  describe("azure-authorization-role-assignment-disallow-broad-scope (C6)", () => {
    const p = roleAssignmentDisallowBroadScope;
    it("proves C6", () => expectControl(p, "C6"));
    it("passes container, key and vault scopes", async () => {
      await expectPass(p, assignment());
      await expectPass(p, assignment({ scope: `${VAULT_ID}/keys/data-key` }));
    });
    it("reports subscription, resource group and management group scopes", async () => {
      await expectViolation(p, assignment({ scope: SUB }), ["scoped to a whole subscription", "property scope"]);
      await expectViolation(p, assignment({ scope: `${RG}/` }), ["whole resource group"]);
      await expectViolation(p, assignment({ scope: "/providers/Microsoft.Management/managementGroups/root" }), ["management group"]);
      expect(broadScope(`${RG}/providers/Microsoft.Storage/storageAccounts/x`)).to.equal(undefined);
    });
    it("does not judge an unknown scope (preview)", () => expectPass(p, assignment({ scope: unknown() })));
  });
});

const CONTRIBUTOR_GUID = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const KV_ADMIN = "00482a5a-887f-4fb3-b363-3b7fe8e74483";
const def = (guid: string) => `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const ra = (name: string, guid: string, scope: unknown) => ({
  type: authorization.RoleAssignment,
  name,
  props: { principalId: "p", roleDefinitionId: def(guid), scope },
});

describe("azure-authorization-role-assignment-disallow-privileged-roles: configured exceptions (C6)", () => {
  const p = roleAssignmentDisallowPrivilegedRoles;
  it("defaults to the workspace identity's documented roles, each with its documentation", () => {
    expect(WORKSPACE_IDENTITY_EXCEPTIONS.map((e) => [e.assignment, e.roleDefinitionId, e.scopeType])).to.deep.equal([
      ["ra-mlw-contributor-storage", CONTRIBUTOR_GUID, "Microsoft.Storage/storageAccounts"],
      ["ra-mlw-contributor-vault", CONTRIBUTOR_GUID, "Microsoft.KeyVault/vaults"],
      ["ra-mlw-kv-administrator", KV_ADMIN, "Microsoft.KeyVault/vaults"],
      ["ra-mlw-contributor-appi", CONTRIBUTOR_GUID, "Microsoft.Insights/components"],
      ["ra-mlw-contributor-workspace", CONTRIBUTOR_GUID, "Microsoft.MachineLearningServices/workspaces"],
    ]);
    for (const e of WORKSPACE_IDENTITY_EXCEPTIONS)
      expect(e.reason).to.contain("https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication");
  });
  it("passes the excepted assignments on their resource types (and an unknown scope, in preview)", async () => {
    await expectPass(p, ra("mltrain-prod-ra-mlw-contributor-storage", CONTRIBUTOR_GUID, ACCOUNT_ID));
    await expectPass(p, ra("mltrain-prod-ra-mlw-kv-administrator", KV_ADMIN, VAULT_ID));
    await expectPass(
      p,
      ra("mltrain-prod-ra-mlw-contributor-workspace", CONTRIBUTOR_GUID, `${RG}/providers/Microsoft.MachineLearningServices/workspaces/w`),
    );
    await expectPass(p, ra("mltrain-prod-ra-mlw-contributor-vault", CONTRIBUTOR_GUID, unknown()));
  });
  it("reports an excepted name with a broader or other scope, another role, or another name", async () => {
    await expectViolation(p, ra("mltrain-prod-ra-mlw-contributor-storage", CONTRIBUTOR_GUID, RG), [
      "privileged role Contributor",
      "allows Contributor on a Microsoft.Storage/storageAccounts only",
      RG,
    ]);
    await expectViolation(p, ra("mltrain-prod-ra-mlw-contributor-storage", CONTRIBUTOR_GUID, VAULT_ID), [
      "Microsoft.Storage/storageAccounts only",
    ]);
    await expectViolation(p, ra("mltrain-prod-ra-mlw-contributor-storage", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", ACCOUNT_ID), [
      "privileged role Owner",
    ]);
    await expectViolation(p, ra("mltrain-prod-ra-data-reader", CONTRIBUTOR_GUID, ACCOUNT_ID), ["privileged role Contributor"]);
    await expectViolation(p, ra("mltrain-prod-ra-job-kv", KV_ADMIN, VAULT_ID), ["privileged role Key Vault Administrator"]);
  });
  it("reads the exceptions from config: an empty list allows none", () =>
    expectViolation(p, ra("mltrain-prod-ra-mlw-contributor-storage", CONTRIBUTOR_GUID, ACCOUNT_ID), ["Contributor"], {
      config: { [p.name]: { exceptions: [] } },
    }));
  it("tells a resource's own id from a child's", () => {
    expect(scopeResourceType(ACCOUNT_ID)).to.equal("Microsoft.Storage/storageAccounts");
    expect(scopeResourceType(`${ACCOUNT_ID}/blobServices/default/containers/data`)).to.equal(undefined);
    expect(scopeResourceType(RG)).to.equal(undefined);
    expect(matchingException([{ assignment: 42 } as never], "x", CONTRIBUTOR_GUID, ACCOUNT_ID)).to.equal(undefined);
  });
});
