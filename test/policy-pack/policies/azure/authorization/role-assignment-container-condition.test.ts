/** azure-authorization-role-assignment-configure-container-condition (C6): account-wide blob data roles name their containers. */
import * as authorization from "@pulumi/azure-native/authorization";
import { roleAssignmentConfigureContainerCondition as p } from "../../../../../policy-pack/policies/azure/authorization/role-assignment-container-condition";
import { containerPrefixCondition } from "../../../../../stacks/azure/roles";
import { unknown } from "../../../harness";
import { expectControl, expectPass, expectViolation } from "../../../expect";
import { ACCOUNT_ID, SUB, VAULT_ID } from "../../../fixtures/azure";

const CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
const ra = (props: Record<string, unknown>) => ({
  type: authorization.RoleAssignment,
  name: "ra-job-azureml-writer",
  props: {
    principalId: "p",
    principalType: "ServicePrincipal",
    roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${CONTRIBUTOR}`,
    scope: ACCOUNT_ID,
    ...props,
  },
});

describe("azure-authorization-role-assignment-configure-container-condition (C6)", () => {
  it("proves C6", () => expectControl(p, "C6"));
  it("passes a container-scoped role, an account-scoped one with a container condition, and other roles", async () => {
    await expectPass(p, ra({ scope: `${ACCOUNT_ID}/blobServices/default/containers/data` }));
    await expectPass(p, ra({ condition: containerPrefixCondition("azureml"), conditionVersion: "2.0" }));
    await expectPass(p, ra({ roleDefinitionId: "e147488a-f6f5-4113-8e2d-b22465e65bf6", scope: VAULT_ID }));
  });
  it("reports an account-wide blob data role without a container condition", async () => {
    await expectViolation(p, ra({}), [
      "Storage Blob Data Contributor on the whole storage account",
      "has no condition",
      "training data included",
      "property condition",
    ]);
    await expectViolation(
      p,
      ra({
        roleDefinitionId: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
        condition: "@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLike 'x*'",
      }),
      ["Storage Blob Data Reader", "names no container"],
    );
  });
  it("does not judge unknown scopes or conditions (preview)", async () => {
    await expectPass(p, ra({ scope: unknown() }));
    await expectPass(p, ra({ condition: unknown() }));
  });
});
