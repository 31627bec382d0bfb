/**
 * Fuzzer seeds for the resource types policies handle that neither the
 * shipped stacks nor the mutation catalog create (deprecated v6-style
 * classes, other IAM credentials and attachments, ...), plus regression
 * inputs: bags that once made a policy throw, kept so they are replayed on
 * every run.
 */
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as s3 from "@pulumi/aws/s3";
import * as ml from "@pulumi/azure-native/machinelearningservices";
import * as network from "@pulumi/azure-native/network";
import type { ResourceSpec } from "../../policy-pack/harness";

const DOC = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Sid: "Read", Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::data/*" },
    {
      Sid: "Any",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::123456789012:root" },
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { StringEquals: { "kms:CallerAccount": "123456789012" } },
    },
  ],
});
const TAGS = { environment: "prod", project: "secure-ml-training", owner: "ml-platform@example.com", "data-classification": "restricted" };

export const FUZZ_SEEDS: ResourceSpec[] = [
  {
    type: s3.BucketV2,
    name: "legacy-bucket",
    props: {
      bucket: "legacy",
      acl: "private",
      policy: DOC,
      serverSideEncryptionConfiguration: {
        rule: {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:eu-west-1:123456789012:key/k" },
          bucketKeyEnabled: true,
        },
      },
      versioning: { enabled: true },
      logging: { targetBucket: "logs" },
      grants: [{ type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers", permissions: ["READ"] }],
      tags: TAGS,
    },
  },
  {
    type: s3.BucketAclV2,
    name: "acl-v2",
    props: {
      bucket: "b",
      accessControlPolicy: {
        owner: { id: "o" },
        grants: [{ permission: "READ", grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" } }],
      },
    },
  },
  { type: s3.BucketObject, name: "object", props: { bucket: "b", key: "k", acl: "public-read", tags: TAGS } },
  { type: s3.BucketObjectv2, name: "object-v2", props: { bucket: "b", key: "k", acl: "authenticated-read", tags: TAGS } },
  {
    type: kms.ReplicaKey,
    name: "replica",
    props: { primaryKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k", deletionWindowInDays: 7, policy: DOC, tags: TAGS },
  },
  { type: kms.KeyPolicy, name: "key-policy", props: { keyId: "k", policy: DOC } },
  { type: iam.UserPolicy, name: "user-policy", props: { user: "u", policy: DOC } },
  { type: iam.GroupPolicy, name: "group-policy", props: { group: "g", policy: DOC } },
  {
    type: iam.PolicyAttachment,
    name: "policy-attachment",
    props: { roles: ["r"], users: ["u"], policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" },
  },
  {
    type: iam.UserPolicyAttachment,
    name: "user-attachment",
    props: { user: "u", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
  },
  {
    type: iam.GroupPolicyAttachment,
    name: "group-attachment",
    props: { group: "g", policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" },
  },
  {
    type: iam.RolePolicyAttachmentsExclusive,
    name: "exclusive",
    props: { roleName: "r", policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AdministratorAccess"] },
  },
  { type: iam.UserLoginProfile, name: "login", props: { user: "u", passwordLength: 20 } },
  { type: iam.ServiceSpecificCredential, name: "ssc", props: { userName: "u", serviceName: "codecommit.amazonaws.com" } },
  { type: iam.SigningCertificate, name: "cert", props: { userName: "u", certificateBody: "-----BEGIN CERTIFICATE-----" } },
  { type: iam.SshKey, name: "ssh", props: { username: "u", publicKey: "ssh-rsa AAAA", encoding: "SSH" } },
  { type: ec2.InternetGatewayAttachment, name: "igw-attachment", props: { internetGatewayId: "igw-1", vpcId: "vpc-1" } },
  {
    type: ec2.SecurityGroupRule,
    name: "sg-rule",
    props: {
      type: "ingress",
      securityGroupId: "sg-1",
      protocol: "tcp",
      fromPort: 22,
      toPort: 22,
      cidrBlocks: ["0.0.0.0/0"],
      ipv6CidrBlocks: ["::/0"],
    },
  },
  {
    type: ec2.SecurityGroup,
    name: "sg-inline",
    props: { vpcId: "vpc-1", ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }], tags: TAGS },
  },
  {
    type: network.SecurityRule,
    name: "nsg-rule",
    props: {
      resourceGroupName: "rg",
      networkSecurityGroupName: "nsg",
      access: "Allow",
      direction: "Inbound",
      priority: 100,
      protocol: "Tcp",
      sourceAddressPrefixes: ["Internet", "10.0.0.0/8"],
    },
  },
  {
    type: ml.Compute,
    name: "compute-instance",
    props: {
      resourceGroupName: "rg",
      workspaceName: "ws",
      properties: { computeType: "ComputeInstance", properties: { enableNodePublicIp: true, vmSize: "Standard_DS3_v2" } },
      tags: TAGS,
    },
  },
];

export interface Regression {
  readonly policy: string;
  /** What threw, and the fix (policy-pack/policies/...). */
  readonly note: string;
  readonly spec: ResourceSpec;
}

/** Inputs that made a policy throw before its robustness fix; replayed on every run. */
export const REGRESSIONS: Regression[] = [];
