/** aws-s3-bucket-policy-disallow-unconditional-deny (C11): no policy locks out everyone but root. */
import * as s3 from "@pulumi/aws/s3";
import { bucketPolicyDisallowUnconditionalDeny as p } from "../../../../../policy-pack/policies/aws/s3/bucket-policy-lockout";
import { unknown } from "../../../harness";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../../expect";

const doc = (...Statement: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const policy = (text: string) => ({ type: s3.BucketPolicy, name: "data-policy", props: { bucket: "data", policy: text } });

describe("aws-s3-bucket-policy-disallow-unconditional-deny (C11)", () => {
  it("proves C11", () => expectControl(p, "C11"));
  it("passes conditioned denies (TLS, VPC endpoint) and denies of data actions only", async () => {
    await expectPass(
      p,
      policy(
        doc({
          Sid: "TlsOnly",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: ["arn:aws:s3:::data", "arn:aws:s3:::data/*"],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      ),
    );
    await expectPass(
      p,
      policy(doc({ Sid: "NoDelete", Effect: "Deny", Principal: "*", Action: "s3:DeleteObject", Resource: "arn:aws:s3:::data/*" })),
    );
    await expectPass(
      p,
      policy(
        doc({
          Sid: "Named",
          Effect: "Deny",
          Principal: { AWS: "arn:aws:iam::111122223333:role/other" },
          Action: "s3:*",
          Resource: "arn:aws:s3:::data",
        }),
      ),
    );
    await expectPass(p, policy(unknown()));
  });
  it("reports an unconditioned Deny of s3:*, *, or the policy actions to everyone", async () => {
    await expectViolation(p, policy(doc({ Sid: "Lock", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::data" })), [
      'Statement 0 ("Lock") denies "s3:*" to everyone without a condition',
      "s3:PutBucketPolicy",
      "root user",
      "property policy.Statement[0]",
    ]);
    await expectViolation(
      p,
      policy(doc({ Effect: "Deny", Principal: { AWS: "*" }, Action: ["s3:PutBucketPolicy"], Resource: "arn:aws:s3:::data" })),
      ["s3:PutBucketPolicy"],
    );
    await expectViolation(p, policy(doc({ Effect: "Deny", Principal: "*", Action: "*", Resource: "*" })), ["AccessDenied"]);
  });
  it("does not apply to a bucket", () => expectNotApplicable(p, { type: s3.Bucket, name: "b", props: {} }));
});
