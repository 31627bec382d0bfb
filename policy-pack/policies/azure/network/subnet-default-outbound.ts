/**
 * C11: no subnet relies on Azure's default outbound access. Azure: "when you
 * deploy a virtual machine (VM) in a virtual network without an explicitly
 * defined outbound connectivity method, Azure automatically assigns it an
 * outbound public IP address ... referred to as default outbound access."
 * Azure is retiring it: subnets of new virtual networks are private by
 * default, and a VM there has no outbound connectivity unless the subnet has
 * an explicit method (a NAT gateway, a load balancer's outbound rules, a
 * public IP). A subnet states `defaultOutboundAccess: false`, so what runs
 * there works the same before and after the change.
 */
import * as network from "@pulumi/azure-native/network";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, describe } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const subnetProps = propsOf(network.Subnet);

/** Severity medium. Resource: every subnet sets defaultOutboundAccess false. */
export const subnetDisableDefaultOutboundAccess = resourcePolicy({
  name: "azure-network-subnet-disable-default-outbound-access",
  control: "C11",
  severity: "medium",
  frameworks: [["nist-800-53-r5", "SC-7"]],
  description:
    "Every subnet sets defaultOutboundAccess false (private subnet): nothing depends on the default outbound access Azure is retiring.",
  remediationSteps:
    "Set `defaultOutboundAccess: false` on the subnet; reach Azure services through private endpoints, and run training compute in the Azure ML workspace's managed network.",
  url: "https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access",
  validateResource: validateResourceOfType(network.Subnet, (subnet, args, report) => {
    const access = subnetProps.bool(subnet, "defaultOutboundAccess");
    if (access === UNKNOWN || access === false) return;
    const raw = subnetProps.get(subnet, "defaultOutboundAccess");
    report(
      formatViolation({
        what: `defaultOutboundAccess is ${access === undefined ? (raw === undefined ? "not set" : describe(raw)) : describe(access)}: VMs here reach the internet through an implicit public IP that Azure is retiring (new subnets are private by default), so what works today stops when the subnet is recreated`,
        where: at(args, "defaultOutboundAccess"),
        fix: "set defaultOutboundAccess: false; give the subnet an explicit outbound method only if something in it must reach the internet",
      }),
    );
  }),
});
