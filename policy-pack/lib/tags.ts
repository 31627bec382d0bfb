/**
 * Tags as a policy sees them: the resource's own `tags` and `tagsAll`
 * (AWS outputs) plus the AWS provider's `defaultTags`, and whether a type
 * accepts tags at all (read from the provider SDK's resource class, so the
 * answer follows the installed provider versions instead of a list).
 */
import { UNKNOWN, Unknown, get, isUnknown, unwrap } from "./values";

export type TagMap = Record<string, string | Unknown>;

function toTagMap(value: unknown): TagMap | Unknown | undefined {
  let v = unwrap(value);
  if (isUnknown(v)) return UNKNOWN;
  if (typeof v === "string") {
    // Provider inputs arrive JSON-encoded.
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
  const out: TagMap = {};
  for (const [k, raw] of Object.entries(v as Record<string, unknown>)) {
    const t = unwrap(raw);
    if (isUnknown(t)) out[k] = UNKNOWN;
    else if (typeof t === "string") out[k] = t;
    else if (typeof t === "number" || typeof t === "boolean") out[k] = String(t);
  }
  return out;
}

export interface EffectiveTags {
  readonly tags: TagMap;
  /** The tag map itself (not one value) is unknown: nothing can be judged yet. */
  readonly unknown: boolean;
  /** Whether the resource declares tags at all (`tags`/`tagsAll` present). */
  readonly declared: boolean;
}

/** The resource's tags merged over its provider's default tags. */
export function effectiveTags(props: unknown, provider?: { readonly props: unknown }): EffectiveTags {
  const merged: TagMap = {};
  let unknown = false;
  let declared = false;
  const defaults = provider ? toTagMap(get(provider.props, "defaultTags", "tags") ?? defaultTagsFromJson(provider.props)) : undefined;
  if (defaults === UNKNOWN) unknown = true;
  else if (defaults) Object.assign(merged, defaults);
  for (const key of ["tagsAll", "tags"]) {
    const raw = get(props, key);
    if (raw === undefined || raw === null) continue;
    declared = true;
    const t = toTagMap(raw);
    if (t === UNKNOWN) unknown = true;
    else if (t) Object.assign(merged, t);
  }
  return { tags: merged, unknown, declared };
}

/** `pulumi:providers:aws` inputs carry `defaultTags` as a JSON string. */
function defaultTagsFromJson(providerProps: unknown): unknown {
  const raw = get(providerProps, "defaultTags");
  if (typeof raw !== "string" || isUnknown(raw)) return raw === UNKNOWN ? UNKNOWN : undefined;
  try {
    const parsed = JSON.parse(raw) as { tags?: unknown };
    return parsed && typeof parsed === "object" ? parsed.tags : undefined;
  } catch {
    return undefined;
  }
}

const taggable = new Map<string, boolean>();

/** `@pulumi/aws` module path and class of an `aws:` token: `aws:s3/bucket:Bucket` -> [`@pulumi/aws/s3/bucket`, `Bucket`]. */
function sdkModuleOf(type: string): [string, string] | undefined {
  let m = /^aws:([a-z0-9]+)\/([A-Za-z0-9]+):([A-Za-z0-9]+)$/.exec(type);
  if (m) return [`@pulumi/aws/${m[1]}/${m[2]}`, m[3]];
  m = /^azure-native:([a-z0-9]+):([A-Za-z0-9]+)$/.exec(type);
  if (m) return [`@pulumi/azure-native/${m[1]}/${m[2][0].toLowerCase()}${m[2].slice(1)}`, m[2]];
  return undefined;
}

/**
 * Whether resources of `type` accept a `tags` input: true for AWS and
 * Azure resources whose SDK class sets `resourceInputs["tags"]`; false for
 * providers, components, unknown packages and resources without tags.
 */
export function isTaggable(type: string): boolean {
  const cached = taggable.get(type);
  if (cached !== undefined) return cached;
  let result = false;
  const mod = sdkModuleOf(type);
  if (mod) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = require(mod[0]) as Record<string, unknown>;
      const cls = exported[mod[1]];
      result =
        typeof cls === "function" &&
        (cls as { __pulumiType?: unknown }).__pulumiType === type &&
        Function.prototype.toString.call(cls).includes('resourceInputs["tags"]');
    } catch {
      result = false;
    }
  }
  taggable.set(type, result);
  return result;
}

/**
 * The `environment` tag of a resource (own tags over provider defaults):
 * a string, `UNKNOWN` while tags are unknown, or undefined when missing.
 */
export function environmentOf(props: unknown, provider?: { readonly props: unknown }): string | Unknown | undefined {
  const t = effectiveTags(props, provider);
  const v = t.tags.environment;
  if (v === UNKNOWN) return UNKNOWN;
  if (typeof v === "string") return v;
  return t.unknown ? UNKNOWN : undefined;
}

/** Shared settings of tier-dependent policies: which `environment` tag values they apply to. */
export const ENVIRONMENTS_SETTING = {
  type: "array" as const,
  items: { type: "string" as const },
  default: ["prod"],
  description:
    "Values of the `environment` tag this policy applies to. A resource without the tag is checked too (fail closed); the required-tags policy reports the missing tag.",
};

/** True when a tier-dependent policy applies to a resource with this environment tag. */
export function appliesToEnvironment(environment: string | Unknown | undefined, environments: readonly string[]): boolean | Unknown {
  if (environment === UNKNOWN) return UNKNOWN;
  if (environment === undefined) return true;
  return environments.includes(environment);
}
