/**
 * What the S3 policies share: the bucket types, and how a bucket is matched
 * to the configuration resources that name it (`@pulumi/aws` v7 configures a
 * bucket through separate resources such as `BucketPublicAccessBlock`).
 * Docs: https://www.pulumi.com/registry/packages/aws/api-docs/s3/
 */
import * as s3 from "@pulumi/aws/s3";
import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { tokens } from "./define";
import { Coverage, coverage, ofTypes, targetsOf } from "./match";
import { known, str } from "./values";

export const BUCKET_TYPES = tokens(s3.Bucket, s3.BucketV2);
export const BUCKET_IDS = ["bucket", "id"] as const;

export const PAB_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;
export const ALL_FLAGS_FIX =
  "set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true on the bucket's aws.s3.BucketPublicAccessBlock";

/** Buckets of the stack with the configuration resources of `configTypes` that name them (property `bucket`). */
export function bucketCoverage(args: StackValidationArgs, configTypes: readonly string[]): Coverage[] {
  return coverage(targetsOf(args, BUCKET_TYPES, "S3 buckets"), ofTypes(args.resources, configTypes), "bucket", BUCKET_IDS);
}

export function bucketName(bucket: PolicyResource): string {
  const b = str(bucket.props, "bucket");
  return known(b) ? `${bucket.name} (${b})` : bucket.name;
}
