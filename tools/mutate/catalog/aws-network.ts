/**
 * Mutations of the AWS training network and SageMaker: a path to the
 * internet (C4), the domain's key (C1), notebooks (C4, C6) and audit of
 * network traffic (C8).
 */
import { add, editDocument, mutation, one, output, Rec, remove, set, statement, unset } from "../edit";
import { AWS_STACKS, Mutation } from "../types";

export const T = {
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  internetGateway: "aws:ec2/internetGateway:InternetGateway",
  egressOnlyGateway: "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
  natGateway: "aws:ec2/natGateway:NatGateway",
  eip: "aws:ec2/eip:Eip",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  flowLog: "aws:ec2/flowLog:FlowLog",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  domain: "aws:sagemaker/domain:Domain",
  notebook: "aws:sagemaker/notebookInstance:NotebookInstance",
  role: "aws:iam/role:Role",
} as const;

const PROD: Mutation["stacks"] = ["prod"];

/**
 * A notebook instance as a user might add it to the environment (its
 * private subnet, the execution role, the training security group; no
 * direct internet, no root), with `extra` inputs on top.
 */
export function addNotebook(rec: Rec, extra: Record<string, unknown> = {}): void {
  const vpc = one(rec, T.vpc, "vpc");
  const subnet = one(rec, T.subnet, "private-1");
  const role = one(rec, T.role, "sagemaker-exec");
  const sg = one(rec, T.securityGroup, "training-sg");
  add(rec, {
    type: T.notebook,
    name: `${vpc.name.replace(/-vpc$/, "")}-notebook`,
    like: role,
    tags: true,
    inputs: {
      instanceType: "ml.t3.medium",
      roleArn: output(role, "arn"),
      subnetId: output(subnet, "id"),
      securityGroups: [output(sg, "id")],
      directInternetAccess: "Disabled",
      rootAccess: "Disabled",
      ...extra,
    },
    from: { roleArn: [role], subnetId: [subnet], securityGroups: [sg] },
  });
}

export const awsNetworkMutations: Mutation[] = [
  // ------------------------------------------------------------ C4
  {
    name: "vpc-internet-gateway-added",
    control: "C4",
    description: "An internet gateway is attached to the training VPC.",
    stacks: AWS_STACKS,
    expect: ["aws-ec2-vpc-disallow-internet-gateway"],
    apply: mutation((rec) => {
      const vpc = one(rec, T.vpc, "vpc");
      add(rec, {
        type: T.internetGateway,
        name: `${vpc.name}-igw`,
        like: vpc,
        tags: true,
        inputs: { vpcId: output(vpc, "id") },
        from: { vpcId: [vpc] },
      });
    }),
  },
  {
    name: "vpc-egress-only-gateway-added",
    control: "C4",
    description: "An egress-only (IPv6) internet gateway is attached to the training VPC.",
    stacks: PROD,
    expect: ["aws-ec2-vpc-disallow-internet-gateway"],
    apply: mutation((rec) => {
      const vpc = one(rec, T.vpc, "vpc");
      add(rec, {
        type: T.egressOnlyGateway,
        name: `${vpc.name}-eigw`,
        like: vpc,
        tags: true,
        inputs: { vpcId: output(vpc, "id") },
        from: { vpcId: [vpc] },
      });
    }),
  },
  {
    name: "vpc-nat-gateway-added",
    control: "C4",
    description: "A public NAT gateway (with an Elastic IP) is added to a training subnet.",
    stacks: AWS_STACKS,
    expect: ["aws-ec2-vpc-disallow-nat-gateway"],
    apply: mutation((rec) => {
      const subnet = one(rec, T.subnet, "private-1");
      const eip = add(rec, {
        type: T.eip,
        name: `${subnet.name}-nat-eip`,
        like: subnet,
        tags: true,
        inputs: { domain: "vpc" },
        outputs: { allocationId: "eipalloc-0123456789abcdef0" },
      });
      add(rec, {
        type: T.natGateway,
        name: `${subnet.name}-nat`,
        like: subnet,
        tags: true,
        inputs: { subnetId: output(subnet, "id"), allocationId: output(eip, "allocationId") },
        from: { subnetId: [subnet], allocationId: [eip] },
      });
    }),
  },
  {
    name: "sagemaker-domain-public-internet",
    control: "C4",
    description: "The SageMaker domain's apps get direct internet access (appNetworkAccessType PublicInternetOnly).",
    stacks: ["prod"], // the Studio domain exists only where the stack's studio key is on
    expect: ["aws-sagemaker-domain-enforce-vpc-only"],
    apply: mutation((rec) => set(one(rec, T.domain, "domain"), "appNetworkAccessType", "PublicInternetOnly")),
  },
  {
    name: "sagemaker-notebook-direct-internet",
    control: "C4",
    description: "A notebook instance with direct internet access is added.",
    stacks: AWS_STACKS,
    expect: ["aws-sagemaker-notebook-instance-disable-direct-internet"],
    apply: mutation((rec) => addNotebook(rec, { directInternetAccess: "Enabled" })),
  },
  {
    name: "endpoint-security-group-open-to-internet",
    control: "C4",
    description: "The endpoint security group accepts HTTPS from 0.0.0.0/0 instead of the VPC.",
    stacks: AWS_STACKS,
    expect: ["aws-ec2-security-group-disallow-public-ingress"],
    apply: mutation((rec) => set(one(rec, T.ingressRule, "endpoints-https-from-vpc"), "cidrIpv4", "0.0.0.0/0")),
  },
  {
    name: "s3-endpoint-policy-any-bucket",
    control: "C4",
    description: 'The S3 gateway endpoint\'s policy allows every bucket (Resource "*"), opening an exfiltration path.',
    stacks: AWS_STACKS,
    expect: ["aws-ec2-vpc-endpoint-configure-s3-policy"],
    apply: mutation((rec) =>
      editDocument(one(rec, T.endpoint, "vpce-s3"), "policy", (doc) => (statement(doc, "EnvironmentBucketsOnly").Resource = "*")),
    ),
  },
  {
    name: "s3-endpoint-policy-removed",
    control: "C4",
    description: "The S3 gateway endpoint has no policy (full access to every bucket).",
    stacks: PROD,
    expect: ["aws-ec2-vpc-endpoint-configure-s3-policy"],
    apply: mutation((rec) => unset(one(rec, T.endpoint, "vpce-s3"), "policy")),
  },

  // ------------------------------------------------------------ C1
  {
    name: "sagemaker-domain-without-kms-key",
    control: "C1",
    description: "The SageMaker domain's storage is no longer encrypted with the customer key (kmsKeyId removed).",
    stacks: ["prod"], // the Studio domain exists only where the stack's studio key is on
    expect: ["aws-sagemaker-domain-missing-kms-key"],
    apply: mutation((rec) => unset(one(rec, T.domain, "domain"), "kmsKeyId")),
  },

  // ------------------------------------------------------------ C6
  {
    name: "sagemaker-notebook-root-access",
    control: "C6",
    description: "A notebook instance that gives its users root is added (private network otherwise).",
    stacks: PROD,
    expect: ["aws-sagemaker-notebook-instance-disable-root-access"],
    apply: mutation((rec) => addNotebook(rec, { rootAccess: "Enabled" })),
  },

  // ------------------------------------------------------------ C8
  {
    name: "vpc-flow-log-removed",
    control: "C8",
    description: "The training VPC's flow log is removed.",
    stacks: AWS_STACKS,
    expect: ["aws-ec2-vpc-enable-flow-logs"],
    apply: mutation((rec) => remove(rec, one(rec, T.flowLog, "vpc-flow-log"))),
  },
  {
    name: "flow-log-group-without-kms",
    control: "C8",
    description: "The flow-log group is no longer encrypted with the customer key.",
    stacks: PROD,
    expect: ["aws-cloudwatch-log-group-configure-encryption-retention"],
    apply: mutation((rec) => unset(one(rec, T.logGroup, "flow-logs"), "kmsKeyId")),
  },
  {
    name: "flow-log-group-without-retention",
    control: "C8",
    description: "The flow-log group keeps logs without a retention decision (retentionInDays removed).",
    stacks: ["dev"],
    expect: ["aws-cloudwatch-log-group-configure-encryption-retention"],
    apply: mutation((rec) => unset(one(rec, T.logGroup, "flow-logs"), "retentionInDays")),
  },
];
