/**
 * Key Vault policies (Azure): the vault cannot vanish quickly (C2), access is
 * RBAC only (C6), and the vault is private (C3, C4).
 * Docs: https://learn.microsoft.com/azure/key-vault/general/security-features
 */
import * as keyvault from "@pulumi/azure-native/keyvault";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, settings } from "../../../lib/define";
import { FlagSpec, flagPolicy } from "../../../lib/flag";
import { DottedPath, PropsOf, propsOf } from "../../../lib/props";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN } from "../../../lib/values";

const vaultProps = propsOf(keyvault.Vault);

/** A vault policy on one flag under `properties` (spec.property is the path under it). */
function vaultFlag(spec: FlagSpec<DottedPath<PropsOf<typeof keyvault.Vault>["properties"]>>) {
  return flagPolicy(keyvault.Vault, { ...spec, property: `properties.${spec.property}` });
}

const DOCS = "https://learn.microsoft.com/azure/key-vault/general/";
const ci = (expected: string) => (v: unknown) => typeof v === "string" && v.toLowerCase() === expected.toLowerCase();

/** Severity high. */
export const vaultEnableRbacAuthorization = vaultFlag({
  name: "azure-keyvault-vault-enable-rbac-authorization",
  control: "C6",
  severity: "high",
  description: "Every Key Vault uses Azure RBAC for data-plane access (properties.enableRbacAuthorization true), not access policies.",
  property: "enableRbacAuthorization",
  ok: (v) => v === true,
  expected: "true",
  remediationSteps:
    "Set `properties.enableRbacAuthorization: true`, remove `accessPolicies`, and grant Key Vault Crypto Service Encryption User on the key to the workload identity.",
  url: `${DOCS}rbac-guide`,
  checks: [],
  frameworks: [
    ["cis-azure-4.0.0", "9.3.6"],
    ["nist-800-53-r5", "AC-3"],
    ["nist-800-53-r5", "AC-6"],
  ],
});

/** Severity high. */
export const vaultEnablePurgeProtection = vaultFlag({
  name: "azure-keyvault-vault-enable-purge-protection",
  control: "C2",
  severity: "high",
  description: "Every Key Vault has purge protection on (properties.enablePurgeProtection true).",
  property: "enablePurgeProtection",
  ok: (v) => v === true,
  expected: "true",
  remediationSteps: "Set `properties.enablePurgeProtection: true` (it cannot be turned off again).",
  url: `${DOCS}soft-delete-overview#purge-protection`,
  checks: ["CKV_AZURE_42", "CKV_AZURE_110"],
  frameworks: [
    ["cis-azure-4.0.0", "9.3.5"],
    ["nist-800-53-r5", "SC-12"],
    ["nist-800-53-r5", "CP-9"],
  ],
});

/** Severity high. */
export const vaultDisablePublicNetworkAccess = vaultFlag({
  name: "azure-keyvault-vault-disable-public-network-access",
  control: "C3",
  severity: "high",
  description: "Every Key Vault has publicNetworkAccess Disabled.",
  property: "publicNetworkAccess",
  ok: ci("Disabled"),
  expected: `"Disabled"`,
  remediationSteps: `Set \`properties.publicNetworkAccess: "Disabled"\` and reach the vault through a private endpoint (or trusted Azure services).`,
  url: `${DOCS}private-link-service`,
  checks: ["CKV_AZURE_189"],
  frameworks: [
    ["cis-azure-4.0.0", "9.3.7"],
    ["nist-800-53-r5", "SC-7"],
  ],
});

/** Severity high. */
export const vaultConfigureDefaultDeny = vaultFlag({
  name: "azure-keyvault-vault-configure-default-deny",
  control: "C4",
  severity: "high",
  description: "Every Key Vault's network ACLs deny by default (properties.networkAcls.defaultAction Deny).",
  property: "networkAcls.defaultAction",
  ok: ci("Deny"),
  expected: `"Deny"`,
  remediationSteps: `Set \`properties.networkAcls: { defaultAction: "Deny", bypass: "AzureServices" }\` (AzureServices lets the storage account reach its key).`,
  url: `${DOCS}network-security`,
  checks: ["CKV_AZURE_109"],
  frameworks: [
    ["nist-800-53-r5", "SC-7"],
    ["nist-800-53-r5", "AC-4"],
  ],
});

const softDeleteSchema = {
  properties: {
    minimumRetentionDays: {
      type: "integer" as const,
      default: 90,
      minimum: 7,
      maximum: 90,
      description: "Shortest allowed softDeleteRetentionInDays.",
    },
  },
};

/** Severity medium. Resource: soft delete is on with at least 90 days' retention. */
export const vaultEnableSoftDelete = resourcePolicy({
  name: "azure-keyvault-vault-enable-soft-delete",
  control: "C2",
  severity: "medium",
  description:
    "Every Key Vault keeps deleted vaults and keys for at least the configured days (soft delete on, softDeleteRetentionInDays >= 90).",
  remediationSteps: "Leave `properties.enableSoftDelete` true and set `properties.softDeleteRetentionInDays: 90`.",
  url: `${DOCS}soft-delete-overview`,
  checks: ["CKV_AZURE_42", "CKV_AZURE_111"],
  frameworks: [
    ["cis-azure-4.0.0", "9.3.5"],
    ["nist-800-53-r5", "SC-12"],
    ["nist-800-53-r5", "CP-9"],
  ],
  configSchema: softDeleteSchema,
  validateResource: validateResourceOfType(keyvault.Vault, (vault, args, report) => {
    const { minimumRetentionDays } = settings<{ minimumRetentionDays: number }>(args, softDeleteSchema);
    const enabled = vaultProps.get(vault, "properties", "enableSoftDelete");
    if (enabled === false) {
      report(
        formatViolation({
          what: "soft delete is disabled",
          where: at(args, "properties.enableSoftDelete"),
          fix: "set properties.enableSoftDelete to true (or leave it unset)",
        }),
      );
      return;
    }
    const days = vaultProps.num(vault, "properties", "softDeleteRetentionInDays");
    if (days === UNKNOWN) return;
    const effective = days ?? 90; // Azure default
    if (effective >= minimumRetentionDays) return;
    report(
      formatViolation({
        what: `softDeleteRetentionInDays is ${effective}, shorter than ${minimumRetentionDays}`,
        where: at(args, "properties.softDeleteRetentionInDays"),
        fix: `set properties.softDeleteRetentionInDays to ${minimumRetentionDays}`,
      }),
    );
  }),
});
