/**
 * IPv4 arithmetic for the infrastructure area: addresses as unsigned 32-bit numbers, CIDR
 * blocks, netmasks and inclusive address ranges. Pure functions, no I/O.
 */

/** An IPv4 block: its network address and prefix length. */
export interface Ipv4Cidr {
  /** The network address as a number (host bits zero). */
  readonly network: number;
  /** Prefix length, 0..32. */
  readonly prefix: number;
}

/** An inclusive range of IPv4 addresses, as numbers. */
export interface Ipv4Range {
  /** First address. */
  readonly start: number;
  /** Last address (inclusive). */
  readonly end: number;
}

const DOTTED = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** True when `text` is a dotted-quad IPv4 address. */
export function isIpv4(text: string): boolean {
  return DOTTED.test(text);
}

/** The address as a number, or undefined when `text` is not a dotted quad. */
export function parseIpv4(text: string): number | undefined {
  if (!isIpv4(text)) return undefined;
  return text.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

/** The dotted-quad form of an address number. */
export function formatIpv4(value: number): string {
  return `${Math.floor(value / 16777216) % 256}.${Math.floor(value / 65536) % 256}.${Math.floor(value / 256) % 256}.${value % 256}`;
}

/** The netmask number of a prefix length (`24` → 255.255.255.0). */
export function prefixToMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** The prefix length of a dotted netmask, or undefined when it is not a contiguous mask. */
export function netmaskToPrefix(netmask: string): number | undefined {
  const value = parseIpv4(netmask);
  if (value === undefined) return undefined;
  for (let prefix = 0; prefix <= 32; prefix += 1) if (prefixToMask(prefix) === value) return prefix;
  return undefined;
}

/** The dotted netmask of a prefix length. */
export function prefixToNetmask(prefix: number): string {
  return formatIpv4(prefixToMask(prefix));
}

/** Parses `a.b.c.d/n`; undefined when malformed. Host bits are cleared. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const [address, bits, extra] = text.split('/');
  if (address === undefined || bits === undefined || extra !== undefined || !/^\d{1,2}$/.test(bits)) return undefined;
  const prefix = Number(bits);
  const value = parseIpv4(address);
  if (value === undefined || prefix > 32) return undefined;
  return { network: (value & prefixToMask(prefix)) >>> 0, prefix };
}

/** The block that `address` with `netmask` belongs to; undefined when either is malformed. */
export function cidrOf(address: string, netmask: string): Ipv4Cidr | undefined {
  const value = parseIpv4(address);
  const prefix = netmaskToPrefix(netmask);
  if (value === undefined || prefix === undefined) return undefined;
  return { network: (value & prefixToMask(prefix)) >>> 0, prefix };
}

/** `a.b.c.d/n` text of a block. */
export function formatCidr(cidr: Ipv4Cidr): string {
  return `${formatIpv4(cidr.network)}/${cidr.prefix}`;
}

/** The whole block as an inclusive range (network to broadcast address). */
export function cidrRange(cidr: Ipv4Cidr): Ipv4Range {
  return { start: cidr.network, end: cidr.network + 2 ** (32 - cidr.prefix) - 1 };
}

/** True when `address` lies inside the block. */
export function cidrContains(cidr: Ipv4Cidr, address: number): boolean {
  return ((address & prefixToMask(cidr.prefix)) >>> 0) === cidr.network;
}

/** True when two inclusive ranges share at least one address. */
export function rangesOverlap(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** True when two blocks share at least one address. */
export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return rangesOverlap(cidrRange(a), cidrRange(b));
}

/** Parses an inclusive range from its first and last address; undefined when malformed or reversed. */
export function parseRange(start: string, end: string): Ipv4Range | undefined {
  const first = parseIpv4(start);
  const last = parseIpv4(end);
  if (first === undefined || last === undefined || last < first) return undefined;
  return { start: first, end: last };
}

/** Number of addresses in an inclusive range. */
export function rangeSize(range: Ipv4Range): number {
  return range.end - range.start + 1;
}

/**
 * The range's addresses in dotted form, in order, `chunkSize` at a time, so a /16 can be
 * materialised in bounded batches instead of one 65,536-element array.
 */
export function* rangeChunks(range: Ipv4Range, chunkSize: number): Generator<string[]> {
  for (let first = range.start; first <= range.end; first += chunkSize) {
    const last = Math.min(range.end, first + chunkSize - 1);
    const chunk: string[] = [];
    for (let value = first; value <= last; value += 1) chunk.push(formatIpv4(value));
    yield chunk;
  }
}
