/**
 * The optional ML workspace and compute cluster (C3, C4, C6, C7, C11):
 * private, in a managed network that allows only approved outbound traffic,
 * running as its own identity once its documented roles are in effect,
 * linked to the environment's storage, vault and Application Insights;
 * compute without public IP or SSH in the managed network, scaling to zero,
 * running as the job identity. Absent when the switch is off.
 */
import { expect } from "chai";
import { runStack } from "../../harness";
import { WORKSPACE_IDENTITY_ROLES } from "../../../policy-pack/lib/ml-workspace-roles";
import { T, one, all, expectInput, get, identityOf } from "./helpers";

const ML_TYPES = [T.mlWorkspace, T.compute, T.appInsights];

describe("azure workspace: off by default (azure-dev)", () => {
  it("creates no ML resources and exports no workspace outputs", async () => {
    const rec = await runStack("azure-dev");
    for (const t of ML_TYPES) expect(all(rec, t), `${rec.stack}: ${t}`).to.deep.equal([]);
    expect(rec.outputs).to.not.have.any.keys("workspaceName", "workspaceId", "computeName");
  });
});

const AZURE_PROD_CLUSTERS = [
  { name: "train-cpu", vmSize: "Standard_DS3_v2", maxNodes: 4, priority: "Dedicated" },
  { name: "train-gpu", vmSize: "Standard_NC4as_T4_v3", maxNodes: 2, priority: "Dedicated" },
];
for (const [stack, overrides, expectedClusters] of [
  ["azure-prod", {}, AZURE_PROD_CLUSTERS],
  [
    "azure-dev",
    { mlWorkspace: "true", privateEndpoints: JSON.stringify(["blob", "vault"]) },
    [{ name: "train-cpu", vmSize: "Standard_DS3_v2", maxNodes: 1, priority: "Dedicated" }],
  ],
  [
    "azure-dev",
    {
      mlWorkspace: "true",
      privateEndpoints: JSON.stringify(["blob", "vault"]),
      computeClusters: JSON.stringify([{ name: "gpu-a100", vmSize: "Standard_NC24ads_A100_v4", maxNodes: 1, priority: "LowPriority" }]),
    },
    [{ name: "gpu-a100", vmSize: "Standard_NC24ads_A100_v4", maxNodes: 1, priority: "LowPriority" }],
  ],
] as const) {
  const label = `${stack}${Object.keys(overrides).length ? ` ${JSON.stringify(overrides)}` : ""}`;
  describe(`azure workspace (${label})`, () => {
    const run = () => runStack(stack, overrides);

    it("C3/C4/C6: the workspace is private and runs as its own user-assigned identity", async () => {
      const rec = await run();
      const ws = one(rec, T.mlWorkspace);
      const identity = identityOf(rec, "workspace");
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

    it("C4/C11: a managed network allowing only approved outbound traffic, provisioned at deploy, without FQDN rules (no firewall)", async () => {
      const rec = await run();
      const ws = one(rec, T.mlWorkspace);
      expectInput(ws, "managedNetwork.isolationMode", "AllowOnlyApprovedOutbound");
      expectInput(ws, "provisionNetworkNow", true);
      expect(get(ws.inputs, "managedNetwork.outboundRules"), `${ws.urn}: only the rules Azure ML adds itself`).to.equal(undefined);
      expect(get(ws.inputs, "managedNetwork.firewallSku"), `${ws.urn}: firewallSku`).to.equal(undefined);
      expect(ws.inputs.workspaceName, `${ws.urn}: explicit name (the storage firewall names it)`).to.equal(ws.name);
    });

    it("C6/C11: the workspace is created after its identity's documented roles on storage, vault and Application Insights have had time to take effect", async () => {
      const rec = await run();
      const ws = one(rec, T.mlWorkspace);
      const wait = one(rec, T.sleep, "-wait-mlw-roles");
      expect(ws.dependencies, `${ws.urn}: depends on ${wait.urn}`).to.include(wait.urn);
      for (const row of WORKSPACE_IDENTITY_ROLES) {
        const a = one(rec, T.roleAssignment, `-ra-${row.label}`);
        expect(a.inputs.principalId, `${a.urn}: the workspace identity`).to.equal(identityOf(rec, "workspace").outputs.principalId);
        if (row.target === "workspace") expect(a.dependencies, `${a.urn}: after the workspace`).to.include(ws.urn);
        else expect(wait.dependencies, `${wait.urn}: depends on ${a.urn}`).to.include(a.urn);
      }
    });

    it("C7: every AmlCompute cluster is in the managed network, no public IP, SSH closed, scales to zero, as the job identity once its roles are in effect", async () => {
      const rec = await run();
      const ws = one(rec, T.mlWorkspace);
      const identity = identityOf(rec, "job");
      const wait = one(rec, T.sleep, "-wait-job-roles");
      for (const label of ["-ra-data-reader", "-ra-artifacts-writer", "-ra-job-azureml-writer"]) {
        expect(wait.dependencies, `${wait.urn}: after ${label}`).to.include(one(rec, T.roleAssignment, label).urn);
      }
      const clusters = all(rec, T.compute);
      expect(clusters.map((c) => c.inputs.computeName)).to.deep.equal(expectedClusters.map((c) => c.name));
      for (const compute of clusters) {
        const spec = expectedClusters.find((c) => c.name === compute.inputs.computeName)!;
        expect(compute.inputs.workspaceName, `${compute.urn}: workspaceName`).to.equal(ws.outputs.name);
        expectInput(compute, "properties.computeType", "AmlCompute");
        expectInput(compute, "properties.disableLocalAuth", true);
        expectInput(compute, "properties.properties.vmSize", spec.vmSize);
        expectInput(compute, "properties.properties.vmPriority", spec.priority);
        expectInput(compute, "properties.properties.enableNodePublicIp", false);
        expectInput(compute, "properties.properties.remoteLoginPortPublicAccess", "Disabled");
        expect(get(compute.inputs, "properties.properties.subnet"), `${compute.urn}: no customer subnet (managed network)`).to.equal(
          undefined,
        );
        expectInput(compute, "properties.properties.scaleSettings.minNodeCount", 0);
        expectInput(compute, "properties.properties.scaleSettings.maxNodeCount", spec.maxNodes);
        expect(get(compute.inputs, "properties.properties.userAccountCredentials"), `${compute.urn}: no admin credentials`).to.equal(
          undefined,
        );
        expectInput(compute, "identity.type", "UserAssigned");
        expectInput(compute, "identity.userAssignedIdentities", [identity.outputs.id]);
        expect(compute.dependencies, `${compute.urn}: waits for the job identity's roles`).to.include(wait.urn);
      }
    });

    it("C7: outputs carry the workspace and the clusters a job needs (computeName is the first)", async () => {
      const rec = await run();
      const ws = one(rec, T.mlWorkspace);
      const first = all(rec, T.compute)[0];
      expect(rec.outputs).to.include({ workspaceName: ws.outputs.name, workspaceId: ws.outputs.id, computeName: first.outputs.name });
      expect(first.outputs.name).to.equal(expectedClusters[0].name);
      expect(rec.outputs!.computeClusters).to.deep.equal(
        expectedClusters.map(({ name, vmSize, maxNodes, priority }) => ({ name, vmSize, maxNodes, priority })),
      );
    });
  });
}
