/**
 * Versioned Key Vault key names. Azure creates keys through ARM only when
 * they do not exist yet ("does not update existing keys"), so a changed key
 * size, operation list or rotation policy under the same name reports
 * success and changes nothing. The key's name therefore carries a digest of
 * its properties: a change makes a new name, which Azure creates as a new key.
 * The stack names its key with `versionedKeyName`; the policy
 * `azure-keyvault-key-configure-versioned-name` recomputes the digest.
 */
import { createHash } from "crypto";

/** `<base>-v<8 hex>` */
export const VERSIONED_KEY_NAME_RE = /^(.+)-v([0-9a-f]{8})$/;

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** 8 hex characters of the SHA-256 of the key's `properties` (kty, keySize, keyOps, rotationPolicy, ...). */
export function keyVersion(properties: unknown): string {
  return createHash("sha256").update(canonicalJson(properties)).digest("hex").slice(0, 8);
}

/** The key name for these properties: `<base>-v<digest>`. */
export function versionedKeyName(base: string, properties: unknown): string {
  return `${base}-v${keyVersion(properties)}`;
}
