/**
 * Azure ML compute authentication (C6): clusters and instances accept only
 * Microsoft Entra ID and managed identities (`disableLocalAuth: true`);
 * local authentication (keys/SSH users) is a long-lived credential outside
 * the identity plane. Azure enables it unless told otherwise.
 */
import * as ml from "@pulumi/azure-native/machinelearningservices";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, describe } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const computeProps = propsOf(ml.Compute);

/** Compute types with a `disableLocalAuth` switch (others, e.g. attached Databricks, are not applicable). */
const WITH_LOCAL_AUTH = ["AmlCompute", "ComputeInstance", "Kubernetes", "VirtualMachine"];

/** Severity high. Resource: Azure ML compute disables local authentication. */
export const computeDisableLocalAuth = resourcePolicy({
  name: "azure-ml-compute-disable-local-auth",
  control: "C6",
  severity: "high",
  description:
    "Every Azure ML compute cluster or instance disables local authentication (properties.disableLocalAuth true), so only Microsoft Entra ID and managed identities can use it.",
  remediationSteps: "Set `properties.disableLocalAuth: true` on the machinelearningservices.Compute and give jobs a managed identity.",
  url: "https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication",
  checks: ["CKV_AZURE_142"],
  frameworks: [
    ["nist-800-53-r5", "IA-2"],
    ["nist-800-53-r5", "AC-3"],
  ],
  validateResource: validateResourceOfType(ml.Compute, (compute, args, report) => {
    const type = computeProps.str(compute, "properties", "computeType");
    if (type === UNKNOWN) return;
    if (type !== undefined && !WITH_LOCAL_AUTH.includes(type))
      args.notApplicable(`compute type ${type} has no local authentication switch`);
    const disabled = computeProps.bool(compute, "properties", "disableLocalAuth");
    if (disabled === UNKNOWN || disabled === true) return;
    report(
      formatViolation({
        what: `properties.disableLocalAuth is ${describe(disabled)}${disabled === undefined ? " (local authentication stays enabled)" : ""}`,
        where: at(args, "properties.disableLocalAuth"),
        fix: "set properties.disableLocalAuth to true",
      }),
    );
  }),
});
