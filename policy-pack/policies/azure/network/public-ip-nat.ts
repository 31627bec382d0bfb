/**
 * Public IPs and NAT gateways (Azure), control C4: the training network has
 * no public address and no internet egress of its own.
 */
import * as network from "@pulumi/azure-native/network";
import { resourcePolicy, validateResourcesOfTypes } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";

/** Severity high. Resource: no public IP address or NAT gateway in the environment. */
export const vnetDisallowPublicIpAndNat = resourcePolicy({
  name: "azure-network-vnet-disallow-public-ip-and-nat",
  control: "C4",
  severity: "high",
  description: "The environment creates no public IP address and no NAT gateway; the network has no internet ingress or egress of its own.",
  remediationSteps: "Remove the public IP / NAT gateway; reach Azure services through private endpoints.",
  url: "https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses",
  checks: [],
  frameworks: [
    ["nist-800-53-r5", "SC-7"],
    ["nist-800-53-r5", "AC-4"],
  ],
  validateResource: validateResourcesOfTypes([network.PublicIPAddress, network.NatGateway], (_props, args, report) => {
    report(
      formatViolation({
        what: `${args.type.split(":").pop()} exposes the environment to the internet`,
        where: at(args),
        fix: "remove it and use private endpoints",
      }),
    );
  }),
});
