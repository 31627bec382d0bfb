/**
 * AWS buckets (C1, C3, C4, C5, C8, C9): every bucket is SSE-KMS with the
 * environment's key and a bucket key, fully public-access-blocked, ACL-free,
 * versioned with a noncurrent-version lifecycle; data and artifacts log to
 * the log bucket; every bucket policy denies non-TLS / TLS < 1.2 and, when
 * the stack enforces it, object access outside the S3 gateway endpoint,
 * while leaving bucket management to the account's administrators.
 */
import { expect } from "chai";
import { runStack, ofType } from "../../harness";
import type { Recording, RecordedResource } from "../../../engine/recorder";
import { AWS_STACKS, T, configOf, envName, named, one, forBucket, statements, bySid, list, cond, grants, globMatch } from "./helpers";
import { NONCURRENT_VERSION_DAYS } from "../../../stacks/aws/storage";
import { VPC_ENDPOINT_ONLY_ACTIONS } from "../../../stacks/aws/bucket-policy";

const KINDS = ["data", "artifacts", "logs"] as const;

function buckets(rec: Recording, name: string): Record<(typeof KINDS)[number], RecordedResource> {
  return {
    data: named(rec, T.bucket, `${name}-data`),
    artifacts: named(rec, T.bucket, `${name}-artifacts`),
    logs: named(rec, T.bucket, `${name}-logs`),
  };
}

/** Exactly one `type` resource configures bucket `b`; returns it. */
function only(rec: Recording, type: string, b: RecordedResource): RecordedResource {
  const found = forBucket(rec, type, b.outputs.bucket);
  expect(found, `${b.urn}: exactly one ${type} for bucket ${b.outputs.bucket}`).to.have.length(1);
  return found[0];
}

/** Actions that manage a bucket's configuration; administrators must keep them from anywhere. */
const MANAGEMENT_ACTIONS = [
  "s3:ListBucket", // authorises HeadBucket, how the AWS provider finds the bucket
  "s3:GetBucketPolicy",
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:GetBucketVersioning",
  "s3:PutBucketVersioning",
  "s3:GetEncryptionConfiguration",
  "s3:PutEncryptionConfiguration",
  "s3:PutBucketPublicAccessBlock",
  "s3:GetBucketTagging",
  "s3:PutBucketTagging",
  "s3:PutLifecycleConfiguration",
  "s3:PutBucketLogging",
];

for (const stack of AWS_STACKS) {
  describe(`aws ${stack}: buckets`, () => {
    const config = configOf(stack);
    const name = envName(config);
    let rec: Recording;
    let key: RecordedResource;
    let bs: ReturnType<typeof buckets>;
    before(async () => {
      rec = await runStack(stack);
      key = one(rec, T.key);
      bs = buckets(rec, name);
    });

    it("has exactly the data, artifacts and log buckets, each in its own SecureBucket component", () => {
      expect(
        ofType(rec, T.bucket)
          .map((b) => b.name)
          .sort(),
      ).to.deep.equal(KINDS.map((k) => `${name}-${k}`).sort());
      for (const b of Object.values(bs)) {
        const parent = rec.resources.find((r) => r.urn === b.parent);
        expect(parent?.type, `${b.urn}: parent`).to.equal(T.secureBucket);
      }
    });

    it("C1: the data and artifacts buckets are encrypted with SSE-KMS under the environment's key, with a bucket key", () => {
      for (const b of [bs.data, bs.artifacts]) {
        const sse = only(rec, T.sse, b);
        expect(sse.inputs.rules, `${sse.urn}: rules`).to.have.length(1);
        const rule = sse.inputs.rules[0];
        expect(rule.applyServerSideEncryptionByDefault, `${sse.urn}`).to.deep.equal({
          sseAlgorithm: "aws:kms",
          kmsMasterKeyId: key.outputs.arn,
        });
        expect(rule.bucketKeyEnabled, `${sse.urn}: bucketKeyEnabled`).to.equal(true);
      }
    });

    it("C11: the access-log bucket uses SSE-S3, the only default encryption S3 server access log delivery supports (the C1 exception)", () => {
      const sse = only(rec, T.sse, bs.logs);
      expect(sse.inputs.rules, `${sse.urn}: rules`).to.deep.equal([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
      // It holds only access-log records: it is the target of the other buckets' logging and of nothing else.
      const targets = ofType(rec, T.logging).map((l) => l.inputs.targetBucket);
      expect(new Set(targets), "log targets").to.deep.equal(new Set([bs.logs.outputs.bucket]));
    });

    it(`C11: ${stack === "prod" ? "prod buckets are protected and never force-destroyed" : "dev buckets are force-destroyed (S3 deletes only empty buckets) and not protected"}`, () => {
      for (const b of Object.values(bs)) {
        expect(b.inputs.forceDestroy, `${b.urn}: forceDestroy`).to.equal(stack !== "prod");
        expect(b.options.protect === true, `${b.urn}: protect`).to.equal(stack === "prod");
      }
    });

    it("C3: every bucket has a public access block with all four flags", () => {
      for (const b of Object.values(bs)) {
        const pab = only(rec, T.pab, b);
        for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
          expect(pab.inputs[flag], `${pab.urn}: ${flag}`).to.equal(true);
        }
      }
    });

    it("C3: every bucket enforces bucket-owner object ownership (ACLs disabled) and sets no ACL or grant", () => {
      for (const b of Object.values(bs)) {
        const own = only(rec, T.ownership, b);
        expect(own.inputs.rule, `${own.urn}: rule`).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
        expect(b.inputs, `${b.urn}: inline ACL / grants`).to.not.have.any.keys("acl", "grants", "policy", "website");
      }
      expect(
        rec.resources.filter((r) => /bucketAcl/i.test(r.type)),
        "BucketAcl resources",
      ).to.deep.equal([]);
    });

    it("C9: every bucket is versioned, with noncurrent versions expired and incomplete uploads aborted", () => {
      for (const b of Object.values(bs)) {
        const v = only(rec, T.versioning, b);
        expect(v.inputs.versioningConfiguration?.status, `${v.urn}: status`).to.equal("Enabled");
        const lc = only(rec, T.lifecycle, b);
        const rule = (lc.inputs.rules as any[]).find((r) => r.noncurrentVersionExpiration);
        expect(rule, `${lc.urn}: a noncurrent-version rule`).to.not.equal(undefined);
        expect(rule.status, `${lc.urn}`).to.equal("Enabled");
        expect(rule.noncurrentVersionExpiration.noncurrentDays, `${lc.urn}`).to.equal(NONCURRENT_VERSION_DAYS);
        expect(rule.abortIncompleteMultipartUpload?.daysAfterInitiation, `${lc.urn}`).to.be.a("number");
        expect(lc.dependencies, `${lc.urn}: waits for versioning`).to.include(v.urn);
      }
    });

    it("C9: only the log bucket expires current objects, after the configured log retention", () => {
      for (const [kind, b] of Object.entries(bs)) {
        const lc = only(rec, T.lifecycle, b);
        const expiring = (lc.inputs.rules as any[]).filter((r) => r.expiration);
        if (kind === "logs") {
          expect(
            expiring.map((r) => r.expiration.days),
            `${lc.urn}`,
          ).to.deep.equal([config.logRetentionDays]);
        } else {
          expect(expiring, `${lc.urn}: ${kind} objects never expire`).to.deep.equal([]);
        }
      }
    });

    it("C8: data and artifacts buckets send server access logs to the log bucket, the log bucket to nobody", () => {
      for (const kind of ["data", "artifacts"] as const) {
        const lg = only(rec, T.logging, bs[kind]);
        expect(lg.inputs.targetBucket, `${lg.urn}: targetBucket`).to.equal(bs.logs.outputs.bucket);
        expect(lg.inputs.targetPrefix, `${lg.urn}: targetPrefix`).to.equal(`${kind}/`);
      }
      expect(forBucket(rec, T.logging, bs.logs.outputs.bucket), "log bucket logs into itself").to.deep.equal([]);
    });

    it("C8: the log bucket lets S3 log delivery write each source's prefix, only for these buckets and this account", () => {
      const policy = only(rec, T.bucketPolicy, bs.logs);
      const allows = statements(policy).filter((s) => s.Effect === "Allow");
      expect(allows, `${policy.urn}: Allow statements`).to.have.length(2);
      for (const kind of ["data", "artifacts"] as const) {
        const st = allows.find((s) => list(s.Resource).includes(`${bs.logs.outputs.arn}/${kind}/*`));
        expect(st, `${policy.urn}: delivery statement for ${kind}/`).to.not.equal(undefined);
        expect(st!.Principal, `${policy.urn}`).to.deep.equal({ Service: "logging.s3.amazonaws.com" });
        expect(list(st!.Action), `${policy.urn}`).to.deep.equal(["s3:PutObject"]);
        expect(cond(st!, "ArnLike", "aws:SourceArn"), `${policy.urn}: source bucket`).to.deep.equal([bs[kind].outputs.arn]);
        expect(cond(st!, "StringEquals", "aws:SourceAccount"), `${policy.urn}: source account`).to.deep.equal([rec.outputs!.accountId]);
      }
      // Logging waits for the policy that lets it deliver.
      for (const kind of ["data", "artifacts"] as const) {
        const lg = only(rec, T.logging, bs[kind]);
        expect(lg.dependencies, `${lg.urn}: depends on the log bucket policy`).to.include(policy.urn);
      }
    });

    it("C5: every bucket policy denies requests without TLS and with TLS below 1.2, on the bucket and its objects", () => {
      for (const b of Object.values(bs)) {
        const policy = only(rec, T.bucketPolicy, b);
        const resources = [b.outputs.arn, `${b.outputs.arn}/*`];
        const tls = bySid(policy, "DenyInsecureTransport");
        expect(tls, `${policy.urn}`).to.deep.include({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: resources });
        expect(cond(tls, "Bool", "aws:SecureTransport"), `${policy.urn}`).to.deep.equal(["false"]);
        const tlsVersion = bySid(policy, "DenyTlsBelow12");
        expect(tlsVersion, `${policy.urn}`).to.deep.include({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: resources });
        expect(cond(tlsVersion, "NumericLessThan", "s3:TlsVersion"), `${policy.urn}`).to.deep.equal(["1.2"]);
      }
    });

    it("C4: with enforceVpcEndpoint, every bucket denies object access not through the environment's S3 gateway endpoint", () => {
      expect(config.enforceVpcEndpoint).to.equal(true);
      const s3Endpoint = named(rec, T.vpce, `${name}-vpce-s3`);
      for (const b of Object.values(bs)) {
        const policy = only(rec, T.bucketPolicy, b);
        const st = bySid(policy, "DenyDataAccessOutsideVpcEndpoint");
        expect(st.Effect, `${policy.urn}`).to.equal("Deny");
        expect(st.Principal, `${policy.urn}`).to.equal("*");
        expect(list(st.Resource), `${policy.urn}`).to.deep.equal([b.outputs.arn, `${b.outputs.arn}/*`]);
        expect(cond(st, "StringNotEquals", "aws:SourceVpce"), `${policy.urn}: endpoint`).to.deep.equal([s3Endpoint.outputs.id]);
        for (const action of [
          "s3:GetObject",
          "s3:GetObjectVersion",
          "s3:PutObject",
          "s3:DeleteObject",
          "s3:DeleteObjectVersion",
          "s3:ListBucketVersions",
          "s3:AbortMultipartUpload",
        ]) {
          expect(grants(st, action), `${policy.urn}: denies ${action} outside the endpoint`).to.equal(true);
        }
        // AWS services acting as themselves (S3 log delivery) are exempt; services acting for a principal are not.
        expect(st.Condition?.Bool, `${policy.urn}: service exemptions`).to.deep.equal({ "aws:PrincipalIsAWSService": "false" });
        expect(st.Condition, `${policy.urn}: no principal exemption unless asked`).to.not.have.property("ArnNotEquals");
      }
    });

    it("C4: administrators keep bucket management: no deny covers configuration actions for TLS 1.2+ requests", () => {
      for (const b of Object.values(bs)) {
        const policy = only(rec, T.bucketPolicy, b);
        for (const st of statements(policy).filter((s) => s.Effect === "Deny")) {
          expect(st.Condition, `${policy.urn}: ${st.Sid} must be conditional`).to.be.an("object").that.is.not.empty;
          if (st.Sid === "DenyInsecureTransport" || st.Sid === "DenyTlsBelow12") continue; // only insecure requests
          for (const action of MANAGEMENT_ACTIONS) {
            expect(grants(st, action), `${policy.urn}: ${st.Sid} denies ${action}`).to.equal(false);
          }
        }
        expect(
          statements(policy)
            .map((s) => s.Sid)
            .sort(),
          `${policy.urn}: statements`,
        ).to.include.members(["DenyInsecureTransport", "DenyTlsBelow12", "DenyDataAccessOutsideVpcEndpoint"]);
      }
      // The endpoint deny lists only object / listing actions.
      for (const a of VPC_ENDPOINT_ONLY_ACTIONS) {
        expect(
          MANAGEMENT_ACTIONS.some((m) => globMatch(a, m)),
          `${a} covers a management action`,
        ).to.equal(false);
      }
    });

    it("C9: bucket policies are attached after the public access block", () => {
      for (const b of Object.values(bs)) {
        const policy = only(rec, T.bucketPolicy, b);
        expect(policy.dependencies, `${policy.urn}`).to.include(only(rec, T.pab, b).urn);
      }
    });
  });
}

describe("aws: enforceVpcEndpoint=false drops only the endpoint deny", () => {
  it("dev without the endpoint deny still denies insecure transport on every bucket", async () => {
    const rec = await runStack("dev", { enforceVpcEndpoint: "false" });
    const policies = ofType(rec, T.bucketPolicy);
    expect(policies).to.have.length(3);
    for (const p of policies) {
      const sids = statements(p).map((s) => s.Sid);
      expect(sids, `${p.urn}`).to.not.include("DenyDataAccessOutsideVpcEndpoint");
      expect(sids, `${p.urn}`).to.include.members(["DenyInsecureTransport", "DenyTlsBelow12"]);
      for (const st of statements(p)) {
        expect(cond(st, "StringNotEquals", "aws:SourceVpce"), `${p.urn}: ${st.Sid}`).to.equal(undefined);
      }
    }
  });
});
