/**
 * Address ranges for network policies: whether a CIDR stays inside private
 * address space (RFC 1918 and RFC 6598 for IPv4, unique local fc00::/7 for
 * IPv6) or reaches public internet addresses.
 */

const PRIVATE_V4: readonly (readonly [number, number])[] = [
  [0x0a000000, 8], // 10.0.0.0/8
  [0xac100000, 12], // 172.16.0.0/12
  [0xc0a80000, 16], // 192.168.0.0/16
  [0x64400000, 10], // 100.64.0.0/10 (shared address space)
];

function v4(text: string): { base: number; prefix: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const addr = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  return { base: addr, prefix };
}

function within(addr: number, prefix: number, net: number, netPrefix: number): boolean {
  if (prefix < netPrefix) return false;
  const mask = netPrefix === 0 ? 0 : (0xffffffff << (32 - netPrefix)) >>> 0;
  return (addr & mask) >>> 0 === net;
}

/**
 * True when the CIDR contains any public address: `0.0.0.0/0`, `::/0`, a
 * public IPv4 range or an IPv6 range outside fc00::/7. Unparseable text
 * counts as public (the cloud would reject it anyway, and a policy must not
 * pass what it cannot read).
 */
export function reachesPublicAddresses(cidr: string): boolean {
  const text = cidr.trim();
  if (text.includes(":")) {
    const m = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(text);
    if (!m) return true;
    const prefix = Number(m[2]);
    const first = m[1].startsWith("::") ? 0 : parseInt(m[1].split(":")[0] || "0", 16);
    return !(prefix >= 7 && (first & 0xfe00) === 0xfc00);
  }
  const net = v4(text);
  if (!net) return true;
  return !PRIVATE_V4.some(([base, p]) => within(net.base, net.prefix, base, p));
}
