/**
 * A secure S3 bucket (C1, C3, C8, C9, C11) as one component, used for the
 * training data, the model artifacts and the access logs:
 *  - SSE-KMS with the environment's key and an S3 bucket key; the access-log
 *    bucket alone uses SSE-S3, the only default encryption S3 server access
 *    log delivery supports (ACCESS_LOG_SSE below; the one exception to C1);
 *  - all four public-access-block flags; object ownership BucketOwnerEnforced
 *    (ACLs disabled);
 *  - versioning, noncurrent versions expired after a retention period,
 *    incomplete multipart uploads aborted; access logs expire after the
 *    configured log retention;
 *  - server access logs to the log bucket (data and artifacts buckets);
 *  - in prod the bucket and its versioning are `protect`ed; in dev the bucket
 *    is `forceDestroy` (S3 deletes only empty buckets, so `pulumi destroy`
 *    empties it, after its bucket policy is gone).
 * Its bucket policy (TLS only, VPC endpoint only) is attached once the S3
 * gateway endpoint exists (`attachPolicy`), and access logging once the log
 * bucket's policy lets S3 deliver (`sendAccessLogsTo`).
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { AwsContext } from "./context";
import { checkedName } from "../naming";
import { PolicyDocument, policyJson } from "./iam-documents";

export const BUCKET_KINDS = ["data", "artifacts", "logs"] as const;
export type BucketKind = (typeof BUCKET_KINDS)[number];

/** Days a noncurrent object version is kept before it expires (C9: recoverable overwrite / delete). */
export const NONCURRENT_VERSION_DAYS = 90;
export const ABORT_MULTIPART_DAYS = 7;

/**
 * Default encryption of the access-log bucket. The S3 user guide (Enabling
 * Amazon S3 server access logging): "You can use default bucket encryption
 * on the target bucket only if you use server-side encryption with Amazon S3
 * managed keys (SSE-S3) ... Default server-side encryption with AWS Key
 * Management Service (AWS KMS) keys (SSE-KMS) is not supported."
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
export const ACCESS_LOG_SSE = "AES256";

export interface AccessLogTarget {
  /** Name (id) of the log bucket. */
  readonly bucket: pulumi.Input<string>;
  /** Key prefix of this bucket's logs, e.g. `data/`. */
  readonly prefix: string;
  /** Resources that must exist before logs can be delivered (the log bucket's policy). */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export interface SecureBucketArgs {
  readonly ctx: AwsContext;
  /** `logs`: current objects also expire after the configured log retention. */
  readonly kind: BucketKind;
  /** ARN of the customer-managed key (C1); not used by the access-log bucket (SSE-S3, see ACCESS_LOG_SSE). */
  readonly keyArn: pulumi.Input<string>;
}

export class SecureBucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly encryption: aws.s3.BucketServerSideEncryptionConfiguration;
  readonly publicAccessBlock: aws.s3.BucketPublicAccessBlock;
  readonly ownership: aws.s3.BucketOwnershipControls;
  readonly versioning: aws.s3.BucketVersioning;
  readonly lifecycle: aws.s3.BucketLifecycleConfiguration;
  logging?: aws.s3.BucketLogging;
  policy?: aws.s3.BucketPolicy;

  /** Bucket name. */
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;

  private readonly ctx: AwsContext;
  private readonly logicalName: string;

  constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secure-ml:aws:SecureBucket", name, {}, opts);
    const { ctx } = args;
    this.ctx = ctx;
    this.logicalName = name;
    const child = (extra: pulumi.CustomResourceOptions = {}) => ctx.opts({ parent: this, ...extra });
    const dataStore = { protect: ctx.prod };

    // Auto-named: `<name>-<7 hex>`, checked against S3's rules here.
    // Dev: destroy empties the bucket (DeleteBucket needs an empty bucket); prod: protected, never emptied by the program.
    this.bucket = new aws.s3.Bucket(checkedName("s3Bucket", name), { forceDestroy: !ctx.prod, tags: ctx.tags }, child(dataStore));
    const bucketId = this.bucket.id;

    const rule: aws.types.input.s3.BucketServerSideEncryptionConfigurationRule =
      args.kind === "logs"
        ? { applyServerSideEncryptionByDefault: { sseAlgorithm: ACCESS_LOG_SSE } }
        : { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.keyArn }, bucketKeyEnabled: true };
    this.encryption = new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-sse`, { bucket: bucketId, rules: [rule] }, child());

    this.publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access-block`,
      { bucket: bucketId, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      child(),
    );

    this.ownership = new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: bucketId, rule: { objectOwnership: "BucketOwnerEnforced" } },
      child(),
    );

    this.versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: bucketId, versioningConfiguration: { status: "Enabled" } },
      child(dataStore),
    );

    const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
      {
        id: "expire-noncurrent-versions",
        status: "Enabled",
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_VERSION_DAYS },
        abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_MULTIPART_DAYS },
      },
    ];
    if (args.kind === "logs") {
      rules.push({ id: "expire-after-retention", status: "Enabled", filter: {}, expiration: { days: ctx.config.logRetentionDays } });
    }
    // Lifecycle rules on noncurrent versions need versioning in place first.
    this.lifecycle = new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      { bucket: bucketId, rules },
      child({ dependsOn: [this.versioning] }),
    );

    this.name = this.bucket.bucket;
    this.arn = this.bucket.arn;
    this.registerOutputs({ name: this.name, arn: this.arn });
  }

  /** Attaches the bucket policy (after the public access block, so the order of updates never matters). */
  attachPolicy(doc: PolicyDocument): aws.s3.BucketPolicy {
    if (this.policy) throw new Error(`bucket ${this.logicalName}: bucket policy already attached`);
    this.policy = new aws.s3.BucketPolicy(
      `${this.logicalName}-policy`,
      { bucket: this.bucket.id, policy: policyJson(doc) },
      this.ctx.opts({ parent: this, dependsOn: [this.publicAccessBlock, this.ownership] }),
    );
    return this.policy;
  }

  /** Server access logs of this bucket go to `target` (C8). */
  sendAccessLogsTo(target: AccessLogTarget): aws.s3.BucketLogging {
    if (this.logging) throw new Error(`bucket ${this.logicalName}: access logging already configured`);
    this.logging = new aws.s3.BucketLogging(
      `${this.logicalName}-access-logging`,
      {
        bucket: this.bucket.id,
        targetBucket: target.bucket,
        targetPrefix: target.prefix,
        targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
      },
      this.ctx.opts({ parent: this, dependsOn: target.dependsOn }),
    );
    return this.logging;
  }
}
