/**
 * Tests of policy-pack/policies/aws/iam/users.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { expect } from "chai";
import * as iam from "@pulumi/aws/iam";
import { userDisallowUsersAndAccessKeys } from "../../../../../policy-pack/policies/aws/iam/users";
import { expectControl, expectViolation, onResource } from "../../../expect";

describe("policy pack: AWS IAM", () => {
  describe("aws-iam-user-disallow-users-and-access-keys (C6)", () => {
    const p = userDisallowUsersAndAccessKeys;
    it("proves C6", () => expectControl(p, "C6"));
    it("reports IAM users and access keys", async () => {
      await expectViolation(p, { type: iam.User, name: "ci", props: { name: "ci" } }, ["User creates a long-lived IAM credential"]);
      await expectViolation(p, { type: iam.AccessKey, name: "ci-key", props: { user: "ci" } }, [
        'AccessKey creates a long-lived IAM credential for user "ci"',
      ]);
    });
    it("does not apply to roles", async () => {
      const f = await onResource(p, { type: iam.Role, name: "r", props: {} });
      expect(f.notApplicable).to.equal(true);
    });
  });
});
