/**
 * What the S3 policies share: the bucket types, and how a bucket is matched
 * to the configuration resources that name it (`@pulumi/aws` v7 configures a
 * bucket through separate resources such as `BucketPublicAccessBlock`).
 * Docs: https://www.pulumi.com/registry/packages/aws/api-docs/s3/
 */
import * as s3 from "@pulumi/aws/s3";
import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { tokens } from "./define";
import { parseDocument, Statement } from "./iam";
import { Coverage, coverage, ofTypes, targetsOf } from "./match";
import { propsOf } from "./props";
import { known, str } from "./values";

const bucketPolicyProps = propsOf(s3.BucketPolicy);
/** A bucket's deprecated inline `policy` has the same name. */
const bucketProps = propsOf(s3.Bucket);

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

/** A policy document that applies to a bucket, and the resource whose `policy` holds it. */
export interface BucketPolicySource {
  readonly source: PolicyResource;
  readonly value: unknown;
}

/** The policy documents of a bucket: its BucketPolicy resources' (`matches` of `bucketCoverage`), then its deprecated inline `policy`. */
export function bucketPolicyDocuments(target: PolicyResource, matches: readonly PolicyResource[]): BucketPolicySource[] {
  const docs: BucketPolicySource[] = matches.map((m) => ({ source: m, value: bucketPolicyProps.get(m.props, "policy") }));
  const inline = bucketProps.get(target.props, "policy");
  if (inline !== undefined && inline !== null && inline !== "") docs.push({ source: target, value: inline });
  return docs;
}

/** The statements of the documents that can be read; `undecided` when one is unknown (preview). */
export function bucketPolicyStatements(docs: readonly BucketPolicySource[]): { statements: Statement[]; undecided: boolean } {
  const statements: Statement[] = [];
  let undecided = false;
  for (const d of docs) {
    const doc = parseDocument(d.value);
    if (doc.kind === "unknown") undecided = true;
    if (doc.kind === "document") statements.push(...doc.statements);
  }
  return { statements, undecided };
}
