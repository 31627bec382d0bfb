/**
 * Subnet network security groups (Azure, C4): every subnet of the
 * environment filters traffic with an NSG (the one that denies internet
 * inbound). Azure refuses an NSG on a few platform subnets (gateway and
 * firewall subnets), which the setting `exemptSubnetNames` lists.
 */
import * as network from "@pulumi/azure-native/network";
import type { PolicyConfigSchema } from "@pulumi/policy";
import { resourcePolicy, settings, typeToken, validateResourcesOfTypes } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { propsOf } from "../../../lib/props";
import { UNKNOWN } from "../../../lib/values";

const subnetProps = propsOf(network.Subnet);
const nsgRefProps = subnetProps.sub("networkSecurityGroup");
const vnetProps = propsOf(network.VirtualNetwork);
const inlineSubnetProps = vnetProps.sub("subnets", 0);

const schema: PolicyConfigSchema = {
  properties: {
    exemptSubnetNames: {
      type: "array",
      items: { type: "string" },
      default: ["GatewaySubnet", "AzureFirewallSubnet", "AzureFirewallManagementSubnet", "RouteServerSubnet"],
      description: "Subnet names Azure does not allow a network security group on.",
    },
  },
};

type Finding = { readonly property: string; readonly subnet: string };

function missingNsg(subnet: unknown): boolean {
  const nsg = subnetProps.get(subnet, "networkSecurityGroup");
  if (nsg === UNKNOWN) return false;
  const id = nsgRefProps.get(nsg, "id");
  return id !== UNKNOWN && (id === undefined || id === null || id === "");
}

/** Severity high. Resource: every subnet (separate or inline in a VNet) has a network security group. */
export const subnetMissingNetworkSecurityGroup = resourcePolicy({
  name: "azure-network-subnet-missing-network-security-group",
  control: "C4",
  severity: "high",
  description:
    "Every subnet of the environment (network.Subnet, or inline in a VirtualNetwork's subnets) is associated with a network security group, except the platform subnets Azure forbids one on (setting exemptSubnetNames).",
  remediationSteps: "Set `networkSecurityGroup: { id: nsg.id }` on the subnet, with the environment's NSG that denies internet inbound.",
  url: "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview",
  configSchema: schema,
  checks: ["CKV2_AZURE_31"],
  frameworks: [["nist-800-53-r5", "SC-7"]],
  validateResource: validateResourcesOfTypes([network.Subnet, network.VirtualNetwork], (props, args, report) => {
    const { exemptSubnetNames } = settings<{ exemptSubnetNames: string[] }>(args, schema);
    const exempt = (name: unknown) => typeof name === "string" && exemptSubnetNames.includes(name);
    const findings: Finding[] = [];
    if (args.type === typeToken(network.Subnet)) {
      const name = subnetProps.str(props, "subnetName");
      if (!exempt(name) && missingNsg(props))
        findings.push({ property: "networkSecurityGroup", subnet: typeof name === "string" ? name : args.name });
    } else {
      const subnets = vnetProps.arr(props, "subnets");
      (subnets === UNKNOWN ? [] : (subnets ?? [])).forEach((s, i) => {
        const name = inlineSubnetProps.str(s, "name");
        if (!exempt(name) && missingNsg(s))
          findings.push({ property: `subnets[${i}].networkSecurityGroup`, subnet: typeof name === "string" ? name : `#${i}` });
      });
    }
    for (const f of findings) {
      report(
        formatViolation({
          what: `subnet ${f.subnet} has no network security group, so nothing filters traffic to and from it`,
          where: at(args, f.property),
          fix: "set networkSecurityGroup to the environment's NSG",
        }),
      );
    }
  }),
});
