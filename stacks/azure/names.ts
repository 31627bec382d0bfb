/**
 * Logical names of the Azure resources whose physical names have tight
 * rules. Each is checked against the name azure-native will generate (the
 * logical name plus 8 random hex characters), so a prefix that cannot work
 * fails before any resource is registered.
 */
import { checkedName } from "../naming";
import type { AzureStackConfig } from "../config";

export interface AzureNames {
  readonly resourceGroup: string;
  /** Storage account: lowercase letters and digits only, 3-24 after the suffix. */
  readonly storageAccount: string;
  /** Key Vault: 3-24 after the suffix, letters, digits and single hyphens. */
  readonly keyVault: string;
  readonly mlWorkspace: string;
  /** Blob containers are child resources: these are their physical names. */
  readonly dataContainer: string;
  readonly artifactsContainer: string;
}

export function azureNames(name: string, config: AzureStackConfig): AzureNames {
  return {
    resourceGroup: checkedName("azureResourceGroup", `${name}-rg`),
    storageAccount: checkedName("azureStorageAccount", `${config.namePrefix}${config.tier}data`),
    keyVault: checkedName("azureKeyVault", `${name}-kv`),
    mlWorkspace: checkedName("azureMlWorkspace", `${name}-mlw`),
    dataContainer: checkedName("azureContainer", "data"),
    artifactsContainer: checkedName("azureContainer", "artifacts"),
  };
}
