/**
 * Mutations of the AWS buckets: encryption (C1), public access (C3), access
 * only through the VPC endpoint (C4), TLS (C5), access logging (C8),
 * versioning, the noncurrent-version lifecycle and protection (C9).
 */
import { add, editDocument, mutation, one, removeStatement, remove, set, setOption, statement } from "../edit";
import { AWS_STACKS, Mutation } from "../types";

export const T = {
  bucket: "aws:s3/bucket:Bucket",
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  logging: "aws:s3/bucketLogging:BucketLogging",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  bucketAcl: "aws:s3/bucketAcl:BucketAcl",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
} as const;

const PROD: Mutation["stacks"] = ["prod"];

const KMS_POLICY = "aws-s3-bucket-missing-kms-encryption";
const VPC_ENDPOINT_POLICY = "aws-s3-bucket-enforce-vpc-endpoint-only";
const LIFECYCLE_POLICY = "aws-s3-bucket-configure-noncurrent-version-lifecycle";
const PROTECTION_POLICY = "common-stack-data-store-enforce-protection";

export const awsStorageMutations: Mutation[] = [
  // ------------------------------------------------------------ C1
  {
    name: "s3-sse-aes256",
    control: "C1",
    description: "The data bucket's default encryption is switched to SSE-S3 (AES256) instead of the customer KMS key.",
    stacks: AWS_STACKS,
    expect: [KMS_POLICY],
    apply: mutation((rec) => {
      const sse = one(rec, T.sse, "data-sse");
      set(sse, "rules.0.applyServerSideEncryptionByDefault", { sseAlgorithm: "AES256" });
    }),
  },
  {
    name: "s3-sse-config-removed",
    control: "C1",
    description: "The artifacts bucket's server-side encryption configuration is removed.",
    stacks: AWS_STACKS,
    expect: [KMS_POLICY],
    apply: mutation((rec) => remove(rec, one(rec, T.sse, "artifacts-sse"))),
  },
  {
    name: "s3-sse-aws-managed-key",
    control: "C1",
    description: "The data bucket is encrypted with the AWS managed aws/s3 key instead of the customer key.",
    stacks: PROD,
    expect: [KMS_POLICY],
    apply: mutation((rec) => set(one(rec, T.sse, "data-sse"), "rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId", "alias/aws/s3")),
  },
  {
    name: "s3-sse-bucket-key-off",
    control: "C1",
    description: "The artifacts bucket's SSE-KMS rule turns the S3 Bucket Key off.",
    stacks: ["dev"],
    expect: [KMS_POLICY],
    apply: mutation((rec) => set(one(rec, T.sse, "artifacts-sse"), "rules.0.bucketKeyEnabled", false)),
  },

  // ------------------------------------------------------------ C3
  {
    name: "s3-public-access-block-flag-false",
    control: "C3",
    description: "One flag of the data bucket's public access block (restrictPublicBuckets) is false.",
    stacks: AWS_STACKS,
    expect: ["aws-s3-bucket-missing-public-access-block", "aws-s3-bucket-public-access-block-enable-all-flags"],
    apply: mutation((rec) => set(one(rec, T.publicAccessBlock, "data-public-access-block"), "restrictPublicBuckets", false)),
  },
  {
    name: "s3-public-access-block-removed",
    control: "C3",
    description: "The data bucket's public access block is removed.",
    stacks: AWS_STACKS,
    expect: ["aws-s3-bucket-missing-public-access-block"],
    apply: mutation((rec) => remove(rec, one(rec, T.publicAccessBlock, "data-public-access-block"))),
  },
  {
    name: "s3-public-read-acl",
    control: "C3",
    description: "A bucket ACL with the canned ACL public-read is added to the data bucket.",
    stacks: AWS_STACKS,
    expect: ["aws-s3-bucket-disallow-public-acl"],
    apply: mutation((rec) => {
      const bucket = one(rec, T.bucket, "data");
      add(rec, {
        type: T.bucketAcl,
        name: `${bucket.name}-acl`,
        like: bucket,
        inputs: { bucket: bucket.outputs.bucket, acl: "public-read" },
        from: { bucket: [bucket] },
      });
    }),
  },
  {
    name: "s3-ownership-controls-removed",
    control: "C3",
    description: "The artifacts bucket's ownership controls are removed, so object ACLs are enabled again.",
    stacks: AWS_STACKS,
    expect: ["aws-s3-bucket-enforce-bucket-owner-enforced"],
    apply: mutation((rec) => remove(rec, one(rec, T.ownership, "artifacts-ownership"))),
  },
  {
    name: "s3-ownership-object-writer",
    control: "C3",
    description: "The data bucket's object ownership is ObjectWriter instead of BucketOwnerEnforced.",
    stacks: PROD,
    expect: ["aws-s3-bucket-enforce-bucket-owner-enforced"],
    apply: mutation((rec) => set(one(rec, T.ownership, "data-ownership"), "rule.objectOwnership", "ObjectWriter")),
  },
  {
    name: "s3-bucket-policy-public-read",
    control: "C3",
    description: 'The data bucket policy gains an Allow of s3:GetObject to any principal ("*") without a condition.',
    stacks: AWS_STACKS,
    expect: ["aws-s3-bucket-policy-disallow-public-access"],
    apply: mutation((rec) => {
      const bucket = one(rec, T.bucket, "data");
      editDocument(one(rec, T.bucketPolicy, "data-policy"), "policy", (doc) => {
        doc.Statement.push({
          Sid: "PublicRead",
          Effect: "Allow",
          Principal: "*",
          Action: "s3:GetObject",
          Resource: `${bucket.outputs.arn}/*`,
        });
      });
    }),
  },

  // ------------------------------------------------------------ C4
  {
    name: "s3-bucket-policy-vpce-deny-removed",
    control: "C4",
    description:
      "The data bucket policy no longer denies object access from outside the S3 VPC endpoint (its aws:SourceVpce Deny is removed).",
    stacks: AWS_STACKS,
    expect: [VPC_ENDPOINT_POLICY],
    apply: mutation((rec) =>
      editDocument(one(rec, T.bucketPolicy, "data-policy"), "policy", (doc) => removeStatement(doc, "DenyDataAccessOutsideVpcEndpoint")),
    ),
  },
  {
    name: "s3-bucket-policy-vpce-deny-reads-only",
    control: "C4",
    description:
      "The artifacts bucket policy denies only reads from outside the S3 VPC endpoint, so objects can be written or deleted from anywhere.",
    stacks: PROD,
    expect: [VPC_ENDPOINT_POLICY],
    apply: mutation((rec) =>
      editDocument(one(rec, T.bucketPolicy, "artifacts-policy"), "policy", (doc) => {
        statement(doc, "DenyDataAccessOutsideVpcEndpoint").Action = ["s3:GetObject*"];
      }),
    ),
  },

  // ------------------------------------------------------------ C5
  {
    name: "s3-tls-deny-removed",
    control: "C5",
    description: "The data bucket policy loses its Deny of requests without TLS (aws:SecureTransport false).",
    stacks: AWS_STACKS,
    expect: ["aws-s3-bucket-missing-tls-policy"],
    apply: mutation((rec) =>
      editDocument(one(rec, T.bucketPolicy, "data-policy"), "policy", (doc) => removeStatement(doc, "DenyInsecureTransport")),
    ),
  },
  {
    name: "s3-tls-version-deny-removed",
    control: "C5",
    description: "The artifacts bucket policy loses its Deny of TLS older than 1.2 (s3:TlsVersion).",
    stacks: PROD,
    expect: ["aws-s3-bucket-missing-tls-policy"],
    apply: mutation((rec) =>
      editDocument(one(rec, T.bucketPolicy, "artifacts-policy"), "policy", (doc) => removeStatement(doc, "DenyTlsBelow12")),
    ),
  },
  {
    name: "s3-tls-deny-weakened-to-tls-1-0",
    control: "C5",
    description: "The logs bucket policy denies only TLS older than 1.0 instead of 1.2.",
    stacks: ["dev"],
    expect: ["aws-s3-bucket-missing-tls-policy"],
    apply: mutation((rec) =>
      editDocument(one(rec, T.bucketPolicy, "logs-policy"), "policy", (doc) => {
        statement(doc, "DenyTlsBelow12").Condition = { NumericLessThan: { "s3:TlsVersion": "1.0" } };
      }),
    ),
  },
  {
    name: "s3-bucket-policy-removed",
    control: "C5",
    description: "The logs bucket's bucket policy (with its TLS-only statements) is removed.",
    stacks: PROD,
    expect: ["aws-s3-bucket-missing-tls-policy"],
    apply: mutation((rec) => remove(rec, one(rec, T.bucketPolicy, "logs-policy"))),
  },

  // ------------------------------------------------------------ C8
  {
    name: "s3-access-logging-removed",
    control: "C8",
    description: "The data bucket's server access logging is removed.",
    stacks: AWS_STACKS,
    expect: ["aws-s3-bucket-enable-access-logging"],
    apply: mutation((rec) => remove(rec, one(rec, T.logging, "data-access-logging"))),
  },
  {
    name: "s3-access-logs-into-itself",
    control: "C8",
    description: "The artifacts bucket writes its access logs into itself instead of the log bucket.",
    stacks: PROD,
    expect: ["aws-s3-bucket-enable-access-logging"],
    apply: mutation((rec) => {
      const bucket = one(rec, T.bucket, "artifacts");
      const logging = one(rec, T.logging, "artifacts-access-logging");
      set(logging, "targetBucket", bucket.outputs.bucket);
      logging.propertyDependencies.targetBucket = [bucket.urn];
    }),
  },

  // ------------------------------------------------------------ C9
  {
    name: "s3-versioning-suspended",
    control: "C9",
    description: "The data bucket's versioning is Suspended.",
    stacks: AWS_STACKS,
    expect: ["aws-s3-bucket-enable-versioning"],
    apply: mutation((rec) => set(one(rec, T.versioning, "data-versioning"), "versioningConfiguration.status", "Suspended")),
  },
  {
    name: "s3-versioning-removed",
    control: "C9",
    description: "The artifacts bucket's versioning resource is removed (and its protection with it).",
    stacks: PROD,
    expect: ["aws-s3-bucket-enable-versioning"],
    apply: mutation((rec) => remove(rec, one(rec, T.versioning, "artifacts-versioning"))),
  },
  {
    name: "s3-data-bucket-unprotected",
    control: "C9",
    description: "The prod data bucket is no longer protected, so pulumi destroy or a replacement deletes the training data.",
    stacks: PROD,
    expect: ["common-stack-data-store-enforce-protection"],
    apply: mutation((rec) => setOption(one(rec, T.bucket, "data"), "protect", false)),
  },
  {
    name: "s3-artifacts-bucket-unprotected",
    control: "C9",
    description: "The prod artifacts bucket is no longer protected.",
    stacks: PROD,
    expect: ["common-stack-data-store-enforce-protection"],
    apply: mutation((rec) => setOption(one(rec, T.bucket, "artifacts"), "protect", false)),
  },
  {
    name: "s3-logs-bucket-unprotected",
    control: "C9",
    description: "The prod access-log bucket is no longer protected.",
    stacks: PROD,
    expect: ["common-stack-data-store-enforce-protection"],
    apply: mutation((rec) => setOption(one(rec, T.bucket, "logs"), "protect", false)),
  },
  {
    name: "s3-versioning-resource-unprotected",
    control: "C9",
    description: "The prod data bucket's BucketVersioning loses protect, so a destroy or replacement suspends versioning.",
    stacks: PROD,
    expect: [PROTECTION_POLICY],
    apply: mutation((rec) => setOption(one(rec, T.versioning, "data-versioning"), "protect", false)),
  },
  {
    name: "s3-noncurrent-version-lifecycle-removed",
    control: "C9",
    description: "The data bucket's lifecycle configuration with its noncurrent-version rule is removed.",
    stacks: AWS_STACKS,
    expect: [LIFECYCLE_POLICY],
    apply: mutation((rec) => remove(rec, one(rec, T.lifecycle, "data-lifecycle"))),
  },
  {
    name: "s3-noncurrent-versions-expire-next-day",
    control: "C9",
    description:
      "The artifacts bucket's lifecycle rule expires noncurrent versions after 1 day, so an overwritten or deleted model is lost a day later.",
    stacks: PROD,
    expect: [LIFECYCLE_POLICY],
    apply: mutation((rec) => set(one(rec, T.lifecycle, "artifacts-lifecycle"), "rules.0.noncurrentVersionExpiration.noncurrentDays", 1)),
  },
];
