/**
 * Azure private endpoint: hourly per endpoint, plus data processed in and out.
 */
import { known, list } from "../inputs";
import { Mapper, priced } from "../mapper";

/** The sub-resources the endpoint connects to (`blob`, `vault`, `amlworkspace`), when known. */
function groupIds(inputs: unknown): string[] {
  const ids: string[] = [];
  for (const path of ["privateLinkServiceConnections", "manualPrivateLinkServiceConnections"]) {
    for (const conn of known(list(inputs, path)) ?? []) {
      for (const g of known(list(conn, "groupIds")) ?? []) if (typeof g === "string") ids.push(g);
    }
  }
  return ids;
}

export const azurePrivateEndpoint: Mapper = {
  types: ["azure-native:network:PrivateEndpoint"],
  map(r) {
    const groups = groupIds(r.inputs);
    return priced(
      { component: `private endpoint${groups.length ? ` (${groups.join(", ")})` : ""}`, rateId: "azure.privateEndpoint.hour", count: 1 },
      { component: "data processed", rateId: "azure.privateEndpoint.data", count: 0 },
    );
  },
};
