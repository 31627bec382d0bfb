/**
 * Subnets (AWS, C4): nothing launched into the training subnets gets a
 * public address. `mapPublicIpOnLaunch` gives every new ENI a public IPv4
 * address; `assignIpv6AddressOnCreation` a globally routable IPv6 address.
 */
import * as ec2 from "@pulumi/aws/ec2";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { bool } from "../../../lib/values";

const FLAGS = [
  { property: "mapPublicIpOnLaunch", what: "instances launched into the subnet get a public IPv4 address" },
  { property: "assignIpv6AddressOnCreation", what: "network interfaces created in the subnet get a globally routable IPv6 address" },
  {
    property: "mapCustomerOwnedIpOnLaunch",
    what: "network interfaces created in the subnet get a customer-owned (Outposts) public address",
  },
] as const;

/** Severity high. Resource: subnets assign no public address at launch (the default is false). */
export const subnetDisablePublicIpOnLaunch = resourcePolicy({
  name: "aws-ec2-subnet-disable-public-ip-on-launch",
  control: "C4",
  severity: "high",
  description:
    "No subnet assigns public addresses at launch (mapPublicIpOnLaunch, assignIpv6AddressOnCreation and mapCustomerOwnedIpOnLaunch are not true).",
  remediationSteps:
    "Set `mapPublicIpOnLaunch: false` (and leave assignIpv6AddressOnCreation / mapCustomerOwnedIpOnLaunch unset or false) on every aws.ec2.Subnet of the environment.",
  url: "https://www.pulumi.com/registry/packages/aws/api-docs/ec2/subnet/",
  checks: ["CKV_AWS_130", "AWS-0164"],
  frameworks: [
    ["nist-800-53-r5", "SC-7"],
    ["nist-800-53-r5", "AC-4"],
  ],
  validateResource: validateResourceOfType(ec2.Subnet, (subnet, args, report) => {
    for (const flag of FLAGS) {
      if (bool(subnet, flag.property) !== true) continue;
      report(
        formatViolation({
          what: `${flag.property} is true: ${flag.what}`,
          where: at(args, flag.property),
          fix: `set ${flag.property} to false`,
        }),
      );
    }
  }),
});
