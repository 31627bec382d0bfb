/**
 * Physical-name planning of the Azure module: every name derived from the
 * prefix fits its rule after azure-native's suffix, up to the longest prefix
 * the config allows, and a name that cannot fit fails naming the rule.
 */
import { expect } from "chai";
import { parseStackConfig, AzureStackConfig } from "../../../stacks/config";
import { azureNames } from "../../../stacks/azure/names";
import { nameProblem } from "../../../stacks/naming";
import { key, PROJECT } from "../../harness";

function config(namePrefix: string, tier: "dev" | "prod"): AzureStackConfig {
  return parseStackConfig(
    {
      [key("cloud")]: "azure",
      [key("tier")]: tier,
      [key("owner")]: "team",
      [key("location")]: "westeurope",
      [key("namePrefix")]: namePrefix,
    },
    PROJECT,
    "x",
  ) as AzureStackConfig;
}

describe("azure names", () => {
  for (const prefix of ["abc", "mltrain", "abcdefgh"]) {
    for (const tier of ["dev", "prod"] as const) {
      it(`prefix ${prefix}, ${tier}: every name fits after the suffix`, () => {
        const names = azureNames(`${prefix}-${tier}`, config(prefix, tier));
        expect(names.storageAccount).to.equal(`${prefix}${tier}data`);
        expect(nameProblem("azureStorageAccount", names.storageAccount)).to.equal(undefined);
        expect(nameProblem("azureKeyVault", names.keyVault)).to.equal(undefined);
        expect(nameProblem("azureMlWorkspace", names.mlWorkspace)).to.equal(undefined);
        expect(nameProblem("azureResourceGroup", names.resourceGroup)).to.equal(undefined);
      });
    }
  }

  it("a prefix past what config allows fails with the rule, not at deploy time", () => {
    const c = { ...config("abcdefgh", "prod"), namePrefix: "abcdefghi" };
    expect(() => azureNames("abcdefghi-prod", c)).to.throw(/storage account name .* 25 characters; allowed: 3-24/);
  });
});
