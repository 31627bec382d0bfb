/**
 * Tests of policy-pack/policies/aws/s3/access-logging.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { bucketEnableAccessLogging } from "../../../../../policy-pack/policies/aws/s3/access-logging";
import { expectControl, expectStackPass, expectStackViolations } from "../../../expect";
import { bucket, bucketStack, DATA, LOGS, urn, withProps } from "../../../fixtures/aws";

describe("policy pack: AWS S3", () => {
  describe("aws-s3-bucket-enable-access-logging (C8, stack)", () => {
    const p = bucketEnableAccessLogging;
    it("proves C8", () => expectControl(p, "C8"));
    it("passes when the data bucket logs to the log bucket (which is exempt)", () => expectStackPass(p, bucketStack()));
    it("reports a data bucket without logging", async () => {
      const stack = bucketStack((r) => delete r.logging);
      // Without the logging resource no bucket is a log target: both are data buckets.
      await expectStackViolations(p, stack, [
        [urn(bucket(DATA)), ["S3 data bucket data (mltrain-dev-data-1a2b3c4) has no server access logging"]],
        [urn(bucket(LOGS)), ["has no server access logging"]],
      ]);
    });
    it("reports a bucket that logs into itself", async () => {
      let logging: any;
      const stack = bucketStack((r) => (logging = r.logging = withProps(r.logging, { targetBucket: DATA.physical })));
      await expectStackViolations(p, stack, [
        [urn(logging), ["writes its access logs into itself"]],
        [urn(bucket(LOGS)), ["has no server access logging"]],
      ]);
    });
  });
});
