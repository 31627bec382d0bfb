/**
 * The optional ML workspace and compute cluster (C3, C4, C6, C7): private,
 * running as the workload identity, linked to the environment's storage,
 * vault and Application Insights; compute without public IP or SSH in the
 * workload subnet, scaling to zero. Absent when the switch is off.
 */
import { expect } from "chai";
import { runStack } from "../../harness";
import { T, one, all, expectInput, get } from "./helpers";

const ML_TYPES = [T.mlWorkspace, T.compute, T.appInsights];

describe("azure workspace: off by default (azure-dev)", () => {
  it("creates no ML resources and exports no workspace outputs", async () => {
    const rec = await runStack("azure-dev");
    for (const t of ML_TYPES) expect(all(rec, t), `${rec.stack}: ${t}`).to.deep.equal([]);
    expect(rec.outputs).to.not.have.any.keys("workspaceName", "workspaceId", "computeName");
  });
});

for (const [stack, overrides] of [
  ["azure-prod", {}],
  ["azure-dev", { mlWorkspace: "true" }],
] as const) {
  const label = `${stack}${Object.keys(overrides).length ? ` ${JSON.stringify(overrides)}` : ""}`;
  describe(`azure workspace (${label})`, () => {
    const run = () => runStack(stack, overrides);

    it("C3/C4/C6: the workspace is private and runs as the user-assigned identity", async () => {
      const rec = await run();
      const ws = one(rec, T.mlWorkspace);
      const identity = one(rec, T.identity);
      expectInput(ws, "publicNetworkAccess", "Disabled");
      expectInput(ws, "allowPublicAccessWhenBehindVnet", false);
      expectInput(ws, "identity.type", "UserAssigned");
      expectInput(ws, "identity.userAssignedIdentities", [identity.outputs.id]);
      expectInput(ws, "primaryUserAssignedIdentity", identity.outputs.id);
      expectInput(ws, "systemDatastoresAuthMode", "Identity");
      expect(ws.inputs.containerRegistry, `${ws.urn}: no container registry (cost)`).to.equal(undefined);
    });

    it("links the environment's storage account, vault and workspace-based Application Insights", async () => {
      const rec = await run();
      const ws = one(rec, T.mlWorkspace);
      const appi = one(rec, T.appInsights);
      const logs = one(rec, T.logWorkspace);
      expectInput(ws, "storageAccount", one(rec, T.account).outputs.id);
      expectInput(ws, "keyVault", one(rec, T.vault).outputs.id);
      expectInput(ws, "applicationInsights", appi.outputs.id);
      expectInput(appi, "workspaceResourceId", logs.outputs.id);
      expectInput(appi, "ingestionMode", "LogAnalytics");
    });

    it("C6: the workspace is created after the identity holds its roles", async () => {
      const rec = await run();
      const ws = one(rec, T.mlWorkspace);
      for (const a of all(rec, T.roleAssignment)) expect(ws.dependencies, `${ws.urn}: depends on ${a.urn}`).to.include(a.urn);
    });

    it("C7: one AmlCompute cluster in the workload subnet, no public IP, SSH closed, scales to zero, as the identity", async () => {
      const rec = await run();
      const compute = one(rec, T.compute);
      const ws = one(rec, T.mlWorkspace);
      const identity = one(rec, T.identity);
      const workload = all(rec, T.subnet).find((s) => s.inputs.subnetName === "workload")!;
      expect(compute.inputs.workspaceName, `${compute.urn}: workspaceName`).to.equal(ws.outputs.name);
      expectInput(compute, "properties.computeType", "AmlCompute");
      expectInput(compute, "properties.disableLocalAuth", true);
      expectInput(compute, "properties.properties.enableNodePublicIp", false);
      expectInput(compute, "properties.properties.remoteLoginPortPublicAccess", "Disabled");
      expectInput(compute, "properties.properties.subnet.id", workload.outputs.id);
      expectInput(compute, "properties.properties.scaleSettings.minNodeCount", 0);
      expect(get(compute.inputs, "properties.properties.scaleSettings.maxNodeCount"), `${compute.urn}: maxNodeCount`).to.be.at.least(1);
      expect(get(compute.inputs, "properties.properties.userAccountCredentials"), `${compute.urn}: no admin credentials`).to.equal(undefined);
      expectInput(compute, "identity.type", "UserAssigned");
      expectInput(compute, "identity.userAssignedIdentities", [identity.outputs.id]);
      expect(compute.dependencies, `${compute.urn}: waits for the workspace's private DNS`).to.include(one(rec, T.zoneGroup, "-pe-mlw-dns").urn);
    });

    it("C7: outputs carry the workspace and compute a job needs", async () => {
      const rec = await run();
      const ws = one(rec, T.mlWorkspace);
      const compute = one(rec, T.compute);
      expect(rec.outputs).to.include({ workspaceName: ws.outputs.name, workspaceId: ws.outputs.id, computeName: compute.outputs.name });
      expect(compute.outputs.name).to.equal("train-cpu");
    });
  });
}
