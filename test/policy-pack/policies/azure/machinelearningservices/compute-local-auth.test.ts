/** azure-ml-compute-disable-local-auth (C6): compute accepts only Entra ID and managed identities. */
import * as ml from "@pulumi/azure-native/machinelearningservices";
import { computeDisableLocalAuth as p } from "../../../../../policy-pack/policies/azure/machinelearningservices/compute-local-auth";
import { unknown } from "../../../harness";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../../expect";

describe("azure-ml-compute-disable-local-auth (C6)", () => {
  const compute = (properties: Record<string, unknown>) => ({
    type: ml.Compute,
    name: "cpu-cluster",
    props: { resourceGroupName: "rg", workspaceName: "ws", properties },
  });
  it("proves C6", () => expectControl(p, "C6"));
  it("passes clusters and instances with local auth disabled, and unknown values", async () => {
    await expectPass(p, compute({ computeType: "AmlCompute", disableLocalAuth: true, properties: { vmSize: "STANDARD_DS3_V2" } }));
    await expectPass(p, compute({ computeType: "ComputeInstance", disableLocalAuth: true }));
    await expectPass(p, compute({ computeType: "AmlCompute", disableLocalAuth: unknown("boolean") }));
    await expectPass(p, compute({ computeType: unknown() }));
  });
  it("reports local auth left on or enabled", async () => {
    await expectViolation(p, compute({ computeType: "AmlCompute" }), [
      "properties.disableLocalAuth is missing (local authentication stays enabled)",
      "property properties.disableLocalAuth",
    ]);
    await expectViolation(p, compute({ computeType: "ComputeInstance", disableLocalAuth: false }), [
      "properties.disableLocalAuth is false",
    ]);
  });
  it("does not apply to attached compute without the switch", () => expectNotApplicable(p, compute({ computeType: "Databricks" })));
  it("does not apply to a workspace", () => expectNotApplicable(p, { type: ml.Workspace, name: "ws", props: {} }));
});
