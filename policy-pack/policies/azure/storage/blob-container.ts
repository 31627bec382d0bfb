/**
 * Blob container policies (Azure), control C3: no container is public.
 */
import * as storage from "@pulumi/azure-native/storage";
import { remediateResourceOfType, validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, describe } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const containerProps = propsOf(storage.BlobContainer);

/** Severity critical. Resource: containers are never public; remediation sets `publicAccess: "None"`. */
export const containerDisablePublicAccess = resourcePolicy({
  name: "azure-storage-container-disable-public-access",
  control: "C3",
  severity: "critical",
  description: "Every blob container has publicAccess None.",
  remediationSteps: `Set \`publicAccess: "None"\` on the blob container (automatic with enforcement level "remediate").`,
  url: "https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-configure",
  checks: ["CKV_AZURE_34", "CKV2_AZURE_8"],
  frameworks: [
    ["cis-azure-4.0.0", "10.3.9"],
    ["nist-800-53-r5", "AC-3"],
    ["nist-800-53-r5", "SC-7"],
  ],
  validateResource: validateResourceOfType(storage.BlobContainer, (container, args, report) => {
    const access = containerProps.get(container, "publicAccess");
    if (access === UNKNOWN || access === "None") return;
    report(
      formatViolation({
        what: `publicAccess is ${describe(access)}, not "None"`,
        where: at(args, "publicAccess"),
        fix: `set publicAccess: "None"`,
      }),
    );
  }),
  remediateResource: remediateResourceOfType(storage.BlobContainer, (container) => {
    const access = containerProps.get(container, "publicAccess");
    if (access === UNKNOWN || access === "None") return undefined;
    (container as Record<string, unknown>).publicAccess = "None";
    return container;
  }),
});
