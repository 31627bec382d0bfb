/**
 * Tests of policy-pack/policies/aws/iam/role-trust.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import * as iam from "@pulumi/aws/iam";
import { roleConfigureTrustedPrincipals } from "../../../../../policy-pack/policies/aws/iam/role-trust";
import { expectControl, expectPass, expectViolation } from "../../../expect";
import { ACCOUNT } from "../../../fixtures/aws";
import type { ResourceSpec } from "../../../harness";

const doc = (...Statement: Record<string, unknown>[]) => ({ Version: "2012-10-17", Statement });

describe("policy pack: AWS IAM", () => {
  describe("aws-iam-role-configure-trusted-principals (C6)", () => {
    const p = roleConfigureTrustedPrincipals;
    const trust = (st: Record<string, unknown>) => ({ type: iam.Role, name: "exec", props: { assumeRolePolicy: JSON.stringify(doc(st)) } });
    const sagemaker = {
      Effect: "Allow",
      Principal: { Service: "sagemaker.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
    };
    it("proves C6", () => expectControl(p, "C6"));
    it("passes SageMaker with a source-account condition, as string or typed document", async () => {
      await expectPass(p, trust(sagemaker));
      await expectPass(p, { type: iam.Role, name: "exec", props: { assumeRolePolicy: doc(sagemaker) } });
    });
    it("reports an account principal, a wildcard and a service not on the list", async () => {
      await expectViolation(p, trust({ ...sagemaker, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }), [
        `AWS "arn:aws:iam::${ACCOUNT}:root"`,
        "assumeRolePolicy.Statement[0]",
      ]);
      await expectViolation(p, trust({ ...sagemaker, Principal: "*" }), ['lets "*" assume the role']);
      await expectViolation(p, trust({ ...sagemaker, Principal: { Service: ["lambda.amazonaws.com"] } }), [
        'service "lambda.amazonaws.com"',
        'trust only "sagemaker.amazonaws.com"',
      ]);
    });
    it("takes the allowed services from config", () =>
      expectPass(p, trust({ ...sagemaker, Principal: { Service: "lambda.amazonaws.com" } }), {
        config: { [p.name]: { allowedServicePrincipals: ["lambda.amazonaws.com"] } },
      }));
    it("requires a confused-deputy condition unless configured off", async () => {
      const { Condition: _c, ...bare } = sagemaker;
      await expectViolation(p, trust(bare), ["without an aws:SourceAccount or aws:SourceArn condition"]);
      await expectPass(p, trust(bare), { config: { [p.name]: { requireSourceCondition: false } } });
    });
    it("reports a missing trust policy", () =>
      expectViolation(p, { type: iam.Role, name: "r", props: {} }, ["the trust policy is missing"]));
  });
});

describe("policy pack: AWS IAM, named principals (issue 16)", () => {
  describe("aws-iam-role-configure-trusted-principals: named principals", () => {
    const p = roleConfigureTrustedPrincipals;
    const role = (principal: unknown): ResourceSpec => ({
      type: iam.Role,
      name: "ingest",
      props: {
        arn: `arn:aws:iam::${ACCOUNT}:role/mltrain-dev-data-ingest-1a2b3c4`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole" }],
        }),
      },
    });
    it("accepts named roles and users of the role's own account", () =>
      expectPass(p, role([`arn:aws:iam::${ACCOUNT}:role/data-owners`, `arn:aws:iam::${ACCOUNT}:user/ci`])));
    it("reports wildcards, account roots and other accounts, saying why", async () => {
      await expectViolation(p, role("*"), ['AWS "*"', "has a wildcard"]);
      await expectViolation(p, role(`arn:aws:iam::${ACCOUNT}:root`), ["is an account root"]);
      await expectViolation(p, role(ACCOUNT), ["is an account root"]);
      await expectViolation(p, role("arn:aws:iam::999999999999:role/x"), [
        "is in account 999999999999, not the role's account 123456789012",
      ]);
      await expectViolation(p, role(Array.from({ length: 11 }, (_, i) => `arn:aws:iam::${ACCOUNT}:role/r${i}`)), [
        "at most 10 named roles",
      ]);
    });
  });
});
