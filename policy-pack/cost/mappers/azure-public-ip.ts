/**
 * Azure public IP address: Standard SKU, regional tier, hourly. (Basic IPs
 * are retired; the Global tier is not in the rate table.)
 */
import { str } from "../inputs";
import { Mapper, notPriced, priced } from "../mapper";

export const azurePublicIp: Mapper = {
  types: ["azure-native:network:PublicIPAddress"],
  map(r) {
    const sku = str(r.inputs, "sku.name");
    const tier = str(r.inputs, "sku.tier");
    if (tier.state === "known" && tier.value.toLowerCase() !== "regional")
      return notPriced(`public IP tier ${JSON.stringify(tier.value)} is not in the rate table`, tier.value);
    if (sku.state === "known" && sku.value.toLowerCase() !== "standard")
      return notPriced(`public IP SKU ${JSON.stringify(sku.value)} is not in the rate table`, sku.value);
    return priced({ component: "public IP address (Standard)", rateId: "azure.publicIp.standard", count: 1 });
  },
};
