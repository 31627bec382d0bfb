/**
 * Decodes `google.protobuf.Struct` bytes straight to the plain JavaScript
 * value google-protobuf's `Struct.deserializeBinary(bytes).toJavaScript()`
 * gives, without building its Struct/Value/ListValue messages, map entries
 * and wrapper arrays first (on a 10,000-resource stack those, and collecting
 * them, were most of a pack process's request decoding time).
 *
 *   Struct    { map<string, Value> fields = 1; }   (map entry: key = 1, value = 2)
 *   Value     { oneof kind { NullValue null_value = 1; double number_value = 2; string string_value = 3;
 *                            bool bool_value = 4; Struct struct_value = 5; ListValue list_value = 6; } }
 *   ListValue { repeated Value values = 1; }
 *
 * What google-protobuf 3.21 does, and so this: a Struct's keys come out in
 * sorted order (its map's `forEach` sorts them), the last entry of a repeated
 * key wins, a missing key is "", the last kind set in a Value wins, a null's
 * enum value is ignored, doubles keep -0, NaN and infinities.
 *
 * Only the well-formed shape is decoded here: anything else (an unknown
 * field, a wire type or length that does not fit, invalid UTF-8, a Value
 * without a kind, a map entry without or with two values, a varint bool
 * longer than a byte, the key `__proto__` that google-protobuf's map object
 * drops) throws NOT_DECODABLE, and the caller lets google-protobuf decode
 * the bytes: its answer, or its error, is then the answer
 * (test/policy-pack/struct-decoder.test.ts compares both ways).
 */
import { isUtf8 } from "buffer";

/** Thrown (one shared instance: no stack to capture) when the bytes are not the well-formed shape decoded here. */
export const NOT_DECODABLE: Error = new Error("not a well-formed google.protobuf.Struct for the fast decoder");

function fail(): never {
  throw NOT_DECODABLE;
}

const TAG_FIELD1_LEN = 0x0a; // Struct.fields entry, entry key, ListValue.values
const TAG_FIELD2_LEN = 0x12; // entry value
const TAG_NULL = 0x08;
const TAG_NUMBER = 0x11;
const TAG_STRING = 0x1a;
const TAG_BOOL = 0x20;
const TAG_STRUCT = 0x2a;
const TAG_LIST = 0x32;

/** Strings up to this many bytes are tried as ASCII in JavaScript (cheaper than a call into Buffer's decoder). */
const SHORT_STRING = 24;

/** Reads varints from `b` at `p`, throwing NOT_DECODABLE where the bytes do not fit (request-decoder.ts scans with it too). */
export class Reader {
  constructor(
    protected readonly b: Buffer,
    public p: number,
  ) {}

  /** A varint of at most 4 bytes (tags and lengths up to 256 MiB; longer ones are left to google-protobuf). */
  uint(end: number): number {
    const b = this.b;
    let p = this.p;
    if (p >= end) fail();
    let x = b[p++];
    if (x >= 0x80) {
      x &= 0x7f;
      for (let shift = 7; ; shift += 7) {
        if (p >= end || shift > 21) fail();
        const y = b[p++];
        x |= (y & 0x7f) << shift;
        if (y < 0x80) break;
      }
    }
    this.p = p;
    return x;
  }

  /** Skips a varint of at most 10 bytes. */
  skipVarint(end: number): void {
    for (let n = 0; n < 10; n++) {
      if (this.p >= end) fail();
      if (this.b[this.p++] < 0x80) return;
    }
    fail();
  }
}

class Decoder extends Reader {
  /** The end of a length-delimited field's content that starts here. */
  private sub(end: number): number {
    const len = this.uint(end);
    const e = this.p + len;
    if (e > end) fail();
    return e;
  }

  private string(end: number): string {
    const e = this.sub(end);
    const s = this.p;
    const b = this.b;
    this.p = e;
    if (e - s <= SHORT_STRING) {
      let out = "";
      for (let i = s; i < e; i++) {
        const c = b[i];
        if (c >= 0x80) return this.utf8(s, e);
        out += String.fromCharCode(c);
      }
      return out;
    }
    return this.utf8(s, e);
  }

  /** Buffer's UTF-8 decoding equals google-protobuf's for valid UTF-8; invalid bytes (replaced by U+FFFD here) are left to it. */
  private utf8(s: number, e: number): string {
    const out = this.b.toString("utf8", s, e);
    if (out.includes("\uFFFD") && !isUtf8(this.b.subarray(s, e))) fail();
    return out;
  }

  struct(end: number): Record<string, unknown> {
    const keys: string[] = [];
    const values: unknown[] = [];
    let sorted = true;
    while (this.p < end) {
      if (this.uint(end) !== TAG_FIELD1_LEN) fail();
      const e = this.sub(end);
      let key = "";
      let value: unknown;
      let hasValue = false;
      while (this.p < e) {
        const tag = this.uint(e);
        if (tag === TAG_FIELD1_LEN) key = this.string(e);
        else if (tag === TAG_FIELD2_LEN && !hasValue) {
          value = this.value(this.sub(e));
          hasValue = true;
        } else fail();
      }
      if (!hasValue || key === "__proto__") fail();
      if (keys.length > 0 && !(keys[keys.length - 1] < key)) sorted = false;
      keys.push(key);
      values.push(value);
    }
    const out: Record<string, unknown> = {};
    if (sorted) {
      for (let i = 0; i < keys.length; i++) out[keys[i]] = values[i];
      return out;
    }
    // google-protobuf keeps the last entry per key and lists the keys sorted (as Array.prototype.sort orders strings).
    const last = new Map<string, unknown>();
    for (let i = 0; i < keys.length; i++) last.set(keys[i], values[i]);
    for (const k of [...last.keys()].sort()) out[k] = last.get(k);
    return out;
  }

  private list(end: number): unknown[] {
    const out: unknown[] = [];
    while (this.p < end) {
      if (this.uint(end) !== TAG_FIELD1_LEN) fail();
      out.push(this.value(this.sub(end)));
    }
    return out;
  }

  private value(end: number): unknown {
    let v: unknown;
    let set = false;
    while (this.p < end) {
      switch (this.uint(end)) {
        case TAG_NULL:
          this.skipVarint(end);
          v = null;
          break;
        case TAG_NUMBER:
          if (this.p + 8 > end) fail();
          v = this.b.readDoubleLE(this.p);
          this.p += 8;
          break;
        case TAG_STRING:
          v = this.string(end);
          break;
        case TAG_BOOL: {
          if (this.p >= end) fail();
          const x = this.b[this.p++];
          if (x >= 0x80) fail();
          v = x !== 0;
          break;
        }
        case TAG_STRUCT:
          v = this.struct(this.sub(end));
          break;
        case TAG_LIST:
          v = this.list(this.sub(end));
          break;
        default:
          fail();
      }
      set = true;
    }
    // A Value without a kind: google-protobuf's toJavaScript throws ("Unexpected struct type"); it answers.
    if (!set) fail();
    return v;
  }
}

/**
 * The plain JavaScript value of the Struct encoded in `b[start, end)`, as
 * google-protobuf's `toJavaScript()` gives it; throws NOT_DECODABLE for
 * bytes outside the well-formed shape (see above).
 */
export function decodeStruct(b: Buffer, start: number, end: number): Record<string, unknown> {
  return new Decoder(b, start).struct(end);
}
