/** azure-ml-workspace-configure-managed-network (C11): approved-outbound managed network; FQDN rules only with a chosen firewall. */
import * as ml from "@pulumi/azure-native/machinelearningservices";
import { workspaceConfigureManagedNetwork as p } from "../../../../../policy-pack/policies/azure/machinelearningservices/workspace-managed-network";
import { unknown } from "../../../harness";
import { expectControl, expectNotApplicable, expectPass, expectViolation } from "../../../expect";

const ws = (props: Record<string, unknown>) => ({
  type: ml.Workspace,
  name: "mlw",
  props: { resourceGroupName: "rg", publicNetworkAccess: "Disabled", ...props },
});
const blobRule = {
  type: "PrivateEndpoint",
  destination: {
    serviceResourceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a",
    subresourceTarget: "blob",
  },
};

describe("azure-ml-workspace-configure-managed-network (C11)", () => {
  it("proves C11", () => expectControl(p, "C11"));
  it("passes approved-outbound-only, with private-endpoint and service-tag rules, or FQDN rules with a chosen firewall", async () => {
    await expectPass(p, ws({ managedNetwork: { isolationMode: "AllowOnlyApprovedOutbound" } }));
    await expectPass(
      p,
      ws({
        managedNetwork: {
          isolationMode: "AllowOnlyApprovedOutbound",
          outboundRules: { blob: blobRule, tag: { type: "ServiceTag", destination: { serviceTag: "AzureMonitor" } } },
        },
      }),
    );
    await expectPass(
      p,
      ws({
        managedNetwork: {
          isolationMode: "AllowOnlyApprovedOutbound",
          firewallSku: "Basic",
          outboundRules: { pypi: { type: "FQDN", destination: "pypi.org" } },
        },
      }),
    );
  });
  it("reports no managed network: compute would rely on retiring default outbound access", async () => {
    await expectViolation(p, ws({}), [
      "isolationMode is not set (Disabled)",
      "default outbound access",
      "Azure is retiring",
      "property managedNetwork.isolationMode",
    ]);
    await expectViolation(p, ws({ managedNetwork: { isolationMode: "Disabled" } }), ['isolationMode is "Disabled"']);
  });
  it("reports internet outbound", () =>
    expectViolation(p, ws({ managedNetwork: { isolationMode: "AllowInternetOutbound" } }), ["AllowInternetOutbound", "any internet host"]));
  it("reports FQDN rules without a firewall SKU: Azure deploys a Standard firewall", () =>
    expectViolation(
      p,
      ws({
        managedNetwork: { isolationMode: "AllowOnlyApprovedOutbound", outboundRules: { pypi: { type: "FQDN", destination: "pypi.org" } } },
      }),
      ["FQDN outbound rules (pypi)", "Azure Firewall", "Standard by default", "property managedNetwork.firewallSku"],
    ));
  it("does not judge unknown values (preview)", async () => {
    await expectPass(p, ws({ managedNetwork: { isolationMode: unknown() } }));
    await expectPass(p, ws({ managedNetwork: { isolationMode: "AllowOnlyApprovedOutbound", outboundRules: unknown("object") } }));
  });
  it("applies to workspaces only", () => expectNotApplicable(p, { type: ml.Compute, name: "c", props: {} }));
});
