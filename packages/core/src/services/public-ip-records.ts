import { inject, injectable } from 'tsyringe';
import { PublicIpAllocator } from '../alloc/public-ip-allocator.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Transaction } from '../contracts/store.js';
import type { PublicIp } from '../model/public-ip.js';
import { TOKENS } from '../tokens.js';

/** What an acquired address is for. */
export interface AcquirePublicIp {
  /** The zone whose public ranges to draw from. */
  readonly zoneId: string;
  /** The account holding it (its `public_ip` limit counts it). */
  readonly accountId: string;
  readonly domainId: string;
  /** The guest network it is associated with. */
  readonly networkId?: string;
  /** Whether it is the network's source NAT address. */
  readonly isSourceNat: boolean;
  /** This address and no other. */
  readonly requestedAddress?: string;
}

/**
 * Public IP rows and their claims, kept together: acquiring claims an address of the zone's
 * public ranges (the account's dedicated ones first) and records it `Allocated`; releasing
 * gives the address and the account's `public_ip` count back and removes the row. Both in the
 * caller's transaction.
 */
@injectable()
export class PublicIpRecords {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(PublicIpAllocator) private readonly allocator: PublicIpAllocator,
  ) {}

  /** Claims an address and records it; 532 over the limit, 533 when the ranges are exhausted. */
  async acquire(tx: Transaction, request: AcquirePublicIp): Promise<PublicIp> {
    const id = this.random.uuid();
    const claimed = await this.allocator.allocate(tx, {
      zoneId: request.zoneId,
      accountId: request.accountId,
      holder: id,
      ...(request.requestedAddress === undefined ? {} : { requestedAddress: request.requestedAddress }),
    });
    const now = isoNow(this.clock);
    return tx.repo('publicIps').insert({
      id,
      address: claimed.address,
      zoneId: request.zoneId,
      rangeId: claimed.rangeId,
      vlan: claimed.vlan,
      gateway: claimed.gateway,
      netmask: claimed.netmask,
      accountId: request.accountId,
      domainId: request.domainId,
      ...(request.networkId === undefined ? {} : { networkId: request.networkId }),
      state: 'Allocated',
      isSourceNat: request.isSourceNat,
      createdAt: now,
      updatedAt: now,
    });
  }

  /** Gives an address back to its range and the account's count, and removes its row. */
  async release(tx: Transaction, ip: PublicIp): Promise<void> {
    await this.allocator.release(tx, { rangeId: ip.rangeId, address: ip.address, accountId: ip.accountId, holder: ip.id });
    if ((await tx.repo('publicIps').get(ip.id)) !== undefined) await tx.repo('publicIps').delete(ip.id);
  }
}
