import { injectable } from 'tsyringe';
import { z } from 'zod';
import type { Transaction } from '../contracts/store.js';
import { insufficientCapacity, invalidParameter } from '../errors.js';
import { cidrContains, cidrRange, formatIpv4, parseCidr, parseIpv4, parseRange, type Ipv4Cidr } from '../net/ipv4.js';
import { ADDRESS_BATCH } from '../services/ip-materialise.js';
import { validate } from '../services/validate.js';

/** The claim pool of a guest network's addresses. */
export function guestNetworkIpPoolKey(networkId: string): string {
  return `guestnetip:${networkId}`;
}

const ipv4 = z.string().refine((a) => parseIpv4(a) !== undefined, 'must be an IPv4 address');

/** A guest network's address space, as the guest network issue will describe it. */
export const GuestAddressSpaceSchema = z.object({
  /** The network's id (the pool is `guestnetip:<id>`). */
  networkId: z.string().min(1),
  /** The network's CIDR, `a.b.c.d/n` (n from 8 to 30). */
  cidr: z.string().refine((c) => {
    const parsed = parseCidr(c);
    return parsed !== undefined && parsed.prefix >= 8 && parsed.prefix <= 30;
  }, 'must be a CIDR a.b.c.d/n with n from 8 to 30'),
  /** The gateway, inside the CIDR; the first usable address when absent. */
  gateway: ipv4.optional(),
  /** Addresses kept out of the guest pool (CloudStack's reserved IP range), `a` or `a-b`. */
  reserved: z.array(z.string()).default([]),
});
/** A guest address space as callers write it. */
export type GuestAddressSpaceInput = z.input<typeof GuestAddressSpaceSchema>;

/**
 * Guest IP allocator over a network's CIDR: the pool `guestnetip:<networkId>` holds every
 * address of the CIDR except the network and broadcast addresses, the gateway and the reserved
 * ones; claims are atomic in the store, a requested address is honoured when free.
 */
@injectable()
export class GuestIpAllocator {
  /** Fills the network's pool in `tx`; returns how many addresses it holds. */
  async materialise(tx: Transaction, input: GuestAddressSpaceInput): Promise<number> {
    const space = validate(GuestAddressSpaceSchema, input);
    const cidr = parseCidr(space.cidr) as Ipv4Cidr;
    const span = cidrRange(cidr);
    const skip = new Set<number>([span.start, span.end, this.gateway(space.gateway, cidr)]);
    const reserved = space.reserved.map((text) => reservedRange(text, cidr));
    const pool = guestNetworkIpPoolKey(space.networkId);
    let batch: string[] = [];
    let added = 0;
    for (let value = span.start; value <= span.end; value += 1) {
      if (skip.has(value) || reserved.some((r) => value >= r.start && value <= r.end)) continue;
      batch.push(formatIpv4(value));
      if (batch.length === ADDRESS_BATCH) {
        added += await tx.pools.add(pool, batch);
        batch = [];
      }
    }
    if (batch.length > 0) added += await tx.pools.add(pool, batch);
    return added;
  }

  /**
   * Claims an address of the network for `holder`: `requested` when given (431 `ipaddress`
   * when it is outside the pool — network, broadcast, gateway, reserved or foreign — or held),
   * otherwise the first free one (533 when none is).
   */
  async allocate(tx: Transaction, networkId: string, holder: string, requested?: string): Promise<string> {
    const pool = guestNetworkIpPoolKey(networkId);
    if (requested !== undefined) {
      const holderNow = await tx.pools.holderOf(pool, requested);
      if (holderNow === undefined) throw invalidParameter('ipaddress', `${requested} is not a guest address of network ${networkId} (outside the CIDR, or its gateway, network, broadcast or a reserved address)`);
      const claimed = await tx.pools.claim(pool, holder, { preferred: requested, onlyPreferred: true });
      if (claimed === undefined) throw invalidParameter('ipaddress', `${requested} is already allocated in network ${networkId}`);
      return claimed;
    }
    const claimed = await tx.pools.claim(pool, holder);
    if (claimed === undefined) throw insufficientCapacity('guest IP addresses', `network ${networkId} has no free address`, { networkId });
    return claimed;
  }

  /** Returns an address to the network's pool; false when it was not held (by `holder`, when given). */
  async release(tx: Transaction, networkId: string, address: string, holder?: string): Promise<boolean> {
    return tx.pools.release(guestNetworkIpPoolKey(networkId), address, holder);
  }

  /** Removes the network's pool (536 while an address is held). */
  async dematerialise(tx: Transaction, networkId: string): Promise<number> {
    return tx.pools.remove(guestNetworkIpPoolKey(networkId));
  }

  private gateway(text: string | undefined, cidr: Ipv4Cidr): number {
    if (text === undefined) return cidrRange(cidr).start + 1;
    const value = parseIpv4(text) as number;
    if (!cidrContains(cidr, value)) throw invalidParameter('gateway', `${text} is not inside the network's CIDR`);
    return value;
  }
}

function reservedRange(text: string, cidr: Ipv4Cidr): { start: number; end: number } {
  const [first, last] = text.split('-').map((p) => p.trim());
  const range = parseRange(first ?? '', last ?? first ?? '');
  if (range === undefined || !cidrContains(cidr, range.start) || !cidrContains(cidr, range.end)) {
    throw invalidParameter('reservediprange', `${text} is not an address or range inside the network's CIDR`);
  }
  return range;
}
