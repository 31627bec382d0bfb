/**
 * Storage account policies (Azure): the training data account is private
 * (C3, C4), encrypted with the customer key and infrastructure encryption
 * (C1), only spoken to over TLS 1.2+ (C5) and reachable only with Entra ID
 * identities (C6).
 * Docs: https://learn.microsoft.com/azure/storage/common/security-recommendations
 */
import * as storage from "@pulumi/azure-native/storage";
import { remediateResourceOfType, validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy } from "../../../lib/define";
import { FlagSpecOf, flagPolicy } from "../../../lib/flag";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, describe, get } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const accountProps = propsOf(storage.StorageAccount);
const ruleSetProps = accountProps.sub("networkRuleSet");

/** Identifiers of a storage account that other resources use in `accountName`. */
export const ACCOUNT_IDS = ["name", "accountName"] as const;

interface AccountFlagSpec extends FlagSpecOf<typeof storage.StorageAccount> {
  /** Value written by remediation, when a safe automatic fix exists. */
  readonly remediateTo?: unknown;
}

/** A storage account policy that checks one property against one expected value, with a remediation where one is safe. */
function accountFlag(spec: AccountFlagSpec) {
  const policy = flagPolicy(storage.StorageAccount, spec);
  if (spec.remediateTo === undefined) return policy;
  const path = spec.property.split(".");
  policy.remediateResource = remediateResourceOfType(storage.StorageAccount, (account) => {
    const value = get(account, ...path);
    if (value === UNKNOWN || spec.ok(value)) return undefined;
    (account as Record<string, unknown>)[spec.property] = spec.remediateTo;
    return account;
  });
  return policy;
}

const DOCS = "https://learn.microsoft.com/azure/storage/common/";

/** Severity critical. */
export const accountDisableBlobPublicAccess = accountFlag({
  name: "azure-storage-account-disable-blob-public-access",
  control: "C3",
  severity: "critical",
  description: "Every storage account disallows anonymous blob access (allowBlobPublicAccess false).",
  property: "allowBlobPublicAccess",
  ok: (v) => v === false,
  expected: "false",
  remediationSteps: "Set `allowBlobPublicAccess: false` on the storage account.",
  url: "https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-prevent",
  checks: ["CKV_AZURE_190", "CKV2_AZURE_47"],
  frameworks: [
    ["cis-azure-4.0.0", "10.3.9"],
    ["nist-800-53-r5", "AC-3"],
    ["nist-800-53-r5", "SC-7"],
  ],
});

/** Severity high. */
export const accountDisableSharedKeyAccess = accountFlag({
  name: "azure-storage-account-disable-shared-key-access",
  control: "C6",
  severity: "high",
  description: "Every storage account disallows Shared Key (account key and SAS) authorization (allowSharedKeyAccess false).",
  property: "allowSharedKeyAccess",
  ok: (v) => v === false,
  expected: "false",
  remediationSteps: "Set `allowSharedKeyAccess: false` and grant the workload identity data-plane RBAC roles instead.",
  url: `${DOCS}shared-key-authorization-prevent`,
  checks: ["CKV2_AZURE_40"],
  frameworks: [
    ["cis-azure-4.0.0", "10.3.1.3"],
    ["nist-800-53-r5", "IA-2"],
    ["nist-800-53-r5", "AC-3"],
  ],
});

/** Severity high. Remediation sets `enableHttpsTrafficOnly: true`. */
export const accountEnableHttpsOnly = accountFlag({
  name: "azure-storage-account-enable-https-only",
  control: "C5",
  severity: "high",
  description: "Every storage account accepts HTTPS only (enableHttpsTrafficOnly true).",
  property: "enableHttpsTrafficOnly",
  ok: (v) => v === true,
  expected: "true",
  remediateTo: true,
  remediationSteps: `Set \`enableHttpsTrafficOnly: true\` (automatic with enforcement level "remediate").`,
  url: `${DOCS}storage-require-secure-transfer`,
  checks: ["CKV_AZURE_3"],
  frameworks: [
    ["cis-azure-4.0.0", "10.3.4"],
    ["nist-800-53-r5", "SC-8"],
  ],
});

/** Severity high. Remediation sets `minimumTlsVersion: "TLS1_2"`. */
export const accountConfigureMinimumTls = accountFlag({
  name: "azure-storage-account-configure-minimum-tls",
  control: "C5",
  severity: "high",
  description: "Every storage account requires TLS 1.2 or newer (minimumTlsVersion TLS1_2).",
  property: "minimumTlsVersion",
  ok: (v) => v === "TLS1_2" || v === "TLS1_3",
  expected: `"TLS1_2"`,
  remediateTo: "TLS1_2",
  remediationSteps: `Set \`minimumTlsVersion: "TLS1_2"\` (automatic with enforcement level "remediate").`,
  url: `${DOCS}transport-layer-security-configure-minimum-version`,
  checks: ["CKV_AZURE_44"],
  frameworks: [
    ["cis-azure-4.0.0", "10.3.7"],
    ["nist-800-53-r5", "SC-8"],
    ["nist-800-53-r5", "SC-13"],
  ],
});

/** Severity high. Resource: public network access Disabled, or Enabled only for explicit IP rules behind a default deny. */
export const accountDisablePublicNetworkAccess = resourcePolicy({
  name: "azure-storage-account-disable-public-network-access",
  control: "C3",
  severity: "high",
  description:
    "Every storage account has publicNetworkAccess Disabled (reachable through private endpoints only), or Enabled only to admit the explicit IP rules of the data ingest path (dataIngestCidrs) with networkRuleSet.defaultAction Deny, bypass None and no virtual network rules.",
  remediationSteps: `Set \`publicNetworkAccess: "Disabled"\` and reach the account through its blob private endpoint; to load data from a named public address in dev, set dataIngestCidrs instead.`,
  url: `${DOCS}storage-network-security`,
  checks: ["CKV_AZURE_59", "CKV2_AZURE_50"],
  frameworks: [
    ["cis-azure-4.0.0", "10.3.2.2"],
    ["nist-800-53-r5", "SC-7"],
    ["nist-800-53-r5", "AC-4"],
  ],
  validateResource: validateResourceOfType(storage.StorageAccount, (account, args, report) => {
    const v = accountProps.get(account, "publicNetworkAccess");
    if (v === UNKNOWN || (typeof v === "string" && v.toLowerCase() === "disabled")) return;
    const rules = accountProps.get(account, "networkRuleSet");
    if (rules === UNKNOWN) return;
    const ipRules = ruleSetProps.get(rules, "ipRules");
    const vnetRules = ruleSetProps.get(rules, "virtualNetworkRules");
    const defaultAction = ruleSetProps.get(rules, "defaultAction");
    const bypass = ruleSetProps.get(rules, "bypass");
    const explicitOpening =
      typeof v === "string" &&
      v.toLowerCase() === "enabled" &&
      typeof defaultAction === "string" &&
      defaultAction.toLowerCase() === "deny" &&
      (bypass === undefined || (typeof bypass === "string" && bypass.toLowerCase() === "none")) &&
      Array.isArray(ipRules) &&
      ipRules.length > 0 &&
      (vnetRules === undefined || (Array.isArray(vnetRules) && vnetRules.length === 0));
    if (explicitOpening) return;
    report(
      formatViolation({
        what: `publicNetworkAccess is ${describe(v)}, not "Disabled"${typeof v === "string" && v.toLowerCase() === "enabled" ? ", and the network rules are not an explicit opening (IP rules behind defaultAction Deny, bypass None, no virtual network rules)" : ""}`,
        where: at(args, "publicNetworkAccess"),
        fix: 'set publicNetworkAccess to "Disabled" (or, for the dev ingest path, list the public addresses in dataIngestCidrs)',
      }),
    );
  }),
});

/** Severity high. */
export const accountConfigureDefaultDeny = accountFlag({
  name: "azure-storage-account-configure-default-deny",
  control: "C4",
  severity: "high",
  description: "Every storage account's network rules deny by default (networkRuleSet.defaultAction Deny).",
  property: "networkRuleSet.defaultAction",
  ok: (v) => typeof v === "string" && v.toLowerCase() === "deny",
  expected: `"Deny"`,
  remediationSteps: `Set \`networkRuleSet: { defaultAction: "Deny", bypass: "None" }\`.`,
  url: `${DOCS}storage-network-security#change-the-default-network-access-rule`,
  checks: ["CKV_AZURE_35"],
  frameworks: [
    ["cis-azure-4.0.0", "10.3.2.3"],
    ["nist-800-53-r5", "SC-7"],
    ["nist-800-53-r5", "AC-4"],
  ],
});

/** Severity medium. */
export const accountEnableInfrastructureEncryption = accountFlag({
  name: "azure-storage-account-enable-infrastructure-encryption",
  control: "C1",
  severity: "medium",
  description: "Every storage account has infrastructure (double) encryption on (encryption.requireInfrastructureEncryption true).",
  property: "encryption.requireInfrastructureEncryption",
  ok: (v) => v === true,
  expected: "true",
  remediationSteps:
    "Set `encryption.requireInfrastructureEncryption: true` (only possible when the account is created; it forces a replacement).",
  url: `${DOCS}infrastructure-encryption-enable`,
  checks: ["AZU-0061"],
  frameworks: [
    ["nist-800-53-r5", "SC-28"],
    ["nist-800-53-r5", "SC-13"],
  ],
});

/** Severity critical. Resource: the account is encrypted with a Key Vault key through a user-assigned identity. */
export const accountConfigureCustomerManagedKey = resourcePolicy({
  name: "azure-storage-account-configure-customer-managed-key",
  control: "C1",
  severity: "critical",
  description:
    "Every storage account is encrypted with a customer-managed Key Vault key (keySource Microsoft.Keyvault) through a user-assigned identity.",
  remediationSteps: `Set \`identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] }\` and \`encryption: { keySource: "Microsoft.Keyvault", keyVaultProperties: { keyName, keyVaultUri }, encryptionIdentity: { encryptionUserAssignedIdentity: identity.id }, requireInfrastructureEncryption: true, services: { blob: { enabled: true, keyType: "Account" } } }\`.`,
  url: `${DOCS}customer-managed-keys-overview`,
  checks: ["CKV2_AZURE_1"],
  frameworks: [
    ["cis-azure-4.0.0", "2.1.1.2.1"],
    ["nist-800-53-r5", "SC-28"],
    ["nist-800-53-r5", "SC-12"],
  ],
  validateResource: validateResourceOfType(storage.StorageAccount, (account, args, report) => {
    const source = accountProps.str(account, "encryption", "keySource");
    if (source === UNKNOWN) return;
    if (typeof source !== "string" || source.toLowerCase() !== "microsoft.keyvault") {
      report(
        formatViolation({
          what: `encryption.keySource is ${source === undefined ? 'not set (default "Microsoft.Storage", a Microsoft-managed key)' : describe(source)}`,
          where: at(args, "encryption.keySource"),
          fix: `set encryption.keySource to "Microsoft.Keyvault" with keyVaultProperties naming the environment's key`,
        }),
      );
      return;
    }
    const missing = (["keyName", "keyVaultUri"] as const).filter((k) => {
      const v = accountProps.str(account, "encryption", "keyVaultProperties", k);
      return v !== UNKNOWN && (v === undefined || v === "");
    });
    if (missing.length > 0) {
      report(
        formatViolation({
          what: `encryption.keyVaultProperties lacks ${missing.join(" and ")}`,
          where: at(args, "encryption.keyVaultProperties"),
          fix: "name the Key Vault key (keyName) and its vault (keyVaultUri)",
        }),
      );
    }
    const identity = accountProps.str(account, "encryption", "encryptionIdentity", "encryptionUserAssignedIdentity");
    if (identity !== UNKNOWN && (identity === undefined || identity === "")) {
      report(
        formatViolation({
          what: "no user-assigned identity is set to read the key (encryption.encryptionIdentity.encryptionUserAssignedIdentity)",
          where: at(args, "encryption.encryptionIdentity.encryptionUserAssignedIdentity"),
          fix: "set it to the resource id of a user-assigned identity that has Key Vault Crypto Service Encryption User on the key",
        }),
      );
    }
  }),
});
