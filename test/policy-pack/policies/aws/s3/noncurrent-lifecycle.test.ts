/**
 * Tests of policy-pack/policies/aws/s3/noncurrent-lifecycle.ts: compliant inputs pass; each insecure
 * variant reports what is wrong, where and how to fix it.
 */
import { expect } from "chai";
import { bucketConfigureNoncurrentVersionLifecycle } from "../../../../../policy-pack/policies/aws/s3/noncurrent-lifecycle";
import { expectControl, expectStackPass, expectStackViolations, onStack } from "../../../expect";
import { bucket, bucketStack, DATA, lifecycle, LOGS, urn, withProps } from "../../../fixtures/aws";
import { unknown } from "../../../harness";

describe("policy pack: AWS S3", () => {
  describe("aws-s3-bucket-configure-noncurrent-version-lifecycle (C9, stack)", () => {
    const p = bucketConfigureNoncurrentVersionLifecycle;
    /** The compliant stack plus each bucket's lifecycle configuration; `change` edits it. */
    const stack = (change: (r: Record<string, any>) => void = () => undefined) =>
      bucketStack((r) => {
        r["data.lifecycle"] = lifecycle(DATA);
        r["logs.lifecycle"] = lifecycle(LOGS, 30, { id: "logs" });
        change(r);
      });
    const dataLifecycleUrn = urn(lifecycle(DATA));
    it("proves C9", () => expectControl(p, "C9"));
    it("passes versioned buckets whose whole-bucket rule expires noncurrent versions after at least 30 days", () =>
      expectStackPass(p, stack()));
    it("accepts a rule that transitions noncurrent versions, and the deprecated inline rules", async () => {
      await expectStackPass(
        p,
        stack(
          (r) =>
            (r["data.lifecycle"] = lifecycle(DATA, 90, {
              noncurrentVersionExpiration: undefined,
              noncurrentVersionTransitions: [{ noncurrentDays: 30, storageClass: "GLACIER" }],
            })),
        ),
      );
      await expectStackPass(
        p,
        stack((r) => {
          delete r["data.lifecycle"];
          r.data = bucket(DATA, { lifecycleRules: [{ enabled: true, noncurrentVersionExpiration: { days: 60 } }] });
        }),
      );
    });
    it("reports a versioned bucket without a lifecycle configuration, at the bucket", () =>
      expectStackViolations(
        p,
        stack((r) => delete r["data.lifecycle"]),
        [
          [
            urn(bucket(DATA)),
            [
              "S3 bucket data (mltrain-dev-data-1a2b3c4) is versioned but has no lifecycle configuration",
              "Fix: add an aws.s3.BucketLifecycleConfiguration",
            ],
          ],
        ],
      ));
    it("reports a configuration whose noncurrent rule is disabled, limited to a prefix or missing, at the configuration", async () => {
      for (const rule of [
        { status: "Disabled" },
        { filter: { prefix: "tmp/" } },
        { filter: { and: { tags: { k: "v" } } } },
        { noncurrentVersionExpiration: undefined },
      ]) {
        await expectStackViolations(
          p,
          stack((r) => (r["data.lifecycle"] = lifecycle(DATA, 90, rule))),
          [[dataLifecycleUrn, ["no enabled lifecycle rule covering the whole bucket", "property rules"]]],
        );
      }
    });
    it("reports any enabled rule that expires noncurrent versions too soon, even for a prefix", async () => {
      await expectStackViolations(
        p,
        stack((r) => (r["data.lifecycle"] = lifecycle(DATA, 1))),
        [
          [
            dataLifecycleUrn,
            [
              'lifecycle rule "expire-noncurrent-versions" of S3 bucket data (mltrain-dev-data-1a2b3c4) expires noncurrent versions after 1 day(s), fewer than 30',
              "property rules[0].noncurrentVersionExpiration",
            ],
          ],
        ],
      );
      const twoRules = withProps(lifecycle(DATA), {
        rules: [
          ...(lifecycle(DATA).props!.rules as unknown[]),
          { id: "scratch", status: "Enabled", filter: { prefix: "scratch/" }, noncurrentVersionExpiration: { noncurrentDays: 2 } },
        ],
      });
      await expectStackViolations(
        p,
        stack((r) => (r["data.lifecycle"] = twoRules)),
        [[dataLifecycleUrn, ['lifecycle rule "scratch"', "property rules[1].noncurrentVersionExpiration"]]],
      );
    });
    it("uses the configured minimum", () =>
      expectStackViolations(
        p,
        stack(),
        [
          [dataLifecycleUrn, ["after 90 day(s), fewer than 120"]],
          [urn(lifecycle(LOGS)), ["after 30 day(s), fewer than 120"]],
        ],
        { config: { [p.name]: { minNoncurrentDays: 120 } } },
      ));
    it("leaves unversioned buckets to aws-s3-bucket-enable-versioning", () =>
      expectStackPass(
        p,
        stack((r) => {
          delete r["data.lifecycle"];
          r["data.versioning"] = withProps(r["data.versioning"], { versioningConfiguration: { status: "Suspended" } });
          delete r["logs.versioning"];
          delete r["logs.lifecycle"];
        }),
      ));
    it("does not judge unknown rules, days or versioning (preview), and matches by dependency", async () => {
      await expectStackPass(
        p,
        stack((r) => (r["data.lifecycle"] = withProps(r["data.lifecycle"], { rules: unknown("array") }))),
      );
      await expectStackPass(
        p,
        stack((r) => (r["data.lifecycle"] = lifecycle(DATA, unknown("number") as unknown as number))),
      );
      await expectStackPass(
        p,
        stack((r) => (r["data.lifecycle"] = lifecycle(DATA, 90, { status: "Disabled", filter: unknown("object") }))),
      );
      await expectStackPass(
        p,
        stack((r) => {
          delete r["data.lifecycle"];
          r["data.versioning"] = withProps(r["data.versioning"], { versioningConfiguration: { status: unknown() } });
        }),
      );
      const dataUrn = urn(bucket(DATA));
      await expectStackPass(
        p,
        stack(
          (r) =>
            (r["data.lifecycle"] = {
              ...withProps(r["data.lifecycle"], { bucket: unknown() }),
              propertyDependencies: { bucket: [dataUrn] },
            }),
        ),
      );
      await expectStackViolations(
        p,
        stack(
          (r) =>
            (r["data.lifecycle"] = {
              ...withProps(r["data.lifecycle"], { bucket: unknown() }),
              propertyDependencies: { bucket: [urn(bucket(LOGS))] },
            }),
        ),
        [[dataUrn, ["has no lifecycle configuration"]]],
      );
    });
    it("is not applicable to a stack without buckets", async () =>
      expect((await onStack(p, [{ type: "aws:kms/key:Key", name: "k", props: {} }])).notApplicable).to.equal(true));
  });
});
