/**
 * The private training network (C4, C11): a VPC with one private subnet per
 * configured AZ and no internet or NAT gateway; one route table with only
 * the local route and the S3 gateway endpoint; interface endpoints from the
 * config with private DNS; the VPC's default security group stripped of all
 * rules; and two security groups:
 *  - endpoints: 443 in from the VPC's CIDR only, nothing out;
 *  - training: everything within itself (distributed training), 443 out to
 *    the endpoints' group and to S3 through the gateway endpoint's prefix
 *    list; nothing else.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { AwsContext } from "./context";
import { arn } from "./context";
import { parseCidr, subnets } from "../cidr";
import { checkedName } from "../naming";
import { PolicyDocument, policyDocument, policyJson } from "./iam-documents";
import type { InterfaceEndpoint } from "../config";

const HTTPS = 443;

/**
 * Private subnet CIDRs: the VPC split in four equal blocks, one per AZ
 * (AZ_COUNT max is 3, so a fourth stays free for growth).
 */
export function privateSubnetCidrs(vpcCidr: string, azCount: number): string[] {
  const vpc = parseCidr(vpcCidr);
  if (typeof vpc === "string") throw new Error(`vpcCidr ${vpcCidr}: ${vpc}`);
  return subnets(vpcCidr, vpc.prefix + 2, azCount);
}

/** The bucket AWS serves ECR image layers from, which the S3 gateway endpoint must reach for image pulls. */
export function ecrLayerBucketArn(ctx: AwsContext): pulumi.Output<string> {
  return pulumi.interpolate`arn:${ctx.partition}:s3:::prod-${ctx.region}-starport-layer-bucket/*`;
}

/** Actions the gateway endpoint lets through to the environment's buckets (IAM and bucket policies narrow them further). */
export const GATEWAY_ENDPOINT_S3_ACTIONS = [
  "s3:GetObject",
  "s3:GetObjectVersion",
  "s3:PutObject",
  "s3:DeleteObject",
  "s3:ListBucket",
  "s3:ListBucketVersions",
  "s3:GetBucketLocation",
  "s3:ListBucketMultipartUploads",
  "s3:ListMultipartUploadParts",
  "s3:AbortMultipartUpload",
] as const;

/** `<env>-vpce-sagemaker-api` for `sagemaker.api`. */
export function interfaceEndpointLogicalName(envName: string, service: InterfaceEndpoint): string {
  return `${envName}-vpce-${service.replace(/\./g, "-")}`;
}

/** An interface endpoint service and the zones it is offered in (DescribeVpcEndpointServices). */
export interface ServiceZones {
  readonly service: string;
  readonly zones: readonly string[];
}

/**
 * The zones the private subnets go in: the region's available zones, in
 * their order, that offer every configured interface endpoint service. An
 * endpoint service is not offered in every zone of every account ("The VPC
 * endpoint service ... does not support the availability zone of the
 * subnet", aws-orbit-workbench issue 320), and CreateVpcEndpoint fails for a
 * subnet in such a zone. Throws, naming azCount, when fewer zones remain
 * than the stack asks for.
 */
export function chooseZones(
  available: readonly string[],
  services: readonly ServiceZones[],
  azCount: number,
  where: { project: string; region: string },
): string[] {
  const usable = available.filter((z) => services.every((s) => s.zones.includes(z)));
  if (usable.length < azCount) {
    const why =
      services.length === 0
        ? `region ${where.region} has only ${available.length} available zone(s)`
        : `region ${where.region} has ${usable.length} zone(s) that offer every interface endpoint service (${services
            .map((s) => `${s.service}: ${s.zones.filter((z) => available.includes(z)).join(", ") || "none"}`)
            .join("; ")})`;
    throw new Error(
      `${where.project}:azCount: got ${azCount}; ${why}; allowed: at most ${usable.length}, or drop the endpoint service that narrows the zones`,
    );
  }
  return usable.slice(0, azCount);
}

/** The zones for the subnets, read through the stack's provider (available zones intersected with each endpoint service's). */
export function subnetZones(ctx: AwsContext): pulumi.Output<string[]> {
  const { config } = ctx;
  const available = aws.getAvailabilityZonesOutput({ state: "available" }, ctx.invokeOpts).names;
  const services = config.interfaceEndpoints.map((service) =>
    aws.ec2
      .getVpcEndpointServiceOutput({ serviceName: interfaceServiceName(ctx, service), serviceType: "Interface" }, ctx.invokeOpts)
      .availabilityZones.apply((zones): ServiceZones => ({ service, zones })),
  );
  return pulumi
    .all([available, pulumi.all(services)])
    .apply(([names, zones]) => chooseZones(names, zones, config.azCount, { project: config.project, region: config.region }));
}

/** `com.amazonaws.<region>.<service>`. */
export function interfaceServiceName(ctx: AwsContext, service: string): pulumi.Output<string> {
  return pulumi.interpolate`${ctx.reverseDnsPrefix}.${ctx.region}.${service}`;
}

export interface TrainingNetwork {
  readonly vpc: aws.ec2.Vpc;
  readonly subnets: aws.ec2.Subnet[];
  readonly routeTable: aws.ec2.RouteTable;
  readonly endpointSecurityGroup: aws.ec2.SecurityGroup;
  readonly trainingSecurityGroup: aws.ec2.SecurityGroup;
  readonly interfaceEndpoints: aws.ec2.VpcEndpoint[];
}

export function createNetwork(ctx: AwsContext): TrainingNetwork {
  const { name, config, tags } = ctx;
  const vpc = new aws.ec2.Vpc(
    `${name}-vpc`,
    // DNS support and hostnames: required for the interface endpoints' private DNS names.
    { cidrBlock: config.vpcCidr, enableDnsSupport: true, enableDnsHostnames: true, tags },
    ctx.opts(),
  );

  // Adopting the default security group removes its rules; nothing may use it.
  new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, ingress: [], egress: [], tags }, ctx.opts({ parent: vpc }));

  const zones = subnetZones(ctx);
  const routeTable = new aws.ec2.RouteTable(`${name}-private-rt`, { vpcId: vpc.id, tags }, ctx.opts({ parent: vpc }));
  // Plain loops, not callbacks: Pulumi records a resource's source position from a named stack frame.
  const privateSubnets: aws.ec2.Subnet[] = [];
  const cidrs = privateSubnetCidrs(config.vpcCidr, config.azCount);
  for (let i = 0; i < cidrs.length; i++) {
    const subnet = new aws.ec2.Subnet(
      `${name}-private-${i + 1}`,
      {
        vpcId: vpc.id,
        cidrBlock: cidrs[i],
        availabilityZone: zones.apply((names) => names[i]),
        mapPublicIpOnLaunch: false,
        tags,
      },
      ctx.opts({ parent: vpc }),
    );
    new aws.ec2.RouteTableAssociation(
      `${name}-private-${i + 1}-rt`,
      { subnetId: subnet.id, routeTableId: routeTable.id },
      ctx.opts({ parent: subnet }),
    );
    privateSubnets.push(subnet);
  }

  const endpointSecurityGroup = new aws.ec2.SecurityGroup(
    checkedName("ec2SecurityGroup", `${name}-endpoints-sg`),
    { vpcId: vpc.id, description: `Interface VPC endpoints of ${name}: HTTPS from inside the VPC only`, tags },
    ctx.opts({ parent: vpc }),
  );
  new aws.vpc.SecurityGroupIngressRule(
    `${name}-endpoints-https-from-vpc`,
    {
      securityGroupId: endpointSecurityGroup.id,
      description: "HTTPS from inside the VPC",
      ipProtocol: "tcp",
      fromPort: HTTPS,
      toPort: HTTPS,
      cidrIpv4: config.vpcCidr,
      tags,
    },
    ctx.opts({ parent: endpointSecurityGroup }),
  );

  const trainingSecurityGroup = new aws.ec2.SecurityGroup(
    checkedName("ec2SecurityGroup", `${name}-training-sg`),
    { vpcId: vpc.id, description: `SageMaker training of ${name}: traffic within the group, HTTPS to the VPC endpoints`, tags },
    ctx.opts({ parent: vpc }),
  );
  const sgOpts = ctx.opts({ parent: trainingSecurityGroup });
  new aws.vpc.SecurityGroupIngressRule(
    `${name}-training-in-from-self`,
    {
      securityGroupId: trainingSecurityGroup.id,
      description: "Distributed training within the group",
      ipProtocol: "-1",
      referencedSecurityGroupId: trainingSecurityGroup.id,
      tags,
    },
    sgOpts,
  );
  new aws.vpc.SecurityGroupEgressRule(
    `${name}-training-out-to-self`,
    {
      securityGroupId: trainingSecurityGroup.id,
      description: "Distributed training within the group",
      ipProtocol: "-1",
      referencedSecurityGroupId: trainingSecurityGroup.id,
      tags,
    },
    sgOpts,
  );
  new aws.vpc.SecurityGroupEgressRule(
    `${name}-training-https-to-endpoints`,
    {
      securityGroupId: trainingSecurityGroup.id,
      description: "HTTPS to the interface VPC endpoints",
      ipProtocol: "tcp",
      fromPort: HTTPS,
      toPort: HTTPS,
      referencedSecurityGroupId: endpointSecurityGroup.id,
      tags,
    },
    sgOpts,
  );

  const interfaceEndpoints: aws.ec2.VpcEndpoint[] = [];
  for (const service of config.interfaceEndpoints) {
    const endpoint = new aws.ec2.VpcEndpoint(
      interfaceEndpointLogicalName(name, service),
      {
        vpcId: vpc.id,
        serviceName: interfaceServiceName(ctx, service),
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: privateSubnets.map((s) => s.id),
        securityGroupIds: [endpointSecurityGroup.id],
        tags,
      },
      ctx.opts({ parent: vpc }),
    );
    interfaceEndpoints.push(endpoint);
  }

  return { vpc, subnets: privateSubnets, routeTable, endpointSecurityGroup, trainingSecurityGroup, interfaceEndpoints };
}

/** The S3 gateway endpoint's policy: the environment's buckets (principals of this account) and the ECR layer bucket. */
export function gatewayEndpointPolicy(ctx: AwsContext, bucketArns: pulumi.Input<string>[]): PolicyDocument {
  return policyDocument([
    {
      Sid: "EnvironmentBucketsOnly",
      Effect: "Allow",
      Principal: "*",
      Action: [...GATEWAY_ENDPOINT_S3_ACTIONS],
      Resource: bucketArns.flatMap((b) => [b, pulumi.interpolate`${b}/*`]),
      Condition: { StringEquals: { "aws:PrincipalAccount": ctx.accountId } },
    },
    {
      // Image layers are fetched with URLs that ECR presigns, so the principal is not one of this account's.
      Sid: "EcrImageLayers",
      Effect: "Allow",
      Principal: "*",
      Action: "s3:GetObject",
      Resource: ecrLayerBucketArn(ctx),
    },
  ]);
}

export function createS3GatewayEndpoint(ctx: AwsContext, net: TrainingNetwork, bucketArns: pulumi.Input<string>[]): aws.ec2.VpcEndpoint {
  const endpoint = new aws.ec2.VpcEndpoint(
    `${ctx.name}-vpce-s3`,
    {
      vpcId: net.vpc.id,
      serviceName: pulumi.interpolate`${ctx.reverseDnsPrefix}.${ctx.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [net.routeTable.id],
      policy: policyJson(gatewayEndpointPolicy(ctx, bucketArns)),
      tags: ctx.tags,
    },
    ctx.opts({ parent: net.vpc }),
  );
  new aws.vpc.SecurityGroupEgressRule(
    `${ctx.name}-training-https-to-s3`,
    {
      securityGroupId: net.trainingSecurityGroup.id,
      description: "HTTPS to S3 through the gateway endpoint",
      ipProtocol: "tcp",
      fromPort: HTTPS,
      toPort: HTTPS,
      prefixListId: endpoint.prefixListId,
      tags: ctx.tags,
    },
    ctx.opts({ parent: net.trainingSecurityGroup }),
  );
  return endpoint;
}

/** ARNs IAM conditions and resources use. */
export function vpcArn(ctx: AwsContext, net: TrainingNetwork): pulumi.Output<string> {
  return arn(ctx, "ec2", pulumi.interpolate`vpc/${net.vpc.id}`);
}
