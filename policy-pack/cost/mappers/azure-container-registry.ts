/**
 * Azure Container Registry: a daily charge by SKU (Basic, Standard, Premium).
 * An unknown SKU is priced as Premium, the costliest (and the one private
 * endpoints need), and marked assumed.
 */
import { str, why } from "../inputs";
import { Mapper, notPriced, priced } from "../mapper";

export const ACR_SKU_RATES: Readonly<Record<string, string>> = {
  basic: "azure.acr.basic",
  standard: "azure.acr.standard",
  premium: "azure.acr.premium",
};

export const azureContainerRegistry: Mapper = {
  types: ["azure-native:containerregistry:Registry"],
  map(r) {
    const sku = str(r.inputs, "sku.name");
    if (sku.state === "known") {
      const rateId = ACR_SKU_RATES[sku.value.toLowerCase()];
      if (!rateId)
        return notPriced(`registry SKU ${JSON.stringify(sku.value)} is not in the rate table (known: Basic, Standard, Premium)`, sku.value);
      return priced({ component: `container registry (${sku.value})`, rateId, count: 1 });
    }
    return priced({
      component: "container registry (Premium, assumed)",
      rateId: ACR_SKU_RATES.premium,
      count: 1,
      assumed: `${why("sku.name", sku)}; assumed Premium`,
    });
  },
};
