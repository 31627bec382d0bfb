/**
 * Tests of policy-pack/policies/aws/s3/vpc-endpoint-only.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { expect } from "chai";
import { bucketEnforceVpcEndpointOnly } from "../../../../../policy-pack/policies/aws/s3/vpc-endpoint-only";
import { expectControl, expectStackPass, expectStackViolations, onStack } from "../../../expect";
import {
  ACCOUNT,
  bucket,
  bucketConfig,
  bucketStack,
  DATA,
  INGEST_ROLE,
  ingestPolicyDoc,
  LOGS,
  urn,
  vpcePolicy,
  withProps,
} from "../../../fixtures/aws";
import { unknown } from "../../../harness";

describe("policy pack: AWS S3", () => {
  describe("aws-s3-bucket-enforce-vpc-endpoint-only (C4, stack)", () => {
    const p = bucketEnforceVpcEndpointOnly;
    /** The compliant stack with the data bucket's policy built from `doc` (the log bucket keeps its TLS-only policy: it is a log target). */
    const withDataPolicy = (doc: unknown) =>
      bucketStack((r) => (r["data.policy"] = withProps(r["data.policy"], { policy: typeof doc === "string" ? doc : JSON.stringify(doc) })));
    const dataPolicyUrn = urn(bucketConfig(DATA).policy);
    it("proves C4", () => expectControl(p, "C4"));
    it("passes a data bucket whose policy denies object access outside the endpoint (wildcard actions, AWS-service exemptions); the log bucket is exempt", () =>
      expectStackPass(p, withDataPolicy(vpcePolicy(DATA.physical))));
    it("accepts the policy as a typed document, aws:SourceVpc and an IfExists operator", async () => {
      await expectStackPass(
        p,
        bucketStack((r) => (r["data.policy"] = withProps(r["data.policy"], { policy: vpcePolicy(DATA.physical) }))),
      );
      await expectStackPass(
        p,
        withDataPolicy(vpcePolicy(DATA.physical, (st) => (st.Condition = { StringNotEqualsIfExists: { "aws:SourceVpc": "vpc-0123" } }))),
      );
    });
    it("reports a data bucket policy without the deny, at the policy, naming the actions it leaves open", () =>
      expectStackViolations(p, bucketStack(), [
        [
          dataPolicyUrn,
          [
            'does not deny "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion" to "*"',
            "data (mltrain-dev-data-1a2b3c4)",
            "property policy",
            "aws:SourceVpce",
          ],
        ],
      ]));
    it("reports a deny that covers reads only", () =>
      expectStackViolations(p, withDataPolicy(vpcePolicy(DATA.physical, (st) => (st.Action = "s3:GetObject*"))), [
        [dataPolicyUrn, ['does not deny "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"']],
      ]));
    it("accepts s3:* and NotAction denies that include the object actions", async () => {
      await expectStackPass(p, withDataPolicy(vpcePolicy(DATA.physical, (st) => (st.Action = "s3:*"))));
      await expectStackPass(
        p,
        withDataPolicy(
          vpcePolicy(DATA.physical, (st) => {
            delete st.Action;
            st.NotAction = ["s3:GetBucketPolicy", "s3:PutBucketPolicy"];
          }),
        ),
      );
    });
    it("reports denies that fall short, with the reason", async () => {
      for (const [change, reason] of [
        [(st: any) => (st.Principal = { AWS: "arn:aws:iam::123456789012:role/x" }), 'does not apply to every principal ("*")'],
        [
          (st: any) => ((st.Condition.StringNotEquals = undefined), (st.Condition.StringEquals = { "aws:SourceVpce": "vpce-1" })),
          'uses StringEquals "vpce-1" on aws:SourceVpce',
        ],
        [
          (st: any) => ((st.Condition.StringNotLike = { "aws:SourceVpce": "*" }), delete st.Condition.StringNotEquals),
          'uses StringNotLike "*"',
        ],
        [(st: any) => (st.Condition.Bool = { "aws:SecureTransport": "false" }), 'only applies when Bool aws:SecureTransport "false"'],
        [
          (st: any) => (st.Condition.Bool = { "aws:PrincipalIsAWSService": "true" }),
          'only applies when Bool aws:PrincipalIsAWSService "true"',
        ],
        [
          (st: any) => (st.Condition.Bool = { "aws:PrincipalIsAWSService": "false", "aws:ViaAWSService": "false" }),
          'only applies when Bool aws:ViaAWSService "false" (so any AWS service acting for a principal, such as Athena or Glue',
        ],
        [(st: any) => (st.Resource = `arn:aws:s3:::${DATA.physical}`), "does not cover the bucket's objects"],
        [(st: any) => (st.Effect = "Allow"), "does not deny"],
      ] as const) {
        await expectStackViolations(p, withDataPolicy(vpcePolicy(DATA.physical, change)), [[dataPolicyUrn, [reason]]]);
      }
    });
    it("reports a data bucket without a bucket policy, at the bucket", () =>
      expectStackViolations(
        p,
        bucketStack((r) => delete r["data.policy"]),
        [[urn(bucket(DATA)), ["has no bucket policy, so its objects are reachable from outside the VPC endpoint"]]],
      ));
    it("checks log buckets too when includeLogBuckets is set", () =>
      expectStackViolations(p, withDataPolicy(vpcePolicy(DATA.physical)), [[urn(bucketConfig(LOGS).policy), ["S3 bucket logs"]]], {
        config: { [p.name]: { includeLogBuckets: true } },
      }));
    it("reads the required object actions from config", () =>
      expectStackViolations(p, withDataPolicy(vpcePolicy(DATA.physical)), [[dataPolicyUrn, ['"s3:ListBucket"']]], {
        config: { [p.name]: { objectActions: ["s3:GetObject", "s3:ListBucket"] } },
      }));
    it("is not applicable when requireVpcEndpointDeny is false (a stack with enforceVpcEndpoint off)", async () => {
      const f = await onStack(p, bucketStack(), { config: { [p.name]: { requireVpcEndpointDeny: false } } });
      expect(f.notApplicable).to.equal(true);
      expect(f.violations).to.deep.equal([]);
    });
    it("does not judge unknown documents, conditions or effects (preview), and assumes coverage while the bucket ARN is unknown", async () => {
      await expectStackPass(
        p,
        bucketStack((r) => (r["data.policy"] = withProps(r["data.policy"], { policy: unknown() }))),
      );
      await expectStackPass(
        p,
        bucketStack(
          (r) =>
            (r["data.policy"] = withProps(r["data.policy"], {
              policy: vpcePolicy(DATA.physical, (st) => (st.Condition.StringNotEquals = { "aws:SourceVpce": unknown() })),
            })),
        ),
      );
      await expectStackPass(
        p,
        bucketStack(
          (r) => (r["data.policy"] = withProps(r["data.policy"], { policy: vpcePolicy(DATA.physical, (st) => (st.Effect = unknown())) })),
        ),
      );
      await expectStackPass(
        p,
        bucketStack((r) => {
          r.data = bucket(DATA, { arn: unknown() });
          r["data.policy"] = withProps(r["data.policy"], { policy: JSON.stringify(vpcePolicy(DATA.physical)) });
        }),
      );
    });
    it("reports a malformed policy as lacking the deny, and is not applicable without buckets", async () => {
      await expectStackViolations(p, withDataPolicy("{not json"), [[dataPolicyUrn, ["does not deny"]]]);
      expect((await onStack(p, [{ type: "aws:kms/key:Key", name: "k", props: {} }])).notApplicable).to.equal(true);
    });
  });
});

describe("policy pack: AWS S3, the data ingest exemption (issue 16)", () => {
  const withDataPolicy = (doc: unknown) =>
    bucketStack((r) => (r["data.policy"] = withProps(r["data.policy"], { policy: JSON.stringify(doc) })));
  const dataPolicyUrn = urn(bucketConfig(DATA).policy);
  const sid = (sts: Record<string, any>[], s: string) => sts.find((x) => x.Sid === s)!;
  describe("aws-s3-bucket-enforce-vpc-endpoint-only: the exemption", () => {
    const p = bucketEnforceVpcEndpointOnly;
    it("accepts one literal role ARN exempted by ArnNotEquals aws:PrincipalArn (and an unknown one in preview)", async () => {
      await expectStackPass(p, withDataPolicy(ingestPolicyDoc()));
      await expectStackPass(
        p,
        withDataPolicy(
          ingestPolicyDoc(
            (sts) =>
              (sid(sts, "DenyDataAccessOutsideVpcEndpointExceptIngestRole").Condition.ArnNotEquals["aws:PrincipalArn"] = [unknown()]),
          ),
        ),
      );
    });
    it("reports any broader exemption, with the reason", async () => {
      const exempt = (c: Record<string, unknown>) => (sts: Record<string, any>[]) => {
        const st = sid(sts, "DenyDataAccessOutsideVpcEndpointExceptIngestRole");
        delete st.Condition.ArnNotEquals;
        Object.assign(st.Condition, c);
      };
      for (const [change, reason] of [
        [exempt({ ArnNotLike: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/*` } }), "ArnNotLike on aws:PrincipalArn"],
        [exempt({ ArnNotEquals: { "aws:PrincipalArn": [`arn:aws:iam::${ACCOUNT}:role/*`] } }), "is not one named role"],
        [exempt({ ArnNotEquals: { "aws:PrincipalArn": [`arn:aws:iam::${ACCOUNT}:root`] } }), "is not one named role"],
        [exempt({ ArnNotEquals: { "aws:PrincipalArn": [`arn:aws:iam::${ACCOUNT}:user/alice`] } }), "is not one named role"],
        [exempt({ ArnNotEquals: { "aws:PrincipalArn": [INGEST_ROLE, `arn:aws:iam::${ACCOUNT}:role/other`] } }), "2 principals exempted"],
        [exempt({ ArnNotEqualsIfExists: { "aws:PrincipalArn": [INGEST_ROLE] } }), "ArnNotEqualsIfExists on aws:PrincipalArn"],
        [
          exempt({ StringNotEquals: { "aws:SourceVpce": "vpce-0a1b2c3d4e5f60718", "aws:PrincipalAccount": ACCOUNT } }),
          "aws:PrincipalAccount",
        ],
      ] as const) {
        await expectStackViolations(p, withDataPolicy(ingestPolicyDoc(change)), [[dataPolicyUrn, [reason]]]);
      }
    });
  });
});
