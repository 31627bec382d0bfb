/**
 * Safe reading of resource properties as the policy runtime hands them over.
 *
 * The runtime wraps `props` in a proxy that throws `UnknownValueError` when
 * a policy touches a value that is unknown during preview, and values can be
 * missing or of an unexpected type. These helpers unwrap the proxy once and
 * read plain data, so a policy never throws: an unknown value comes back as
 * the `UNKNOWN` marker (the policy then skips what it cannot judge yet) and
 * a wrong type comes back as `undefined` from the typed readers.
 */

/**
 * The sentinels the engine sends for values not known during preview, one
 * per value kind (they match `@pulumi/policy/proxy.js`; a test keeps them in
 * step). The string sentinel is also `@pulumi/pulumi`'s `unknownValue`.
 */
export const UNKNOWN_SENTINELS: readonly string[] = [
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
];

/** What the readers return for a value that is unknown during preview. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Unknown = typeof UNKNOWN;

const PROXY_FLAG = "__isSpecialProxy";
const PROXY_TARGET = "__getSpecialProxyTarget";

/** True for an engine unknown sentinel or the `UNKNOWN` marker. */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN || (typeof value === "string" && UNKNOWN_SENTINELS.includes(value));
}

/**
 * Removes the runtime's property proxies (unknown-checking and
 * secret-preserving) and `Secret` wrappers from the top of a value, so it
 * can be read without triggering `UnknownValueError`.
 */
export function unwrap(value: unknown): unknown {
  let v = value;
  for (let i = 0; i < 4; i++) {
    if (v === null || typeof v !== "object") return v;
    let flagged: boolean;
    try {
      flagged = (v as Record<string, unknown>)[PROXY_FLAG] === true;
    } catch {
      flagged = false;
    }
    if (flagged) {
      v = (v as Record<string, unknown>)[PROXY_TARGET];
      continue;
    }
    // `Secret` from @pulumi/policy (remediation props keep secrets wrapped).
    const ctor = (v as { constructor?: { name?: string } }).constructor;
    if (ctor && ctor.name === "Secret" && "value" in (v as object) && Object.keys(v as object).length === 1) {
      v = (v as { value: unknown }).value;
      continue;
    }
    return v;
  }
  return v;
}

/**
 * Reads `path` from `root` (dot-free list of keys / indexes). Returns
 * `UNKNOWN` when the value or any object on the way is unknown, `undefined`
 * when anything on the way is missing or not an object.
 */
export function get(root: unknown, ...path: (string | number)[]): unknown {
  let v = unwrap(root);
  if (isUnknown(v)) return UNKNOWN;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = unwrap((v as Record<string | number, unknown>)[key]);
    if (isUnknown(v)) return UNKNOWN;
  }
  return v;
}

/** A string at `path`, `UNKNOWN`, or `undefined` (missing or not a string). */
export function str(root: unknown, ...path: (string | number)[]): string | Unknown | undefined {
  const v = get(root, ...path);
  if (v === UNKNOWN) return UNKNOWN;
  return typeof v === "string" ? v : undefined;
}

/** A boolean at `path` (`"true"`/`"false"` strings accepted), `UNKNOWN`, or `undefined`. */
export function bool(root: unknown, ...path: (string | number)[]): boolean | Unknown | undefined {
  const v = get(root, ...path);
  if (v === UNKNOWN) return UNKNOWN;
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

/** A finite number at `path` (numeric strings accepted), `UNKNOWN`, or `undefined`. */
export function num(root: unknown, ...path: (string | number)[]): number | Unknown | undefined {
  const v = get(root, ...path);
  if (v === UNKNOWN) return UNKNOWN;
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

/** An array at `path` with its elements unwrapped, `UNKNOWN`, or `undefined`. */
export function arr(root: unknown, ...path: (string | number)[]): unknown[] | Unknown | undefined {
  const v = get(root, ...path);
  if (v === UNKNOWN) return UNKNOWN;
  return Array.isArray(v) ? v.map((e) => (isUnknown(unwrap(e)) ? UNKNOWN : unwrap(e))) : undefined;
}

/** A plain object at `path`, `UNKNOWN`, or `undefined`. */
export function obj(root: unknown, ...path: (string | number)[]): Record<string, unknown> | Unknown | undefined {
  const v = get(root, ...path);
  if (v === UNKNOWN) return UNKNOWN;
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Strings of a string-or-list value; unknown elements become `UNKNOWN`, other types are dropped. */
export function strings(value: unknown): (string | Unknown)[] {
  const v = unwrap(value);
  if (isUnknown(v)) return [UNKNOWN];
  const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  const out: (string | Unknown)[] = [];
  for (const e of list) {
    const u = unwrap(e);
    if (isUnknown(u)) out.push(UNKNOWN);
    else if (typeof u === "string") out.push(u);
  }
  return out;
}

/** True when `value` is a known string. */
export function known(value: unknown): value is string {
  return typeof value === "string" && !isUnknown(value);
}

/** Describes a value for a violation message: `"AES256"`, `missing`, `a number (3)`. */
export function describe(value: unknown): string {
  const v = unwrap(value);
  if (v === undefined) return "missing";
  if (isUnknown(v)) return "unknown";
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  try {
    const text = JSON.stringify(v);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return typeof v;
  }
}
