/**
 * Key Vault key policies (Azure): the customer key rotates at least yearly
 * (C2) and is strong (C1).
 * Docs: https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation
 */
import * as keyvault from "@pulumi/azure-native/keyvault";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, settings } from "../../../lib/define";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const keyProps = propsOf(keyvault.Key);
const rotation = keyProps.sub("properties", "rotationPolicy");
const lifetimeAction = rotation.sub("lifetimeActions", 0);

/** Days in an ISO 8601 duration (`P1Y`, `P90D`, `P1Y2M`, `PT12H`); years are 365 days and months 30. */
export function durationDays(iso: string): number | undefined {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(iso.trim());
  if (!m || iso.trim().toUpperCase() === "P" || /T$/i.test(iso.trim())) return undefined;
  const [, y, mo, w, d, h, mi, s] = m.map((x) => (x === undefined ? 0 : Number(x)));
  return y * 365 + mo * 30 + w * 7 + d + h / 24 + mi / 1440 + s / 86400;
}

const rotationSchema = {
  properties: {
    maximumRotationDays: {
      type: "integer" as const,
      default: 365,
      minimum: 1,
      description: "Longest allowed time between automatic rotations.",
    },
  },
};

/** Severity high. Resource: every key has a rotation policy that rotates at least yearly. */
export const keyConfigureRotationPolicy = resourcePolicy({
  name: "azure-keyvault-key-configure-rotation-policy",
  control: "C2",
  severity: "high",
  description: "Every Key Vault key has a rotation policy with a Rotate action at most 365 days after creation (or before expiry).",
  remediationSteps: `Set \`properties.rotationPolicy: { attributes: { expiryTime: "P2Y" }, lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P365D" } }, { action: { type: "notify" }, trigger: { timeBeforeExpiry: "P30D" } }] }\`.`,
  url: "https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation",
  checks: [],
  frameworks: [
    ["cis-azure-4.0.0", "9.3.9"],
    ["nist-800-53-r5", "SC-12"],
  ],
  configSchema: rotationSchema,
  validateResource: validateResourceOfType(keyvault.Key, (key, args, report) => {
    const { maximumRotationDays } = settings<{ maximumRotationDays: number }>(args, rotationSchema);
    const policy = keyProps.get(key, "properties", "rotationPolicy");
    if (policy === UNKNOWN) return;
    const actions = rotation.arr(policy, "lifetimeActions");
    if (actions === UNKNOWN) return;
    const expiry = rotation.str(policy, "attributes", "expiryTime");
    let undecided = false;
    const periods: number[] = [];
    for (const a of actions ?? []) {
      const type = lifetimeAction.str(a, "action", "type");
      if (type === UNKNOWN) undecided = true;
      if (typeof type !== "string" || type.toLowerCase() !== "rotate") continue;
      const afterCreate = lifetimeAction.str(a, "trigger", "timeAfterCreate");
      const beforeExpiry = lifetimeAction.str(a, "trigger", "timeBeforeExpiry");
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
          what:
            policy === undefined ? "the key has no rotation policy" : "the rotation policy has no Rotate action with a readable trigger",
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
  frameworks: [
    ["nist-800-53-r5", "SC-12"],
    ["nist-800-53-r5", "SC-13"],
  ],
  configSchema: keySizeSchema,
  validateResource: validateResourceOfType(keyvault.Key, (key, args, report) => {
    const { minimumRsaKeySize } = settings<{ minimumRsaKeySize: number }>(args, keySizeSchema);
    const kty = keyProps.str(key, "properties", "kty");
    if (kty === UNKNOWN) return;
    if (typeof kty === "string" && !kty.toUpperCase().startsWith("RSA")) args.notApplicable(`${kty} keys have no RSA key size`);
    const size = keyProps.num(key, "properties", "keySize");
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
