/**
 * azure-authorization-role-assignment-configure-blob-path-condition (C6): the
 * assignments of a custom role that writes blobs (the data ingest writer)
 * carry a blob path condition.
 */
import { expect } from "chai";
import * as authorization from "@pulumi/azure-native/authorization";
import {
  roleAssignmentConfigureBlobPathCondition as p,
  pathConditionProblem,
} from "../../../../../policy-pack/policies/azure/authorization/role-assignment-blob-path-condition";
import { datasetsWriteCondition, INGEST_WRITER_DATA_ACTIONS } from "../../../../../stacks/azure/data-ingest";
import { ResourceSpec, unknown, urnOf } from "../../../harness";
import { expectControl, expectStackPass, expectStackViolations, onStack } from "../../../expect";
import { SUB } from "../../../fixtures/azure";

const CONTAINER = `${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct/blobServices/default/containers/data`;
const definition = (dataActions: string[], notDataActions: string[] = []): ResourceSpec => ({
  type: authorization.RoleDefinition,
  name: "data-ingest-writer",
  props: { roleType: "CustomRole", permissions: [{ actions: [], notActions: [], dataActions, notDataActions }] },
});
const assignment = (def: ResourceSpec, extra: Record<string, unknown> = {}, name = "ra-ingest-0-writer"): ResourceSpec => ({
  type: authorization.RoleAssignment,
  name,
  props: {
    roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/custom`,
    scope: CONTAINER,
    principalId: "p",
    ...extra,
  },
  dependencies: [urnOf(def)],
  propertyDependencies: { roleDefinitionId: [urnOf(def)] },
});

describe("azure-authorization-role-assignment-configure-blob-path-condition (C6)", () => {
  const writer = definition([...INGEST_WRITER_DATA_ACTIONS]);

  it("proves C6 and links the ABAC attributes page", () => {
    expectControl(p, "C6");
    expect(p.url).to.match(/storage-auth-abac-attributes/);
  });

  it("passes the stack's writer assignment (datasets/ path condition, version 2.0), and an unknown condition (preview)", async () => {
    await expectStackPass(p, [writer, assignment(writer, { condition: datasetsWriteCondition(), conditionVersion: "2.0" })]);
    await expectStackPass(p, [writer, assignment(writer, { condition: unknown(), conditionVersion: "2.0" })]);
  });

  it("reports a writer assignment without a condition, or with one that names no blob path", async () => {
    const bare = assignment(writer);
    await expectStackViolations(p, [writer, bare], [[urnOf(bare), ["has no condition", "can write any blob", "property condition"]]]);
    const byContainer = assignment(writer, {
      condition: "(@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'data')",
      conditionVersion: "2.0",
    });
    await expectStackViolations(p, [writer, byContainer], [[urnOf(byContainer), ["names no blob path"]]]);
    const equalsPath = assignment(writer, {
      condition: "(@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringNotEquals 'x')",
      conditionVersion: "2.0",
    });
    await expectStackViolations(p, [writer, equalsPath], [[urnOf(equalsPath), ["names no blob path"]]]);
  });

  it("counts wildcard data actions, and lets notDataActions remove the write", async () => {
    const star = definition(["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"]);
    const ra = assignment(star);
    await expectStackViolations(p, [star, ra], [[urnOf(ra), ["blobs/write"]]]);
    const readOnly = definition(
      ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"],
      [
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
      ],
    );
    await expectStackPass(p, [readOnly, assignment(readOnly)]);
  });

  it("ignores assignments of built-in roles and of custom roles that write no blob; not applicable without role assignments", async () => {
    const reader = definition(["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"]);
    await expectStackPass(p, [reader, assignment(reader)]);
    const builtin: ResourceSpec = {
      type: authorization.RoleAssignment,
      name: "ra-builtin",
      props: {
        roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe`,
        scope: CONTAINER,
      },
    };
    await expectStackPass(p, [writer, builtin]);
    const f = await onStack(p, [writer]);
    expect(f.notApplicable).to.equal(true);
  });

  it("pathConditionProblem: version other than 2.0 is reported", () => {
    expect(pathConditionProblem(datasetsWriteCondition(), "1.0")).to.include("conditionVersion 1.0");
    expect(pathConditionProblem(datasetsWriteCondition(), "2.0")).to.equal(undefined);
  });
});
