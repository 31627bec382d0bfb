/**
 * Tolerant readers for planned inputs. During a preview a value can be
 * unknown; a program can leave a value out or give it an odd type. A mapper
 * never throws on any of that: it gets `{ state: "unknown" | "missing" |
 * "invalid" }` and prices with an assumption it states.
 */

/**
 * Markers for values not known yet: the recorder's (`<unknown>`) and the
 * sentinels the policy runtime leaves in planned properties during preview,
 * one per value kind (boolean, number, string, array, asset, archive,
 * object; the string one is also the wire `unknownValue`).
 */
export const UNKNOWN_MARKERS: ReadonlySet<unknown> = new Set<unknown>([
  "<unknown>",
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

export type Reading<T> =
  { readonly state: "known"; readonly value: T } | { readonly state: "unknown" | "missing" | "invalid"; readonly raw?: unknown };

export function isUnknown(value: unknown): boolean {
  return UNKNOWN_MARKERS.has(value);
}

/** The value at a dotted path (`properties.sku.name`), or a reading saying why there is none. */
export function at(inputs: unknown, path: string): Reading<unknown> {
  let cur: unknown = inputs;
  for (const key of path.split(".")) {
    if (isUnknown(cur)) return { state: "unknown" };
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return { state: "missing" };
    cur = (cur as Record<string, unknown>)[key];
  }
  if (cur === undefined || cur === null) return { state: "missing" };
  if (isUnknown(cur)) return { state: "unknown" };
  return { state: "known", value: cur };
}

export function str(inputs: unknown, path: string): Reading<string> {
  const r = at(inputs, path);
  if (r.state !== "known") return r;
  return typeof r.value === "string" ? { state: "known", value: r.value } : { state: "invalid", raw: r.value };
}

export function num(inputs: unknown, path: string): Reading<number> {
  const r = at(inputs, path);
  if (r.state !== "known") return r;
  const n = typeof r.value === "string" && r.value.trim() !== "" ? Number(r.value) : r.value;
  return typeof n === "number" && Number.isFinite(n) ? { state: "known", value: n } : { state: "invalid", raw: r.value };
}

export function bool(inputs: unknown, path: string): Reading<boolean> {
  const r = at(inputs, path);
  if (r.state !== "known") return r;
  if (r.value === true || r.value === "true") return { state: "known", value: true };
  if (r.value === false || r.value === "false") return { state: "known", value: false };
  return { state: "invalid", raw: r.value };
}

/** An array (its elements may themselves be unknown: only the length is relied on). */
export function list(inputs: unknown, path: string): Reading<readonly unknown[]> {
  const r = at(inputs, path);
  if (r.state !== "known") return r;
  return Array.isArray(r.value) ? { state: "known", value: r.value } : { state: "invalid", raw: r.value };
}

/** Why a reading is not known, for an `assumed` note: "`subnetIds` is unknown (preview)". */
export function why(path: string, r: Reading<unknown>): string {
  switch (r.state) {
    case "unknown":
      return `\`${path}\` is not known yet (preview)`;
    case "missing":
      return `\`${path}\` is not set`;
    case "invalid":
      return `\`${path}\` has an unexpected value ${JSON.stringify(r.raw)}`;
    default:
      return `\`${path}\` is known`;
  }
}

/** Days in an ISO 8601 duration of years, months, weeks and days (P1Y, P90D, P1Y6M, P2W); undefined when not one. */
export function isoDurationDays(text: string): number | undefined {
  const m = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?$/i.exec(text.trim());
  if (!m || text.trim().length <= 1) return undefined;
  const [, y, mo, w, d] = m.map((x) => (x === undefined ? 0 : Number(x)));
  const days = y * 365 + mo * (365 / 12) + w * 7 + d;
  return days > 0 ? days : undefined;
}

/** The value of a known reading, else undefined. */
export function known<T>(r: Reading<T>): T | undefined {
  return r.state === "known" ? r.value : undefined;
}
