/**
 * Azure Log Analytics workspace: pay-as-you-go SKUs are billed per GB
 * ingested and retained (usage); a commitment tier is a fixed daily charge
 * the rate table does not price.
 */
import { str } from "../inputs";
import { free, Mapper, notPriced } from "../mapper";

export const azureLogAnalyticsWorkspace: Mapper = {
  types: ["azure-native:operationalinsights:Workspace"],
  map(r) {
    const sku = str(r.inputs, "sku.name");
    if (sku.state === "known" && sku.value.toLowerCase() === "capacityreservation") {
      return notPriced("a commitment tier (CapacityReservation) is a fixed daily charge not in the rate table", "CapacityReservation");
    }
    return free("usage", "billed per GB ingested and retained");
  },
};
