/**
 * Internet and NAT gateways (AWS), control C4: the training VPC has no path
 * to or from the internet; AWS services are reached through VPC endpoints.
 * Docs: https://docs.aws.amazon.com/sagemaker/latest/dg/interface-vpc-endpoint.html
 */
import * as ec2 from "@pulumi/aws/ec2";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, validateResourcesOfTypes } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, describe, known } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const gateway = propsOf(ec2.InternetGateway);
const natGateway = propsOf(ec2.NatGateway);

/** Severity high. Resource: no internet gateway (IPv4 or egress-only IPv6) in a training stack. */
export const vpcDisallowInternetGateway = resourcePolicy({
  name: "aws-ec2-vpc-disallow-internet-gateway",
  control: "C4",
  severity: "high",
  description: "The training VPC has no internet gateway or egress-only internet gateway; AWS services are reached through VPC endpoints.",
  remediationSteps: "Remove the gateway and its routes; add the interface/gateway VPC endpoints the workload needs instead.",
  url: "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html",
  checks: [],
  frameworks: [
    ["nist-800-53-r5", "SC-7"],
    ["nist-800-53-r5", "AC-4"],
  ],
  validateResource: validateResourcesOfTypes(
    [ec2.InternetGateway, ec2.EgressOnlyInternetGateway, ec2.InternetGatewayAttachment],
    (props, args, report) => {
      report(
        formatViolation({
          what: `${args.type.split(":").pop()} gives the training VPC${known(gateway.get(props, "vpcId")) ? ` ${gateway.get(props, "vpcId")}` : ""} a path to the internet`,
          where: at(args),
          fix: "remove it and use VPC endpoints for AWS services",
        }),
      );
    },
  ),
});

/** Severity high. Resource: no public NAT gateway (private NAT gateways do not reach the internet). */
export const vpcDisallowNatGateway = resourcePolicy({
  name: "aws-ec2-vpc-disallow-nat-gateway",
  control: "C4",
  severity: "high",
  description: "The training VPC has no public NAT gateway.",
  remediationSteps:
    "Remove the NAT gateway (and its Elastic IP); use VPC endpoints for AWS services and a private package mirror for dependencies.",
  url: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html",
  checks: [],
  frameworks: [
    ["nist-800-53-r5", "SC-7"],
    ["nist-800-53-r5", "AC-4"],
  ],
  validateResource: validateResourceOfType(ec2.NatGateway, (nat, args, report) => {
    const type = natGateway.str(nat, "connectivityType");
    if (type === UNKNOWN || type === "private") return;
    report(
      formatViolation({
        what: `NAT gateway with connectivityType ${type === undefined ? 'not set (default "public")' : describe(type)} lets the training subnets reach the internet`,
        where: at(args, "connectivityType"),
        fix: "remove the NAT gateway",
      }),
    );
  }),
});
