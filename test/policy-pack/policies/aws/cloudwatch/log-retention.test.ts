/** aws-cloudwatch-log-group-configure-tier-minimum-retention (C8): per-tier minimum retention. */
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { logGroupConfigureTierMinimumRetention as p } from "../../../../../policy-pack/policies/aws/cloudwatch/log-retention";
import { unknown } from "../../../harness";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../../expect";

describe("aws-cloudwatch-log-group-configure-tier-minimum-retention (C8)", () => {
  const group = (environment: string | undefined, retentionInDays: unknown) => ({
    type: cloudwatch.LogGroup,
    name: "flow-logs",
    props: {
      kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/1",
      ...(retentionInDays === undefined ? {} : { retentionInDays }),
      tags: environment ? { environment } : {},
    },
  });
  it("proves C8", () => expectControl(p, "C8"));
  it("passes a year in prod, 30 days in dev, and never-expiring groups", async () => {
    await expectPass(p, group("prod", 365));
    await expectPass(p, group("prod", 731));
    await expectPass(p, group("dev", 30));
    await expectPass(p, group("prod", undefined));
  });
  it("reports prod below a year", () =>
    expectViolation(p, group("prod", 90), [
      'retentionInDays is 90, below the 365-day minimum for environment "prod"',
      "property retentionInDays",
      "set retentionInDays to 365 or more",
    ]));
  it("reports dev (and an untagged group) below 30 days", async () => {
    await expectViolation(p, group("dev", 7), ["below the 30-day minimum"]);
    await expectViolation(p, group(undefined, 14), ["below the 30-day minimum for environment missing"]);
  });
  it("takes the minimums from the policy config", async () => {
    const config = { "aws-cloudwatch-log-group-configure-tier-minimum-retention": { minimumDaysByEnvironment: { prod: 3653, "*": 90 } } };
    await expectViolation(p, group("prod", 365), ["below the 3653-day minimum"], { config });
    await expectViolation(p, group("dev", 30), ["below the 90-day minimum"], { config });
  });
  it("passes while the tags or the retention are unknown", async () => {
    await expectPass(p, { ...group("prod", 1), props: { retentionInDays: 1, tags: unknown("object") } });
    await expectPass(p, group("prod", unknown("number")));
  });
  it("does not apply to a log stream", () => expectNotApplicable(p, { type: cloudwatch.LogStream, name: "s", props: {} }));
});
