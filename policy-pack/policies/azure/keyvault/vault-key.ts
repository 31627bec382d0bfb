/**
 * Key Vault policies (Azure): the vault and its keys cannot vanish quickly
 * and keys rotate (C2), access is RBAC only (C6), the vault is private
 * (C3, C4), and the customer key is strong (C1).
 * Docs: https://learn.microsoft.com/azure/key-vault/general/security-features
 */
import * as keyvault from "@pulumi/azure-native/keyvault";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, settings } from "../../../lib/define";
import { FlagSpec, flagPolicy } from "../../../lib/flag";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, arr, get, num, str } from "../../../lib/values";

/** A vault policy on one flag under `properties` (spec.property is the path under it). */
function vaultFlag(spec: FlagSpec) {
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
  remediationSteps: "Set `properties.enableRbacAuthorization: true`, remove `accessPolicies`, and grant Key Vault Crypto Service Encryption User on the key to the workload identity.",
  url: `${DOCS}rbac-guide`,
  checks: [],
  frameworks: [["cis-azure-4.0.0", "9.3.6"], ["nist-800-53-r5", "AC-3"], ["nist-800-53-r5", "AC-6"]],
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
  frameworks: [["cis-azure-4.0.0", "9.3.5"], ["nist-800-53-r5", "SC-12"], ["nist-800-53-r5", "CP-9"]],
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
  frameworks: [["cis-azure-4.0.0", "9.3.7"], ["nist-800-53-r5", "SC-7"]],
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
  frameworks: [["nist-800-53-r5", "SC-7"], ["nist-800-53-r5", "AC-4"]],
});

const softDeleteSchema = {
  properties: {
    minimumRetentionDays: { type: "integer" as const, default: 90, minimum: 7, maximum: 90, description: "Shortest allowed softDeleteRetentionInDays." },
  },
};

/** Severity medium. Resource: soft delete is on with at least 90 days' retention. */
export const vaultEnableSoftDelete = resourcePolicy({
  name: "azure-keyvault-vault-enable-soft-delete",
  control: "C2",
  severity: "medium",
  description: "Every Key Vault keeps deleted vaults and keys for at least the configured days (soft delete on, softDeleteRetentionInDays >= 90).",
  remediationSteps: "Leave `properties.enableSoftDelete` true and set `properties.softDeleteRetentionInDays: 90`.",
  url: `${DOCS}soft-delete-overview`,
  checks: ["CKV_AZURE_42", "CKV_AZURE_111"],
  frameworks: [["cis-azure-4.0.0", "9.3.5"], ["nist-800-53-r5", "SC-12"], ["nist-800-53-r5", "CP-9"]],
  configSchema: softDeleteSchema,
  validateResource: validateResourceOfType(keyvault.Vault, (vault, args, report) => {
    const { minimumRetentionDays } = settings<{ minimumRetentionDays: number }>(args, softDeleteSchema);
    const enabled = get(vault, "properties", "enableSoftDelete");
    if (enabled === false) {
      report(formatViolation({ what: "soft delete is disabled", where: at(args, "properties.enableSoftDelete"), fix: "set properties.enableSoftDelete to true (or leave it unset)" }));
      return;
    }
    const days = num(vault, "properties", "softDeleteRetentionInDays");
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

/** Days in an ISO 8601 duration (`P1Y`, `P90D`, `P1Y2M`, `PT12H`); years are 365 days and months 30. */
export function durationDays(iso: string): number | undefined {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(iso.trim());
  if (!m || iso.trim().toUpperCase() === "P" || /T$/i.test(iso.trim())) return undefined;
  const [, y, mo, w, d, h, mi, s] = m.map((x) => (x === undefined ? 0 : Number(x)));
  return y * 365 + mo * 30 + w * 7 + d + h / 24 + mi / 1440 + s / 86400;
}

const rotationSchema = {
  properties: {
    maximumRotationDays: { type: "integer" as const, default: 365, minimum: 1, description: "Longest allowed time between automatic rotations." },
  },
};

/** Severity high. Resource: every key has a rotation policy that rotates at least yearly. */
export const keyConfigureRotationPolicy = resourcePolicy({
  name: "azure-keyvault-key-configure-rotation-policy",
  control: "C2",
  severity: "high",
  description: "Every Key Vault key has a rotation policy with a Rotate action at most 365 days after creation (or before expiry).",
  remediationSteps:
    `Set \`properties.rotationPolicy: { attributes: { expiryTime: "P2Y" }, lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P365D" } }, { action: { type: "notify" }, trigger: { timeBeforeExpiry: "P30D" } }] }\`.`,
  url: "https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation",
  checks: [],
  frameworks: [["cis-azure-4.0.0", "9.3.9"], ["nist-800-53-r5", "SC-12"]],
  configSchema: rotationSchema,
  validateResource: validateResourceOfType(keyvault.Key, (key, args, report) => {
    const { maximumRotationDays } = settings<{ maximumRotationDays: number }>(args, rotationSchema);
    const policy = get(key, "properties", "rotationPolicy");
    if (policy === UNKNOWN) return;
    const actions = arr(policy, "lifetimeActions");
    if (actions === UNKNOWN) return;
    const expiry = str(policy, "attributes", "expiryTime");
    let undecided = false;
    const periods: number[] = [];
    for (const a of actions ?? []) {
      const type = str(a, "action", "type");
      if (type === UNKNOWN) undecided = true;
      if (typeof type !== "string" || type.toLowerCase() !== "rotate") continue;
      const afterCreate = str(a, "trigger", "timeAfterCreate");
      const beforeExpiry = str(a, "trigger", "timeBeforeExpiry");
      if (afterCreate === UNKNOWN || beforeExpiry === UNKNOWN) {
        undecided = true;
        continue;
      }
      if (typeof afterCreate === "string") {
        const d = durationDays(afterCreate);
        if (d !== undefined) periods.push(d);
      } else if (typeof beforeExpiry === "string" && typeof expiry === "string") {
        const e = durationDays(expiry);
        const b = durationDays(beforeExpiry);
        if (e !== undefined && b !== undefined) periods.push(e - b);
      } else if (expiry === UNKNOWN) {
        undecided = true;
      }
    }
    if (undecided) return;
    if (periods.length === 0) {
      report(
        formatViolation({
          what: policy === undefined ? "the key has no rotation policy" : "the rotation policy has no Rotate action with a readable trigger",
          where: at(args, "properties.rotationPolicy"),
          fix: `add a lifetime action { action: { type: "rotate" }, trigger: { timeAfterCreate: "P${maximumRotationDays}D" } }`,
        }),
      );
      return;
    }
    const shortest = Math.min(...periods);
    if (shortest <= maximumRotationDays) return;
    report(
      formatViolation({
        what: `the key rotates only every ${Math.round(shortest)} days, more than ${maximumRotationDays}`,
        where: at(args, "properties.rotationPolicy.lifetimeActions"),
        fix: `set the Rotate trigger to timeAfterCreate "P${maximumRotationDays}D" or less`,
      }),
    );
  }),
});

const keySizeSchema = {
  properties: {
    minimumRsaKeySize: { type: "integer" as const, default: 3072, description: "Smallest allowed RSA key size in bits." },
  },
};

/** Severity medium. Resource: RSA keys are at least 3072 bits. */
export const keyConfigureKeySize = resourcePolicy({
  name: "azure-keyvault-key-configure-rsa-key-size",
  control: "C1",
  severity: "medium",
  description: "Every RSA Key Vault key is at least 3072 bits (properties.keySize).",
  remediationSteps: `Set \`properties: { kty: "RSA", keySize: 3072 }\` (or "RSA-HSM" on a premium vault).`,
  url: "https://learn.microsoft.com/azure/key-vault/keys/about-keys-details",
  checks: [],
  frameworks: [["nist-800-53-r5", "SC-12"], ["nist-800-53-r5", "SC-13"]],
  configSchema: keySizeSchema,
  validateResource: validateResourceOfType(keyvault.Key, (key, args, report) => {
    const { minimumRsaKeySize } = settings<{ minimumRsaKeySize: number }>(args, keySizeSchema);
    const kty = str(key, "properties", "kty");
    if (kty === UNKNOWN) return;
    if (typeof kty === "string" && !kty.toUpperCase().startsWith("RSA")) args.notApplicable(`${kty} keys have no RSA key size`);
    const size = num(key, "properties", "keySize");
    if (size === UNKNOWN) return;
    const effective = size ?? 2048; // Key Vault's default RSA size
    if (effective >= minimumRsaKeySize) return;
    report(
      formatViolation({
        what: `RSA key size is ${size === undefined ? "not set (default 2048)" : effective} bits, below ${minimumRsaKeySize}`,
        where: at(args, "properties.keySize"),
        fix: `set properties.keySize to ${minimumRsaKeySize} or 4096`,
      }),
    );
  }),
});

export const policies = [
  vaultEnableRbacAuthorization,
  vaultEnablePurgeProtection,
  vaultEnableSoftDelete,
  vaultDisablePublicNetworkAccess,
  vaultConfigureDefaultDeny,
  keyConfigureRotationPolicy,
  keyConfigureKeySize,
];
