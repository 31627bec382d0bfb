/**
 * Azure private DNS zone: a monthly charge per hosted zone, plus queries.
 */
import { known, str } from "../inputs";
import { Mapper, priced } from "../mapper";

export const azurePrivateDnsZone: Mapper = {
  types: ["azure-native:privatedns:PrivateZone", "azure-native:network:PrivateZone"],
  map(r) {
    const zone = known(str(r.inputs, "privateZoneName"));
    return priced(
      { component: `private DNS zone${zone ? ` ${zone}` : ""}`, rateId: "azure.privateDnsZone", count: 1 },
      { component: "DNS queries", rateId: "azure.privateDnsZone.queries", count: 0 },
    );
  },
};
