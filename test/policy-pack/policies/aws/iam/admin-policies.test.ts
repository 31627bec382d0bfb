/**
 * Tests of policy-pack/policies/aws/iam/admin-policies.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import * as iam from "@pulumi/aws/iam";
import { roleDisallowAdminPolicies } from "../../../../../policy-pack/policies/aws/iam/admin-policies";
import { expectControl, expectPass, expectViolation } from "../../../expect";
import { ACCOUNT } from "../../../fixtures/aws";
import { unknown } from "../../../harness";

describe("policy pack: AWS IAM", () => {
  describe("aws-iam-role-disallow-admin-policies (C6)", () => {
    const p = roleDisallowAdminPolicies;
    it("proves C6", () => expectControl(p, "C6"));
    it("passes a customer managed least-privilege policy", () =>
      expectPass(p, {
        type: iam.RolePolicyAttachment,
        name: "att",
        props: { role: "exec", policyArn: `arn:aws:iam::${ACCOUNT}:policy/mltrain-exec` },
      }));
    it("reports AdministratorAccess and *FullAccess wherever attached", async () => {
      await expectViolation(
        p,
        { type: iam.RolePolicyAttachment, name: "att", props: { role: "exec", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" } },
        ['"AdministratorAccess"', "property policyArn"],
      );
      await expectViolation(
        p,
        { type: iam.PolicyAttachment, name: "pa", props: { roles: ["exec"], policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" } },
        ['"AmazonS3FullAccess"'],
      );
      await expectViolation(
        p,
        {
          type: iam.Role,
          name: "r",
          props: { managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/x", "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"] },
        },
        ["managedPolicyArns[1]"],
      );
    });
    it("ignores unknown ARNs (preview)", () =>
      expectPass(p, { type: iam.RolePolicyAttachment, name: "att", props: { role: "exec", policyArn: unknown() } }));
  });
});
