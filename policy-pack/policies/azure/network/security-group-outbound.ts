/**
 * NSG outbound rules (Azure, C4): no rule allows traffic out to the
 * internet (destination *, Internet or 0.0.0.0/0), the exfiltration path.
 * Azure's default AllowInternetOutBound rule (priority 65001) cannot be
 * removed; what the environment adds must not widen it, and the subnets
 * have no public IP or NAT gateway (azure-network-vnet-disallow-public-ip-and-nat).
 */
import * as network from "@pulumi/azure-native/network";
import { resourcePolicy, typeToken, validateResourcesOfTypes } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { propsOf } from "../../../lib/props";
import { UNKNOWN, known, strings } from "../../../lib/values";

const nsgProps = propsOf(network.NetworkSecurityGroup);
/** A separate SecurityRule and a rule inline in the group have the same fields. */
const ruleProps = propsOf(network.SecurityRule);

const OPEN_DESTINATIONS = ["*", "internet", "0.0.0.0/0", "any", "::/0"];

function rulesOf(type: string, props: Record<string, unknown>): { property: string; rule: unknown }[] {
  if (type === typeToken(network.SecurityRule)) return [{ property: "", rule: props }];
  const rules = nsgProps.arr(props, "securityRules");
  if (rules === UNKNOWN || rules === undefined) return [];
  return rules.map((rule, i) => ({ property: `securityRules[${i}]`, rule }));
}

/** Severity high. Resource: no NSG rule allows outbound traffic to the internet. */
export const securityGroupDisallowInternetOutbound = resourcePolicy({
  name: "azure-network-security-group-disallow-internet-outbound",
  control: "C4",
  severity: "high",
  description: "No network security rule allows outbound traffic to the internet (destination *, Internet or 0.0.0.0/0).",
  remediationSteps:
    "Allow outbound only to VirtualNetwork, the VNet's address space or the service tags the workload needs (e.g. Storage.<region>, AzureActiveDirectory).",
  url: "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview",
  checks: ["AZU-0051"],
  frameworks: [
    ["nist-800-53-r5", "SC-7"],
    ["nist-800-53-r5", "AC-4"],
  ],
  validateResource: validateResourcesOfTypes([network.NetworkSecurityGroup, network.SecurityRule], (props, args, report) => {
    for (const { property, rule } of rulesOf(args.type, props)) {
      const direction = ruleProps.str(rule, "direction");
      const access = ruleProps.str(rule, "access");
      if (!known(direction) || !known(access) || direction.toLowerCase() !== "outbound" || access.toLowerCase() !== "allow") continue;
      const destinations = [
        ...strings(ruleProps.get(rule, "destinationAddressPrefix")),
        ...strings(ruleProps.get(rule, "destinationAddressPrefixes")),
      ];
      const open = destinations.filter((s): s is string => known(s) && OPEN_DESTINATIONS.includes(s.toLowerCase()));
      if (open.length === 0) continue;
      report(
        formatViolation({
          what: `outbound Allow rule ${JSON.stringify(ruleProps.get(rule, "name") ?? property)} lets traffic out to ${open.join(", ")}, a path for training data to leave the network`,
          where: at(args, property ? `${property}.destinationAddressPrefix` : "destinationAddressPrefix"),
          fix: `restrict the destination to "VirtualNetwork", the VNet address space or the service tags the workload needs`,
        }),
      );
    }
  }),
});
