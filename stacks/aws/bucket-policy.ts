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
   * Principals (role ARNs) the VPC endpoint deny does not apply to, e.g. the
   * one data-ingest role that loads training data from outside the VPC. The
   * deny then carries `ArnNotEquals aws:PrincipalArn` beside the endpoint
   * condition; what those principals may do is still decided by IAM.
   */
  readonly exemptPrincipalArns?: pulumi.Input<string>[];
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
    const condition: Record<string, unknown> = {
      StringNotEquals: { "aws:SourceVpce": args.s3VpcEndpointId },
      // AWS services acting as themselves (S3 log delivery) are not network traffic of the VPC. No aws:ViaAWSService
      // exemption: it would let any service acting for a principal (Athena, Glue) read the data from outside the VPC.
      Bool: { "aws:PrincipalIsAWSService": "false" },
    };
    if (args.exemptPrincipalArns && args.exemptPrincipalArns.length > 0) {
      condition.ArnNotEquals = { "aws:PrincipalArn": args.exemptPrincipalArns };
    }
    statements.push({
      Sid: "DenyDataAccessOutsideVpcEndpoint",
      Effect: "Deny",
      Principal: "*",
      Action: [...VPC_ENDPOINT_ONLY_ACTIONS],
      Resource: everything,
      Condition: condition,
    });
  }
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
