/**
 * Destroying S3 buckets (C11): S3 deletes only empty buckets ("All objects
 * (including all object versions and delete markers) in the bucket must be
 * deleted before the bucket itself can be deleted", DeleteBucket). A bucket
 * that is neither `protect`ed (kept on purpose) nor `forceDestroy` (emptied
 * by the provider on delete) makes `pulumi destroy` fail with BucketNotEmpty
 * as soon as it holds an object, and a versioned bucket always keeps the old
 * versions. The analyzer receives the `protect` option, so it is read here.
 */
import * as s3 from "@pulumi/aws/s3";
import { resourcePolicy, validateResourcesOfTypes } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const bucketProps = propsOf(s3.Bucket);

/** Severity low. Resource: every S3 bucket is protected or forceDestroy, so a destroy never stops at a non-empty bucket. */
export const bucketEnableForceDestroyUnlessProtected = resourcePolicy({
  name: "aws-s3-bucket-enable-force-destroy-unless-protected",
  control: "C11",
  severity: "low",
  description:
    "Every S3 bucket is either protected (data kept on purpose) or forceDestroy: S3 deletes only empty buckets, so otherwise `pulumi destroy` fails once the bucket holds an object or an old version.",
  remediationSteps:
    "For a bucket a destroy may delete (dev), set `forceDestroy: true` and run `pulumi up` once before `pulumi destroy` (the provider reads the flag from the state). For a bucket whose data must survive (prod), set the `protect: true` resource option and empty it deliberately before removing the protection.",
  url: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html",
  validateResource: validateResourcesOfTypes([s3.Bucket, s3.BucketV2], (props, args, report) => {
    if (args.opts?.protect === true) return;
    const force = bucketProps.bool(props, "forceDestroy");
    if (force === true || force === UNKNOWN) return;
    report(
      formatViolation({
        what: `the S3 bucket is neither protected nor forceDestroy (forceDestroy is ${force === undefined ? "not set" : "false"}): S3 refuses to delete a bucket that still holds objects, versions or delete markers, so \`pulumi destroy\` will fail with BucketNotEmpty`,
        where: at(args, "forceDestroy"),
        fix: "set forceDestroy: true (then run pulumi up once before destroying), or protect: true for data that must be kept",
      }),
    );
  }),
});
