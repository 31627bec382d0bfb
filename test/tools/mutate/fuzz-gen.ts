/**
 * Deterministic generators for the policy fuzzer: a seeded PRNG
 * (mulberry32) and mutators that turn a real property bag (a resource's
 * recorded inputs or outputs, wire form) into an odd one: missing keys,
 * wrong types, nulls, unknown sentinels of every kind (nested anywhere),
 * secret wrappers, arrays where objects are expected and the reverse, deep
 * nesting, huge arrays and documents, unrelated extra keys, and malformed
 * or structurally mangled JSON policy strings. Every value stays something
 * the engine could send (JSON plus NaN/Infinity), since the runtime builds
 * the policy's arguments from a protobuf Struct.
 */
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { secretValue as secret, UNKNOWN_SENTINELS } from "../../../engine/model";

const SIG_KEY = rpc.specialSigKey;

/** Engine sentinels for unknowns of every type (string, boolean, number, array, object, asset, archive). */
export const ALL_UNKNOWNS: readonly string[] = Object.values(UNKNOWN_SENTINELS);

export class Rng {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  /** [0, 1) */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }
}

/** A stable 32-bit hash of a string (FNV-1a), to derive one seed per policy. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

type Json = unknown;

const ODD_STRINGS = [
  "",
  " ",
  "x",
  "true",
  "false",
  "0",
  "-1",
  "null",
  "*",
  "arn:aws:s3:::*",
  "0.0.0.0/0",
  "Internet",
  "Allow",
  "allow",
  "DENY",
  "{",
  "[]",
  "{}",
  "ü🙂\u0000\u202e",
  "P",
  "PT",
  "P-1D",
  "/",
  "/subscriptions/x",
  "<unknown>",
  "[secret]",
];

const ODD_NUMBERS = [0, -0, -1, 1, 1.5, 7, 30, 365, 2048, 1e308, -1e308, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity];

function deep(value: Json, depth: number, asArray: boolean): Json {
  let v = value;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

/** An odd scalar or small structure. */
export function oddValue(rng: Rng, depth = 0): Json {
  // Deep and huge values (cases 11-13) are rarer: each costs the runtime (and the fuzzer) much more.
  const r = depth > 2 ? rng.int(6) : rng.chance(0.06) ? 11 + rng.int(3) : rng.pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15]);
  switch (r) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick(ODD_NUMBERS);
    case 3:
      return rng.pick(ODD_STRINGS);
    case 4:
      return rng.pick(ALL_UNKNOWNS);
    case 5:
      return "x".repeat(1 + rng.int(5000));
    case 6:
      return [];
    case 7:
      return {};
    case 8:
      return [oddValue(rng, depth + 1), oddValue(rng, depth + 1)];
    case 9:
      return {
        [rng.pick(["a", "constructor", "toString", "__proto__", "hasOwnProperty", "Statement", "tags", "value"])]: oddValue(rng, depth + 1),
      };
    case 10:
      return secret(oddValue(rng, depth + 1));
    case 11:
      return deep(oddValue(rng, depth + 1), 10 + rng.int(150), rng.chance(0.5));
    case 12:
      return Array.from({ length: 200 + rng.int(2000) }, (_, i) => (rng.chance(0.5) ? `item-${i}` : i));
    case 13:
      return Object.fromEntries(Array.from({ length: 50 + rng.int(500) }, (_, i) => [`k${i}`, rng.chance(0.5) ? `v${i}` : null]));
    case 14:
      return [rng.pick(ALL_UNKNOWNS), null, { nested: rng.pick(ALL_UNKNOWNS) }];
    default:
      return { nested: { unknown: rng.pick(ALL_UNKNOWNS), list: [rng.pick(ALL_UNKNOWNS)] } };
  }
}

/** Malformed or odd policy document strings (and a few non-string documents). */
export function oddPolicyDocument(rng: Rng, base?: string): Json {
  const weirdStatements: Json[] = [
    null,
    1,
    "x",
    [],
    { Effect: 1 },
    { Effect: "Allow", Action: {}, Resource: [] },
    { Effect: "Allow", Principal: [] },
    { Effect: "Allow", Principal: { AWS: {} } },
    { Effect: "Allow", Principal: { Service: [null, 5] } },
    { Effect: "Allow", Condition: "x" },
    { Effect: "Allow", Condition: { Bool: null } },
    { Effect: "Allow", Condition: { Bool: { "aws:SecureTransport": {} } } },
    { Effect: "Allow", Condition: { Null: [] } },
    { Effect: "Allow", Action: "s3:*", Resource: [null, 1, {}] },
    { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { NumericLessThan: { "s3:TlsVersion": ["x", null] } } },
    { Effect: "Allow", NotAction: 5, NotResource: {} },
    { Effect: "Allow", Action: "sagemaker:CreateTrainingJob", Resource: "*", Condition: { Bool: { "sagemaker:NetworkIsolation": [] } } },
    { Effect: ALL_UNKNOWNS[2], Action: ALL_UNKNOWNS[3], Resource: ALL_UNKNOWNS[2], Principal: ALL_UNKNOWNS[6], Condition: ALL_UNKNOWNS[6] },
    { Effect: "Allow", Action: ["*"], Resource: ["*"], Principal: { AWS: "*" } },
  ];
  switch (rng.int(14)) {
    case 0:
      return base ? base.slice(0, rng.int(base.length)) : "{";
    case 1:
      return rng.pick(["", "{", "}", "null", "[]", "42", '"string"', "true", '{"Statement":', "\u0000"]);
    case 2:
      return JSON.stringify({ Statement: rng.pick([null, {}, "x", 5, true]) });
    case 3:
      return JSON.stringify({ Version: "2012-10-17", Statement: [rng.pick(weirdStatements), rng.pick(weirdStatements)] });
    case 4:
      return JSON.stringify({ Statement: rng.pick(weirdStatements) });
    case 5:
      // Huge: thousands of statements.
      return JSON.stringify({
        Statement: Array.from({ length: 1000 + rng.int(4000) }, (_, i) => ({
          Sid: `S${i}`,
          Effect: i % 2 ? "Allow" : "Deny",
          Action: `s3:Get${i}`,
          Resource: `arn:aws:s3:::b${i}/*`,
        })),
      });
    case 6:
      return JSON.stringify(deep({ Statement: [] }, 50 + rng.int(400), rng.chance(0.5)));
    case 7:
      return { Statement: [rng.pick(weirdStatements)] };
    case 8:
      return { Statement: rng.pick(weirdStatements) };
    case 9:
      return [rng.pick(weirdStatements)];
    case 10:
      return rng.pick(ALL_UNKNOWNS);
    case 11:
      return base ? base.replace(/"[A-Za-z]+"/, rng.pick(['"' + ALL_UNKNOWNS[2] + '"', "null", "{}", "[]", "1"])) : "{}";
    case 12: {
      if (!base) return "{}";
      try {
        return JSON.stringify(mutateJson(rng, JSON.parse(base), 1 + rng.int(4)));
      } catch {
        return base;
      }
    }
    default:
      return `${base ?? "{}"}${rng.pick(["}", ",", "garbage", "\n{}"])}`;
  }
}

/** A plain object: not an array, and not a secret/asset wrapper (one opaque value to the mutators). */
function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(SIG_KEY in v);
}

/** Paths to every value in `v` (depth-limited, at most `limit`). */
function pathsOf(v: Json, limit = 300): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (x: Json, path: (string | number)[], depth: number) => {
    if (out.length >= limit || depth > 12) return;
    if (Array.isArray(x)) {
      x.slice(0, 20).forEach((e, i) => {
        out.push([...path, i]);
        walk(e, [...path, i], depth + 1);
      });
    } else if (isObject(x)) {
      for (const k of Object.keys(x).slice(0, 40)) {
        out.push([...path, k]);
        walk(x[k], [...path, k], depth + 1);
      }
    }
  };
  walk(v, [], 0);
  return out;
}

function getAt(root: Json, path: readonly (string | number)[]): Json {
  let v = root;
  for (const k of path) v = (v as Record<string | number, Json>)?.[k];
  return v;
}

function looksLikePolicyJson(v: Json): v is string {
  return typeof v === "string" && v.length > 10 && v.trimStart().startsWith("{") && v.includes("Statement");
}

/** One odd change of the value at `path` (which exists). */
function mutateAt(rng: Rng, root: Json, path: readonly (string | number)[]): Json {
  const parent = path.length ? getAt(root, path.slice(0, -1)) : undefined;
  const key = path[path.length - 1];
  const current = getAt(root, path);
  let next: Json;
  // Deep nesting (7) and huge values (10) are rarer than the cheap odd changes.
  const cheap = [0, 1, 2, 3, 4, 5, 6, 8, 9, 11, ...(looksLikePolicyJson(current) ? [12, 13, 14] : [])];
  const op = rng.chance(0.05) ? rng.pick([7, 10]) : rng.pick(cheap);
  switch (op) {
    case 0: // missing
      if (Array.isArray(parent) && typeof key === "number") parent.splice(key, 1);
      else delete (parent as Record<string, Json>)[key as string];
      return root;
    case 1:
      next = null;
      break;
    case 2:
      next = rng.pick(ALL_UNKNOWNS);
      break;
    case 3: // wrong type
      next =
        typeof current === "string"
          ? rng.pick(ODD_NUMBERS)
          : typeof current === "number" || typeof current === "boolean"
            ? String(current)
            : rng.pick(ODD_STRINGS);
      break;
    case 4: // array where an object (or scalar) is expected, and the reverse
      next = Array.isArray(current) ? Object.fromEntries(current.map((e, i) => [String(i), e])) : [current];
      break;
    case 5:
      next = isObject(current) ? Object.values(current) : Array.isArray(current) ? (current[0] ?? null) : { value: current };
      break;
    case 6:
      next = secret(current ?? null);
      break;
    case 7:
      next = deep(current, 5 + rng.int(120), rng.chance(0.5));
      break;
    case 8:
      next = oddValue(rng);
      break;
    case 9: // nested unknowns inside the existing structure
      next = isObject(current)
        ? Object.fromEntries(Object.keys(current).map((k) => [k, rng.chance(0.5) ? rng.pick(ALL_UNKNOWNS) : current[k]]))
        : Array.isArray(current)
          ? current.map((e) => (rng.chance(0.5) ? rng.pick(ALL_UNKNOWNS) : e))
          : rng.pick(ALL_UNKNOWNS);
      break;
    case 10: // huge (bounded: a bag stays below a few MB, as a real request would)
      next =
        Array.isArray(current) && current.length < 100
          ? Array.from({ length: 500 + rng.int(2500) }, (_, i) =>
              typeof current[i % Math.max(1, current.length)] === "object" ? `item-${i}` : (current[i % Math.max(1, current.length)] ?? i),
            )
          : typeof current === "string" && current.length < 2000
            ? current.repeat(50 + rng.int(200))
            : oddValue(rng);
      break;
    case 11: // an unknown extra key next to it
      // defineProperty: an own "__proto__" key (as JSON.parse makes it), not a prototype change.
      if (isObject(parent))
        Object.defineProperty(parent, rng.pick(["extra", "constructor", "__proto__", "toString", "0", ""]), {
          value: oddValue(rng),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return root;
    default:
      next = oddPolicyDocument(rng, current as string);
  }
  if (parent === undefined) return next;
  (parent as Record<string | number, Json>)[key] = next;
  return root;
}

/** Applies `ops` odd changes at random places of a copy of `value`. */
export function mutateJson(rng: Rng, value: Json, ops: number): Json {
  let root = structuredClone(value);
  for (let i = 0; i < ops; i++) {
    const paths = pathsOf(root);
    if (paths.length === 0) {
      root = isObject(root) || Array.isArray(root) ? { ...(isObject(root) ? root : {}), added: oddValue(rng) } : oddValue(rng);
      continue;
    }
    // Prefer JSON policy strings now and then: they hide whole documents.
    const policyPaths = paths.filter((p) => looksLikePolicyJson(getAt(root, p)));
    const path = policyPaths.length && rng.chance(0.3) ? rng.pick(policyPaths) : rng.pick(paths);
    root = mutateAt(rng, root, path);
  }
  return root;
}

/** A property bag (top level is always an object, as the protocol's Struct) derived from `seed`. */
export function oddBag(rng: Rng, seed: Record<string, unknown>): Record<string, unknown> {
  const r = rng.next();
  if (r < 0.03) return {};
  if (r < 0.06) return Object.fromEntries(Object.keys(seed).map((k) => [k, rng.pick(ALL_UNKNOWNS)]));
  if (r < 0.08) return Object.fromEntries(Object.keys(seed).map((k) => [k, null]));
  if (r < 0.1) return Object.fromEntries(Object.keys(seed).map((k) => [k, oddValue(rng)]));
  if (r < 0.12) return { [rng.pick(["x", "tags", "policy", "properties"])]: oddValue(rng) };
  const out = mutateJson(rng, seed, 1 + rng.int(4));
  return isObject(out) ? out : { value: out };
}
