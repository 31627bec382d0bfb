/**
 * Network security group rules (Azure), control C4: no rule admits inbound
 * traffic from the internet.
 * Docs: https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview
 */
import * as network from "@pulumi/azure-native/network";
import { resourcePolicy, validateResourcesOfTypes } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, known, strings } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const nsgProps = propsOf(network.NetworkSecurityGroup);
const ruleProps = propsOf(network.SecurityRule);

const OPEN_SOURCES = ["*", "internet", "0.0.0.0/0", "any", "::/0"];

function rulesOf(type: string, props: Record<string, unknown>): { property: string; rule: unknown }[] {
  if (type === "azure-native:network:SecurityRule") return [{ property: "", rule: props }];
  const rules = nsgProps.arr(props, "securityRules");
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
  checks: ["CKV_AZURE_9", "CKV_AZURE_10", "CKV_AZURE_77", "CKV_AZURE_160", "AZU-0047"],
  frameworks: [
    ["cis-azure-4.0.0", "8.1"],
    ["cis-azure-4.0.0", "8.2"],
    ["cis-azure-4.0.0", "8.3"],
    ["cis-azure-4.0.0", "8.4"],
    ["nist-800-53-r5", "SC-7"],
    ["nist-800-53-r5", "AC-17"],
  ],
  validateResource: validateResourcesOfTypes([network.NetworkSecurityGroup, network.SecurityRule], (props, args, report) => {
    for (const { property, rule } of rulesOf(args.type, props)) {
      const p = (k: string) => (property ? `${property}.${k}` : k);
      const direction = ruleProps.str(rule, "direction");
      const access = ruleProps.str(rule, "access");
      if (!known(direction) || !known(access) || direction.toLowerCase() !== "inbound" || access.toLowerCase() !== "allow") continue;
      const sources = [...strings(ruleProps.get(rule, "sourceAddressPrefix")), ...strings(ruleProps.get(rule, "sourceAddressPrefixes"))];
      const open = sources.filter((s): s is string => known(s) && OPEN_SOURCES.includes(s.toLowerCase()));
      if (open.length === 0) continue;
      report(
        formatViolation({
          what: `inbound Allow rule ${JSON.stringify(ruleProps.get(rule, "name") ?? property)} admits ${open.join(", ")}`,
          where: at(args, p("sourceAddressPrefix")),
          fix: `restrict the source to "VirtualNetwork" or the VNet address space`,
        }),
      );
    }
  }),
});
