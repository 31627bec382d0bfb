/**
 * Azure ML compute runs as the environment's job identity (C6): a
 * user-assigned managed identity and nothing else, and no admin credentials
 * on the nodes (local authentication: compute-local-auth.ts), so a GPU cluster a
 * stack adds gets the same identity guardrail as the CPU one.
 * Docs: https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication#compute-cluster
 */
import * as ml from "@pulumi/azure-native/machinelearningservices";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, describe, isUnknown } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const computeProps = propsOf(ml.Compute);

const COMPUTE_WITH_NODES = ["AmlCompute", "ComputeInstance"];

/** Severity high. Resource: compute runs as one user-assigned identity, with no admin credentials. */
export const computeEnforceJobIdentity = resourcePolicy({
  name: "azure-ml-compute-enforce-job-identity",
  control: "C6",
  severity: "high",
  description:
    "Every Azure ML compute cluster or instance runs as exactly one user-assigned managed identity (no system-assigned identity) and has no admin user credentials.",
  remediationSteps:
    'Set `identity: { type: "UserAssigned", userAssignedIdentities: [<job identity id>] }` and no `properties.properties.userAccountCredentials`.',
  frameworks: [
    ["nist-800-53-r5", "IA-2"],
    ["nist-800-53-r5", "AC-6"],
  ],
  url: "https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication#compute-cluster",
  validateResource: validateResourceOfType(ml.Compute, (compute, args, report) => {
    const type = computeProps.str(compute, "properties", "computeType");
    if (type === UNKNOWN) return;
    if (typeof type !== "string" || !COMPUTE_WITH_NODES.includes(type))
      args.notApplicable(`compute type ${describe(type)} has no nodes of its own`);

    const identityType = computeProps.str(compute, "identity", "type");
    const identities = computeProps.arr(compute, "identity", "userAssignedIdentities");
    if (identityType !== UNKNOWN && identityType !== "UserAssigned") {
      report(
        formatViolation({
          what: `identity.type is ${identityType === undefined ? "not set (the nodes get no identity, so jobs need stored credentials)" : describe(identityType)}`,
          where: at(args, "identity.type"),
          fix: 'set identity: { type: "UserAssigned", userAssignedIdentities: [<the environment\'s job identity>] }',
        }),
      );
    } else if (
      identityType === "UserAssigned" &&
      identities !== UNKNOWN &&
      (identities === undefined || identities.length !== 1) &&
      !isUnknown(computeProps.get(compute, "identity", "userAssignedIdentities"))
    ) {
      report(
        formatViolation({
          what: `identity.userAssignedIdentities has ${identities === undefined ? "no" : identities.length} identities`,
          where: at(args, "identity.userAssignedIdentities"),
          fix: "list exactly one identity: the environment's job identity, which holds the data and artifacts roles",
        }),
      );
    }
    const creds = computeProps.get(compute, "properties", "properties", "userAccountCredentials");
    if (creds !== undefined && creds !== null) {
      report(
        formatViolation({
          what: "userAccountCredentials sets an admin user on the nodes (a long-lived credential)",
          where: at(args, "properties.properties.userAccountCredentials"),
          fix: "remove userAccountCredentials: nobody logs in to training nodes; jobs run as the managed identity",
        }),
      );
    }
  }),
});
