/**
 * S3 policies: each passes the compliant two-bucket stack and reports the
 * expected violation, where and how to fix, when one field is changed.
 * Stack policies match buckets to their configuration by bucket name, and
 * by property dependencies while names are unknown (preview).
 */
import { expect } from "chai";
import * as s3 from "@pulumi/aws/s3";
import {
  bucketConfigureNoncurrentVersionLifecycle,
  bucketDisallowPublicAcl,
  bucketEnableAccessLogging,
  bucketEnableVersioning,
  bucketEnforceOwnerEnforced,
  bucketEnforceVpcEndpointOnly,
  bucketMissingKmsEncryption,
  bucketMissingPublicAccessBlock,
  bucketMissingTlsPolicy,
  bucketPolicyDisallowPublicAccess,
  publicAccessBlockEnableAllFlags,
} from "../../../policy-pack/policies/aws/s3";
import { remediateResource, remediateThenAnalyze, unknown } from "../harness";
import { expectControl, expectNotApplicable, expectPass, expectStackPass, expectStackViolations, expectViolation, onResource, onStack } from "../expect";
import { DATA, KEY_ARN, LOGS, bucket, bucketConfig, bucketStack, lifecycle, tlsPolicy, urn, vpcePolicy, withProps } from "./fixtures";

describe("policy pack: AWS S3", () => {
  describe("aws-s3-bucket-missing-public-access-block (C3, stack)", () => {
    const p = bucketMissingPublicAccessBlock;
    it("proves C3", () => expectControl(p, "C3"));
    it("passes when every bucket has a full public access block", () => expectStackPass(p, bucketStack()));
    it("reports a bucket without a block, at the bucket", async () => {
      const stack = bucketStack((r) => delete r["logs.pab"]);
      await expectStackViolations(p, stack, [[urn(stack.find((s) => s.name === "logs")), ["S3 bucket logs (mltrain-dev-logs-5d6e7f8) has no BucketPublicAccessBlock", "Fix: add an aws.s3.BucketPublicAccessBlock"]]]);
    });
    it("reports a block that leaves a flag off, at the block", async () => {
      let pab: any;
      const stack = bucketStack((r) => (pab = r["data.pab"] = withProps(r["data.pab"], { restrictPublicBuckets: false })));
      await expectStackViolations(p, stack, [[urn(pab), ["leaves restrictPublicBuckets off"]]]);
    });
    it("matches by property dependencies when the bucket name is unknown (preview)", async () => {
      const dataUrn = urn(bucket(DATA));
      const ok = bucketStack((r) => (r["data.pab"] = { ...withProps(r["data.pab"], { bucket: unknown() }), propertyDependencies: { bucket: [dataUrn] } }));
      await expectStackPass(p, ok);
      const logsUrn = urn(bucket(LOGS));
      const wrong = bucketStack((r) => (r["data.pab"] = { ...withProps(r["data.pab"], { bucket: unknown() }), propertyDependencies: { bucket: [logsUrn] } }));
      await expectStackViolations(p, wrong, [[dataUrn, ["has no BucketPublicAccessBlock"]]]);
    });
    it("does not guess when neither the name nor the dependencies are known", () =>
      expectStackPass(p, bucketStack((r) => (r["data.pab"] = withProps(r["data.pab"], { bucket: unknown() }))))); 
    it("is not applicable to a stack without buckets", async () => {
      const f = await onStack(p, [{ type: "aws:kms/key:Key", name: "k", props: {} }]);
      expect(f.notApplicable).to.equal(true);
    });
  });

  describe("aws-s3-bucket-public-access-block-enable-all-flags (C3, remediable)", () => {
    const p = publicAccessBlockEnableAllFlags;
    const pab = bucketConfig(DATA).pab;
    it("proves C3", () => expectControl(p, "C3"));
    it("passes with all four flags true", () => expectPass(p, pab));
    it("reports flags that are false or missing", () =>
      expectViolation(p, withProps(pab, { bucket: DATA.physical, blockPublicAcls: false, ignorePublicAcls: true, blockPublicPolicy: true }, true), [
        "blockPublicAcls, restrictPublicBuckets are not true",
        "blockPublicAcls: false",
        "restrictPublicBuckets: missing",
        "property blockPublicAcls, restrictPublicBuckets",
      ]));
    it("does not judge a flag that is unknown (preview)", () => expectPass(p, withProps(pab, { blockPublicPolicy: unknown("boolean") })));
    it("remediates: sets every flag to true, after which the policy passes", async () => {
      const r = await remediateThenAnalyze(p, withProps(pab, { blockPublicAcls: false, restrictPublicBuckets: false }), { config: { [p.name]: "remediate" } });
      expect(r.props).to.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true, bucket: DATA.physical });
      expect(r.diagnostics).to.deep.equal([]);
    });
    it("remediates only at enforcement level remediate, and leaves compliant blocks alone", async () => {
      const off = withProps(pab, { blockPublicAcls: false });
      expect((await remediateResource(p, off, { config: { [p.name]: "mandatory" } })).remediations).to.deep.equal([]);
      expect((await remediateResource(p, pab, { config: { [p.name]: "remediate" } })).remediations).to.deep.equal([]);
    });
  });

  describe("aws-s3-bucket-disallow-public-acl (C3)", () => {
    const p = bucketDisallowPublicAcl;
    it("proves C3", () => expectControl(p, "C3"));
    it("passes a bucket without ACLs and a private ACL", async () => {
      await expectPass(p, bucket(DATA));
      await expectPass(p, { type: s3.BucketAclV2, name: "acl", props: { bucket: DATA.physical, acl: "private" } });
    });
    it("reports a public canned ACL on a bucket", () => expectViolation(p, bucket(DATA, { acl: "public-read" }), ['canned ACL "public-read"', "property acl"]));
    it("reports a grant to AllUsers", () =>
      expectViolation(p, bucket(DATA, { grants: [{ type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers", permissions: ["READ"] }] }), ["grants[0]", "AllUsers"]));
    it("reports an access control policy grant to AuthenticatedUsers", () =>
      expectViolation(
        p,
        { type: s3.BucketAcl, name: "acl", props: { bucket: DATA.physical, accessControlPolicy: { owner: { id: "o" }, grants: [{ permission: "READ", grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" } }] } } },
        ["accessControlPolicy.grants[0]", "AuthenticatedUsers"],
      ));
    it("reports a public object ACL", () => expectViolation(p, { type: s3.BucketObjectv2, name: "o", props: { bucket: DATA.physical, key: "k", acl: "public-read-write" } }, ['"public-read-write"']));
    it("is not applicable to other types", () => expectNotApplicable(p, bucketConfig(DATA).pab));
  });

  describe("aws-s3-bucket-enforce-bucket-owner-enforced (C3, stack)", () => {
    const p = bucketEnforceOwnerEnforced;
    it("proves C3", () => expectControl(p, "C3"));
    it("passes when every bucket enforces bucket-owner ownership", () => expectStackPass(p, bucketStack()));
    it("reports a missing ownership control and a weaker one", async () => {
      let oc: any;
      const stack = bucketStack((r) => {
        delete r["logs.ownership"];
        oc = r["data.ownership"] = withProps(r["data.ownership"], { rule: { objectOwnership: "ObjectWriter" } });
      });
      await expectStackViolations(p, stack, [
        [urn(bucket(LOGS)), ["has no BucketOwnershipControls"]],
        [urn(oc), ['is "ObjectWriter", not "BucketOwnerEnforced"', "property rule.objectOwnership"]],
      ]);
    });
  });

  describe("aws-s3-bucket-policy-disallow-public-access (C3)", () => {
    const p = bucketPolicyDisallowPublicAccess;
    const policy = bucketConfig(DATA).policy;
    const allowAll = { Version: "2012-10-17", Statement: [{ Sid: "Public", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${DATA.physical}/*` }] };
    it("proves C3", () => expectControl(p, "C3"));
    it("passes the TLS-only policy (Deny statements)", () => expectPass(p, policy));
    it("reports an Allow to everyone without a condition, as string or typed document", async () => {
      await expectViolation(p, withProps(policy, { policy: JSON.stringify(allowAll) }), ['Statement 0 ("Public") allows "s3:GetObject" to any principal', "policy.Statement[0]"]);
      await expectViolation(p, withProps(policy, { policy: allowAll }), ["to any principal"]);
    });
    it("passes an Allow to everyone restricted by a condition", () => {
      const st = { ...allowAll.Statement[0], Condition: { StringEquals: { "aws:SourceVpce": "vpce-1" } } };
      return expectPass(p, withProps(policy, { policy: { ...allowAll, Statement: [st] } }));
    });
    it("reports a bucket policy that is not valid JSON", () => expectViolation(p, withProps(policy, { policy: "{not json" }), ["cannot be read: not valid JSON"]));
  });

  describe("aws-s3-bucket-missing-kms-encryption (C1, stack)", () => {
    const p = bucketMissingKmsEncryption;
    const rule = (algo: string, key?: string, bucketKey = true) => ({ rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: algo, ...(key ? { kmsMasterKeyId: key } : {}) }, bucketKeyEnabled: bucketKey }] });
    it("proves C1", () => expectControl(p, "C1"));
    it("passes when every bucket uses SSE-KMS with a customer key and bucket key", () => expectStackPass(p, bucketStack()));
    it("reports AES256, a missing key, the AWS managed key and a missing bucket key, at the configuration", async () => {
      for (const [props, fragment] of [
        [rule("AES256"), 'sseAlgorithm is "AES256", not "aws:kms"'],
        [rule("aws:kms"), "no kmsMasterKeyId"],
        [rule("aws:kms", "alias/aws/s3"), "is an AWS managed key"],
        [rule("aws:kms", KEY_ARN, false), "bucketKeyEnabled is not true"],
      ] as const) {
        let sse: any;
        const stack = bucketStack((r) => (sse = r["data.sse"] = withProps(r["data.sse"], props)));
        await expectStackViolations(p, stack, [[urn(sse), [fragment, "property rules[0]"]]]);
      }
    });
    it("allows turning the bucket-key requirement off in config", () =>
      expectStackPass(p, bucketStack((r) => (r["data.sse"] = withProps(r["data.sse"], rule("aws:kms", KEY_ARN, false)))), { config: { [p.name]: { requireBucketKey: false } } }));
    it("reports a bucket without encryption configuration, at the bucket", () =>
      expectStackViolations(p, bucketStack((r) => delete r["logs.sse"]), [[urn(bucket(LOGS)), ["has no SSE-KMS encryption with a customer managed key"]]]));
    it("accepts the deprecated inline configuration when it names a customer key", () =>
      expectStackPass(
        p,
        bucketStack((r) => {
          delete r["logs.sse"];
          r.logs = bucket(LOGS, { serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true } } });
        }),
      ));
    it("does not judge an unknown key (preview)", () => expectStackPass(p, bucketStack((r) => (r["data.sse"] = withProps(r["data.sse"], rule("aws:kms", unknown()))))));
  });

  describe("aws-s3-bucket-missing-tls-policy (C5, stack)", () => {
    const p = bucketMissingTlsPolicy;
    it("proves C5", () => expectControl(p, "C5"));
    it("passes when every bucket policy denies non-TLS and TLS < 1.2", () => expectStackPass(p, bucketStack()));
    it("accepts the policy as a typed document", () => expectStackPass(p, bucketStack((r) => (r["data.policy"] = withProps(r["data.policy"], { policy: tlsPolicy(DATA.physical) })))));
    it("reports a bucket without a policy, at the bucket", () =>
      expectStackViolations(p, bucketStack((r) => delete r["data.policy"]), [[urn(bucket(DATA)), ["has no bucket policy", "Fix: add an aws.s3.BucketPolicy"]]]));
    it("reports a policy that lacks the TLS version deny", async () => {
      let pol: any;
      const doc = tlsPolicy(DATA.physical) as { Statement: unknown[] };
      const stack = bucketStack((r) => (pol = r["data.policy"] = withProps(r["data.policy"], { policy: JSON.stringify({ ...doc, Statement: [doc.Statement[0]] }) })));
      await expectStackViolations(p, stack, [[urn(pol), ["lacks a Deny of s3:* for \"*\" when s3:TlsVersion < 1.2"]]]);
    });
    it("reports deny statements that do not cover this bucket's objects", async () => {
      let pol: any;
      const other = tlsPolicy("some-other-bucket");
      const stack = bucketStack((r) => (pol = r["data.policy"] = withProps(r["data.policy"], { policy: JSON.stringify(other) })));
      await expectStackViolations(p, stack, [[urn(pol), ["aws:SecureTransport is false and a Deny"]]]);
    });
    it("uses the configured minimum TLS version", () =>
      expectStackViolations(p, bucketStack(), [
        [urn(bucketConfig(DATA).policy), ["s3:TlsVersion < 1.3"]],
        [urn(bucketConfig(LOGS).policy), ["s3:TlsVersion < 1.3"]],
      ], { config: { [p.name]: { minimumTlsVersion: "1.3" } } }));
  });

  describe("aws-s3-bucket-enable-access-logging (C8, stack)", () => {
    const p = bucketEnableAccessLogging;
    it("proves C8", () => expectControl(p, "C8"));
    it("passes when the data bucket logs to the log bucket (which is exempt)", () => expectStackPass(p, bucketStack()));
    it("reports a data bucket without logging", async () => {
      const stack = bucketStack((r) => delete r.logging);
      // Without the logging resource no bucket is a log target: both are data buckets.
      await expectStackViolations(p, stack, [
        [urn(bucket(DATA)), ["S3 data bucket data (mltrain-dev-data-1a2b3c4) has no server access logging"]],
        [urn(bucket(LOGS)), ["has no server access logging"]],
      ]);
    });
    it("reports a bucket that logs into itself", async () => {
      let logging: any;
      const stack = bucketStack((r) => (logging = r.logging = withProps(r.logging, { targetBucket: DATA.physical })));
      await expectStackViolations(p, stack, [
        [urn(logging), ["writes its access logs into itself"]],
        [urn(bucket(LOGS)), ["has no server access logging"]],
      ]);
    });
  });

  describe("aws-s3-bucket-enable-versioning (C9, stack)", () => {
    const p = bucketEnableVersioning;
    it("proves C9", () => expectControl(p, "C9"));
    it("passes when every bucket has versioning Enabled", () => expectStackPass(p, bucketStack()));
    it("reports suspended and missing versioning", async () => {
      let v: any;
      const stack = bucketStack((r) => {
        v = r["data.versioning"] = withProps(r["data.versioning"], { versioningConfiguration: { status: "Suspended" } });
        delete r["logs.versioning"];
      });
      await expectStackViolations(p, stack, [
        [urn(v), ['versioning of S3 bucket data (mltrain-dev-data-1a2b3c4) is "Suspended"']],
        [urn(bucket(LOGS)), ["has no versioning"]],
      ]);
    });
    it("accepts deprecated inline versioning", () =>
      expectStackPass(p, bucketStack((r) => {
        delete r["logs.versioning"];
        r.logs = bucket(LOGS, { versioning: { enabled: true } });
      })));
  });

  it("every S3 stack policy reports per bucket with one resource each for a one-bucket stack missing everything", async () => {
    const lone = [bucket(DATA)];
    for (const p of [bucketMissingPublicAccessBlock, bucketEnforceOwnerEnforced, bucketMissingKmsEncryption, bucketMissingTlsPolicy, bucketEnableAccessLogging, bucketEnableVersioning]) {
      const f = await onStack(p, lone);
      expect(f.violations.map((v) => v.urn), p.name).to.deep.equal([urn(lone[0])]);
    }
    // A resource policy run on the bucket itself finds nothing to flag.
    expect((await onResource(bucketDisallowPublicAcl, lone[0])).violations).to.deep.equal([]);
  });
});

describe("policy pack: AWS S3, VPC endpoint only and noncurrent versions", () => {
  describe("aws-s3-bucket-enforce-vpc-endpoint-only (C4, stack)", () => {
    const p = bucketEnforceVpcEndpointOnly;
    /** The compliant stack with the data bucket's policy built from `doc` (the log bucket keeps its TLS-only policy: it is a log target). */
    const withDataPolicy = (doc: unknown) => bucketStack((r) => (r["data.policy"] = withProps(r["data.policy"], { policy: typeof doc === "string" ? doc : JSON.stringify(doc) })));
    const dataPolicyUrn = urn(bucketConfig(DATA).policy);
    it("proves C4", () => expectControl(p, "C4"));
    it("passes a data bucket whose policy denies object access outside the endpoint (wildcard actions, AWS-service exemptions); the log bucket is exempt", () =>
      expectStackPass(p, withDataPolicy(vpcePolicy(DATA.physical))));
    it("accepts the policy as a typed document, aws:SourceVpc and an IfExists operator", async () => {
      await expectStackPass(p, bucketStack((r) => (r["data.policy"] = withProps(r["data.policy"], { policy: vpcePolicy(DATA.physical) }))));
      await expectStackPass(p, withDataPolicy(vpcePolicy(DATA.physical, (st) => (st.Condition = { StringNotEqualsIfExists: { "aws:SourceVpc": "vpc-0123" } }))));
    });
    it("reports a data bucket policy without the deny, at the policy, naming the actions it leaves open", () =>
      expectStackViolations(p, bucketStack(), [[dataPolicyUrn, ['does not deny "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion" to "*"', "data (mltrain-dev-data-1a2b3c4)", "property policy", "aws:SourceVpce"]]]));
    it("reports a deny that covers reads only", () =>
      expectStackViolations(p, withDataPolicy(vpcePolicy(DATA.physical, (st) => (st.Action = "s3:GetObject*"))), [[dataPolicyUrn, ['does not deny "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"']]]));
    it("accepts s3:* and NotAction denies that include the object actions", async () => {
      await expectStackPass(p, withDataPolicy(vpcePolicy(DATA.physical, (st) => (st.Action = "s3:*"))));
      await expectStackPass(p, withDataPolicy(vpcePolicy(DATA.physical, (st) => { delete st.Action; st.NotAction = ["s3:GetBucketPolicy", "s3:PutBucketPolicy"]; })));
    });
    it("reports denies that fall short, with the reason", async () => {
      for (const [change, reason] of [
        [(st: any) => (st.Principal = { AWS: "arn:aws:iam::123456789012:role/x" }), 'does not apply to every principal ("*")'],
        [(st: any) => (st.Condition.StringNotEquals = undefined, st.Condition.StringEquals = { "aws:SourceVpce": "vpce-1" }), 'uses StringEquals "vpce-1" on aws:SourceVpce'],
        [(st: any) => (st.Condition.StringNotLike = { "aws:SourceVpce": "*" }, delete st.Condition.StringNotEquals), 'uses StringNotLike "*"'],
        [(st: any) => (st.Condition.Bool = { "aws:SecureTransport": "false" }), 'only applies when Bool aws:SecureTransport "false"'],
        [(st: any) => (st.Condition.Bool = { "aws:PrincipalIsAWSService": "true" }), 'only applies when Bool aws:PrincipalIsAWSService "true"'],
        [(st: any) => (st.Resource = `arn:aws:s3:::${DATA.physical}`), "does not cover the bucket's objects"],
        [(st: any) => (st.Effect = "Allow"), "does not deny"],
      ] as const) {
        await expectStackViolations(p, withDataPolicy(vpcePolicy(DATA.physical, change)), [[dataPolicyUrn, [reason]]]);
      }
    });
    it("reports a data bucket without a bucket policy, at the bucket", () =>
      expectStackViolations(p, bucketStack((r) => delete r["data.policy"]), [[urn(bucket(DATA)), ["has no bucket policy, so its objects are reachable from outside the VPC endpoint"]]]));
    it("checks log buckets too when includeLogBuckets is set", () =>
      expectStackViolations(p, withDataPolicy(vpcePolicy(DATA.physical)), [[urn(bucketConfig(LOGS).policy), ["S3 bucket logs"]]], { config: { [p.name]: { includeLogBuckets: true } } }));
    it("reads the required object actions from config", () =>
      expectStackViolations(p, withDataPolicy(vpcePolicy(DATA.physical)), [[dataPolicyUrn, ['"s3:ListBucket"']]], { config: { [p.name]: { objectActions: ["s3:GetObject", "s3:ListBucket"] } } }));
    it("is not applicable when requireVpcEndpointDeny is false (a stack with enforceVpcEndpoint off)", async () => {
      const f = await onStack(p, bucketStack(), { config: { [p.name]: { requireVpcEndpointDeny: false } } });
      expect(f.notApplicable).to.equal(true);
      expect(f.violations).to.deep.equal([]);
    });
    it("does not judge unknown documents, conditions or effects (preview), and assumes coverage while the bucket ARN is unknown", async () => {
      await expectStackPass(p, bucketStack((r) => (r["data.policy"] = withProps(r["data.policy"], { policy: unknown() }))));
      await expectStackPass(p, bucketStack((r) => (r["data.policy"] = withProps(r["data.policy"], { policy: vpcePolicy(DATA.physical, (st) => (st.Condition.StringNotEquals = { "aws:SourceVpce": unknown() })) }))));
      await expectStackPass(p, bucketStack((r) => (r["data.policy"] = withProps(r["data.policy"], { policy: vpcePolicy(DATA.physical, (st) => (st.Effect = unknown())) }))));
      await expectStackPass(p, bucketStack((r) => {
        r.data = bucket(DATA, { arn: unknown() });
        r["data.policy"] = withProps(r["data.policy"], { policy: JSON.stringify(vpcePolicy(DATA.physical)) });
      }));
    });
    it("reports a malformed policy as lacking the deny, and is not applicable without buckets", async () => {
      await expectStackViolations(p, withDataPolicy("{not json"), [[dataPolicyUrn, ["does not deny"]]]);
      expect((await onStack(p, [{ type: "aws:kms/key:Key", name: "k", props: {} }])).notApplicable).to.equal(true);
    });
  });

  describe("aws-s3-bucket-configure-noncurrent-version-lifecycle (C9, stack)", () => {
    const p = bucketConfigureNoncurrentVersionLifecycle;
    /** The compliant stack plus each bucket's lifecycle configuration; `change` edits it. */
    const stack = (change: (r: Record<string, any>) => void = () => undefined) =>
      bucketStack((r) => {
        r["data.lifecycle"] = lifecycle(DATA);
        r["logs.lifecycle"] = lifecycle(LOGS, 30, { id: "logs" });
        change(r);
      });
    const dataLifecycleUrn = urn(lifecycle(DATA));
    it("proves C9", () => expectControl(p, "C9"));
    it("passes versioned buckets whose whole-bucket rule expires noncurrent versions after at least 30 days", () => expectStackPass(p, stack()));
    it("accepts a rule that transitions noncurrent versions, and the deprecated inline rules", async () => {
      await expectStackPass(p, stack((r) => (r["data.lifecycle"] = lifecycle(DATA, 90, { noncurrentVersionExpiration: undefined, noncurrentVersionTransitions: [{ noncurrentDays: 30, storageClass: "GLACIER" }] }))));
      await expectStackPass(p, stack((r) => {
        delete r["data.lifecycle"];
        r.data = bucket(DATA, { lifecycleRules: [{ enabled: true, noncurrentVersionExpiration: { days: 60 } }] });
      }));
    });
    it("reports a versioned bucket without a lifecycle configuration, at the bucket", () =>
      expectStackViolations(p, stack((r) => delete r["data.lifecycle"]), [[urn(bucket(DATA)), ["S3 bucket data (mltrain-dev-data-1a2b3c4) is versioned but has no lifecycle configuration", "Fix: add an aws.s3.BucketLifecycleConfiguration"]]]));
    it("reports a configuration whose noncurrent rule is disabled, limited to a prefix or missing, at the configuration", async () => {
      for (const rule of [{ status: "Disabled" }, { filter: { prefix: "tmp/" } }, { filter: { and: { tags: { k: "v" } } } }, { noncurrentVersionExpiration: undefined }]) {
        await expectStackViolations(p, stack((r) => (r["data.lifecycle"] = lifecycle(DATA, 90, rule))), [[dataLifecycleUrn, ["no enabled lifecycle rule covering the whole bucket", "property rules"]]]);
      }
    });
    it("reports any enabled rule that expires noncurrent versions too soon, even for a prefix", async () => {
      await expectStackViolations(p, stack((r) => (r["data.lifecycle"] = lifecycle(DATA, 1))), [
        [dataLifecycleUrn, ['lifecycle rule "expire-noncurrent-versions" of S3 bucket data (mltrain-dev-data-1a2b3c4) expires noncurrent versions after 1 day(s), fewer than 30', "property rules[0].noncurrentVersionExpiration"]],
      ]);
      const twoRules = withProps(lifecycle(DATA), { rules: [...(lifecycle(DATA).props!.rules as unknown[]), { id: "scratch", status: "Enabled", filter: { prefix: "scratch/" }, noncurrentVersionExpiration: { noncurrentDays: 2 } }] });
      await expectStackViolations(p, stack((r) => (r["data.lifecycle"] = twoRules)), [[dataLifecycleUrn, ['lifecycle rule "scratch"', "property rules[1].noncurrentVersionExpiration"]]]);
    });
    it("uses the configured minimum", () =>
      expectStackViolations(p, stack(), [[dataLifecycleUrn, ["after 90 day(s), fewer than 120"]], [urn(lifecycle(LOGS)), ["after 30 day(s), fewer than 120"]]], { config: { [p.name]: { minNoncurrentDays: 120 } } }));
    it("leaves unversioned buckets to aws-s3-bucket-enable-versioning", () =>
      expectStackPass(p, stack((r) => {
        delete r["data.lifecycle"];
        r["data.versioning"] = withProps(r["data.versioning"], { versioningConfiguration: { status: "Suspended" } });
        delete r["logs.versioning"];
        delete r["logs.lifecycle"];
      })));
    it("does not judge unknown rules, days or versioning (preview), and matches by dependency", async () => {
      await expectStackPass(p, stack((r) => (r["data.lifecycle"] = withProps(r["data.lifecycle"], { rules: unknown("array") }))));
      await expectStackPass(p, stack((r) => (r["data.lifecycle"] = lifecycle(DATA, unknown("number") as unknown as number))));
      await expectStackPass(p, stack((r) => (r["data.lifecycle"] = lifecycle(DATA, 90, { status: "Disabled", filter: unknown("object") }))));
      await expectStackPass(p, stack((r) => {
        delete r["data.lifecycle"];
        r["data.versioning"] = withProps(r["data.versioning"], { versioningConfiguration: { status: unknown() } });
      }));
      const dataUrn = urn(bucket(DATA));
      await expectStackPass(p, stack((r) => (r["data.lifecycle"] = { ...withProps(r["data.lifecycle"], { bucket: unknown() }), propertyDependencies: { bucket: [dataUrn] } })));
      await expectStackViolations(p, stack((r) => (r["data.lifecycle"] = { ...withProps(r["data.lifecycle"], { bucket: unknown() }), propertyDependencies: { bucket: [urn(bucket(LOGS))] } })), [[dataUrn, ["has no lifecycle configuration"]]]);
    });
    it("is not applicable to a stack without buckets", async () => expect((await onStack(p, [{ type: "aws:kms/key:Key", name: "k", props: {} }])).notApplicable).to.equal(true));
  });
});
