/**
 * AWS network (C4, C8), CloudWatch Logs (C8) and SageMaker (C1, C4, C6, C7)
 * policies: compliant inputs pass, insecure ones report what, where and how.
 */
import { expect } from "chai";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as sagemaker from "@pulumi/aws/sagemaker";
import * as vpc from "@pulumi/aws/vpc";
import { logGroupConfigureEncryptionRetention } from "../../../policy-pack/policies/aws/cloudwatch/log-group";
import {
  securityGroupDisallowPublicIngress,
  vpcDisallowInternetGateway,
  vpcDisallowNatGateway,
  vpcEnableFlowLogs,
  vpcEndpointConfigureS3Policy,
} from "../../../policy-pack/policies/aws/ec2/network";
import {
  domainEnforceVpcOnly,
  domainMissingKmsKey,
  executionRoleEnforceJobGuardrails,
  notebookDisableDirectInternet,
  notebookDisableRootAccess,
} from "../../../policy-pack/policies/aws/sagemaker";
import { ResourceSpec, unknown, urnOf } from "../harness";
import { expectControl, expectNotApplicable, expectPass, expectStackPass, expectStackViolations, expectViolation, onStack } from "../expect";
import { ACCOUNT, KEY_ARN } from "./fixtures";

const doc = (...Statement: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement });

describe("policy pack: AWS network", () => {
  describe("aws-ec2-vpc-disallow-internet-gateway (C4)", () => {
    const p = vpcDisallowInternetGateway;
    it("proves C4", () => expectControl(p, "C4"));
    it("reports internet and egress-only gateways", async () => {
      await expectViolation(p, { type: ec2.InternetGateway, name: "igw", props: { vpcId: "vpc-1" } }, ["InternetGateway gives the training VPC vpc-1 a path to the internet"]);
      await expectViolation(p, { type: ec2.EgressOnlyInternetGateway, name: "eigw", props: { vpcId: unknown() } }, ["EgressOnlyInternetGateway"]);
    });
    it("does not apply to a VPC endpoint", () => expectNotApplicable(p, { type: ec2.VpcEndpoint, name: "ep", props: {} }));
  });

  describe("aws-ec2-vpc-disallow-nat-gateway (C4)", () => {
    const p = vpcDisallowNatGateway;
    it("proves C4", () => expectControl(p, "C4"));
    it("passes a private NAT gateway", () => expectPass(p, { type: ec2.NatGateway, name: "nat", props: { connectivityType: "private", subnetId: "s" } }));
    it("reports a public NAT gateway (the default)", () => expectViolation(p, { type: ec2.NatGateway, name: "nat", props: { subnetId: "s" } }, ['not set (default "public")', "property connectivityType"]));
  });

  describe("aws-ec2-security-group-disallow-public-ingress (C4)", () => {
    const p = securityGroupDisallowPublicIngress;
    it("proves C4", () => expectControl(p, "C4"));
    it("passes ingress from the VPC", async () => {
      await expectPass(p, { type: ec2.SecurityGroup, name: "sg", props: { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.20.0.0/16"] }] } });
      await expectPass(p, { type: vpc.SecurityGroupIngressRule, name: "r", props: { securityGroupId: "sg", ipProtocol: "tcp", cidrIpv4: "10.20.0.0/16" } });
    });
    it("reports 0.0.0.0/0 and ::/0 ingress in every rule shape", async () => {
      await expectViolation(p, { type: ec2.SecurityGroup, name: "sg", props: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] } }, ["ingress is open to 0.0.0.0/0", "property ingress[0]"]);
      await expectViolation(p, { type: vpc.SecurityGroupIngressRule, name: "r", props: { securityGroupId: "sg", ipProtocol: "-1", cidrIpv6: "::/0" } }, ["::/0", "property cidrIpv6"]);
      await expectViolation(p, { type: ec2.SecurityGroupRule, name: "r", props: { type: "ingress", securityGroupId: "sg", protocol: "tcp", fromPort: 1, toPort: 2, cidrBlocks: ["0.0.0.0/0"] } }, ["0.0.0.0/0"]);
    });
    it("ignores egress rules", () => expectPass(p, { type: ec2.SecurityGroupRule, name: "r", props: { type: "egress", securityGroupId: "sg", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] } }));
  });

  describe("aws-ec2-vpc-endpoint-configure-s3-policy (C4)", () => {
    const p = vpcEndpointConfigureS3Policy;
    const s3 = (policy?: unknown): ResourceSpec => ({ type: ec2.VpcEndpoint, name: "s3", props: { vpcId: "vpc-1", serviceName: "com.amazonaws.eu-west-1.s3", vpcEndpointType: "Gateway", ...(policy === undefined ? {} : { policy }) } });
    it("proves C4", () => expectControl(p, "C4"));
    it("passes a policy naming the environment's buckets", () => expectPass(p, s3(doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: ["arn:aws:s3:::data/*"] }))));
    it("reports a missing policy and Resource *", async () => {
      await expectViolation(p, s3(), ["no policy (full access to every bucket)"]);
      await expectViolation(p, s3(doc({ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" })), ['on *, i.e. every bucket', "policy.Statement[0]"]);
    });
    it("does not apply to other endpoints", () => expectNotApplicable(p, { type: ec2.VpcEndpoint, name: "sts", props: { vpcId: "v", serviceName: "com.amazonaws.eu-west-1.sts" } }));
  });

  describe("aws-ec2-vpc-enable-flow-logs (C8, stack)", () => {
    const p = vpcEnableFlowLogs;
    const vpcSpec: ResourceSpec = { type: ec2.Vpc, name: "vpc", props: { id: "vpc-123", cidrBlock: "10.20.0.0/16" } };
    const flow: ResourceSpec = { type: ec2.FlowLog, name: "flow", props: { vpcId: "vpc-123", trafficType: "ALL" } };
    it("proves C8", () => expectControl(p, "C8"));
    it("passes a VPC with a flow log", () => expectStackPass(p, [vpcSpec, flow]));
    it("reports a VPC without a flow log", () =>
      expectStackViolations(p, [vpcSpec, { ...flow, props: { vpcId: "vpc-other" } }], [[urnOf(vpcSpec), ["VPC vpc has no flow log"]]]));
  });

  describe("aws-cloudwatch-log-group-configure-encryption-retention (C8)", () => {
    const p = logGroupConfigureEncryptionRetention;
    it("proves C8", () => expectControl(p, "C8"));
    it("passes an encrypted log group with retention", () => expectPass(p, { type: cloudwatch.LogGroup, name: "lg", props: { kmsKeyId: KEY_ARN, retentionInDays: 30 } }));
    it("reports a missing key and missing retention", async () => {
      await expectViolation(p, { type: cloudwatch.LogGroup, name: "lg", props: { retentionInDays: 30 } }, ["not encrypted with a customer managed key", "property kmsKeyId"]);
      await expectViolation(p, { type: cloudwatch.LogGroup, name: "lg", props: { kmsKeyId: KEY_ARN, retentionInDays: 0 } }, ["retentionInDays is 0"]);
    });
  });
});

describe("policy pack: AWS SageMaker", () => {
  const domain = (props: Record<string, unknown> = {}): ResourceSpec => ({
    type: sagemaker.Domain,
    name: "domain",
    props: { domainName: "d", authMode: "IAM", vpcId: "vpc-1", subnetIds: ["subnet-1"], defaultUserSettings: { executionRole: "arn" }, appNetworkAccessType: "VpcOnly", kmsKeyId: KEY_ARN, ...props },
  });
  const notebook = (props: Record<string, unknown> = {}): ResourceSpec => ({
    type: sagemaker.NotebookInstance,
    name: "nb",
    props: { instanceType: "ml.t3.medium", roleArn: "arn", subnetId: "subnet-1", securityGroups: ["sg-1"], directInternetAccess: "Disabled", rootAccess: "Disabled", ...props },
  });

  describe("aws-sagemaker-domain-enforce-vpc-only (C4)", () => {
    const p = domainEnforceVpcOnly;
    it("proves C4", () => expectControl(p, "C4"));
    it("passes a VpcOnly domain", () => expectPass(p, domain()));
    it("reports PublicInternetOnly, explicit or default", async () => {
      await expectViolation(p, domain({ appNetworkAccessType: "PublicInternetOnly" }), ['"PublicInternetOnly"', "property appNetworkAccessType"]);
      await expectViolation(p, domain({ appNetworkAccessType: undefined }), ['not set (default "PublicInternetOnly")']);
    });
  });

  describe("aws-sagemaker-domain-missing-kms-key (C1)", () => {
    const p = domainMissingKmsKey;
    it("proves C1", () => expectControl(p, "C1"));
    it("passes a domain with a customer key", () => expectPass(p, domain()));
    it("reports a domain without kmsKeyId", () => expectViolation(p, domain({ kmsKeyId: undefined }), ["kmsKeyId is not set"]));
  });

  describe("aws-sagemaker-notebook-instance-disable-direct-internet (C4)", () => {
    const p = notebookDisableDirectInternet;
    it("proves C4", () => expectControl(p, "C4"));
    it("passes a notebook without direct internet in a subnet", () => expectPass(p, notebook()));
    it("reports direct internet (default Enabled) and a missing subnet", async () => {
      await expectViolation(p, notebook({ directInternetAccess: undefined }), ['not set (default "Enabled")']);
      await expectViolation(p, notebook({ subnetId: undefined }), ["no subnetId"]);
    });
  });

  describe("aws-sagemaker-notebook-instance-disable-root-access (C6)", () => {
    const p = notebookDisableRootAccess;
    it("proves C6", () => expectControl(p, "C6"));
    it("passes a notebook without root", () => expectPass(p, notebook()));
    it("reports root access", () => expectViolation(p, notebook({ rootAccess: "Enabled" }), ['rootAccess is "Enabled"']));
  });

  describe("aws-sagemaker-execution-role-enforce-job-guardrails (C7, stack)", () => {
    const p = executionRoleEnforceJobGuardrails;
    const role: ResourceSpec = {
      type: iam.Role,
      name: "exec",
      props: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }) },
    };
    const guarded = {
      Sid: "CreateTrainingJob",
      Effect: "Allow",
      Action: "sagemaker:CreateTrainingJob",
      Resource: `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:training-job/*`,
      Condition: {
        "ForAllValues:StringEquals": { "sagemaker:VpcSubnets": ["subnet-1"] },
        StringEquals: { "sagemaker:VolumeKmsKey": KEY_ARN, "sagemaker:OutputKmsKey": KEY_ARN },
        Bool: { "sagemaker:InterContainerTrafficEncryption": "true", "sagemaker:NetworkIsolation": "true" },
      },
    };
    const policyOf = (...sts: Record<string, unknown>[]): ResourceSpec => ({ type: iam.RolePolicy, name: "exec-policy", props: { role: "exec", policy: doc(...sts) } });
    it("proves C7", () => expectControl(p, "C7"));
    it("passes when the role's policy allows CreateTrainingJob under every guardrail", () => expectStackPass(p, [role, policyOf(guarded)]));
    it("accepts a guardrail carried by a managed policy or inline policy", async () => {
      await expectStackPass(p, [role, { type: iam.Policy, name: "launcher", props: { policy: doc(guarded) } }]);
      await expectStackPass(p, [{ ...role, props: { ...role.props, inlinePolicies: [{ name: "jobs", policy: doc(guarded) }] } }]);
    });
    it("reports a statement that allows CreateTrainingJob without some guardrails", async () => {
      const weak = { ...guarded, Condition: { Bool: { "sagemaker:NetworkIsolation": "false", "sagemaker:InterContainerTrafficEncryption": "true" }, StringEquals: { "sagemaker:VolumeKmsKey": KEY_ARN } } };
      const pol = policyOf(weak);
      await expectStackViolations(p, [role, pol], [
        [urnOf(pol), ["allows sagemaker:CreateTrainingJob without requiring sagemaker:VpcSubnets, sagemaker:OutputKmsKey, sagemaker:NetworkIsolation", "policy.Statement[0]"]],
      ]);
    });
    it("reports sagemaker:* granting job creation without conditions, beside a guarded statement", async () => {
      const pol = policyOf(guarded, { Sid: "All", Effect: "Allow", Action: "sagemaker:*", Resource: "*" });
      await expectStackViolations(p, [role, pol], [[urnOf(pol), ['Statement 1 ("All") allows sagemaker:CreateTrainingJob without requiring']]]);
    });
    it("reports an execution role with no way to create guarded jobs", () =>
      expectStackViolations(p, [role, policyOf({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::data/*" })], [[urnOf(role), ["no IAM policy in the stack allows sagemaker:CreateTrainingJob, so no training job can be launched under the guardrail conditions"]]]));
    it("is not applicable without SageMaker", async () => {
      const f = await onStack(p, [{ type: iam.Role, name: "flow", props: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }) } }]);
      expect(f.notApplicable).to.equal(true);
    });
    it("does not judge while the policy document is unknown (preview)", () => expectStackPass(p, [role, { ...policyOf(guarded), props: { role: "exec", policy: unknown() } }]));
  });
});
