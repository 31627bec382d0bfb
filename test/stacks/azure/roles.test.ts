/**
 * Least-privilege role assignments (C6): the three data roles on exactly the
 * container / key they are for, for the workload identity, with role
 * definitions under the deploying subscription; nothing broader.
 */
import { expect } from "chai";
import { runStack, ROOT } from "../../harness";
import { readProject, readStackFile, recordProgram } from "../../../engine/recorder";
import { MOCK_AZURE_SUBSCRIPTION, realisticMocks } from "../../../engine/recorder/mocks";
import { assignmentGuid } from "../../../stacks/azure/roles";
import { T, one, all, byId } from "./helpers";

const ROLE = {
  reader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  contributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  cryptoUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
};
const FORBIDDEN = {
  Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
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
    it("C6: exactly reader on data, contributor on artifacts, crypto user on the key", async () => {
      const rec = await runStack(stack, overrides);
      const assignments = all(rec, T.roleAssignment);
      const data = all(rec, T.container).find((c) => c.inputs.containerName === "data")!;
      const artifacts = all(rec, T.container).find((c) => c.inputs.containerName === "artifacts")!;
      const key = one(rec, T.key);
      const got = assignments.map((a) => [a.inputs.roleDefinitionId, a.inputs.scope]).sort();
      const want = [
        [definition(MOCK_AZURE_SUBSCRIPTION, ROLE.reader), data.outputs.id],
        [definition(MOCK_AZURE_SUBSCRIPTION, ROLE.contributor), artifacts.outputs.id],
        [definition(MOCK_AZURE_SUBSCRIPTION, ROLE.cryptoUser), key.outputs.id],
      ].sort();
      expect(got, `${rec.stack}: (role definition, scope) of every role assignment`).to.deep.equal(want);
    });

    it("C6: every assignment is for the workload identity, as a service principal, at a container or key scope", async () => {
      const rec = await runStack(stack, overrides);
      const identity = one(rec, T.identity);
      for (const a of all(rec, T.roleAssignment)) {
        expect(a.inputs.principalId, `${a.urn}: principalId`).to.equal(identity.outputs.principalId);
        expect(a.inputs.principalType, `${a.urn}: principalType`).to.equal("ServicePrincipal");
        const scope: string = a.inputs.scope;
        expect(scope, `${a.urn}: scope is not a subscription or resource group`).to.not.match(/^\/subscriptions\/[^/]+(\/resourceGroups\/[^/]+)?\/?$/i);
        const target = byId(rec, scope, a.urn);
        expect([T.container, T.key], `${a.urn}: scope is ${target.type}`).to.include(target.type);
        expect(a.inputs.condition, `${a.urn}: no condition needed`).to.equal(undefined);
      }
    });

    it("C6: never Owner, Contributor or User Access Administrator", async () => {
      const rec = await runStack(stack, overrides);
      for (const a of all(rec, T.roleAssignment)) {
        for (const [name, guid] of Object.entries(FORBIDDEN)) {
          expect(String(a.inputs.roleDefinitionId).toLowerCase(), `${a.urn}: ${name}`).to.not.include(guid);
        }
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
    const rec = await recordProgram({ programDir: ROOT, main: project.main, project: project.name, stack: "azure-dev", config: file.config, mocks });
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
