import { invalidParameter } from '../errors.js';
import { cidrRange, formatIpv4, parseCidr, parseRange, rangesOverlap } from '../net/ipv4.js';

/** A VPN's client range split as the router uses it: the server's own address and the clients'. */
export interface VpnClientRange {
  /** The VPN server's address: the first of the range. */
  readonly localIp: string;
  /** The clients' addresses (`first-last`): the rest of the range. */
  readonly clientRange: string;
}

/**
 * Checks a client range (`first-last`, guide 13.17.1) for a network with `guestCidr` and splits
 * it: the first address is the VPN server's, the rest go to clients, so the range needs at least
 * two addresses; it may not overlap the guest network (clients are routed to the guests, not
 * among them). 431 naming `param` otherwise.
 */
export function vpnClientRange(text: string, guestCidr: string, param = 'iprange'): VpnClientRange {
  const [first, last, extra] = text.split('-').map((part) => part.trim());
  const range = first === undefined || last === undefined || extra !== undefined ? undefined : parseRange(first, last);
  if (range === undefined) throw invalidParameter(param, `${text} is not an IPv4 range such as 10.1.2.1-10.1.2.8 (first address not after the last)`);
  if (range.end === range.start) throw invalidParameter(param, `${text} has one address; the first is the VPN server's, so clients need at least one more`);
  const guest = parseCidr(guestCidr);
  if (guest !== undefined) {
    const guests = cidrRange(guest);
    if (rangesOverlap(range, guests)) {
      throw invalidParameter(param, `${text} overlaps the guest network's addresses ${formatIpv4(guests.start)}-${formatIpv4(guests.end)}`);
    }
  }
  return { localIp: formatIpv4(range.start), clientRange: `${formatIpv4(range.start + 1)}-${formatIpv4(range.end)}` };
}
