/** aws-s3-bucket-enable-force-destroy-unless-protected (C11): S3 deletes only empty buckets. */
import { expect } from "chai";
import * as s3 from "@pulumi/aws/s3";
import { bucketEnableForceDestroyUnlessProtected } from "../../../../../policy-pack/policies/aws/s3/force-destroy";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../../expect";
import { unknown } from "../../../harness";

const bucket = (props: Record<string, unknown>, protect?: boolean) => ({
  type: s3.Bucket,
  name: "data",
  props: { bucket: "mltrain-dev-data-1a2b3c4", ...props },
  ...(protect === undefined ? {} : { opts: { protect } }),
});

describe("policy pack: aws-s3-bucket-enable-force-destroy-unless-protected (C11)", () => {
  const p = bucketEnableForceDestroyUnlessProtected;
  it("proves C11 and cites DeleteBucket", () => {
    expectControl(p, "C11");
    expect(p.url).to.equal("https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html");
  });
  it("passes a forceDestroy bucket (dev) and a protected bucket without it (prod)", async () => {
    await expectPass(p, bucket({ forceDestroy: true }));
    await expectPass(p, bucket({ forceDestroy: false }, true));
    await expectPass(p, { type: s3.BucketV2, name: "old", props: { forceDestroy: true } });
  });
  it("reports an unprotected bucket without forceDestroy, saying destroy will fail with BucketNotEmpty", async () => {
    await expectViolation(p, bucket({ forceDestroy: false }), [
      "neither protected nor forceDestroy (forceDestroy is false)",
      "BucketNotEmpty",
      "property forceDestroy",
      "run pulumi up once",
    ]);
    await expectViolation(p, bucket({}, false), ["forceDestroy is not set"]);
  });
  it("does not judge an unknown forceDestroy (preview), and applies only to buckets", async () => {
    await expectPass(p, bucket({ forceDestroy: unknown("boolean") }));
    await expectNotApplicable(p, { type: s3.BucketPolicy, name: "p", props: { bucket: "b", policy: "{}" } });
  });
});
