/**
 * Network policies (AWS): the training VPC has no path to or from the
 * internet (C4) and its traffic is logged (C8).
 * Docs: https://docs.aws.amazon.com/sagemaker/latest/dg/interface-vpc-endpoint.html
 */
import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, stackPolicy, tokens, validateResourcesOfTypes } from "../../../lib/define";
import { isAllow, label, parseDocument } from "../../../lib/iam";
import { coverage, ofTypes, targetsOf } from "../../../lib/match";
import { at, formatViolation, quoted } from "../../../lib/messages";
import { UNKNOWN, arr, describe, get, known, str } from "../../../lib/values";

/** Severity high. Resource: no internet gateway (IPv4 or egress-only IPv6) in a training stack. */
export const vpcDisallowInternetGateway = resourcePolicy({
  name: "aws-ec2-vpc-disallow-internet-gateway",
  control: "C4",
  severity: "high",
  description: "The training VPC has no internet gateway or egress-only internet gateway; AWS services are reached through VPC endpoints.",
  remediationSteps: "Remove the gateway and its routes; add the interface/gateway VPC endpoints the workload needs instead.",
  url: "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html",
  checks: [],
  frameworks: [["nist-800-53-r5", "SC-7"], ["nist-800-53-r5", "AC-4"]],
  validateResource: validateResourcesOfTypes([ec2.InternetGateway, ec2.EgressOnlyInternetGateway, ec2.InternetGatewayAttachment], (props, args, report) => {
    report(
      formatViolation({
        what: `${args.type.split(":").pop()} gives the training VPC${known(get(props, "vpcId")) ? ` ${get(props, "vpcId")}` : ""} a path to the internet`,
        where: at(args),
        fix: "remove it and use VPC endpoints for AWS services",
      }),
    );
  }),
});

/** Severity high. Resource: no public NAT gateway (private NAT gateways do not reach the internet). */
export const vpcDisallowNatGateway = resourcePolicy({
  name: "aws-ec2-vpc-disallow-nat-gateway",
  control: "C4",
  severity: "high",
  description: "The training VPC has no public NAT gateway.",
  remediationSteps: "Remove the NAT gateway (and its Elastic IP); use VPC endpoints for AWS services and a private package mirror for dependencies.",
  url: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html",
  checks: [],
  frameworks: [["nist-800-53-r5", "SC-7"], ["nist-800-53-r5", "AC-4"]],
  validateResource: validateResourceOfType(ec2.NatGateway, (nat, args, report) => {
    const type = str(nat, "connectivityType");
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

const OPEN_CIDRS = ["0.0.0.0/0", "::/0"];

function openCidrs(value: unknown): string[] {
  const list = arr(value);
  if (list === UNKNOWN || list === undefined) return [];
  return list.filter((c): c is string => known(c) && OPEN_CIDRS.includes(c.trim()));
}

/** Severity high. Resource: no security group accepts traffic from anywhere. */
export const securityGroupDisallowPublicIngress = resourcePolicy({
  name: "aws-ec2-security-group-disallow-public-ingress",
  control: "C4",
  severity: "high",
  description: "No security group rule allows ingress from 0.0.0.0/0 or ::/0.",
  remediationSteps: "Allow ingress only from the VPC CIDR or from the environment's security groups (e.g. 443 from the VPC to the endpoint security group).",
  url: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html",
  checks: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"],
  frameworks: [["cis-aws-5.0.0", "5.3"], ["cis-aws-5.0.0", "5.4"], ["nist-800-53-r5", "SC-7"], ["nist-800-53-r5", "AC-17"]],
  validateResource: validateResourcesOfTypes([ec2.SecurityGroup, ec2.SecurityGroupRule, vpc.SecurityGroupIngressRule], (props, args, report) => {
    const findings: { property: string; cidrs: string[] }[] = [];
    if (args.type === "aws:ec2/securityGroup:SecurityGroup") {
      const ingress = arr(props, "ingress");
      (ingress === UNKNOWN ? [] : ingress ?? []).forEach((rule, i) => {
        const cidrs = [...openCidrs(get(rule, "cidrBlocks")), ...openCidrs(get(rule, "ipv6CidrBlocks"))];
        if (cidrs.length > 0) findings.push({ property: `ingress[${i}]`, cidrs });
      });
    } else if (args.type === "aws:ec2/securityGroupRule:SecurityGroupRule") {
      if (str(props, "type") === "ingress") {
        const cidrs = [...openCidrs(get(props, "cidrBlocks")), ...openCidrs(get(props, "ipv6CidrBlocks"))];
        if (cidrs.length > 0) findings.push({ property: "cidrBlocks", cidrs });
      }
    } else {
      for (const key of ["cidrIpv4", "cidrIpv6"]) {
        const c = str(props, key);
        if (known(c) && OPEN_CIDRS.includes(c.trim())) findings.push({ property: key, cidrs: [c] });
      }
    }
    for (const f of findings) {
      report(formatViolation({ what: `ingress is open to ${f.cidrs.join(", ")}`, where: at(args, f.property), fix: "allow only the VPC CIDR or named security groups" }));
    }
  }),
});

/** Severity medium. Resource: the S3 gateway endpoint's policy names the environment's buckets, not all of S3. */
export const vpcEndpointConfigureS3Policy = resourcePolicy({
  name: "aws-ec2-vpc-endpoint-configure-s3-policy",
  control: "C4",
  severity: "medium",
  description: "The S3 VPC endpoint has a policy that allows only the environment's buckets (no Resource \"*\" or arn:aws:s3:::*).",
  remediationSteps: "Set the endpoint's `policy` to a document allowing the needed s3 actions on the environment's bucket ARNs (and the ECR layer bucket if images are pulled).",
  url: "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html#vpc-endpoints-policies-s3",
  checks: [],
  frameworks: [["nist-800-53-r5", "AC-4"], ["nist-800-53-r5", "SC-7"]],
  validateResource: validateResourceOfType(ec2.VpcEndpoint, (ep, args, report) => {
    const service = str(ep, "serviceName");
    if (!known(service) || !/\.s3$/.test(service)) args.notApplicable("not an S3 endpoint");
    const doc = parseDocument(get(ep, "policy"));
    if (doc.kind === "unknown") return;
    if (doc.kind !== "document") {
      report(
        formatViolation({
          what: `the S3 endpoint has ${doc.kind === "missing" ? "no policy (full access to every bucket)" : `an unreadable policy (${doc.reason})`}`,
          where: at(args, "policy"),
          fix: "set a policy allowing only the environment's bucket ARNs",
        }),
      );
      return;
    }
    for (const st of doc.statements) {
      if (!isAllow(st)) continue;
      const wide = st.resource.filter((r): r is string => known(r) && (r === "*" || /^arn:[^:]+:s3:::\*(\/\*)?$/.test(r)));
      if (wide.length === 0 && !st.hasNotResource) continue;
      report(
        formatViolation({
          what: `${label(st)} allows ${quoted(st.action)} on ${st.hasNotResource ? "NotResource" : wide.join(", ")}, i.e. every bucket`,
          where: at(args, `policy.Statement[${st.index}]`),
          fix: "list only the environment's bucket ARNs",
        }),
      );
    }
  }),
});

/** Severity medium. Stack: every VPC has a flow log. */
export const vpcEnableFlowLogs = stackPolicy({
  name: "aws-ec2-vpc-enable-flow-logs",
  control: "C8",
  severity: "medium",
  description: "Every VPC has a flow log, so traffic to and from the training network is recorded.",
  remediationSteps: `Add \`new aws.ec2.FlowLog(name, { vpcId: vpc.id, trafficType: "ALL", logDestination: logGroup.arn, iamRoleArn: role.arn })\` to a KMS-encrypted log group with retention.`,
  url: "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
  checks: ["CKV2_AWS_11"],
  frameworks: [["cis-aws-5.0.0", "3.7"], ["nist-800-53-r5", "AU-2"], ["nist-800-53-r5", "AU-12"]],
  targetType: ec2.Vpc,
  validateStack: (args, report) => {
    const flows = ofTypes(args.resources, tokens(ec2.FlowLog));
    for (const { target, matches, undetermined } of coverage(targetsOf(args, tokens(ec2.Vpc), "VPCs"), flows, "vpcId", ["id"])) {
      if (matches.length > 0 || undetermined.length > 0) continue;
      report(formatViolation({ what: `VPC ${target.name} has no flow log`, where: at(target), fix: "add an aws.ec2.FlowLog with vpcId = this VPC's id" }), target.urn);
    }
  },
});

export const policies = [vpcDisallowInternetGateway, vpcDisallowNatGateway, securityGroupDisallowPublicIngress, vpcEndpointConfigureS3Policy, vpcEnableFlowLogs];
