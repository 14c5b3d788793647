import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import type { Transaction } from '../contracts/store.js';
import { insufficientCapacity, invalidParameter, notFound } from '../errors.js';
import { guestVlanPoolKey } from '../model/vlan-ip-range.js';
import { CapacityKeys } from '../services/capacity-keys.js';
import { maxZoneVlans } from '../services/vlan-ranges.js';

/** A claimed guest VLAN. */
export interface AllocatedGuestVlan {
  /** The VLAN id. */
  readonly vlan: number;
  /** The physical network whose range it came from. */
  readonly physicalNetworkId: string;
  /** The physical network's zone. */
  readonly zoneId: string;
}

/**
 * Guest VLAN allocator: a VLAN id from a physical network's ranges (claim pool
 * `guestvlan:<physicalNetworkId>`), within the zone's maximum for `guest.vlan.bits` (guide
 * §12.9: 12 bits → 4094 VLANs, 11 → 2048, 10 → 1024, 9 → 512). The zone count is a bounded
 * store counter adjusted in the claiming transaction, so neither bound is passed under races.
 */
@injectable()
export class GuestVlanAllocator {
  constructor(@inject(ConfigReader) private readonly config: ConfigReader) {}

  /**
   * Claims a VLAN for `holder` (a guest network's id): `requested` when given (431 `vlan`
   * when outside the ranges or held), otherwise the first free id; 533 when the network's
   * ranges or the zone's `guest.vlan.bits` maximum are exhausted.
   */
  async allocate(tx: Transaction, physicalNetworkId: string, holder: string, requested?: number): Promise<AllocatedGuestVlan> {
    const network = await tx.repo('physicalNetworks').get(physicalNetworkId);
    if (network === undefined) throw notFound('physical network', 'physicalnetworkid', physicalNetworkId);
    const pool = guestVlanPoolKey(network.id);
    const wanted = requested === undefined ? undefined : String(requested);
    if (wanted !== undefined && (await tx.pools.holderOf(pool, wanted)) === undefined) {
      throw invalidParameter('vlan', `VLAN ${wanted} is not in the guest VLAN ranges of physical network ${network.name}`);
    }
    const max = maxZoneVlans(await this.config.number('guest.vlan.bits', {}, tx));
    const zoneKey = CapacityKeys.zoneGuestVlans(network.zoneId);
    if (!(await tx.counters.adjust(zoneKey, 1, { max })).ok) {
      throw insufficientCapacity('VLANs', `zone ${network.zoneId} already uses its maximum of ${max} guest VLANs (guest.vlan.bits)`, { zoneId: network.zoneId, max });
    }
    const claimed = await tx.pools.claim(pool, holder, wanted === undefined ? undefined : { preferred: wanted, onlyPreferred: true });
    if (claimed === undefined) {
      await tx.counters.adjust(zoneKey, -1, { min: 0 });
      if (wanted !== undefined) throw invalidParameter('vlan', `VLAN ${wanted} is already allocated on physical network ${network.name}`);
      throw insufficientCapacity('VLANs', `every guest VLAN of physical network ${network.name} is allocated`, { physicalNetworkId: network.id });
    }
    return { vlan: Number(claimed), physicalNetworkId: network.id, zoneId: network.zoneId };
  }

  /** Returns a VLAN to its pool and the zone's count; false when it was not held (by `holder`, when given). */
  async release(tx: Transaction, claim: AllocatedGuestVlan, holder?: string): Promise<boolean> {
    const released = await tx.pools.release(guestVlanPoolKey(claim.physicalNetworkId), String(claim.vlan), holder);
    if (released) await tx.counters.adjust(CapacityKeys.zoneGuestVlans(claim.zoneId), -1, { min: 0 });
    return released;
  }
}
