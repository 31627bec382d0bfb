/**
 * Encodes plain JSON-like values as `google.protobuf.Struct` bytes, fast.
 *
 * google-protobuf's `Struct.fromJavaScript(...).serializeBinary()` (or its
 * `BinaryWriter`) builds an object or an array of numbers per node; for the
 * 10,000-resource stacks of `npm run bench` that was about a second of the
 * check's CPU for `AnalyzeStack` alone, on a 2-core machine where the pack
 * needs the same cores. This writes the standard wire format directly into
 * one Buffer, in two passes (measure, then write), for the three messages of
 * struct.proto:
 *
 *   Struct    { map<string, Value> fields = 1; }   (map entry: key = 1, value = 2)
 *   Value     { oneof kind { NullValue null_value = 1; double number_value = 2; string string_value = 3;
 *                            bool bool_value = 4; Struct struct_value = 5; ListValue list_value = 6; } }
 *   ListValue { repeated Value values = 1; }
 *
 * test/cli/check/units.test.ts decodes the output with google-protobuf and
 * compares it with `Struct.fromJavaScript` of the same value.
 */

const TAG_FIELD1_LEN = 0x0a; // field 1, length-delimited (Struct.fields entry, entry key, ListValue.values)
const TAG_FIELD2_LEN = 0x12; // field 2, length-delimited (entry value)
const TAG_NULL = 0x08; // Value.null_value, varint
const TAG_NUMBER = 0x11; // Value.number_value, 64-bit
const TAG_STRING = 0x1a; // Value.string_value
const TAG_BOOL = 0x20; // Value.bool_value, varint
const TAG_STRUCT = 0x2a; // Value.struct_value
const TAG_LIST = 0x32; // Value.list_value

function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

/** A length-delimited field's size: tag + length + content. */
function delimited(size: number): number {
  return 1 + varintSize(size) + size;
}

/**
 * Pass 1 records the size of every length-delimited part in the order pass 2
 * writes them, so pass 2 never measures again.
 */
export class StructEncoder {
  private sizes: number[] = [];
  private next = 0;
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;

  // ---- pass 1: sizes ----

  /** Size of a Struct's content; records the sizes pass 2 needs. */
  measureStruct(obj: Record<string, unknown>): number {
    let total = 0;
    for (const k of Object.keys(obj)) {
      const v = obj[k];
      if (v === undefined) continue;
      const entrySlot = this.sizes.push(0) - 1;
      const keySize = Buffer.byteLength(k, "utf8");
      this.sizes.push(keySize);
      const valueSlot = this.sizes.push(0) - 1;
      const valueSize = this.measureValue(v);
      this.sizes[valueSlot] = valueSize;
      const entrySize = delimited(keySize) + delimited(valueSize);
      this.sizes[entrySlot] = entrySize;
      total += delimited(entrySize);
    }
    return total;
  }

  private measureValue(v: unknown): number {
    if (v === null || v === undefined) return 2;
    switch (typeof v) {
      case "number":
        return 9;
      case "boolean":
        return 2;
      case "string": {
        const n = Buffer.byteLength(v, "utf8");
        this.sizes.push(n);
        return delimited(n);
      }
      case "object": {
        const slot = this.sizes.push(0) - 1;
        const n = Array.isArray(v) ? this.measureList(v) : this.measureStruct(v as Record<string, unknown>);
        this.sizes[slot] = n;
        return delimited(n);
      }
      default:
        throw new Error(`cannot send a ${typeof v} in a resource's properties`);
    }
  }

  private measureList(list: readonly unknown[]): number {
    let total = 0;
    for (const v of list) {
      const slot = this.sizes.push(0) - 1;
      const n = this.measureValue(v);
      this.sizes[slot] = n;
      total += delimited(n);
    }
    return total;
  }

  // ---- pass 2: bytes ----

  /** Starts writing into `buf` at `pos` (pass 1 must have measured everything written). */
  begin(buf: Buffer, pos: number): void {
    this.buf = buf;
    this.pos = pos;
    this.next = 0;
  }

  get position(): number {
    return this.pos;
  }

  byte(b: number): void {
    this.buf[this.pos++] = b;
  }

  varint(n: number): void {
    while (n >= 0x80) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[this.pos++] = n;
  }

  bytes(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  writeStruct(obj: Record<string, unknown>): void {
    for (const k of Object.keys(obj)) {
      const v = obj[k];
      if (v === undefined) continue;
      this.byte(TAG_FIELD1_LEN);
      this.varint(this.sizes[this.next++]);
      this.byte(TAG_FIELD1_LEN);
      const keySize = this.sizes[this.next++];
      this.varint(keySize);
      this.pos += this.buf.write(k, this.pos, keySize, "utf8");
      this.byte(TAG_FIELD2_LEN);
      this.varint(this.sizes[this.next++]);
      this.writeValue(v);
    }
  }

  private writeValue(v: unknown): void {
    if (v === null || v === undefined) {
      this.byte(TAG_NULL);
      this.byte(0);
      return;
    }
    switch (typeof v) {
      case "number":
        this.byte(TAG_NUMBER);
        this.buf.writeDoubleLE(v, this.pos);
        this.pos += 8;
        return;
      case "boolean":
        this.byte(TAG_BOOL);
        this.byte(v ? 1 : 0);
        return;
      case "string": {
        this.byte(TAG_STRING);
        const n = this.sizes[this.next++];
        this.varint(n);
        this.pos += this.buf.write(v, this.pos, n, "utf8");
        return;
      }
      default: {
        const list = Array.isArray(v);
        this.byte(list ? TAG_LIST : TAG_STRUCT);
        this.varint(this.sizes[this.next++]);
        if (list) this.writeList(v as unknown[]);
        else this.writeStruct(v as Record<string, unknown>);
      }
    }
  }

  private writeList(list: readonly unknown[]): void {
    for (const v of list) {
      this.byte(TAG_FIELD1_LEN);
      this.varint(this.sizes[this.next++]);
      this.writeValue(v);
    }
  }
}

export { delimited, varintSize };

/** google.protobuf.Struct bytes of a plain object. */
export function encodeStruct(obj: Record<string, unknown>): Uint8Array {
  const e = new StructEncoder();
  const size = e.measureStruct(obj);
  const buf = Buffer.allocUnsafe(size);
  e.begin(buf, 0);
  e.writeStruct(obj);
  return buf;
}
