/**
 * Tests of policy-pack/policies/azure/authorization/role-assignment.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { expect } from "chai";
import * as authorization from "@pulumi/azure-native/authorization";
import { broadScope, roleAssignmentDisallowBroadScope, roleAssignmentDisallowPrivilegedRoles, roleGuid } from "../../../../../policy-pack/policies/azure/authorization/role-assignment";
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
    props: { principalId: "p", principalType: "ServicePrincipal", roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${READER}`, scope: CONTAINER_SCOPE, ...props },
  };
}

describe("policy pack: Azure authorization", () => {
  describe("azure-authorization-role-assignment-disallow-privileged-roles (C6)", () => {
    const p = roleAssignmentDisallowPrivilegedRoles;
    it("proves C6", () => expectControl(p, "C6"));
    it("passes a data role", () => expectPass(p, assignment()));
    it("reports Owner, Contributor and User Access Administrator by GUID, in any id form", async () => {
      await expectViolation(p, assignment({ roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}` }), ["privileged role Owner", "property roleDefinitionId"]);
      await expectViolation(p, assignment({ roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/B24988AC-6180-42A0-AB88-20F7382DD24C/" }), ["Contributor"]);
      await expectViolation(p, assignment({ roleDefinitionId: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9" }), ["User Access Administrator"]);
    });
    it("reads the list from config", () => expectViolation(p, assignment(), [READER], { config: { [p.name]: { disallowedRoleDefinitionIds: [READER] } } }));
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
