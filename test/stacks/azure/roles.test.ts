/**
 * Least-privilege role assignments (C6), per identity:
 * - job identity: reader on `data`, contributor on `artifacts`, and (with
 *   the workspace) Storage Blob Data Contributor on the account limited by
 *   a condition to the `azureml*` containers;
 * - storage-encryption identity: crypto service encryption user on the key;
 * - workspace identity: exactly the roles Azure ML documents for it.
 * Role definitions follow the deploying subscription; nothing at resource
 * group or subscription scope.
 */
import { expect } from "chai";
import { runStack, ROOT } from "../../harness";
import { readProject, readStackFile, recordProgram } from "../../../engine/recorder";
import { MOCK_AZURE_SUBSCRIPTION, realisticMocks } from "../../../engine/recorder/mocks";
import { ROLE_IDS, WORKSPACE_IDENTITY_ROLES } from "../../../policy-pack/lib/ml-workspace-roles";
import { AZUREML_CONTAINER_PREFIX, assignmentGuid, containerPrefixCondition } from "../../../stacks/azure/roles";
import { T, one, all, byId, identityOf } from "./helpers";

const ROLE = {
  reader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  contributor: ROLE_IDS.storageBlobDataContributor,
  cryptoUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
};
const FORBIDDEN = {
  Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
  "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
};
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function definition(sub: string, guid: string): string {
  return `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
}

for (const [stack, overrides] of [
  ["azure-dev", {}],
  ["azure-prod", {}],
] as const) {
  describe(`azure roles (${stack})`, () => {
    it("C6: each identity holds exactly its roles, each at its resource", async () => {
      const rec = await runStack(stack, overrides);
      const job = identityOf(rec, "job").outputs.principalId;
      const cmk = identityOf(rec, "cmk").outputs.principalId;
      const data = all(rec, T.container).find((c) => c.inputs.containerName === "data")!;
      const artifacts = all(rec, T.container).find((c) => c.inputs.containerName === "artifacts")!;
      const key = one(rec, T.key);
      const account = one(rec, T.account);
      const got = all(rec, T.roleAssignment)
        .map((a) => [a.inputs.principalId, a.inputs.roleDefinitionId, a.inputs.scope, a.inputs.condition ?? null])
        .sort();
      const want: unknown[][] = [
        [job, definition(MOCK_AZURE_SUBSCRIPTION, ROLE.reader), data.outputs.id, null],
        [job, definition(MOCK_AZURE_SUBSCRIPTION, ROLE.contributor), artifacts.outputs.id, null],
        [cmk, definition(MOCK_AZURE_SUBSCRIPTION, ROLE.cryptoUser), key.outputs.id, null],
      ];
      const withWorkspace = all(rec, T.mlWorkspace).length === 1;
      expect(withWorkspace, `${stack}: workspace`).to.equal(stack === "azure-prod");
      if (withWorkspace) {
        const ws = one(rec, T.mlWorkspace);
        const mlw = identityOf(rec, "workspace").outputs.principalId;
        const vault = one(rec, T.vault);
        const appi = one(rec, T.appInsights);
        const scope = { workspace: ws.outputs.id, storage: account.outputs.id, vault: vault.outputs.id, appInsights: appi.outputs.id };
        const azureml = containerPrefixCondition(AZUREML_CONTAINER_PREFIX);
        want.push([job, definition(MOCK_AZURE_SUBSCRIPTION, ROLE.contributor), account.outputs.id, azureml]);
        for (const row of WORKSPACE_IDENTITY_ROLES) {
          want.push([
            mlw,
            definition(MOCK_AZURE_SUBSCRIPTION, ROLE_IDS[row.role]),
            scope[row.target],
            row.role === "storageBlobDataContributor" ? azureml : null,
          ]);
        }
      }
      expect(got, `${rec.stack}: (principal, role definition, scope, condition) of every role assignment`).to.deep.equal(want.sort());
    });

    it("C6: every assignment is for a managed identity of the stack, as a service principal, never at resource-group or subscription scope", async () => {
      const rec = await runStack(stack, overrides);
      const principals = all(rec, T.identity).map((i) => i.outputs.principalId);
      for (const a of all(rec, T.roleAssignment)) {
        expect(principals, `${a.urn}: principalId`).to.include(a.inputs.principalId);
        expect(a.inputs.principalType, `${a.urn}: principalType`).to.equal("ServicePrincipal");
        const scope: string = a.inputs.scope;
        expect(scope, `${a.urn}: scope is not a subscription or resource group`).to.not.match(
          /^\/subscriptions\/[^/]+(\/resourceGroups\/[^/]+)?\/?$/i,
        );
        byId(rec, scope, a.urn);
        if (a.inputs.condition !== undefined) expect(a.inputs.conditionVersion, `${a.urn}: conditionVersion`).to.equal("2.0");
      }
    });

    it("C6: never Owner, User Access Administrator or RBAC Administrator; Contributor only for the workspace identity", async () => {
      const rec = await runStack(stack, overrides);
      const mlw = all(rec, T.identity).find((i) => i.name.endsWith("-mlw-id"))?.outputs.principalId;
      for (const a of all(rec, T.roleAssignment)) {
        for (const [name, guid] of Object.entries(FORBIDDEN)) {
          expect(String(a.inputs.roleDefinitionId).toLowerCase(), `${a.urn}: ${name}`).to.not.include(guid);
        }
        if (String(a.inputs.roleDefinitionId).endsWith(ROLE_IDS.contributor))
          expect(a.inputs.principalId, `${a.urn}: Contributor holder`).to.equal(mlw);
      }
    });

    it("C6: assignment names are GUIDs fixed by scope, role and principal", async () => {
      const rec = await runStack(stack, overrides);
      for (const a of all(rec, T.roleAssignment)) {
        expect(a.inputs.roleAssignmentName, `${a.urn}: roleAssignmentName`).to.match(GUID);
        expect(a.inputs.roleAssignmentName, `${a.urn}: deterministic name`).to.equal(
          assignmentGuid(a.inputs.scope, a.inputs.roleDefinitionId, a.inputs.principalId),
        );
      }
    });
  });
}

describe("azure roles: the azureml container condition", () => {
  it("limits every blob data action to containers named azureml*", () => {
    const c = containerPrefixCondition("azureml");
    expect(c).to.include("@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringStartsWith 'azureml'");
    for (const action of ["read", "write", "delete", "add/action", "move/action"]) {
      expect(c).to.include(`ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/${action}'}`);
    }
  });
});

describe("azure roles: role definitions follow the deploying subscription", () => {
  it("C6: a different subscription from getClientConfig changes every role definition id (nothing hard-coded)", async () => {
    const other = "11111111-2222-4333-8444-555555555555";
    const base = realisticMocks();
    const mocks = {
      newResource: base.newResource,
      call(args: Parameters<typeof base.call>[0]) {
        const answer = base.call(args);
        return args.token === "azure-native:authorization:getClientConfig" ? { ...answer, subscriptionId: other } : answer;
      },
    };
    // Let any cached harness run finish first: the Pulumi runtime is global.
    await runStack("azure-dev");
    const project = readProject(ROOT);
    const file = readStackFile(project, "azure-dev");
    const rec = await recordProgram({
      programDir: ROOT,
      main: project.main,
      project: project.name,
      stack: "azure-dev",
      config: file.config,
      mocks,
    });
    const defs = all(rec, T.roleAssignment).map((a) => a.inputs.roleDefinitionId as string);
    expect(defs).to.have.length(3);
    for (const d of defs) {
      expect(d).to.match(new RegExp(`^/subscriptions/${other}/providers/Microsoft\\.Authorization/roleDefinitions/[0-9a-f-]{36}$`));
      expect(d).to.not.include(MOCK_AZURE_SUBSCRIPTION);
    }
    expect(rec.outputs?.subscriptionId).to.equal(other);
  });

  it("assignmentGuid is a stable v5-style GUID", () => {
    const a = assignmentGuid("s", "r", "p");
    expect(a).to.match(GUID);
    expect(assignmentGuid("s", "r", "p")).to.equal(a);
    expect(assignmentGuid("s", "r", "q")).to.not.equal(a);
  });
});
