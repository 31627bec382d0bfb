/**
 * Network policies (Azure), control C4: the training network has no public
 * address or internet egress, no security rule admits the internet, and
 * the data account is reachable through a private endpoint.
 * Docs: https://learn.microsoft.com/azure/storage/common/storage-private-endpoints
 */
import * as network from "@pulumi/azure-native/network";
import * as storage from "@pulumi/azure-native/storage";
import type { PolicyResource } from "@pulumi/policy";
import { resourcePolicy, stackPolicy, tokens, validateResourcesOfTypes } from "../shared/define";
import { ofTypes, targetsOf } from "../shared/match";
import { at, formatViolation } from "../shared/messages";
import { UNKNOWN, arr, get, known, str, strings } from "../shared/values";

/** Severity high. Resource: no public IP address or NAT gateway in the environment. */
export const vnetDisallowPublicIpAndNat = resourcePolicy({
  name: "azure-network-vnet-disallow-public-ip-and-nat",
  control: "C4",
  severity: "high",
  description: "The environment creates no public IP address and no NAT gateway; the network has no internet ingress or egress of its own.",
  remediationSteps: "Remove the public IP / NAT gateway; reach Azure services through private endpoints.",
  url: "https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses",
  validateResource: validateResourcesOfTypes([network.PublicIPAddress, network.NatGateway], (_props, args, report) => {
    report(formatViolation({ what: `${args.type.split(":").pop()} exposes the environment to the internet`, where: at(args), fix: "remove it and use private endpoints" }));
  }),
});

const OPEN_SOURCES = ["*", "internet", "0.0.0.0/0", "any", "::/0"];

function rulesOf(type: string, props: Record<string, unknown>): { property: string; rule: unknown }[] {
  if (type === "azure-native:network:SecurityRule") return [{ property: "", rule: props }];
  const rules = arr(props, "securityRules");
  if (rules === UNKNOWN || rules === undefined) return [];
  return rules.map((rule, i) => ({ property: `securityRules[${i}]`, rule }));
}

/** Severity high. Resource: no NSG rule allows inbound traffic from the internet. */
export const securityGroupDisallowInternetInbound = resourcePolicy({
  name: "azure-network-security-group-disallow-internet-inbound",
  control: "C4",
  severity: "high",
  description: "No network security rule allows inbound traffic from the internet (source *, Internet or 0.0.0.0/0).",
  remediationSteps: "Allow inbound only from VirtualNetwork or the VNet's address space.",
  url: "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview",
  validateResource: validateResourcesOfTypes([network.NetworkSecurityGroup, network.SecurityRule], (props, args, report) => {
    for (const { property, rule } of rulesOf(args.type, props)) {
      const p = (k: string) => (property ? `${property}.${k}` : k);
      const direction = str(rule, "direction");
      const access = str(rule, "access");
      if (!known(direction) || !known(access) || direction.toLowerCase() !== "inbound" || access.toLowerCase() !== "allow") continue;
      const sources = [...strings(get(rule, "sourceAddressPrefix")), ...strings(get(rule, "sourceAddressPrefixes"))];
      const open = sources.filter((s): s is string => known(s) && OPEN_SOURCES.includes(s.toLowerCase()));
      if (open.length === 0) continue;
      report(
        formatViolation({
          what: `inbound Allow rule ${JSON.stringify(get(rule, "name") ?? property)} admits ${open.join(", ")}`,
          where: at(args, p("sourceAddressPrefix")),
          fix: `restrict the source to "VirtualNetwork" or the VNet address space`,
        }),
      );
    }
  }),
});

/** Private link targets of an endpoint: [privateLinkServiceId, groupIds][] (unknown ids kept as UNKNOWN). */
function linksOf(pe: PolicyResource): { id: unknown; groups: string[] }[] {
  const out: { id: unknown; groups: string[] }[] = [];
  for (const key of ["privateLinkServiceConnections", "manualPrivateLinkServiceConnections"]) {
    const list = arr(pe.props, key);
    if (list === UNKNOWN) out.push({ id: UNKNOWN, groups: [] });
    for (const c of list === UNKNOWN ? [] : list ?? []) {
      out.push({ id: get(c, "privateLinkServiceId"), groups: strings(get(c, "groupIds")).filter(known).map((g) => g.toLowerCase()) });
    }
  }
  return out;
}

/** Severity high. Stack: every storage account has a private endpoint for its blob service. */
export const storageAccountMissingPrivateEndpoint = stackPolicy({
  name: "azure-network-storage-account-missing-private-endpoint",
  control: "C4",
  severity: "high",
  description: "Every storage account has a private endpoint for its blob service (groupIds blob) in the environment's VNet.",
  remediationSteps:
    `Add \`new network.PrivateEndpoint(name, { subnet: { id: subnet.id }, privateLinkServiceConnections: [{ name, privateLinkServiceId: account.id, groupIds: ["blob"] }] })\` with a privatelink.blob.core.windows.net zone group.`,
  url: "https://learn.microsoft.com/azure/storage/common/storage-private-endpoints",
  validateStack: (args, report) => {
    const endpoints = ofTypes(args.resources, tokens(network.PrivateEndpoint));
    for (const account of targetsOf(args, tokens(storage.StorageAccount), "storage accounts")) {
      const id = get(account.props, "id");
      let covered = false;
      let undecided = false;
      for (const pe of endpoints) {
        const deps = (pe.propertyDependencies?.privateLinkServiceConnections ?? []).map((d) => d.urn);
        for (const link of linksOf(pe)) {
          const byValue = known(link.id) && known(id) && link.id.toLowerCase() === id.toLowerCase();
          const unknownLink = !known(link.id) || !known(id);
          if (byValue || (unknownLink && deps.includes(account.urn))) {
            if (link.groups.includes("blob")) covered = true;
            else if (link.groups.length === 0 && link.id === UNKNOWN) undecided = true;
          } else if (unknownLink && deps.length === 0) {
            undecided = true;
          }
        }
      }
      if (covered || undecided) continue;
      report(
        formatViolation({
          what: `storage account ${account.name} has no private endpoint for its blob service`,
          where: at(account),
          fix: `add a network.PrivateEndpoint with privateLinkServiceId = this account's id and groupIds ["blob"]`,
        }),
        account.urn,
      );
    }
  },
});

export const policies = [vnetDisallowPublicIpAndNat, securityGroupDisallowInternetInbound, storageAccountMissingPrivateEndpoint];
