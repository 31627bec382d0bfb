/**
 * Azure Machine Learning policies: the workspace is private (C3) and its
 * compute has no public IP, so jobs inherit the network guardrail (C7).
 * Docs: https://learn.microsoft.com/azure/machine-learning/how-to-network-isolation-planning
 */
import * as ml from "@pulumi/azure-native/machinelearningservices";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, describe } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const workspaceProps = propsOf(ml.Workspace);
const computeProps = propsOf(ml.Compute);
/** The cluster's own settings (`properties.properties` of an AmlCompute). */
const clusterProps = computeProps.sub("properties", "properties");

/** Severity high. Resource: the workspace is reachable only through private endpoints. */
export const workspaceDisablePublicNetworkAccess = resourcePolicy({
  name: "azure-ml-workspace-disable-public-network-access",
  control: "C3",
  severity: "high",
  description: "Every Azure ML workspace has publicNetworkAccess Disabled.",
  remediationSteps: `Set \`publicNetworkAccess: "Disabled"\` (and \`allowPublicAccessWhenBehindVnet: false\`) and reach the workspace through a private endpoint.`,
  url: "https://learn.microsoft.com/azure/machine-learning/how-to-configure-private-link",
  checks: ["CKV_AZURE_144", "CKV2_AZURE_49", "CKV2_AZURE_50"],
  frameworks: [
    ["nist-800-53-r5", "SC-7"],
    ["nist-800-53-r5", "AC-4"],
  ],
  validateResource: validateResourceOfType(ml.Workspace, (ws, args, report) => {
    const access = workspaceProps.str(ws, "publicNetworkAccess");
    if (access !== UNKNOWN && (typeof access !== "string" || access.toLowerCase() !== "disabled")) {
      report(
        formatViolation({
          what: `publicNetworkAccess is ${access === undefined ? 'not set (default "Enabled")' : describe(access)}`,
          where: at(args, "publicNetworkAccess"),
          fix: `set publicNetworkAccess: "Disabled"`,
        }),
      );
    }
    if (workspaceProps.bool(ws, "allowPublicAccessWhenBehindVnet") === true) {
      report(
        formatViolation({
          what: "allowPublicAccessWhenBehindVnet is true",
          where: at(args, "allowPublicAccessWhenBehindVnet"),
          fix: "set allowPublicAccessWhenBehindVnet: false",
        }),
      );
    }
  }),
});

const COMPUTE_WITH_NODES = ["AmlCompute", "ComputeInstance"];

/** Severity high. Resource: compute clusters and instances have no public IP and no public SSH. */
export const computeDisablePublicIp = resourcePolicy({
  name: "azure-ml-compute-disable-public-ip",
  control: "C7",
  severity: "high",
  description: "Every Azure ML compute cluster or instance has no public IP (enableNodePublicIp false) and no public SSH port.",
  remediationSteps: `Set \`properties: { computeType: "AmlCompute", properties: { enableNodePublicIp: false, remoteLoginPortPublicAccess: "Disabled", subnet: { id: <private subnet id> } } }\`.`,
  url: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet",
  checks: [],
  frameworks: [["nist-800-53-r5", "SC-7"]],
  validateResource: validateResourceOfType(ml.Compute, (compute, args, report) => {
    const type = computeProps.str(compute, "properties", "computeType");
    if (type === UNKNOWN) return;
    if (typeof type !== "string" || !COMPUTE_WITH_NODES.includes(type))
      args.notApplicable(`compute type ${describe(type)} has no nodes of its own`);
    const inner = computeProps.get(compute, "properties", "properties");
    const publicIp = clusterProps.bool(inner, "enableNodePublicIp");
    if (publicIp !== false && publicIp !== UNKNOWN) {
      report(
        formatViolation({
          what: `enableNodePublicIp is ${publicIp === undefined ? "not set (default true)" : describe(publicIp)}`,
          where: at(args, "properties.properties.enableNodePublicIp"),
          fix: "set enableNodePublicIp: false and place the compute in the environment's private subnet",
        }),
      );
    }
    if (type === "AmlCompute") {
      const ssh = clusterProps.str(inner, "remoteLoginPortPublicAccess");
      if (ssh !== UNKNOWN && ssh !== "Disabled") {
        report(
          formatViolation({
            what: `remoteLoginPortPublicAccess is ${ssh === undefined ? 'not set ("NotSpecified" opens SSH when no NSG blocks it)' : describe(ssh)}`,
            where: at(args, "properties.properties.remoteLoginPortPublicAccess"),
            fix: `set remoteLoginPortPublicAccess: "Disabled"`,
          }),
        );
      }
    }
  }),
});
