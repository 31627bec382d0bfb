/**
 * IPv4 CIDR arithmetic for carving subnets out of a network: parse, validate,
 * split and test containment. Pure functions, no Pulumi.
 */

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefix: number;
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns a reason string instead of throwing. */
export function parseCidr(text: string): Cidr | string {
  const m = CIDR_RE.exec(text);
  if (!m) return "not an IPv4 CIDR of the form a.b.c.d/n";
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return "an octet is greater than 255";
  const prefix = Number(m[5]);
  if (prefix > 32) return "the prefix length is greater than 32";
  const base = (((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3]) >>> 0;
  if ((base & hostMask(prefix)) !== 0) {
    return `host bits are set (the network address is ${formatCidr({ base: (base & ~hostMask(prefix)) >>> 0, prefix })})`;
  }
  return { base, prefix };
}

function hostMask(prefix: number): number {
  return prefix === 0 ? 0xffffffff : (2 ** (32 - prefix) - 1) >>> 0;
}

export function formatCidr(c: Cidr): string {
  const b = c.base;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${c.prefix}`;
}

/** Number of addresses in the block. */
export function size(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

/** The `count` consecutive subnets of length `newPrefix` starting at `offset` subnets into `parent`. */
export function subnets(parent: string, newPrefix: number, count: number, offset = 0): string[] {
  const p = parseCidr(parent);
  if (typeof p === "string") throw new Error(`cannot split "${parent}": ${p}`);
  if (newPrefix < p.prefix || newPrefix > 32) {
    throw new Error(`cannot split ${parent} into /${newPrefix} subnets`);
  }
  const available = 2 ** (newPrefix - p.prefix);
  if (offset + count > available) {
    throw new Error(`${parent} holds only ${available} /${newPrefix} subnets; ${offset + count} requested`);
  }
  const step = 2 ** (32 - newPrefix);
  return Array.from({ length: count }, (_, i) => formatCidr({ base: (p.base + (offset + i) * step) >>> 0, prefix: newPrefix }));
}

/** True when `inner` lies wholly inside `outer`. */
export function contains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  if (typeof o === "string" || typeof i === "string") return false;
  return i.prefix >= o.prefix && ((i.base ^ o.base) & ~hostMask(o.prefix)) >>> 0 === 0;
}

/** True when the two blocks share any address. */
export function overlaps(a: string, b: string): boolean {
  return contains(a, b) || contains(b, a);
}
