/** aws-s3-bucket-disallow-object-lock-on-log-target (C11): S3 does not deliver access logs to a bucket with an Object Lock default retention. */
import * as s3 from "@pulumi/aws/s3";
import { logTargetDisallowObjectLockRetention as p } from "../../../../../policy-pack/policies/aws/s3/log-target-object-lock";
import { ResourceSpec, urnOf } from "../../../harness";
import { expectControl, expectStackPass, expectStackViolations, onStack } from "../../../expect";
import { expect } from "chai";

describe("aws-s3-bucket-disallow-object-lock-on-log-target (C11)", () => {
  const data: ResourceSpec = { type: s3.Bucket, name: "data", props: { bucket: "env-data-1", id: "env-data-1" } };
  const logs: ResourceSpec = { type: s3.Bucket, name: "logs", props: { bucket: "env-logs-1", id: "env-logs-1", objectLockEnabled: true } };
  const logging: ResourceSpec = {
    type: s3.BucketLogging,
    name: "data-logging",
    props: { bucket: "env-data-1", targetBucket: "env-logs-1", targetPrefix: "data/" },
  };
  const lock = (bucket: string, rule?: unknown): ResourceSpec => ({
    type: s3.BucketObjectLockConfiguration,
    name: `${bucket}-lock`,
    props: { bucket, ...(rule === undefined ? {} : { rule }) },
  });
  const retention = { defaultRetention: { mode: "GOVERNANCE", days: 30 } };

  it("proves C11", () => expectControl(p, "C11"));
  it("passes a log bucket without default retention, and a locked bucket that receives no logs", async () => {
    await expectStackPass(p, [data, logs, logging]);
    await expectStackPass(p, [data, logs, logging, lock("env-logs-1")]);
    await expectStackPass(p, [data, logs, logging, lock("env-data-1", retention)]);
  });
  it("reports a default retention on the log target", () =>
    expectStackViolations(
      p,
      [data, logs, logging, lock("env-logs-1", retention)],
      [
        [
          urnOf(lock("env-logs-1")),
          ["bucket logs receives the access logs of data-logging", "S3 will not deliver the logs", "property rule.defaultRetention"],
        ],
      ],
    ));
  it("is not applicable without access logging", async () => expect((await onStack(p, [data, logs])).notApplicable).to.equal(true));
});
