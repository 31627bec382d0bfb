/**
 * Azure ML workspace: free itself, but its managed network is not. With a
 * managed network (isolation mode AllowInternetOutbound or
 * AllowOnlyApprovedOutbound), Azure ML creates private endpoints for the
 * workspace's required outbound rules and for every private-endpoint rule
 * added, billed as Private Link; an FQDN rule makes it deploy an Azure
 * Firewall (Standard unless firewallSku is Basic).
 * Docs: https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#pricing
 *
 * Required private endpoints: the workspace itself, its key vault, its
 * storage account's blob and file sub-resources, and its container registry
 * when it has one. (In AllowInternetOutbound mode Azure creates them only for
 * resources with public access disabled: counted all the same, an upper bound.)
 */
import { at, isUnknown, str, why } from "../inputs";
import { ComponentDraft, free, Mapper, notPriced, plural, priced } from "../mapper";

const MANAGED_MODES = ["allowinternetoutbound", "allowonlyapprovedoutbound"];
const FIREWALL_RATES: Readonly<Record<string, string>> = { standard: "azure.firewall.standard", basic: "azure.firewall.basic" };

/** The managed network's rules by type, when readable. */
function rulesByType(inputs: unknown): { privateEndpoint: number; fqdn: number; unknown: boolean } {
  const rules = at(inputs, "managedNetwork.outboundRules");
  const out = { privateEndpoint: 0, fqdn: 0, unknown: rules.state === "unknown" };
  if (rules.state !== "known" || rules.value === null || typeof rules.value !== "object") return out;
  for (const rule of Object.values(rules.value as Record<string, unknown>)) {
    const type = rule !== null && typeof rule === "object" ? (rule as Record<string, unknown>).type : undefined;
    if (isUnknown(type) || isUnknown(rule)) out.unknown = true;
    else if (typeof type === "string" && type.toLowerCase() === "privateendpoint") out.privateEndpoint++;
    else if (typeof type === "string" && type.toLowerCase() === "fqdn") out.fqdn++;
  }
  return out;
}

export const azureMlWorkspace: Mapper = {
  types: ["azure-native:machinelearningservices:Workspace"],
  map(r) {
    const mode = str(r.inputs, "managedNetwork.isolationMode");
    if (mode.state === "missing") return free("none", "no managed network: billed through its storage, vault, registry and compute");
    if (mode.state !== "known")
      return notPriced(
        `${why("managedNetwork.isolationMode", mode)}; cannot tell whether a managed network (private endpoints, firewall) is billed`,
        "managed network",
      );
    if (!MANAGED_MODES.includes(mode.value.toLowerCase()))
      return free("none", `managed network ${mode.value}: billed through its storage, vault, registry and compute`);

    const registry = at(r.inputs, "containerRegistry");
    const required = 4 + (registry.state === "missing" ? 0 : 1);
    const rules = rulesByType(r.inputs);
    const components: ComponentDraft[] = [
      {
        component:
          "managed network private endpoints (workspace, vault, storage blob and file" +
          (required > 4 ? ", registry" : "") +
          (rules.privateEndpoint ? `, ${plural(rules.privateEndpoint, "outbound rule")}` : "") +
          ")",
        rateId: "azure.privateEndpoint.hour",
        count: required + rules.privateEndpoint,
        ...(rules.unknown ? { assumed: "some outbound rules are not known yet; counted the known private-endpoint rules only" } : {}),
      },
    ];
    if (rules.fqdn > 0) {
      const sku = str(r.inputs, "managedNetwork.firewallSku");
      const rateId = sku.state === "known" ? FIREWALL_RATES[sku.value.toLowerCase()] : FIREWALL_RATES.standard;
      if (!rateId)
        return notPriced(
          `managedNetwork.firewallSku ${JSON.stringify(sku.state === "known" ? sku.value : undefined)} is not in the rate table (known: Basic, Standard)`,
          "managed network firewall",
        );
      components.push({
        component: `managed network firewall for ${plural(rules.fqdn, "FQDN rule")}`,
        rateId,
        count: 1,
        ...(sku.state === "known" ? {} : { assumed: `${why("managedNetwork.firewallSku", sku)}; Azure deploys Standard by default` }),
      });
    }
    return priced(...components);
  },
};
