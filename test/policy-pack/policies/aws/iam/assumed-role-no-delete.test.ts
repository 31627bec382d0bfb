/**
 * Tests of policy-pack/policies/aws/iam/assumed-role-no-delete.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import * as iam from "@pulumi/aws/iam";
import { ingestRoleDisallowDataDeletion } from "../../../../../policy-pack/policies/aws/iam/assumed-role-no-delete";
import { expectControl, expectStackPass, expectStackViolations } from "../../../expect";
import { ACCOUNT, DATA, INGEST_ROLE, urn, withProps } from "../../../fixtures/aws";
import type { ResourceSpec } from "../../../harness";

const ARN = `arn:aws:s3:::${DATA.physical}`;

describe("policy pack: AWS IAM", () => {
  describe("aws-iam-ingest-role-disallow-data-deletion (C6, stack)", () => {
    const p = ingestRoleDisallowDataDeletion;
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/data-owners` }, Action: "sts:AssumeRole" }],
    });
    const stack = (actions: string[]): ResourceSpec[] => [
      {
        type: iam.Role,
        name: "ingest",
        props: {
          name: "mltrain-dev-data-ingest-1a2b3c4",
          id: "mltrain-dev-data-ingest-1a2b3c4",
          arn: INGEST_ROLE,
          assumeRolePolicy: trust,
        },
      },
      {
        type: iam.RolePolicy,
        name: "ingest-policy",
        props: {
          role: "mltrain-dev-data-ingest-1a2b3c4",
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Sid: "WriteDatasets", Effect: "Allow", Action: actions, Resource: `${ARN}/datasets/*` }],
          }),
        },
      },
    ];
    it("proves C6", () => expectControl(p, "C6"));
    it("passes write-only grants", () => expectStackPass(p, stack(["s3:PutObject", "s3:AbortMultipartUpload", "s3:GetObject"])));
    it("reports delete actions, by name or wildcard, at the role policy", async () => {
      for (const a of ["s3:DeleteObject", "s3:Delete*", "s3:*", "*", "s3:PutLifecycleConfiguration"]) {
        const s = stack(["s3:PutObject", a]);
        await expectStackViolations(p, s, [
          [urn(s[1]), ["WriteDatasets", "which IAM principals assume", "leave deletion to administrators"]],
        ]);
      }
    });
    it("ignores roles only services assume", async () => {
      const s = stack(["s3:DeleteObject"]);
      s[0] = withProps(s[0], {
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      });
      await expectStackPass(p, s);
    });
  });
});
