import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import type { Transaction } from '../contracts/store.js';
import { insufficientCapacity, invalidParameter } from '../errors.js';
import { parseIpv4, parseRange } from '../net/ipv4.js';
import { ipRangePoolKey, type VlanIpRange } from '../model/vlan-ip-range.js';
import { ResourceLimitService } from '../services/resource-limits.js';
import { validate } from '../services/validate.js';

/** Input of {@link PublicIpAllocator.allocate}. */
export const AllocatePublicIpInput = z.object({
  /** The zone whose public ranges to draw from. */
  zoneId: z.string().min(1),
  /** The account the address is for; it counts against the account's `public_ip` limit. */
  accountId: z.string().min(1),
  /** Who holds the address in the claim pool (the IP address record's id, a network's id...). */
  holder: z.string().min(1),
  /** Only ranges on this VLAN (`untagged` or a VLAN id). */
  vlan: z.union([z.string(), z.number().int()]).transform(String).optional(),
  /** Only this range. */
  rangeId: z.string().min(1).optional(),
  /** This address and no other. */
  requestedAddress: z.string().refine((a) => parseIpv4(a) !== undefined, 'must be an IPv4 address').optional(),
});
/** Input of {@link PublicIpAllocator.allocate}. */
export type AllocatePublicIpInput = z.input<typeof AllocatePublicIpInput>;

/** A claimed public address with its range's network facts. */
export interface AllocatedPublicIp {
  /** The address. */
  readonly address: string;
  /** The range it came from. */
  readonly rangeId: string;
  /** The range's VLAN (`untagged` or an id). */
  readonly vlan: string;
  readonly gateway: string;
  readonly netmask: string;
  /** The claim pool (`publicip:<rangeId>`). */
  readonly pool: string;
}

/**
 * Public IP allocator: claims an address of a zone's `Public` ranges from their claim pools
 * (atomic in the store, so two management servers never hand out the same address), counting
 * it against the account's `public_ip` limit in the same transaction. The account's dedicated
 * ranges are tried first, then the zone's shared ones, each in the order added; ranges dedicated
 * to other accounts are never used. A VLAN, a range or one address may be asked for.
 */
@injectable()
export class PublicIpAllocator {
  constructor(@inject(ResourceLimitService) private readonly limits: ResourceLimitService) {}

  /**
   * Claims an address in `tx`: 532 over the account's limit, 533 when the ranges are
   * exhausted, 431 (`ipaddress`) when a requested address is outside them or taken.
   */
  async allocate(tx: Transaction, input: AllocatePublicIpInput): Promise<AllocatedPublicIp> {
    const q = validate(AllocatePublicIpInput, input);
    // Ranges dedicated to other accounts are not this account's to draw from; its own
    // dedicated ranges come first, then the zone's shared ones, each in the order added.
    const zoneRanges = (await tx.repo('vlanIpRanges').find({ where: { zoneId: q.zoneId, purpose: 'Public' } })).items;
    let ranges = [
      ...zoneRanges.filter((r) => r.accountId === q.accountId),
      ...zoneRanges.filter((r) => r.accountId === undefined),
    ];
    if (q.vlan !== undefined) ranges = ranges.filter((r) => r.vlan === q.vlan);
    if (q.rangeId !== undefined) ranges = ranges.filter((r) => r.id === q.rangeId);
    if (q.requestedAddress !== undefined) {
      const wanted = parseIpv4(q.requestedAddress) as number;
      ranges = ranges.filter((r) => {
        const span = parseRange(r.startIp, r.endIp);
        return span !== undefined && wanted >= span.start && wanted <= span.end;
      });
      if (ranges.length === 0) throw invalidParameter('ipaddress', `${q.requestedAddress} is not in a public range of the zone`);
    }
    if (ranges.length === 0) throw insufficientCapacity('public IP addresses', `zone ${q.zoneId} has no public range${q.vlan === undefined ? '' : ` on VLAN ${q.vlan}`}`);
    await this.limits.reserve(tx, q.accountId, 'public_ip');
    for (const range of ranges) {
      const pool = ipRangePoolKey(range);
      const address = await tx.pools.claim(pool, q.holder, q.requestedAddress === undefined ? undefined : { preferred: q.requestedAddress, onlyPreferred: true });
      if (address !== undefined) return allocated(range, address);
    }
    // A caller that catches the refusal and goes on must not keep the limit claimed.
    await this.limits.release(tx, q.accountId, 'public_ip');
    if (q.requestedAddress !== undefined) throw invalidParameter('ipaddress', `${q.requestedAddress} is already allocated`);
    throw insufficientCapacity('public IP addresses', `every address of the zone's public ranges${q.vlan === undefined ? '' : ` on VLAN ${q.vlan}`} is allocated`, { zoneId: q.zoneId });
  }

  /** Returns an address to its range's pool and the account's `public_ip` count; false when `holder` did not hold it. */
  async release(tx: Transaction, claim: { readonly rangeId: string; readonly address: string; readonly accountId: string; readonly holder?: string }): Promise<boolean> {
    const released = await tx.pools.release(ipRangePoolKey({ id: claim.rangeId, purpose: 'Public' }), claim.address, claim.holder);
    if (released) await this.limits.release(tx, claim.accountId, 'public_ip');
    return released;
  }
}

function allocated(range: VlanIpRange, address: string): AllocatedPublicIp {
  return { address, rangeId: range.id, vlan: range.vlan, gateway: range.gateway, netmask: range.netmask, pool: ipRangePoolKey(range) };
}
