/**
 * The envelope of each analyzer request (everything but the properties and
 * the provider, which wire.ts appends): the bytes google-protobuf's
 * generated classes (`@pulumi/pulumi/proto/analyzer_pb`) would serialize,
 * written straight into one Buffer. Building a message object per resource
 * (options, custom timeouts, property-dependency maps) and serializing it was
 * about a tenth of the check's CPU at 10,000 resources, on cores the pack
 * processes need. Field numbers and rules, from analyzer_pb.js
 * `serializeBinaryToWriter`:
 *
 *   AnalyzeRequest / AnalyzerResource: 1 type, 3 urn, 4 name (strings, left
 *     out when empty), 5 options (always written); AnalyzerResource also
 *     7 parent (left out when empty), 8 dependencies (every element),
 *     9 propertyDependencies (map entries sorted by key: 1 key, 2 value).
 *   AnalyzerResourceOptions: 1 protect, 3 deleteBeforeReplace,
 *     4 deleteBeforeReplaceDefined (bools, when true), 2 ignoreChanges,
 *     5 additionalSecretOutputs, 6 aliases (every element), 7 customTimeouts
 *     (always written), 8 parent (when not empty).
 *   CustomTimeouts: 1 create, 2 update, 3 delete (doubles, when not 0).
 *   AnalyzerPropertyDependencies: 1 urns (every element).
 *
 * test/engine/pack/envelope-encoder.test.ts compares the bytes with the
 * generated classes' for every resource of the shipped stacks and odd values.
 */
import type { ModelResource } from "../model";
import { varintSize } from "./struct-encoder";

const LEN = 2;
const VARINT = 0;
const FIXED64 = 1;

/** A protobuf writer for small messages: one growing Buffer, nested messages measured by writing them. */
class Writer {
  private buf = Buffer.allocUnsafe(512);
  private pos = 0;

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  private varint(n: number): void {
    this.room(5);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[this.pos++] = n;
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  /** A string field, even when empty (repeated elements and map keys). */
  stringAlways(field: number, s: string): void {
    const n = Buffer.byteLength(s, "utf8");
    this.tag(field, LEN);
    this.varint(n);
    this.room(n);
    this.pos += this.buf.write(s, this.pos, n, "utf8");
  }

  string(field: number, s: string): void {
    if (s.length > 0) this.stringAlways(field, s);
  }

  strings(field: number, list: readonly string[]): void {
    for (const s of list) this.stringAlways(field, s);
  }

  bool(field: number, b: boolean): void {
    if (!b) return;
    this.tag(field, VARINT);
    this.varint(1);
  }

  double(field: number, d: number): void {
    if (d === 0) return;
    this.tag(field, FIXED64);
    this.room(8);
    // google-protobuf writes NaN as all mantissa bits set (jspb.utils.splitFloat64), not the canonical NaN.
    if (Number.isNaN(d)) this.buf.writeBigUInt64LE(0x7fffffffffffffffn, this.pos);
    else this.buf.writeDoubleLE(d, this.pos);
    this.pos += 8;
  }

  /** A nested message: written after a 5-byte gap, then moved up behind its real length prefix. */
  message(field: number, body: () => void): void {
    this.tag(field, LEN);
    this.room(5);
    const gap = this.pos;
    this.pos += 5;
    body();
    const n = this.pos - gap - 5;
    const prefix = varintSize(n);
    this.buf.copy(this.buf, gap + prefix, gap + 5, this.pos);
    this.pos = gap;
    this.varint(n);
    this.pos += n;
  }

  take(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    this.pos = 0;
    return out;
  }
}

const writer = new Writer();

function identified(w: Writer, r: ModelResource): void {
  w.string(1, r.type);
  w.string(3, r.urn);
  w.string(4, r.name);
  const o = r.options;
  w.message(5, () => {
    w.bool(1, o.protect);
    w.strings(2, o.ignoreChanges);
    w.bool(3, o.deleteBeforeReplace ?? false);
    w.bool(4, o.deleteBeforeReplace !== undefined);
    w.strings(5, o.additionalSecretOutputs);
    w.strings(6, o.aliases);
    w.message(7, () => {
      w.double(1, o.customTimeouts.create);
      w.double(2, o.customTimeouts.update);
      w.double(3, o.customTimeouts.delete);
    });
    w.string(8, o.parent ?? "");
  });
}

/** AnalyzeRequest's envelope: type, URN, name and options. */
export function analyzeEnvelopeBytes(r: ModelResource): Buffer {
  identified(writer, r);
  return writer.take();
}

/** AnalyzerResource's envelope: as AnalyzeRequest's, plus parent, dependencies and property dependencies. */
export function resourceEnvelopeBytes(r: ModelResource): Buffer {
  identified(writer, r);
  writer.string(7, r.parent ?? "");
  writer.strings(8, r.dependencies);
  // The engine leaves out properties without dependencies; google-protobuf writes map entries sorted by key.
  const deps = r.propertyDependencies;
  const keys = Object.keys(deps)
    .filter((k) => deps[k].length > 0)
    .sort();
  for (const k of keys) {
    writer.message(9, () => {
      writer.stringAlways(1, k);
      writer.message(2, () => writer.strings(1, deps[k]));
    });
  }
  return writer.take();
}
