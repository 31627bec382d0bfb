/**
 * Azure private DNS zone: a monthly charge per hosted zone, plus queries.
 */
import { known, str } from "../inputs";
import { Mapper, priced } from "../mapper";

export const azurePrivateDnsZone: Mapper = {
  types: ["azure-native:privatedns:PrivateZone", "azure-native:network:PrivateZone"],
  map(r) {
    // Inputs name the zone in `privateZoneName`; outputs (stack policies) in `name`.
    const zone = known(str(r.inputs, "privateZoneName")) ?? known(str(r.inputs, "name"));
    return priced(
      { component: `private DNS zone${zone ? ` ${zone}` : ""}`, rateId: "azure.privateDnsZone", count: 1 },
      { component: "DNS queries", rateId: "azure.privateDnsZone.queries", count: 0 },
    );
  },
};
