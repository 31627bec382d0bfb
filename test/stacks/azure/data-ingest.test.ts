/**
 * The Azure data ingest path (issue 16): closed by default; dataIngestCidrs
 * opens the storage firewall to exactly those public addresses (default deny,
 * no bypass); dataIngestPrincipals get a custom writer role that cannot delete
 * on the data container and Storage Blob Data Reader on the artifacts container.
 */
import { expect } from "chai";
import { runStack, ofType } from "../../harness";
import { T, one, expectInput, get } from "./helpers";
import { INGEST_WRITER_DATA_ACTIONS } from "../../../stacks/azure/data-ingest";
import { BUILTIN_ROLES } from "../../../stacks/azure/roles";

const PRINCIPAL = "3f0c8a51-6b2e-4d7f-9a1c-2e5b7d9f0a13";
const ROLE_DEF = "azure-native:authorization:RoleDefinition";
const ASSIGNMENT = "azure-native:authorization:RoleAssignment";

describe("Azure data ingest (dataIngestCidrs, dataIngestPrincipals)", () => {
  it("closed by default: public network access Disabled, no IP rule, no ingest role", async () => {
    const rec = await runStack("azure-dev");
    expectInput(one(rec, T.account), "publicNetworkAccess", "Disabled");
    expect(get(one(rec, T.account).inputs, "networkRuleSet.ipRules") ?? []).to.deep.equal([]);
    expect(ofType(rec, ROLE_DEF)).to.deep.equal([]);
  });

  it("dataIngestCidrs admits exactly those addresses: Enabled, default Deny, no bypass, no VNet rules", async () => {
    const rec = await runStack("azure-dev", { dataIngestCidrs: JSON.stringify(["203.0.113.7", "198.51.100.0/24"]) });
    const account = one(rec, T.account);
    expectInput(account, "publicNetworkAccess", "Enabled");
    expectInput(account, "networkRuleSet.defaultAction", "Deny");
    expectInput(account, "networkRuleSet.bypass", "None");
    expect(get(account.inputs, "networkRuleSet.ipRules")).to.deep.equal([
      { iPAddressOrRange: "203.0.113.7", action: "Allow" },
      { iPAddressOrRange: "198.51.100.0/24", action: "Allow" },
    ]);
    expect(get(account.inputs, "networkRuleSet.virtualNetworkRules") ?? []).to.deep.equal([]);
  });

  it("each principal gets a writer role without delete on the data container and reader on the artifacts container", async () => {
    const rec = await runStack("azure-dev", { dataIngestPrincipals: JSON.stringify([PRINCIPAL]) });
    const defs = ofType(rec, ROLE_DEF);
    expect(defs).to.have.length(1);
    const perms = defs[0].inputs.permissions;
    expect(perms).to.have.length(1);
    expect(perms[0].dataActions).to.deep.equal([...INGEST_WRITER_DATA_ACTIONS]);
    expect(perms[0].dataActions.join(" ")).to.not.include("delete");
    expect(perms[0].actions).to.deep.equal([]);
    const mine = ofType(rec, ASSIGNMENT).filter((a) => a.inputs.principalId === PRINCIPAL);
    expect(mine).to.have.length(2);
    const containers = ofType(rec, T.container);
    const scopeName = (scope: string) => containers.find((c) => c.outputs?.id === scope || c.inputs.id === scope)?.inputs.containerName;
    const byRole = Object.fromEntries(
      mine.map((a) => [String(a.inputs.roleDefinitionId).endsWith(BUILTIN_ROLES.storageBlobDataReader) ? "reader" : "writer", a]),
    );
    expect(byRole.writer.inputs.roleDefinitionId).to.equal(defs[0].outputs?.id ?? byRole.writer.inputs.roleDefinitionId);
    expect(scopeName(byRole.writer.inputs.scope)).to.match(/data/);
    expect(scopeName(byRole.reader.inputs.scope)).to.match(/artifacts/);
    // Writes only under datasets/ (ABAC): the writer's condition; the reader needs none.
    expect(byRole.writer.inputs.conditionVersion).to.equal("2.0");
    expect(byRole.writer.inputs.condition).to.equal(
      "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'}) AND " +
        "!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action'})) OR " +
        "(@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLike 'datasets/*'))",
    );
    expect(byRole.reader.inputs).to.not.have.property("condition");
  });
});
