/**
 * KMS (C2, C6) and IAM (C6) policies: compliant inputs pass, each insecure
 * variant reports what is wrong, where and how to fix it, and settings from
 * the policy pack config change the verdict.
 */
import { expect } from "chai";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import { keyConfigureDeletionWindow, keyDisallowPublicPrincipal, keyEnableKeyRotation } from "../../../policy-pack/policies/aws/kms/key";
import {
  policyDisallowNotActionNotResource,
  policyDisallowWildcardAction,
  policyDisallowWildcardResource,
  roleConfigureTrustedPrincipals,
  roleDisallowAdminPolicies,
  userDisallowUsersAndAccessKeys,
} from "../../../policy-pack/policies/aws/iam/identity-policies";
import { ResourceSpec, unknown } from "../harness";
import { expectControl, expectNotApplicable, expectPass, expectViolation, onResource } from "../expect";
import { ACCOUNT, KEY_ARN } from "./fixtures";

const TAGS = { environment: "prod", project: "secure-ml-training", owner: "ml@example.com", "data-classification": "restricted" };

function key(props: Record<string, unknown> = {}): ResourceSpec {
  return { type: kms.Key, name: "key", props: { enableKeyRotation: true, deletionWindowInDays: 30, tags: TAGS, ...props } };
}

const doc = (...Statement: Record<string, unknown>[]) => ({ Version: "2012-10-17", Statement });
const readData = { Sid: "ReadData", Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: ["arn:aws:s3:::data", "arn:aws:s3:::data/*"] };

function rolePolicy(policy: unknown): ResourceSpec {
  return { type: iam.RolePolicy, name: "exec-policy", props: { role: "exec", policy } };
}

describe("policy pack: AWS KMS", () => {
  describe("aws-kms-key-enable-key-rotation (C2)", () => {
    const p = keyEnableKeyRotation;
    it("proves C2", () => expectControl(p, "C2"));
    it("passes a rotating symmetric key", () => expectPass(p, key({ rotationPeriodInDays: 365 })));
    it("reports rotation off or unset", async () => {
      await expectViolation(p, key({ enableKeyRotation: false }), ["key rotation is off", "property enableKeyRotation", "Fix: set enableKeyRotation: true"]);
      await expectViolation(p, key({ enableKeyRotation: undefined }), ["not set (off)"]);
    });
    it("reports a rotation period above the configured maximum", async () => {
      await expectViolation(p, key({ rotationPeriodInDays: 730 }), ["rotationPeriodInDays is 730, longer than 365 days"]);
      await expectPass(p, key({ rotationPeriodInDays: 730 }), { config: { [p.name]: { maximumRotationPeriodDays: 730 } } });
    });
    it("is not applicable to asymmetric keys", () => expectNotApplicable(p, key({ customerMasterKeySpec: "RSA_3072", enableKeyRotation: false })));
    it("does not judge an unknown flag (preview)", () => expectPass(p, key({ enableKeyRotation: unknown("boolean") })));
  });

  describe("aws-kms-key-configure-deletion-window (C2)", () => {
    const p = keyConfigureDeletionWindow;
    it("proves C2", () => expectControl(p, "C2"));
    it("passes a prod key with 30 days, and the AWS default", async () => {
      await expectPass(p, key());
      await expectPass(p, key({ deletionWindowInDays: undefined }));
    });
    it("reports a prod key with a short window", () => expectViolation(p, key({ deletionWindowInDays: 7 }), ["deletionWindowInDays is 7, shorter than 30 days", '"prod"']));
    it("checks a key without an environment tag (fail closed) but not a dev key", async () => {
      await expectViolation(p, key({ deletionWindowInDays: 7, tags: {} }), ["shorter than 30"]);
      await expectPass(p, key({ deletionWindowInDays: 7, tags: { ...TAGS, environment: "dev" } }));
    });
    it("reads the environment from the provider's default tags", () =>
      expectViolation(p, { ...key({ deletionWindowInDays: 7, tags: undefined }), provider: { type: "pulumi:providers:aws", name: "aws", props: { defaultTags: JSON.stringify({ tags: { environment: "prod" } }) } } }, ["shorter than 30"]));
    it("uses the configured minimum and environments", async () => {
      await expectPass(p, key({ deletionWindowInDays: 14 }), { config: { [p.name]: { minimumDeletionWindowDays: 14 } } });
      await expectViolation(p, key({ deletionWindowInDays: 7, tags: { ...TAGS, environment: "staging" } }), ["shorter"], { config: { [p.name]: { environments: ["prod", "staging"] } } });
    });
  });

  describe("aws-kms-key-disallow-public-principal (C6)", () => {
    const p = keyDisallowPublicPrincipal;
    const root = { Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" };
    it("proves C6", () => expectControl(p, "C6"));
    it("passes the account-root key policy and a wildcard principal with a condition", async () => {
      await expectPass(p, key({ policy: JSON.stringify(doc(root)) }));
      await expectPass(p, { type: kms.KeyPolicy, name: "kp", props: { keyId: "k", policy: JSON.stringify(doc(root, { Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:CallerAccount": ACCOUNT } } })) } });
    });
    it("reports a wildcard principal without a condition", () =>
      expectViolation(p, key({ policy: JSON.stringify(doc(root, { Sid: "Open", Effect: "Allow", Principal: "*", Action: ["kms:Decrypt"], Resource: "*" })) }), [
        'Statement 1 ("Open") allows "kms:Decrypt" to any principal',
        "policy.Statement[1]",
      ]));
    it("reports an unreadable key policy", () => expectViolation(p, key({ policy: "[]" }), ["cannot be read: not a JSON object"]));
  });
});

describe("policy pack: AWS IAM", () => {
  describe("aws-iam-policy-disallow-wildcard-action (C6)", () => {
    const p = policyDisallowWildcardAction;
    it("proves C6", () => expectControl(p, "C6"));
    it("passes explicit actions", () => expectPass(p, rolePolicy(JSON.stringify(doc(readData)))));
    it("reports * and service:* in policies, role policies and inline policies", async () => {
      await expectViolation(p, rolePolicy(doc({ ...readData, Action: ["s3:*", "s3:GetObject"] })), ['wildcard action "s3:*"', "policy.Statement[0]"]);
      await expectViolation(p, { type: iam.Policy, name: "pol", props: { policy: JSON.stringify(doc({ Effect: "Allow", Action: "*", Resource: "*" })) } }, ['wildcard action "*"']);
      await expectViolation(p, { type: iam.Role, name: "role", props: { assumeRolePolicy: "{}", inlinePolicies: [{ name: "x", policy: JSON.stringify(doc({ Effect: "Allow", Action: "kms:*", Resource: KEY_ARN })) }] } }, ["inlinePolicies[0].policy.Statement[0]"]);
    });
    it("ignores wildcards in Deny statements", () => expectPass(p, rolePolicy(doc({ Effect: "Deny", Action: "s3:*", Resource: "*" }))));
    it("reports a malformed document and skips an unknown one", async () => {
      await expectViolation(p, rolePolicy('{"Statement": '), ["cannot be read: not valid JSON"]);
      await expectPass(p, rolePolicy(unknown()));
    });
  });

  describe("aws-iam-policy-disallow-not-action-not-resource (C6)", () => {
    const p = policyDisallowNotActionNotResource;
    it("proves C6", () => expectControl(p, "C6"));
    it("passes Action/Resource statements and NotAction in Deny", () => expectPass(p, rolePolicy(doc(readData, { Effect: "Deny", NotAction: "s3:GetObject", Resource: "*" }))));
    it("reports NotAction and NotResource in Allow", () =>
      expectViolation(p, rolePolicy(doc({ Effect: "Allow", NotAction: "iam:*", NotResource: "arn:aws:s3:::x" })), ["is an Allow with NotAction and NotResource"]));
  });

  describe("aws-iam-policy-disallow-wildcard-resource (C6)", () => {
    const p = policyDisallowWildcardResource;
    it("proves C6", () => expectControl(p, "C6"));
    it("passes scoped resources and allow-listed actions on *", () =>
      expectPass(p, rolePolicy(doc(readData, { Effect: "Allow", Action: ["ecr:GetAuthorizationToken", "ec2:DescribeSubnets"], Resource: "*" }))));
    it("reports actions outside the allow-list on * or arn:...:*", async () => {
      await expectViolation(p, rolePolicy(doc({ Effect: "Allow", Action: ["ec2:DescribeSubnets", "s3:GetObject"], Resource: "*" })), ['allows "s3:GetObject" on Resource "*"']);
      await expectViolation(p, rolePolicy(doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::*" })), ['Resource "arn:aws:s3:::*"']);
    });
    it("takes the allow-list from config", () =>
      expectPass(p, rolePolicy(doc({ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" })), { config: { [p.name]: { wildcardResourceActions: ["s3:ListAllMyBuckets"] } } }));
  });

  describe("aws-iam-role-configure-trusted-principals (C6)", () => {
    const p = roleConfigureTrustedPrincipals;
    const trust = (st: Record<string, unknown>) => ({ type: iam.Role, name: "exec", props: { assumeRolePolicy: JSON.stringify(doc(st)) } });
    const sagemaker = { Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } };
    it("proves C6", () => expectControl(p, "C6"));
    it("passes SageMaker with a source-account condition, as string or typed document", async () => {
      await expectPass(p, trust(sagemaker));
      await expectPass(p, { type: iam.Role, name: "exec", props: { assumeRolePolicy: doc(sagemaker) } });
    });
    it("reports an account principal, a wildcard and a service not on the list", async () => {
      await expectViolation(p, trust({ ...sagemaker, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }), [`AWS "arn:aws:iam::${ACCOUNT}:root"`, "assumeRolePolicy.Statement[0]"]);
      await expectViolation(p, trust({ ...sagemaker, Principal: "*" }), ['lets "*" assume the role']);
      await expectViolation(p, trust({ ...sagemaker, Principal: { Service: ["lambda.amazonaws.com"] } }), ['service "lambda.amazonaws.com"', 'trust only "sagemaker.amazonaws.com"']);
    });
    it("takes the allowed services from config", () =>
      expectPass(p, trust({ ...sagemaker, Principal: { Service: "lambda.amazonaws.com" } }), { config: { [p.name]: { allowedServicePrincipals: ["lambda.amazonaws.com"] } } }));
    it("requires a confused-deputy condition unless configured off", async () => {
      const { Condition: _c, ...bare } = sagemaker;
      await expectViolation(p, trust(bare), ["without an aws:SourceAccount or aws:SourceArn condition"]);
      await expectPass(p, trust(bare), { config: { [p.name]: { requireSourceCondition: false } } });
    });
    it("reports a missing trust policy", () => expectViolation(p, { type: iam.Role, name: "r", props: {} }, ["the trust policy is missing"]));
  });

  describe("aws-iam-role-disallow-admin-policies (C6)", () => {
    const p = roleDisallowAdminPolicies;
    it("proves C6", () => expectControl(p, "C6"));
    it("passes a customer managed least-privilege policy", () => expectPass(p, { type: iam.RolePolicyAttachment, name: "att", props: { role: "exec", policyArn: `arn:aws:iam::${ACCOUNT}:policy/mltrain-exec` } }));
    it("reports AdministratorAccess and *FullAccess wherever attached", async () => {
      await expectViolation(p, { type: iam.RolePolicyAttachment, name: "att", props: { role: "exec", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" } }, ['"AdministratorAccess"', "property policyArn"]);
      await expectViolation(p, { type: iam.PolicyAttachment, name: "pa", props: { roles: ["exec"], policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" } }, ['"AmazonS3FullAccess"']);
      await expectViolation(p, { type: iam.Role, name: "r", props: { managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/x", "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"] } }, ["managedPolicyArns[1]"]);
    });
    it("ignores unknown ARNs (preview)", () => expectPass(p, { type: iam.RolePolicyAttachment, name: "att", props: { role: "exec", policyArn: unknown() } }));
  });

  describe("aws-iam-user-disallow-users-and-access-keys (C6)", () => {
    const p = userDisallowUsersAndAccessKeys;
    it("proves C6", () => expectControl(p, "C6"));
    it("reports IAM users and access keys", async () => {
      await expectViolation(p, { type: iam.User, name: "ci", props: { name: "ci" } }, ["User creates a long-lived IAM credential"]);
      await expectViolation(p, { type: iam.AccessKey, name: "ci-key", props: { user: "ci" } }, ['AccessKey creates a long-lived IAM credential for user "ci"']);
    });
    it("does not apply to roles", async () => {
      const f = await onResource(p, { type: iam.Role, name: "r", props: {} });
      expect(f.notApplicable).to.equal(true);
    });
  });
});
