/**
 * The component as a whole: every resource parented, tagged (C10) and
 * located; prod data stores protected and dev ones not (C9); physical names
 * valid after azure-native's suffix; every shared and Azure output set.
 */
import { expect } from "chai";
import { runStack, STACKS } from "../../harness";
import { NAME_RULES, nameProblem, NameKind } from "../../../stacks/naming";
import { MOCK_AZURE_SUBSCRIPTION } from "../../../engine/recorder/mocks";
import { T, one, all, azureResources, declaresArg, identityOf } from "./helpers";

const RUNS = [
  ["azure-dev", {}],
  ["azure-prod", {}],
  ["azure-dev", { mlWorkspace: "true", privateEndpoints: JSON.stringify(["blob", "vault"]) }],
  // The longest prefix config allows, in prod: every name must still fit.
  ["azure-prod", { namePrefix: "abcdefgh" }],
] as const;

const EXPECTED_TAGS = (stack: string) => ({
  environment: stack.endsWith("prod") ? "prod" : "dev",
  project: "secure-ml-training",
  owner: "ml-platform@example.com",
  "data-classification": stack.endsWith("prod") ? "restricted" : "confidential",
});

/** Resources that hold training data or the key to it: protected in prod (C9). */
const DATA_STORES = [T.account, T.blobService, T.container, T.vault, T.key];

for (const [stack, overrides] of RUNS) {
  const label = `${stack}${Object.keys(overrides).length ? ` ${JSON.stringify(overrides)}` : ""}`;
  describe(`azure environment (${label})`, () => {
    const run = () => runStack(stack, overrides as Record<string, string>);

    it("registers one component and parents every Azure resource to it", async () => {
      const rec = await run();
      const component = one(rec, T.component);
      expect(all(rec, T.resourceGroup)).to.have.length(1);
      for (const r of azureResources(rec)) expect(r.parent, `${r.urn}: parent`).to.equal(component.urn);
      expect(
        rec.resources.filter((r) => r.type.startsWith("aws:")),
        "no AWS resources",
      ).to.deep.equal([]);
    });

    it("C10: every taggable resource carries exactly the four required tags", async () => {
      const rec = await run();
      const want = EXPECTED_TAGS(stack);
      const taggable = azureResources(rec).filter((r) => declaresArg(r.type, "tags"));
      expect(taggable.length, "taggable resources found").to.be.at.least(10);
      for (const r of taggable) expect(r.inputs.tags, `${r.urn}: tags`).to.deep.equal(want);
    });

    it("every resource in the resource group, at the configured location (DNS zones and links global)", async () => {
      const rec = await run();
      const rg = one(rec, T.resourceGroup);
      expect(rg.inputs.location, `${rg.urn}: location`).to.equal("westeurope");
      for (const r of azureResources(rec)) {
        if (declaresArg(r.type, "resourceGroupName") && r.type !== T.resourceGroup) {
          expect(r.inputs.resourceGroupName, `${r.urn}: resourceGroupName`).to.equal(rg.outputs.name);
        }
        if (declaresArg(r.type, "location")) {
          const want = r.type === T.zone || r.type === T.vnetLink ? "global" : "westeurope";
          expect(r.inputs.location, `${r.urn}: location`).to.equal(want);
        }
      }
    });

    it(`C9: data stores and the key are ${stack.endsWith("prod") ? "" : "not "}protected`, async () => {
      const rec = await run();
      const prod = stack.endsWith("prod");
      for (const type of DATA_STORES) {
        const found = all(rec, type);
        expect(found.length, `${rec.stack}: ${type}`).to.be.at.least(1);
        for (const r of found) expect(r.options.protect === true, `${r.urn}: protect`).to.equal(prod);
      }
      // Nothing else is protected: a dev stack or a network change can always be torn down.
      for (const r of azureResources(rec).filter((x) => !DATA_STORES.includes(x.type as any))) {
        expect(r.options.protect === true, `${r.urn}: protect`).to.equal(false);
      }
    });

    it("physical names are valid after azure-native's 8-character suffix", async () => {
      const rec = await run();
      const checks: [string, NameKind][] = [
        [T.account, "azureStorageAccount"],
        [T.vault, "azureKeyVault"],
        [T.resourceGroup, "azureResourceGroup"],
        [T.container, "azureContainer"],
        [T.mlWorkspace, "azureMlWorkspace"],
      ];
      for (const [type, kind] of checks) {
        const rule = NAME_RULES[kind];
        for (const r of all(rec, type)) {
          const logical = type === T.container ? r.inputs.containerName : r.name;
          expect(nameProblem(kind, logical), `${r.urn}: logical name`).to.equal(undefined);
          const physical: string = r.outputs.name;
          expect(physical.length, `${r.urn}: ${physical} length`).to.be.within(rule.min, rule.max);
          expect(physical, `${r.urn}: ${physical}`).to.match(rule.pattern);
        }
      }
    });

    it("exports every shared and Azure output with real values", async () => {
      const rec = await run();
      const o = rec.outputs as Record<string, any>;
      const account = one(rec, T.account);
      const identity = identityOf(rec, "job");
      const key = one(rec, T.key);
      const vault = one(rec, T.vault);
      const vnet = one(rec, T.vnet);
      const workload = all(rec, T.subnet).find((s) => s.inputs.subnetName === "workload")!;
      const name = account.outputs.name;
      expect(o).to.include({
        cloud: "azure",
        tier: stack.endsWith("prod") ? "prod" : "dev",
        dataLocation: `https://${name}.blob.core.windows.net/data`,
        outputLocation: `https://${name}.blob.core.windows.net/artifacts`,
        keyId: key.outputs.keyUri,
        identityId: identity.outputs.id,
        networkId: vnet.outputs.id,
        subscriptionId: MOCK_AZURE_SUBSCRIPTION,
        resourceGroupName: one(rec, T.resourceGroup).outputs.name,
        location: "westeurope",
        storageAccountName: name,
        dataContainer: "data",
        artifactsContainer: "artifacts",
        identityClientId: identity.outputs.clientId,
        identityPrincipalId: identity.outputs.principalId,
        keyVaultUri: vault.outputs.properties.vaultUri,
      });
      expect(o.subnetIds).to.deep.equal([workload.outputs.id]);
      expect(o.keyId, "versionless key URI").to.match(/^https:\/\/[^/]+\.vault\.azure\.net\/keys\/[^/]+$/);
      for (const [k, v] of Object.entries(o)) {
        expect(v, `output ${k}`).to.not.equal("<unknown>");
        expect(v, `output ${k}`).to.not.equal("");
      }
    });
  });
}

describe("azure environment: stack files", () => {
  it("ships both Azure stacks", () => {
    expect(STACKS).to.include.members(["azure-dev", "azure-prod"]);
  });
  it("azure-prod exercises the ML workspace; azure-dev stays at the blob endpoint only", async () => {
    const prod = await runStack("azure-prod");
    const dev = await runStack("azure-dev");
    expect(all(prod, T.mlWorkspace), "azure-prod workspace").to.have.length(1);
    expect(all(dev, T.mlWorkspace), "azure-dev workspace").to.have.length(0);
    expect(all(dev, T.endpoint), "azure-dev private endpoints").to.have.length(1);
  });
});
