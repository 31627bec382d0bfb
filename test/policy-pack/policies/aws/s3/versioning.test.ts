/**
 * Tests of policy-pack/policies/aws/s3/versioning.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { bucketEnableVersioning } from "../../../../../policy-pack/policies/aws/s3/versioning";
import { expectControl, expectStackPass, expectStackViolations } from "../../../expect";
import { bucket, bucketStack, LOGS, urn, withProps } from "../../../fixtures/aws";

describe("policy pack: AWS S3", () => {
  describe("aws-s3-bucket-enable-versioning (C9, stack)", () => {
    const p = bucketEnableVersioning;
    it("proves C9", () => expectControl(p, "C9"));
    it("passes when every bucket has versioning Enabled", () => expectStackPass(p, bucketStack()));
    it("reports suspended and missing versioning", async () => {
      let v: any;
      const stack = bucketStack((r) => {
        v = r["data.versioning"] = withProps(r["data.versioning"], { versioningConfiguration: { status: "Suspended" } });
        delete r["logs.versioning"];
      });
      await expectStackViolations(p, stack, [
        [urn(v), ['versioning of S3 bucket data (mltrain-dev-data-1a2b3c4) is "Suspended"']],
        [urn(bucket(LOGS)), ["has no versioning"]],
      ]);
    });
    it("accepts deprecated inline versioning", () =>
      expectStackPass(
        p,
        bucketStack((r) => {
          delete r["logs.versioning"];
          r.logs = bucket(LOGS, { versioning: { enabled: true } });
        }),
      ));
  });
});
