/**
 * Compliant AWS inputs for the policy tests: each test mutates one field.
 * Bucket stacks hold a data bucket whose access logs go to a log bucket,
 * each with every configuration resource the contract asks for.
 */
import * as s3 from "@pulumi/aws/s3";
import { ResourceSpec, urnOf } from "../harness";

export const ACCOUNT = "123456789012";
export const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/11111111-2222-4333-8444-555555555555`;

export interface BucketNames {
  readonly logical: string;
  readonly physical: string;
}

export const DATA: BucketNames = { logical: "data", physical: "mltrain-dev-data-1a2b3c4" };
export const LOGS: BucketNames = { logical: "logs", physical: "mltrain-dev-logs-5d6e7f8" };

export function bucket(b: BucketNames, extra: Record<string, unknown> = {}): ResourceSpec {
  return { type: s3.Bucket, name: b.logical, props: { bucket: b.physical, id: b.physical, arn: `arn:aws:s3:::${b.physical}`, ...extra } };
}

export function tlsPolicy(physical: string, minimum = "1.2"): Record<string, unknown> {
  const arn = `arn:aws:s3:::${physical}`;
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
      { Sid: "DenyOldTls", Effect: "Deny", Principal: { AWS: "*" }, Action: ["s3:*"], Resource: [arn, `${arn}/*`], Condition: { NumericLessThan: { "s3:TlsVersion": minimum } } },
    ],
  };
}

/** Every configuration resource of one bucket, keyed by a short name. */
export function bucketConfig(b: BucketNames): Record<string, ResourceSpec> {
  const on = (type: ResourceSpec["type"], suffix: string, props: Record<string, unknown>): ResourceSpec => ({
    type,
    name: `${b.logical}-${suffix}`,
    props: { bucket: b.physical, ...props },
  });
  return {
    pab: on(s3.BucketPublicAccessBlock, "pab", { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
    ownership: on(s3.BucketOwnershipControls, "ownership", { rule: { objectOwnership: "BucketOwnerEnforced" } }),
    sse: on(s3.BucketServerSideEncryptionConfiguration, "sse", {
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true }],
    }),
    policy: on(s3.BucketPolicy, "policy", { policy: JSON.stringify(tlsPolicy(b.physical)) }),
    versioning: on(s3.BucketVersioning, "versioning", { versioningConfiguration: { status: "Enabled" } }),
  };
}

/** A compliant two-bucket stack; `change` edits the resources by key (`data`, `data.pab`, `logging`, ...). */
export function bucketStack(change: (r: Record<string, ResourceSpec | undefined>) => void = () => undefined): ResourceSpec[] {
  const r: Record<string, ResourceSpec | undefined> = { data: bucket(DATA), logs: bucket(LOGS) };
  for (const b of [DATA, LOGS]) for (const [k, v] of Object.entries(bucketConfig(b))) r[`${b.logical}.${k}`] = v;
  r.logging = { type: s3.BucketLogging, name: "data-logging", props: { bucket: DATA.physical, targetBucket: LOGS.physical, targetPrefix: "data/" } };
  change(r);
  return Object.values(r).filter((x): x is ResourceSpec => x !== undefined);
}

/** Copy of a spec with props replaced/merged. */
export function withProps(spec: ResourceSpec | undefined, props: Record<string, unknown>, replace = false): ResourceSpec {
  if (!spec) throw new Error("no spec");
  return { ...spec, props: replace ? props : { ...spec.props, ...props } };
}

export function urn(spec: ResourceSpec | undefined): string {
  if (!spec) throw new Error("no spec");
  return urnOf(spec);
}

/** The S3 gateway endpoint the data bucket's policy names. */
export const VPCE_ID = "vpce-0a1b2c3d4e5f60718";

/** The program's Deny of object access outside the VPC endpoint (wildcard actions, AWS-service exemptions); `change` edits it. */
export function vpceDeny(physical: string, change: (st: Record<string, any>) => void = () => undefined): Record<string, any> {
  const arn = `arn:aws:s3:::${physical}`;
  const st: Record<string, any> = {
    Sid: "DenyDataAccessOutsideVpcEndpoint",
    Effect: "Deny",
    Principal: "*",
    Action: ["s3:GetObject*", "s3:PutObject*", "s3:DeleteObject*", "s3:RestoreObject"],
    Resource: [arn, `${arn}/*`],
    Condition: {
      StringNotEquals: { "aws:SourceVpce": VPCE_ID },
      Bool: { "aws:PrincipalIsAWSService": "false", "aws:ViaAWSService": "false" },
    },
  };
  change(st);
  return st;
}

/** A bucket policy document: the TLS-only statements plus the VPC endpoint deny. */
export function vpcePolicy(physical: string, change?: (st: Record<string, any>) => void): Record<string, unknown> {
  const doc = tlsPolicy(physical) as { Statement: unknown[] };
  return { ...doc, Statement: [...doc.Statement, vpceDeny(physical, change)] };
}

/** The program's lifecycle configuration: noncurrent versions expire after `days`, for the whole bucket. */
export function lifecycle(b: BucketNames, days = 90, rule: Record<string, unknown> = {}): ResourceSpec {
  return {
    type: s3.BucketLifecycleConfiguration,
    name: `${b.logical}-lifecycle`,
    props: {
      bucket: b.physical,
      rules: [{ id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: days }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 }, ...rule }],
    },
  };
}
