import { injectable } from 'tsyringe';
import type { Transaction } from '../contracts/store.js';
import { insufficientCapacity } from '../errors.js';
import { CapacityKeys } from '../services/capacity-keys.js';

/** The claim pool of a zone's MACs handed out so far (held or released for reuse). */
export function zoneMacPoolKey(zoneId: string): string {
  return `mac:${zoneId}`;
}

/** MACs a zone can hand out: the 32 bits after CloudStack's `02:00` prefix. */
export const MACS_PER_ZONE = 2 ** 32 - 1;

/** `02:00:xx:xx:xx:xx` for a 32-bit sequence number (locally administered, unicast). */
export function macForSequence(sequence: number): string {
  const hex = sequence.toString(16).padStart(8, '0');
  return `02:00:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${hex.slice(6, 8)}`;
}

/**
 * Guest MAC allocator, unique per zone in CloudStack's `02:00:xx:xx:xx:xx` form, without
 * materialising 2^32 items: a released MAC waits, free, in the zone's claim pool and is reused
 * first; otherwise the zone's sequence counter is bumped (an atomic bounded adjustment) and the
 * new MAC is added to the pool and claimed in the same transaction. Both steps are atomic store
 * operations, so two transactions — in one process or several — never get the same MAC.
 */
@injectable()
export class MacAllocator {
  /** A MAC of the zone for `holder` (a NIC's id); 533 when the zone's 2^32 MACs are all held. */
  async allocate(tx: Transaction, zoneId: string, holder: string): Promise<string> {
    const pool = zoneMacPoolKey(zoneId);
    const reused = await tx.pools.claim(pool, holder);
    if (reused !== undefined) return reused;
    const next = await tx.counters.adjust(CapacityKeys.zoneMacSequence(zoneId), 1, { max: MACS_PER_ZONE });
    if (!next.ok) throw insufficientCapacity('MAC addresses', `zone ${zoneId} has handed out all of its ${MACS_PER_ZONE} MAC addresses`, { zoneId });
    const mac = macForSequence(next.value);
    await tx.pools.add(pool, [mac]);
    const claimed = await tx.pools.claim(pool, holder, { preferred: mac, onlyPreferred: true });
    if (claimed === undefined) throw insufficientCapacity('MAC addresses', `MAC ${mac} of zone ${zoneId} could not be claimed`, { zoneId });
    return claimed;
  }

  /** Returns a MAC to the zone's pool for reuse; false when it was not held (by `holder`, when given). */
  async release(tx: Transaction, zoneId: string, mac: string, holder?: string): Promise<boolean> {
    return tx.pools.release(zoneMacPoolKey(zoneId), mac, holder);
  }
}
