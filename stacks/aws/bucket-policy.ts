/**
 * Bucket policies (C4, C5, C8): every bucket denies non-TLS requests and TLS
 * below 1.2; where the stack says so (`enforceVpcEndpoint`), object-level
 * access that does not come through the environment's S3 gateway endpoint
 * is denied. The log bucket also lets S3 server access logging deliver the
 * other buckets' logs.
 *
 * The account's administrators stay able to manage the buckets: the VPC
 * endpoint deny covers object actions only, never bucket configuration or
 * HeadBucket (s3:GetBucket*, s3:PutBucket*, s3:DeleteBucketPolicy,
 * s3:ListBucket, ...),
 * so a bucket policy can always be read, replaced or removed from outside
 * the VPC, and the TLS denies match only insecure requests.
 */
import * as pulumi from "@pulumi/pulumi";
import type { AwsContext } from "./context";
import { PolicyDocument, PolicyStatement, policyDocument } from "./iam-documents";

export const MIN_TLS_VERSION = 1.2;

/**
 * Object actions the VPC endpoint deny covers (data plane only). Not
 * `s3:ListBucket`: it also authorises HeadBucket, which the AWS provider
 * (`pulumi up` / `refresh`) and the console use to find the bucket, so
 * denying it would lock administrators out of managing the bucket; object
 * contents stay reachable only through the endpoint.
 */
export const VPC_ENDPOINT_ONLY_ACTIONS = [
  "s3:GetObject*",
  "s3:PutObject*",
  "s3:DeleteObject*",
  "s3:RestoreObject",
  "s3:ReplicateObject",
  "s3:ListBucketVersions",
  "s3:ListBucketMultipartUploads",
  "s3:ListMultipartUploadParts",
  "s3:AbortMultipartUpload",
] as const;

export interface BucketPolicyArgs {
  readonly ctx: AwsContext;
  readonly bucketArn: pulumi.Input<string>;
  /** The S3 gateway endpoint's id; the deny is added when the stack enforces the endpoint. */
  readonly s3VpcEndpointId: pulumi.Input<string>;
  /** Buckets whose server access logs this (log) bucket receives, with their key prefixes. */
  readonly logSources?: { readonly bucketArn: pulumi.Input<string>; readonly prefix: string }[];
  /**
   * Principals (the data ingest role) lifted from the VPC-endpoint deny by
   * `aws:PrincipalArn` and nothing broader; IAM still decides what they may do.
   */
  readonly exemptPrincipalArns?: pulumi.Input<string>[];
  /**
   * The object actions the exemption covers (default: all of the deny's). The
   * artifacts bucket exempts only reads (`s3:GetObject*`): from outside the VPC
   * the ingest role may fetch job outputs but write nothing there.
   */
  readonly exemptActions?: readonly string[];
  /** Deny any PutObject that asks for other encryption than SSE-KMS with this key (the data bucket). */
  readonly requireKmsKeyArn?: pulumi.Input<string>;
}

/** Deny statements that keep every write on SSE-KMS with the environment's key (see requireKmsKeyArn). */
export function requireKmsKeyStatements(bucketArn: pulumi.Input<string>, keyArn: pulumi.Input<string>): PolicyStatement[] {
  // IfExists: UploadPart carries no SSE header (a plain StringNotEquals would deny every multipart
  // upload); requests without the headers get the bucket's default encryption, the same key.
  const objects = pulumi.interpolate`${bucketArn}/*`;
  return [
    {
      Sid: "DenyPutWithOtherEncryption",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: objects,
      Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" } },
    },
    {
      Sid: "DenyPutWithOtherKmsKey",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: objects,
      Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn } },
    },
  ];
}

export function bucketPolicy(args: BucketPolicyArgs): PolicyDocument {
  const { ctx, bucketArn } = args;
  const everything = [bucketArn, pulumi.interpolate`${bucketArn}/*`];
  const statements: PolicyStatement[] = [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: everything,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "DenyTlsBelow12",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: everything,
      Condition: { NumericLessThan: { "s3:TlsVersion": String(MIN_TLS_VERSION) } },
    },
  ];
  if (ctx.config.enforceVpcEndpoint) {
    const condition = {
      StringNotEquals: { "aws:SourceVpce": args.s3VpcEndpointId },
      // AWS services acting as themselves (S3 log delivery) are not network traffic of the VPC. No aws:ViaAWSService
      // exemption: it would let any service acting for a principal (Athena, Glue) read the data from outside the VPC.
      Bool: { "aws:PrincipalIsAWSService": "false" },
    };
    const exempt = args.exemptPrincipalArns ?? [];
    const exemptActions = exempt.length === 0 ? [] : [...(args.exemptActions ?? VPC_ENDPOINT_ONLY_ACTIONS)];
    const others = VPC_ENDPOINT_ONLY_ACTIONS.filter((a) => !exemptActions.includes(a));
    if (others.length > 0) {
      statements.push({
        Sid: "DenyDataAccessOutsideVpcEndpoint",
        Effect: "Deny",
        Principal: "*",
        Action: others,
        Resource: everything,
        Condition: condition,
      });
    }
    if (exemptActions.length > 0) {
      statements.push({
        Sid: "DenyDataAccessOutsideVpcEndpointExceptIngestRole",
        Effect: "Deny",
        Principal: "*",
        Action: exemptActions,
        Resource: everything,
        Condition: { ...condition, ArnNotEquals: { "aws:PrincipalArn": exempt } },
      });
    }
  }
  if (args.requireKmsKeyArn !== undefined) statements.push(...requireKmsKeyStatements(bucketArn, args.requireKmsKeyArn));
  for (const source of args.logSources ?? []) {
    statements.push({
      Sid: `S3ServerAccessLogs${source.prefix.replace(/[^A-Za-z0-9]/g, "")}`,
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: pulumi.interpolate`${bucketArn}/${source.prefix}*`,
      Condition: {
        ArnLike: { "aws:SourceArn": source.bucketArn },
        StringEquals: { "aws:SourceAccount": ctx.accountId },
      },
    });
  }
  return policyDocument(statements);
}
