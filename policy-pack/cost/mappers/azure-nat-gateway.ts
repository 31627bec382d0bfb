/**
 * Azure NAT gateway: hourly plus data processed. Its public IPs are priced
 * as their own resources.
 */
import { Mapper, priced } from "../mapper";

export const azureNatGateway: Mapper = {
  types: ["azure-native:network:NatGateway"],
  map: () =>
    priced(
      { component: "NAT gateway", rateId: "azure.nat.hour", count: 1 },
      { component: "data processed", rateId: "azure.nat.data", count: 0 },
    ),
};
