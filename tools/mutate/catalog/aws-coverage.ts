/**
 * Mutations for the policies that close Checkov's gaps on the AWS stacks
 * (docs/coverage.md): egress to the internet and rules on the default
 * security group (C4), public addresses at launch (C4), a key left to AWS's
 * default key policy (C6), and logs kept shorter than the tier's minimum
 * (C8).
 */
import { add, mutation, one, output, set, unset } from "../edit";
import { AWS_STACKS, Mutation } from "../types";

const T = {
  subnet: "aws:ec2/subnet:Subnet",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  key: "aws:kms/key:Key",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
} as const;

export const awsCoverageMutations: Mutation[] = [
  {
    name: "sg-egress-to-internet",
    control: "C4",
    description: "The training security group gets an egress rule to 0.0.0.0/0 (all ports): a path for data out of the network.",
    stacks: AWS_STACKS,
    expect: ["aws-ec2-security-group-disallow-public-egress"],
    apply: mutation((rec) => {
      const sg = one(rec, T.securityGroup, "training-sg");
      add(rec, {
        type: T.egressRule,
        name: `${sg.name.replace(/-sg$/, "")}-all-out`,
        like: sg,
        tags: true,
        inputs: { securityGroupId: output(sg, "id"), description: "everything out", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" },
        from: { securityGroupId: [sg] },
      });
    }),
  },
  {
    name: "default-sg-self-ingress",
    control: "C4",
    description: "The adopted default security group gets back AWS's rule that lets its members reach each other.",
    stacks: AWS_STACKS,
    expect: ["aws-ec2-default-security-group-disallow-rules"],
    apply: mutation((rec) => set(one(rec, T.defaultSecurityGroup, "default-sg"), "ingress", [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }])),
  },
  {
    name: "subnet-public-ip-on-launch",
    control: "C4",
    description: "The first private subnet assigns a public IPv4 address to everything launched into it.",
    stacks: AWS_STACKS,
    expect: ["aws-ec2-subnet-disable-public-ip-on-launch"],
    apply: mutation((rec) => set(one(rec, T.subnet, "private-1"), "mapPublicIpOnLaunch", true)),
  },
  {
    name: "kms-key-default-policy",
    control: "C6",
    description: "The KMS key is created without a key policy, so AWS's default policy lets every principal of the account that IAM allows use it.",
    stacks: AWS_STACKS,
    expect: ["aws-kms-key-missing-key-policy"],
    apply: mutation((rec) => unset(one(rec, T.key), "policy")),
  },
  {
    name: "log-group-retention-below-tier",
    control: "C8",
    description: "The prod flow-log group keeps its events 30 days instead of a year.",
    stacks: ["prod"],
    expect: ["aws-cloudwatch-log-group-configure-tier-minimum-retention"],
    apply: mutation((rec) => set(one(rec, T.logGroup, "flow-logs"), "retentionInDays", 30)),
  },
];
