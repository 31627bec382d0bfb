/**
 * Azure Key Vault key. Software-protected keys (kty RSA, EC) have no monthly
 * charge, only per-operation usage. HSM-protected keys (RSA-HSM, EC-HSM, in a
 * Premium vault) are billed per key-month: RSA 2048 at one rate, RSA
 * 3072/4096 and EC at the "advanced" rate. A rotation policy with a rotate
 * action is billed per scheduled rotation, spread here over its interval.
 *
 * Inputs nest the key's settings under `properties`; the resource's outputs
 * (what a stack policy sees after an update) carry them at the top level.
 * Both are read.
 */
import { at, isoDurationDays, known, list, num, str, why } from "../inputs";
import { ComponentDraft, free, Mapper, notPriced, priced } from "../mapper";
import { RATES } from "../rate-table";

export const DEFAULT_ROTATION_DAYS = 365;

/** The key's settings: `properties` of the inputs, or the outputs themselves (flattened). */
function keySettings(inputs: unknown): unknown {
  const nested = at(inputs, "properties");
  return nested.state === "known" && typeof nested.value === "object" && !Array.isArray(nested.value)
    ? nested.value
    : nested.state === "unknown"
      ? "<unknown>"
      : inputs;
}

/** Days between scheduled rotations, or a reason it is unknown; undefined when no rotate action is set. */
export function rotationIntervalDays(inputs: unknown): { days: number; assumed?: string } | undefined {
  const settings = keySettings(inputs);
  const actions = list(settings, "rotationPolicy.lifetimeActions");
  if (actions.state !== "known") return undefined;
  for (const a of actions.value) {
    const type = known(str(a, "action.type"));
    if (type === undefined || type.toLowerCase() !== "rotate") continue;
    const after = known(str(a, "trigger.timeAfterCreate"));
    const before = known(str(a, "trigger.timeBeforeExpiry"));
    const expiry = known(str(settings, "rotationPolicy.attributes.expiryTime"));
    const afterDays = after === undefined ? undefined : isoDurationDays(after);
    if (afterDays !== undefined) return { days: afterDays };
    const beforeDays = before === undefined ? undefined : isoDurationDays(before);
    const expiryDays = expiry === undefined ? undefined : isoDurationDays(expiry);
    if (beforeDays !== undefined && expiryDays !== undefined && expiryDays > beforeDays) return { days: expiryDays - beforeDays };
    return {
      days: DEFAULT_ROTATION_DAYS,
      assumed: `the rotate action's interval cannot be read (timeAfterCreate ${JSON.stringify(after)}, timeBeforeExpiry ${JSON.stringify(before)}, expiryTime ${JSON.stringify(expiry)}); assumed ${DEFAULT_ROTATION_DAYS} days`,
    };
  }
  return undefined;
}

export const azureKeyVaultKey: Mapper = {
  types: ["azure-native:keyvault:Key"],
  map(r) {
    const settings = keySettings(r.inputs);
    const kty = str(settings, "kty");
    const size = num(settings, "keySize");
    const drafts: ComponentDraft[] = [];
    const type = kty.state === "known" ? kty.value.toUpperCase() : undefined;
    if (type === "OCT-HSM")
      return notPriced("oct-HSM keys live in a Managed HSM pool, which is billed per pool-hour (not in the rate table)", "oct-HSM");
    if (type === undefined || type.endsWith("-HSM")) {
      // RSA-HSM defaults to 2048 bits when keySize is not set.
      const rsa2048 = type === "RSA-HSM" && (size.state === "missing" || (size.state === "known" && size.value <= 2048));
      drafts.push({
        component: `HSM-protected key (${type ?? "assumed advanced"}${type === "RSA-HSM" ? `, ${size.state === "known" ? size.value : 2048} bit` : ""})`,
        rateId: rsa2048 ? "azure.keyvault.hsmKey.rsa2048" : "azure.keyvault.hsmKey.advanced",
        count: 1,
        assumed: type === undefined ? `${why("kty", kty)}; assumed an HSM-protected advanced key (the costlier case)` : undefined,
      });
    }
    const rotation = rotationIntervalDays(r.inputs);
    if (rotation) {
      const perMonth = RATES.hoursPerMonth / 24 / rotation.days;
      drafts.push({
        component: `automated rotation every ${Math.round(rotation.days)} d`,
        rateId: "azure.keyvault.rotation",
        count: perMonth,
        detail: `1 rotation per ${Math.round(rotation.days)} d = ${perMonth.toFixed(4)} rotations/month`,
        assumed: rotation.assumed,
      });
    }
    if (drafts.length === 0) return free("usage", "software-protected key: billed per operation only");
    drafts.push({ component: "key operations", rateId: "azure.keyvault.operations", count: 0 });
    return priced(...drafts);
  },
};
