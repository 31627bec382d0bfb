/**
 * C11: a Key Vault key's name carries the digest of its properties. Azure
 * creates keys through ARM only when absent: "If it already exists, then the
 * existing key is returned without any write operations being performed.
 * This API does not create subsequent versions, and does not update existing
 * keys." A changed size, operation list or rotation policy under the same
 * name reports success and changes nothing; under a new name it is a new key.
 */
import * as keyvault from "@pulumi/azure-native/keyvault";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy } from "../../../lib/define";
import { VERSIONED_KEY_NAME_RE, keyVersion } from "../../../lib/key-version";
import { at, formatViolation } from "../../../lib/messages";
import { UNKNOWN, Unknown, describe, isUnknown, unwrap } from "../../../lib/values";
import { propsOf } from "../../../lib/props";

const keyProps = propsOf(keyvault.Key);

/** A plain copy of `value` (proxies and secrets removed), or UNKNOWN when any part of it is unknown. */
export function plainValue(value: unknown): unknown | Unknown {
  const v = unwrap(value);
  if (isUnknown(v)) return UNKNOWN;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const e of v) {
      const p = plainValue(e);
      if (p === UNKNOWN) return UNKNOWN;
      out.push(p);
    }
    return out;
  }
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object)) {
      const p = plainValue((v as Record<string, unknown>)[k]);
      if (p === UNKNOWN) return UNKNOWN;
      out[k] = p;
    }
    return out;
  }
  return v;
}

/** Severity high. Resource: keyName ends with `-v<digest of properties>`. */
export const keyConfigureVersionedName = resourcePolicy({
  name: "azure-keyvault-key-configure-versioned-name",
  control: "C11",
  severity: "high",
  frameworks: [["nist-800-53-r5", "SC-12"]],
  description:
    "Every Key Vault key's keyName ends with -v<8 hex>, the SHA-256 digest of its properties, so a change of size, operations or rotation policy creates a new key instead of being silently ignored.",
  remediationSteps:
    "Name the key `versionedKeyName(base, properties)` (policy-pack/lib/key-version.ts) and give it `replaceOnChanges: [\"properties\"]`; point the storage account's keyVaultProperties.keyName at the key's name.",
  url: "https://learn.microsoft.com/javascript/api/@azure/arm-keyvault/keysoperations",
  validateResource: validateResourceOfType(keyvault.Key, (key, args, report) => {
    const name = keyProps.str(key, "keyName");
    if (name === UNKNOWN) return;
    const raw = keyProps.get(key, "properties");
    if (raw === UNKNOWN) return;
    const properties = plainValue(raw);
    if (properties === UNKNOWN) return;
    const want = keyVersion(properties ?? {});
    const what = "Azure creates a key only when its name is new and never updates an existing one";
    if (typeof name !== "string") {
      report(
        formatViolation({
          what: `keyName is ${describe(name)}: ${what}, so the key's properties must be in its name`,
          where: at(args, "keyName"),
          fix: `set keyName to "<base>-v${want}" (versionedKeyName)`,
        }),
      );
      return;
    }
    const m = VERSIONED_KEY_NAME_RE.exec(name);
    if (!m) {
      report(
        formatViolation({
          what: `keyName "${name}" carries no version digest: ${what}, so a later change of size, operations or rotation policy would report success and change nothing`,
          where: at(args, "keyName"),
          fix: `name it "${name}-v${want}" (versionedKeyName) and replace the key on changes of its properties`,
        }),
      );
      return;
    }
    if (m[2] === want) return;
    report(
      formatViolation({
        what: `keyName "${name}" is the version of other properties (digest ${m[2]}, these properties give ${want}): ${what}, so Azure would keep the existing key "${name}" as it is`,
        where: at(args, "keyName"),
        fix: `rename the key "${m[1]}-v${want}" (versionedKeyName), so Azure creates a key with these properties`,
      }),
    );
  }),
});
