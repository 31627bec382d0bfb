/**
 * Mutations for the policies that close Checkov's gaps on the AWS stacks
 * (docs/coverage.md): egress to the internet and rules on the default
 * security group (C4), public addresses at launch (C4), a key left to AWS's
 * default key policy (C6), and logs kept shorter than the tier's minimum
 * (C8).
 */
import { add, editDocument, mutation, one, output, providerOf, set, unset } from "../edit";
import { AWS_STACKS, Mutation } from "../types";
import { addNotebook } from "./aws-network";

const T = {
  subnet: "aws:ec2/subnet:Subnet",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  key: "aws:kms/key:Key",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  bucket: "aws:s3/bucket:Bucket",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  objectLock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
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
    apply: mutation((rec) =>
      set(one(rec, T.defaultSecurityGroup, "default-sg"), "ingress", [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }]),
    ),
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
    description:
      "The KMS key is created without a key policy, so AWS's default policy lets every principal of the account that IAM allows use it.",
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
  {
    name: "notebook-without-kms-key",
    control: "C1",
    description: "A notebook instance is added whose storage volume is encrypted with an AWS managed key (no kmsKeyId).",
    stacks: AWS_STACKS,
    expect: ["aws-sagemaker-notebook-instance-missing-kms-key"],
    apply: mutation((rec) => addNotebook(rec, { instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: "2" } })),
  },
  {
    name: "notebook-imdsv1-allowed",
    control: "C6",
    description: "A notebook instance is added that still answers IMDSv1 requests (minimumInstanceMetadataServiceVersion 1).",
    stacks: AWS_STACKS,
    expect: ["aws-sagemaker-notebook-instance-enforce-imdsv2"],
    apply: mutation((rec) =>
      addNotebook(rec, {
        kmsKeyId: output(one(rec, T.key), "arn"),
        instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: "1" },
      }),
    ),
  },
  {
    name: "provider-static-access-key",
    control: "C6",
    description: "The stack's AWS provider is given a static access key and secret key.",
    stacks: AWS_STACKS,
    expect: ["aws-pulumi-provider-disallow-static-credentials"],
    apply: mutation((rec) => {
      const provider = providerOf(rec, one(rec, T.key));
      set(provider, "accessKey", "AKIAIOSFODNN7EXAMPLE");
      set(provider, "secretKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    }),
  },
  {
    name: "bucket-policy-locks-out-everyone",
    control: "C11",
    description: "The data bucket policy gains an unconditioned Deny of s3:* to every principal, which only the root user can undo.",
    stacks: AWS_STACKS,
    expect: ["aws-s3-bucket-policy-disallow-unconditional-deny"],
    apply: mutation((rec) => {
      const bucket = one(rec, T.bucket, "data");
      editDocument(one(rec, T.bucketPolicy, "data-policy"), "policy", (doc) => {
        doc.Statement.push({
          Sid: "FreezeBucket",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [`${bucket.outputs.arn}`, `${bucket.outputs.arn}/*`],
        });
      });
    }),
  },
  {
    name: "kms-key-disabled",
    control: "C11",
    description: "The environment's KMS key is disabled, so KMS refuses every encryption and decryption with it.",
    stacks: AWS_STACKS,
    expect: ["aws-kms-key-disallow-disabled"],
    apply: mutation((rec) => set(one(rec, T.key), "isEnabled", false)),
  },
  {
    name: "log-bucket-object-lock-retention",
    control: "C11",
    description: "The access-log bucket gets Object Lock with a 30-day default retention, to which S3 does not deliver server access logs.",
    stacks: AWS_STACKS,
    expect: ["aws-s3-bucket-disallow-object-lock-on-log-target"],
    apply: mutation((rec) => {
      const logs = one(rec, T.bucket, "logs");
      set(logs, "objectLockEnabled", true);
      add(rec, {
        type: T.objectLock,
        name: `${logs.name}-object-lock`,
        like: logs,
        inputs: { bucket: output(logs, "bucket"), rule: { defaultRetention: { mode: "GOVERNANCE", days: 30 } } },
        from: { bucket: [logs] },
      });
    }),
  },
];
