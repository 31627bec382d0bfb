/**
 * Hand-built protobuf wire bytes for the decoder tests: any field order,
 * repeated keys, several kinds in one Value, missing parts, non-minimal
 * varints and malformed bytes, which no encoder of the project writes.
 */
export type Bytes = readonly number[];

/** A varint, padded to `minBytes` with continuation bytes (non-minimal, still valid). */
export function varint(n: number, minBytes = 1): number[] {
  const out: number[] = [];
  do {
    out.push(n % 128);
    n = Math.floor(n / 128);
  } while (n > 0);
  while (out.length < minBytes) out.push(0);
  for (let i = 0; i < out.length - 1; i++) out[i] |= 0x80;
  return out;
}

export function tag(field: number, wireType: number): number[] {
  return varint(field * 8 + wireType);
}

export function len(field: number, content: Bytes): number[] {
  return [...tag(field, 2), ...varint(content.length), ...content];
}

export function utf8(s: string): number[] {
  return [...Buffer.from(s, "utf8")];
}

export function double(field: number, x: number): number[] {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(x);
  return [...tag(field, 1), ...b];
}

/** google.protobuf.Value parts (concatenate several for several kinds). */
export const value = {
  null: (enumValue = 0): number[] => [...tag(1, 0), ...varint(enumValue)],
  number: (x: number): number[] => double(2, x),
  string: (s: string): number[] => len(3, utf8(s)),
  rawString: (bytes: Bytes): number[] => len(3, bytes),
  bool: (b: boolean): number[] => [...tag(4, 0), b ? 1 : 0],
  struct: (entries: Bytes): number[] => len(5, entries),
  list: (values: readonly Bytes[]): number[] =>
    len(
      6,
      values.flatMap((v) => len(1, v)),
    ),
};

/** A Struct's map entry (field 1): key (1) and value (2), either optional. */
export function entry(key: string | undefined, v: Bytes | undefined): number[] {
  const content = [...(key === undefined ? [] : len(1, utf8(key))), ...(v === undefined ? [] : len(2, v))];
  return len(1, content);
}

export function struct(entries: readonly (readonly [string, Bytes])[]): number[] {
  return entries.flatMap(([k, v]) => entry(k, v));
}
