/**
 * C11: the Azure ML workspace isolates its compute in a workspace managed
 * network that allows only approved outbound traffic. Microsoft: "We
 * recommend using workspace managed network isolation for a built-in
 * friction less network isolation method." Without it, compute clusters live
 * in a customer subnet and reach Azure ML through default outbound access,
 * which Azure is retiring (new subnets are private by default), so nodes of
 * a new subnet cannot reach the services a job needs. FQDN outbound rules
 * make Azure deploy an Azure Firewall (Standard by default); the SKU must be
 * chosen explicitly so the cost estimate prices what Azure will bill.
 */
import * as ml from "@pulumi/azure-native/machinelearningservices";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, describe, str } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const workspaceProps = propsOf(ml.Workspace);

export const APPROVED_OUTBOUND_ONLY = "AllowOnlyApprovedOutbound";

/** Severity high. Resource: managedNetwork.isolationMode AllowOnlyApprovedOutbound; FQDN rules only with an explicit firewallSku. */
export const workspaceConfigureManagedNetwork = resourcePolicy({
  name: "azure-ml-workspace-configure-managed-network",
  control: "C11",
  severity: "high",
  frameworks: [
    ["nist-800-53-r5", "SC-7"],
    ["nist-800-53-r5", "AC-4"],
  ],
  description:
    "Every Azure ML workspace has a managed network with isolationMode AllowOnlyApprovedOutbound, and names its firewallSku when it has FQDN outbound rules (Azure then deploys a billed Azure Firewall).",
  remediationSteps:
    'Set `managedNetwork: { isolationMode: "AllowOnlyApprovedOutbound" }` and `provisionNetworkNow: true`; reach storage, vault and registry through private-endpoint outbound rules, Azure services through service-tag rules; add FQDN rules only with `firewallSku` set (Basic or Standard).',
  url: "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network",
  validateResource: validateResourceOfType(ml.Workspace, (ws, args, report) => {
    const mode = workspaceProps.str(ws, "managedNetwork", "isolationMode");
    if (mode === UNKNOWN) return;
    if (typeof mode !== "string" || mode.toLowerCase() !== APPROVED_OUTBOUND_ONLY.toLowerCase()) {
      const internet = typeof mode === "string" && mode.toLowerCase() === "allowinternetoutbound";
      report(
        formatViolation({
          what: internet
            ? "managedNetwork.isolationMode is AllowInternetOutbound: Azure lets the workspace's compute send anything to any internet host"
            : `managedNetwork.isolationMode is ${mode === undefined ? "not set (Disabled)" : describe(mode)}: compute runs in your subnets and reaches Azure ML through default outbound access, which Azure is retiring (new subnets are private by default), so a new cluster cannot reach the services its jobs need`,
          where: at(args, "managedNetwork.isolationMode"),
          fix: `set managedNetwork.isolationMode to "${APPROVED_OUTBOUND_ONLY}" and let clusters run in the managed network (no subnet)`,
        }),
      );
      return;
    }
    const rules = workspaceProps.obj(ws, "managedNetwork", "outboundRules");
    if (rules === UNKNOWN || rules === undefined) return;
    const fqdn = Object.entries(rules).filter(([, rule]) => {
      const type = str(rule, "type");
      return typeof type === "string" && type.toLowerCase() === "fqdn";
    });
    if (fqdn.length === 0) return;
    const sku = workspaceProps.get(ws, "managedNetwork", "firewallSku");
    if (sku === UNKNOWN || typeof sku === "string") return;
    report(
      formatViolation({
        what: `the managed network has FQDN outbound rules (${fqdn.map(([k]) => k).join(", ")}) and no firewallSku: Azure deploys an Azure Firewall for them, Standard by default (about $913 a month idle)`,
        where: at(args, "managedNetwork.firewallSku"),
        fix: "remove the FQDN rules (use private-endpoint or service-tag rules), or set managedNetwork.firewallSku (Basic or Standard) so the cost estimate prices the firewall",
      }),
    );
  }),
});
