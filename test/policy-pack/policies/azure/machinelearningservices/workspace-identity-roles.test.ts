/** azure-ml-workspace-missing-identity-roles (C11): the workspace's user-assigned identity holds the documented roles. */
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as ml from "@pulumi/azure-native/machinelearningservices";
import { workspaceMissingIdentityRoles as p } from "../../../../../policy-pack/policies/azure/machinelearningservices/workspace-identity-roles";
import { ROLE_IDS, WORKSPACE_IDENTITY_ROLES } from "../../../../../policy-pack/lib/ml-workspace-roles";
import { ResourceSpec, unknown, urnOf } from "../../../harness";
import { expectControl, expectStackPass, expectStackViolations, onStack } from "../../../expect";
import { ACCOUNT_ID, RG, SUB, VAULT_ID } from "../../../fixtures/azure";
import { expect } from "chai";

const WS_ID = `${RG}/providers/Microsoft.MachineLearningServices/workspaces/mltrain-prod-mlw`;
const APPI_ID = `${RG}/providers/Microsoft.Insights/components/appi`;
const MLW_ID = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mltrain-prod-mlw-id`;
const SCOPES = { workspace: WS_ID, storage: ACCOUNT_ID, vault: VAULT_ID, appInsights: APPI_ID } as const;

const identity: ResourceSpec = {
  type: managedidentity.UserAssignedIdentity,
  name: "mltrain-prod-mlw-id",
  props: { id: MLW_ID, principalId: "p-mlw" },
};
const workspace = (props: Record<string, unknown> = {}): ResourceSpec => ({
  type: ml.Workspace,
  name: "mltrain-prod-mlw",
  props: {
    id: WS_ID,
    identity: { type: "UserAssigned", userAssignedIdentities: [MLW_ID] },
    primaryUserAssignedIdentity: MLW_ID,
    storageAccount: ACCOUNT_ID,
    keyVault: VAULT_ID,
    applicationInsights: APPI_ID,
    ...props,
  },
});
const grants = (principalId = "p-mlw"): ResourceSpec[] =>
  WORKSPACE_IDENTITY_ROLES.map((row) => ({
    type: authorization.RoleAssignment,
    name: `ra-${row.label}`,
    props: {
      principalId,
      roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS[row.role]}`,
      scope: SCOPES[row.target],
    },
  }));

describe("azure-ml-workspace-missing-identity-roles (C11)", () => {
  it("proves C11 and links the identity documentation", () => {
    expectControl(p, "C11");
    expect(p.url).to.match(/how-to-identity-based-service-authentication/);
  });
  it("passes a workspace whose identity holds every documented role", () => expectStackPass(p, [identity, workspace(), ...grants()]));
  it("reports each missing role, naming the role and the resource", async () => {
    const without = grants().filter((g) => g.name !== "ra-mlw-kv-administrator" && g.name !== "ra-mlw-contributor-workspace");
    const ws = workspace();
    await expectStackViolations(
      p,
      [identity, ws, ...without],
      [
        [
          urnOf(ws),
          ["no Key Vault Administrator on its vault", VAULT_ID, "property keyVault", "Fix: assign Key Vault Administrator (00482a5a"],
        ],
        [urnOf(ws), ["no Contributor on its workspace", "property primaryUserAssignedIdentity"]],
      ],
    );
  });
  it("counts only the workspace identity's roles and the right scope", async () => {
    const ws = workspace();
    const f = await onStack(p, [identity, ws, ...grants("someone-else")]);
    expect(f.violations).to.have.length(WORKSPACE_IDENTITY_ROLES.length);
    const atRg = grants().map((g) => (g.name === "ra-mlw-contributor-storage" ? { ...g, props: { ...g.props, scope: RG } } : g));
    await expectStackViolations(p, [identity, ws, ...atRg], [[urnOf(ws), ["no Contributor on its storage"]]]);
  });
  it("matches the identity through the principalId dependency when ids are unknown, and skips unknown roles", async () => {
    const anonymous: ResourceSpec = { ...identity, props: { id: MLW_ID } };
    const byDependency = grants(unknown()).map((g) => ({ ...g, propertyDependencies: { principalId: [urnOf(anonymous)] } }));
    await expectStackPass(p, [anonymous, workspace(), ...byDependency]);
    const unknownRoles = grants().map((g) => ({ ...g, props: { ...g.props, roleDefinitionId: unknown() } }));
    await expectStackPass(p, [identity, workspace(), ...unknownRoles]);
  });
  it("ignores system-assigned workspaces and identities made outside the stack", async () => {
    await expectStackPass(p, [workspace({ identity: { type: "SystemAssigned" }, primaryUserAssignedIdentity: undefined })]);
    await expectStackPass(p, [workspace()]);
  });
});
