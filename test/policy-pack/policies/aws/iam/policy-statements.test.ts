/**
 * Tests of policy-pack/policies/aws/iam/policy-statements.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import * as iam from "@pulumi/aws/iam";
import {
  policyDisallowNotActionNotResource,
  policyDisallowWildcardAction,
  policyDisallowWildcardResource,
} from "../../../../../policy-pack/policies/aws/iam/policy-statements";
import { expectControl, expectPass, expectViolation } from "../../../expect";
import { ACCOUNT, KEY_ARN } from "../../../fixtures/aws";
import { ResourceSpec, unknown } from "../../../harness";

const doc = (...Statement: Record<string, unknown>[]) => ({ Version: "2012-10-17", Statement });

const readData = {
  Sid: "ReadData",
  Effect: "Allow",
  Action: ["s3:GetObject", "s3:ListBucket"],
  Resource: ["arn:aws:s3:::data", "arn:aws:s3:::data/*"],
};

function rolePolicy(policy: unknown): ResourceSpec {
  return { type: iam.RolePolicy, name: "exec-policy", props: { role: "exec", policy } };
}

describe("policy pack: AWS IAM", () => {
  describe("aws-iam-policy-disallow-wildcard-action (C6)", () => {
    const p = policyDisallowWildcardAction;
    it("proves C6", () => expectControl(p, "C6"));
    it("passes explicit actions", () => expectPass(p, rolePolicy(JSON.stringify(doc(readData)))));
    it("reports * and service:* in policies, role policies and inline policies", async () => {
      await expectViolation(p, rolePolicy(doc({ ...readData, Action: ["s3:*", "s3:GetObject"] })), [
        'wildcard action "s3:*"',
        "policy.Statement[0]",
      ]);
      await expectViolation(
        p,
        { type: iam.Policy, name: "pol", props: { policy: JSON.stringify(doc({ Effect: "Allow", Action: "*", Resource: "*" })) } },
        ['wildcard action "*"'],
      );
      await expectViolation(
        p,
        {
          type: iam.Role,
          name: "role",
          props: {
            assumeRolePolicy: "{}",
            inlinePolicies: [{ name: "x", policy: JSON.stringify(doc({ Effect: "Allow", Action: "kms:*", Resource: KEY_ARN })) }],
          },
        },
        ["inlinePolicies[0].policy.Statement[0]"],
      );
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
    it("passes Action/Resource statements and NotAction in Deny", () =>
      expectPass(p, rolePolicy(doc(readData, { Effect: "Deny", NotAction: "s3:GetObject", Resource: "*" }))));
    it("reports NotAction and NotResource in Allow", () =>
      expectViolation(p, rolePolicy(doc({ Effect: "Allow", NotAction: "iam:*", NotResource: "arn:aws:s3:::x" })), [
        "is an Allow with NotAction and NotResource",
      ]));
  });

  describe("aws-iam-policy-disallow-wildcard-resource (C6)", () => {
    const p = policyDisallowWildcardResource;
    it("proves C6", () => expectControl(p, "C6"));
    it("passes scoped resources and allow-listed actions on *", () =>
      expectPass(
        p,
        rolePolicy(doc(readData, { Effect: "Allow", Action: ["ecr:GetAuthorizationToken", "ec2:DescribeSubnets"], Resource: "*" })),
      ));
    it("reports actions outside the allow-list on * or arn:...:*", async () => {
      await expectViolation(p, rolePolicy(doc({ Effect: "Allow", Action: ["ec2:DescribeSubnets", "s3:GetObject"], Resource: "*" })), [
        'allows "s3:GetObject" on Resource "*"',
      ]);
      await expectViolation(p, rolePolicy(doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::*" })), [
        'Resource "arn:aws:s3:::*"',
      ]);
    });
    it("takes the allow-list from config", () =>
      expectPass(p, rolePolicy(doc({ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" })), {
        config: { [p.name]: { wildcardResourceActions: ["s3:ListAllMyBuckets"] } },
      }));
    it("reports patterns that reach beyond the environment: a wildcard bucket, region, account, partition or service", async () => {
      for (const [resource, why] of [
        ["arn:aws:s3:::*/*", "any bucket"],
        ["arn:aws:s3:::mltrain-*/data/*", "any bucket"],
        [`arn:aws:logs:*:${ACCOUNT}:log-group:/aws/sagemaker/*`, "any region"],
        ["arn:aws:ec2:us-east-1:*:network-interface/*", "any account"],
        ["arn:aws:kms:us-east-1:1234567890?2:key/k", "any account"],
        ["arn:*:s3:::data/*", "any partition"],
        [`arn:aws:*:us-east-1:${ACCOUNT}:thing/x`, "any service"],
      ] as const) {
        await expectViolation(
          p,
          rolePolicy(doc(readData, { Sid: "Wide", Effect: "Allow", Action: "s3:GetObject", Resource: ["arn:aws:s3:::data/*", resource] })),
          [`Statement 1 ("Wide") allows "s3:GetObject" on Resource "${resource}" (${why})`, "beyond the environment's own resources"],
        );
      }
    });
    it("passes wildcards inside the named account, region and bucket, and allow-listed actions on any region", async () => {
      await expectPass(
        p,
        rolePolicy(
          doc(readData, {
            Effect: "Allow",
            Action: ["sagemaker:DescribeTrainingJob", "logs:PutLogEvents", "s3:PutObject"],
            Resource: [
              `arn:aws:sagemaker:us-east-1:${ACCOUNT}:training-job/*`,
              `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/sagemaker/*:log-stream:*`,
              "arn:aws:s3:::data/output/*",
            ],
          }),
        ),
      );
      await expectPass(
        p,
        rolePolicy(doc({ Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: `arn:aws:logs:*:${ACCOUNT}:log-group:*` })),
      );
    });
  });
});
