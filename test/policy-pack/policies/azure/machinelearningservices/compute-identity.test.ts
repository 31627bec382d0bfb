/**
 * Tests of policy-pack/policies/azure/machinelearningservices/compute-identity.ts:
 * azure-ml-compute-enforce-job-identity (C6, issue 19): every Azure ML
 * cluster, CPU or GPU, runs as one user-assigned identity with no admin
 * credentials; unknown values during preview are not judged.
 */
import * as ml from "@pulumi/azure-native/machinelearningservices";
import { computeEnforceJobIdentity } from "../../../../../policy-pack/policies/azure/machinelearningservices/compute-identity";
import { ResourceSpec, unknown } from "../../../harness";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../../expect";

const ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/job";

function cluster(
  over: { identity?: unknown; disableLocalAuth?: unknown; inner?: Record<string, unknown>; computeType?: string } = {},
): ResourceSpec {
  return {
    type: ml.Compute,
    name: "gpu",
    props: {
      resourceGroupName: "rg",
      workspaceName: "ws",
      identity: "identity" in over ? over.identity : { type: "UserAssigned", userAssignedIdentities: [ID] },
      properties: {
        computeType: over.computeType ?? "AmlCompute",
        disableLocalAuth: "disableLocalAuth" in over ? over.disableLocalAuth : true,
        properties: {
          vmSize: "Standard_NC4as_T4_v3",
          enableNodePublicIp: false,
          remoteLoginPortPublicAccess: "Disabled",
          scaleSettings: { minNodeCount: 0, maxNodeCount: 2 },
          ...over.inner,
        },
      },
    },
  };
}

describe("azure-ml-compute-enforce-job-identity (C6)", () => {
  const p = computeEnforceJobIdentity;
  it("proves C6", () => expectControl(p, "C6"));
  it("passes a GPU cluster running as the job identity, no admin user", () => expectPass(p, cluster()));
  it("reports a system-assigned identity", () =>
    expectViolation(p, cluster({ identity: { type: "SystemAssigned" } }), ['identity.type is "SystemAssigned"', "UserAssigned"]));
  it("reports a cluster with no identity", () =>
    expectViolation(p, cluster({ identity: undefined }), ["identity.type is not set", "stored credentials"]));
  it("reports two user-assigned identities", () =>
    expectViolation(p, cluster({ identity: { type: "UserAssigned", userAssignedIdentities: [ID, `${ID}2`] } }), [
      "identity.userAssignedIdentities has 2 identities",
      "exactly one",
    ]));
  it("reports an admin user on the nodes", () =>
    expectViolation(
      p,
      cluster({ inner: { userAccountCredentials: { adminUserName: "azureuser", adminUserSshPublicKey: "ssh-rsa AAAA" } } }),
      ["userAccountCredentials", "long-lived credential"],
    ));
  it("checks compute instances and skips attached compute", async () => {
    await expectViolation(p, cluster({ computeType: "ComputeInstance", identity: { type: "SystemAssigned" } }), [
      'identity.type is "SystemAssigned"',
    ]);
    await expectNotApplicable(p, cluster({ computeType: "Kubernetes" }));
  });
  it("does not judge unknown values (preview)", () =>
    expectPass(p, cluster({ identity: { type: unknown(), userAssignedIdentities: unknown() }, disableLocalAuth: unknown() })));
});
