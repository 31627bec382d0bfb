/**
 * policy-pack/lib/struct-decoder.ts (and LazyStruct in request-decoder.ts):
 * the plain value decoded straight from Struct bytes equals google-protobuf's
 * `Struct.deserializeBinary(bytes).toJavaScript()`: the same values, the same
 * key order, -0/NaN/infinities, the same errors. Proven on hand-built edge
 * cases (repeated keys, missing parts, several kinds, odd UTF-8, unknown
 * fields, truncation), on seeded random values written by google-protobuf,
 * by the engine's encoder and by a raw writer with duplicates and
 * non-minimal varints, and on random corruptions of those bytes. The tests
 * also count which inputs the fast decoder takes itself (the rest go to
 * google-protobuf), so the comparison cannot pass by always falling back.
 */
import { expect } from "chai";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { decodeStruct, NOT_DECODABLE } from "../../policy-pack/lib/struct-decoder";
import { LazyStruct } from "../../policy-pack/lib/request-decoder";
import { encodeStruct } from "../../engine/pack/wire";
import { Rng } from "../tools/mutate/fuzz-gen";
import { Bytes, double, entry, len, struct, tag, utf8, value, varint } from "./wire-bytes";

/** A decoded value with every object's key order (and plainness) made visible to deep equality. */
function ordered(v: unknown): unknown {
  if (Array.isArray(v)) return { list: v.map(ordered) };
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return { plain: Object.getPrototypeOf(o) === Object.prototype, entries: Object.keys(o).map((k) => [k, ordered(o[k])]) };
  }
  return v;
}

/** What decoding gives: the value, or the error's message. */
function outcome(decode: () => unknown): unknown {
  try {
    return { value: ordered(decode()) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

const generated = (bytes: Bytes) => outcome(() => Struct.deserializeBinary(new Uint8Array(bytes)).toJavaScript());
const lazy = (bytes: Bytes) => {
  const b = Buffer.from(bytes);
  return outcome(() => new LazyStruct(Struct, b, 0, b.length).toJavaScript());
};
/** Whether the fast decoder takes the bytes itself (no fallback). */
function fast(bytes: Bytes): boolean {
  const b = Buffer.from(bytes);
  try {
    decodeStruct(b, 0, b.length);
    return true;
  } catch (e) {
    if (e !== NOT_DECODABLE) throw e;
    return false;
  }
}

/** Asserts the lazy struct answers as google-protobuf does; returns whether the fast decoder took the bytes. */
function same(bytes: Bytes, what: string): boolean {
  expect(lazy(bytes), what).to.deep.equal(generated(bytes));
  return fast(bytes);
}

const PIECES = [
  "a",
  "Z",
  "0",
  " ",
  "\u0000",
  "\n",
  '"',
  "ü",
  "€",
  "😀",
  "\uFEFF",
  "\uFFFD",
  "中文",
  "\u007f",
  "\u0080",
  "\u07ff",
  "\u0800",
  "\uffff",
  "𐍈",
];
const KEYS = [
  "a",
  "b",
  "",
  "0",
  "1",
  "2",
  "10",
  "01",
  "-1",
  "1.5",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "key with space",
  "ü",
  "😀",
  "Tags",
  "tags",
];
const SPECIAL_NUMBERS = [
  0,
  -0,
  NaN,
  Infinity,
  -Infinity,
  5e-324,
  -5e-324,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  2 ** 53,
  0.1,
  -1,
  1e21,
  2.2250738585072014e-308,
];

function randomNumber(rng: Rng): number {
  if (rng.chance(0.4)) return rng.pick(SPECIAL_NUMBERS);
  if (rng.chance(0.3)) return rng.int(2000) - 1000;
  // Any 64-bit pattern: denormals, NaN payloads, huge exponents.
  const b = Buffer.alloc(8);
  b.writeUInt32LE(rng.int(2 ** 32), 0);
  b.writeUInt32LE(rng.int(2 ** 32), 4);
  return b.readDoubleLE(0);
}

function randomString(rng: Rng): string {
  if (rng.chance(0.15)) return "x".repeat(20 + rng.int(10)) + rng.pick(PIECES); // around the short-string boundary
  let s = "";
  for (let n = rng.int(12); n > 0; n--) s += rng.pick(PIECES);
  return s;
}

function randomValue(rng: Rng, depth: number): unknown {
  switch (depth > 4 ? rng.int(4) : rng.int(7)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return randomNumber(rng);
    case 3:
      return randomString(rng);
    case 4:
    case 5:
      return randomObject(rng, depth + 1);
    default:
      return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth + 1));
  }
}

function randomObject(rng: Rng, depth: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let n = rng.int(6); n > 0; n--) o[rng.chance(0.7) ? rng.pick(KEYS) : randomString(rng)] = randomValue(rng, depth);
  return o;
}

/** Raw bytes of a value with random wire choices google-protobuf accepts: entry order, repeated keys, earlier kinds overwritten, non-minimal lengths. */
function rawValue(rng: Rng, v: unknown): number[] {
  const overwritten = rng.chance(0.1) ? value.string("overwritten") : [];
  let own: number[];
  if (v === null) own = value.null(rng.chance(0.2) ? rng.int(300) : 0);
  else if (typeof v === "boolean") own = value.bool(v);
  else if (typeof v === "number") own = value.number(v);
  else if (typeof v === "string") own = value.string(v);
  else if (Array.isArray(v)) own = value.list(v.map((e) => rawValue(rng, e)));
  else own = value.struct(rawStruct(rng, v as Record<string, unknown>));
  return [...overwritten, ...own];
}

function rawStruct(rng: Rng, o: Record<string, unknown>): number[] {
  const entries = Object.keys(o).map((k) => [k, rawValue(rng, o[k])] as [string, number[]]);
  // Shuffle, and sometimes put a stale entry of the same key before the real one (the last one wins).
  for (let i = entries.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [entries[i], entries[j]] = [entries[j], entries[i]];
  }
  const out: number[] = [];
  for (const [k, v] of entries) {
    if (rng.chance(0.15)) out.push(...entry(k, value.string("stale")));
    if (rng.chance(0.1)) {
      // Value before key, and a non-minimal length.
      const content = [...len(2, v), ...len(1, utf8(k))];
      out.push(...tag(1, 2), ...varint(content.length, 3), ...content);
    } else out.push(...entry(k, v));
  }
  return out;
}

function corrupt(rng: Rng, bytes: readonly number[]): number[] {
  const b = [...bytes];
  if (b.length === 0) return [rng.int(256)];
  switch (rng.int(4)) {
    case 0:
      b[rng.int(b.length)] = rng.int(256);
      break;
    case 1:
      return b.slice(0, rng.int(b.length));
    case 2:
      b.splice(rng.int(b.length), 0, rng.int(256));
      break;
    default:
      b.splice(rng.int(b.length), 1 + rng.int(3));
  }
  return b;
}

describe("policy pack: Struct bytes decoded straight to JavaScript, as google-protobuf does", () => {
  const cases: [string, Bytes, boolean][] = [
    // [what, bytes, taken by the fast decoder]
    ["empty struct", [], true],
    [
      "repeated key: the last wins, keys sorted",
      struct([
        ["b", value.number(1)],
        ["a", value.number(2)],
        ["b", value.number(3)],
      ]),
      true,
    ],
    [
      "integer-like and odd keys",
      struct([
        ["z", value.bool(true)],
        ["10", value.null()],
        ["2", value.null()],
        ["01", value.null()],
        ["", value.string("")],
        ["constructor", value.number(1)],
        ["toString", value.string("t")],
      ]),
      true,
    ],
    ["entry without a key", [...entry(undefined, value.string("no key"))], true],
    ["entry value before key", len(1, [...len(2, value.number(7)), ...len(1, utf8("k"))]), true],
    ["entry without a value", [...entry("k", undefined)], false],
    [
      "entry with two values (google-protobuf merges them)",
      len(1, [...len(1, utf8("k")), ...len(2, value.number(1)), ...len(2, value.string("s"))]),
      false,
    ],
    ["value without a kind", struct([["k", []]]), false],
    ["list holding a value without a kind", struct([["k", value.list([value.number(1), []])]]), false],
    ["several kinds in one value: the last wins", struct([["k", [...value.number(1), ...value.string("s"), ...value.bool(false)]]]), true],
    ["struct kind overwritten by null", struct([["k", [...value.struct(struct([["x", value.number(1)]])), ...value.null()]]]), true],
    [
      "null with any enum value",
      struct([
        ["a", value.null(5)],
        ["b", [...tag(1, 0), ...varint(2 ** 31, 10)]],
      ]),
      true,
    ],
    ["bool written as 2", struct([["k", [...tag(4, 0), 2]]]), true],
    ["bool as a two-byte varint", struct([["k", [...tag(4, 0), 0x80, 0x01]]]), false],
    [
      "numbers: -0, NaN, infinities, denormals, extremes",
      struct(SPECIAL_NUMBERS.map((n, i) => [`n${i}`, value.number(n)] as [string, number[]])),
      true,
    ],
    ["NaN with another payload", struct([["k", [...tag(2, 1), 1, 0, 0, 0, 0, 0, 0xf8, 0xff]]]), true],
    [
      "strings: empty, boundary lengths, BMP, astral, BOM, U+FFFD, NUL",
      struct(
        ["", "x".repeat(24), "x".repeat(25), "ü€中", "😀𐍈", "\uFEFFbom", "\uFFFD", "a\u0000b", "ü".repeat(30)].map(
          (s, i) => [`s${i}`, value.string(s)] as [string, number[]],
        ),
      ),
      true,
    ],
    [
      "non-ASCII keys",
      struct([
        ["😀", value.null()],
        ["ü", value.null()],
        ["z", value.null()],
      ]),
      true,
    ],
    ["invalid UTF-8: lone continuation byte", struct([["k", value.rawString([0x61, 0x80, 0x62])]]), false],
    ["invalid UTF-8: an encoded surrogate", struct([["k", value.rawString([0xed, 0xa0, 0x80])]]), false],
    ["invalid UTF-8: overlong NUL", struct([["k", value.rawString([0xc0, 0x80])]]), false],
    ["invalid UTF-8: truncated sequence at the end", struct([["k", value.rawString([0x61, 0xe2, 0x82])]]), false],
    ["invalid UTF-8: 0xF8", struct([["k", value.rawString([0xf8, 0x88, 0x80, 0x80, 0x80])]]), false],
    ["invalid UTF-8 in a long string", struct([["k", value.rawString([...utf8("y".repeat(40)), 0xff])]]), false],
    [
      "__proto__ key (google-protobuf's map object drops it)",
      struct([
        ["__proto__", value.struct(struct([["polluted", value.bool(true)]]))],
        ["a", value.null()],
      ]),
      false,
    ],
    ["unknown field in a value", struct([["k", [...value.number(1), ...tag(7, 0), 1]]]), false],
    ["unknown field in a struct", [...struct([["k", value.number(1)]]), ...tag(2, 0), 1], false],
    ["unknown field in a list", struct([["k", [...len(6, [...len(1, value.number(1)), ...tag(2, 5), 1, 2, 3, 4])]]]), false],
    ["group wire type", [...tag(1, 3), ...tag(1, 4)], false],
    ["number with the wrong wire type", struct([["k", [...tag(2, 0), 1]]]), false],
    [
      "non-minimal tag and length varints",
      [0x8a, 0x80, 0x00, ...varint(entry("k", value.number(1)).length - 2, 4), ...entry("k", value.number(1)).slice(2)],
      true,
    ],
    ["nested empty lists and structs", struct([["k", value.list([value.list([value.list([])]), value.struct([]), value.list([])])]]), true],
    [
      "deep nesting",
      ((): number[] => {
        let v = value.number(1);
        for (let i = 0; i < 500; i++) v = i % 2 ? value.list([v]) : value.struct(struct([["d", v]]));
        return struct([["root", v]]);
      })(),
      true,
    ],
    ["truncated inside a number", struct([["k", value.number(1)]]).slice(0, -3), false],
    ["length past the end", [...tag(1, 2), ...varint(100), ...entry("k", value.null())], false],
    ["a double cut short at the end of the value", struct([["k", [...tag(2, 1), 0, 0, 0]]]), false],
  ];

  for (const [what, bytes, taken] of cases) {
    it(`${what}: ${taken ? "decoded here" : "left to google-protobuf"}, same answer`, () => {
      expect(fast(bytes), "taken by the fast decoder").to.equal(taken);
      expect(lazy(bytes)).to.deep.equal(generated(bytes));
    });
  }

  it("errors are google-protobuf's own (a value without a kind)", () => {
    expect(lazy(struct([["k", []]]))).to.deep.equal({ error: "Unexpected struct type" });
  });

  it("each toJavaScript() call returns a new object, as google-protobuf's does", () => {
    const b = Buffer.from(struct([["k", value.struct(struct([["x", value.number(1)]]))]]));
    const s = new LazyStruct(Struct, b, 0, b.length);
    const [one, two] = [s.toJavaScript(), s.toJavaScript()];
    expect(one).to.deep.equal(two);
    expect(one).to.not.equal(two);
    expect(one.k).to.not.equal(two.k);
  });

  it("seeded random values, as google-protobuf, the engine and a raw writer encode them", () => {
    const rng = new Rng(17);
    let compared = 0;
    let taken = 0;
    for (let i = 0; i < 1500; i++) {
      const v = randomObject(rng, 0);
      const encodings = [Struct.fromJavaScript(v as never).serializeBinary(), encodeStruct(v), rawStruct(rng, v)];
      for (const bytes of encodings) {
        if (same([...bytes], JSON.stringify(v))) taken++;
        compared++;
      }
    }
    expect(compared).to.equal(4500);
    // Every one of these is well formed: the fast decoder takes them all.
    expect(taken).to.equal(compared);
  });

  it("seeded random corruptions of those bytes: the same value or the same error", () => {
    const rng = new Rng(1717);
    let compared = 0;
    let taken = 0;
    for (let i = 0; i < 3000; i++) {
      const v = randomObject(rng, 1);
      let bytes = rng.chance(0.5) ? [...Struct.fromJavaScript(v as never).serializeBinary()] : rawStruct(rng, v);
      for (let n = 1 + rng.int(3); n > 0; n--) bytes = corrupt(rng, bytes);
      // Three bytes with the continuation bit in a row can become a length of up to 2^28 or more, which google-protobuf's
      // string reader walks byte by byte past the end (seconds per input, twice per comparison): not compared.
      if (bytes.some((_, j) => bytes[j] >= 0x80 && bytes[j + 1] >= 0x80 && bytes[j + 2] >= 0x80)) continue;
      if (same(bytes, `${JSON.stringify(v)} corrupted: ${bytes.join(",")}`)) taken++;
      compared++;
    }
    expect(compared).to.be.greaterThan(1000);
    // Some corruptions still decode (a changed character or number), the rest go to google-protobuf.
    expect(taken).to.be.greaterThan(50);
    expect(compared - taken).to.be.greaterThan(500);
  });

  it("a double's bytes in every exponent and sign, exactly", () => {
    const rng = new Rng(99);
    for (let i = 0; i < 4096; i++) {
      const b = Buffer.alloc(8);
      b.writeUInt32LE(rng.int(2 ** 32), 0);
      b.writeUInt32LE((((i & 0xfff) << 20) | rng.int(2 ** 20)) >>> 0, 4);
      expect(same(struct([["n", [...tag(2, 1), ...b]]]), b.toString("hex"))).to.equal(true);
    }
    expect(double(2, -0)).to.deep.equal([0x11, 0, 0, 0, 0, 0, 0, 0, 0x80]);
  });
});
