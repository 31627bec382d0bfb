/** azure-monitor-log-analytics-workspace-configure-tier-minimum-retention (C8). */
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import { workspaceConfigureTierMinimumRetention as p } from "../../../../../policy-pack/policies/azure/operationalinsights/workspace-retention";
import { unknown } from "../../../harness";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../../expect";

describe("azure-monitor-log-analytics-workspace-configure-tier-minimum-retention (C8)", () => {
  const ws = (environment: string, retentionInDays: unknown) => ({
    type: operationalinsights.Workspace,
    name: "logs",
    props: {
      resourceGroupName: "rg",
      sku: { name: "PerGB2018" },
      ...(retentionInDays === undefined ? {} : { retentionInDays }),
      tags: { environment },
    },
  });
  it("proves C8", () => expectControl(p, "C8"));
  it("passes a year in prod and 30 days (or the 30-day default) in dev", async () => {
    await expectPass(p, ws("prod", 365));
    await expectPass(p, ws("dev", 30));
    await expectPass(p, ws("dev", undefined));
    await expectPass(p, ws("prod", unknown("number")));
  });
  it("reports prod below a year, including the unset 30-day default", async () => {
    await expectViolation(p, ws("prod", 90), ["retentionInDays is 90, below the 365-day minimum", "property retentionInDays"]);
    await expectViolation(p, ws("prod", undefined), ["not set (30 days)", "365-day minimum"]);
  });
  it("follows the policy config", () =>
    expectViolation(p, ws("dev", 30), ["below the 60-day minimum"], {
      config: { "azure-monitor-log-analytics-workspace-configure-tier-minimum-retention": { minimumDaysByEnvironment: { "*": 60 } } },
    }));
  it("does not apply to a diagnostic setting", () =>
    expectNotApplicable(p, { type: "azure-native:monitor:DiagnosticSetting", name: "d", props: {} }));
});
