/**
 * Azure Container Registry geo-replica: each replicated region is billed at
 * the Premium registry rate (only Premium registries replicate).
 */
import { known, str } from "../inputs";
import { Mapper, priced } from "../mapper";

export const azureContainerRegistryReplication: Mapper = {
  types: ["azure-native:containerregistry:Replication"],
  map(r) {
    const location = known(str(r.inputs, "location"));
    return priced({
      component: `registry geo-replica${location ? ` in ${location}` : ""} (Premium)`,
      rateId: "azure.acr.premium",
      count: 1,
    });
  },
};
