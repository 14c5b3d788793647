import { injectable } from 'tsyringe';
import type { Transaction } from '../contracts/store.js';
import { insufficientCapacity, invalidParameter } from '../errors.js';
import { podIpPoolKey } from '../model/vlan-ip-range.js';

/**
 * Pod system-reserved IP allocator: management addresses for system VMs (routers, console
 * proxies, secondary storage VMs) from the pod's reserved range, materialised in
 * `podip:<podId>` when the pod was created. Claims are atomic in the store.
 */
@injectable()
export class PodIpAllocator {
  /**
   * Claims an address of the pod's reserved range for `holder`: `requested` when given (431
   * `ipaddress` when outside the range or held), otherwise the first free one (533 when none).
   */
  async allocate(tx: Transaction, podId: string, holder: string, requested?: string): Promise<string> {
    const pool = podIpPoolKey(podId);
    if (requested !== undefined) {
      const current = await tx.pools.holderOf(pool, requested);
      if (current === undefined) throw invalidParameter('ipaddress', `${requested} is not in the reserved system IP range of pod ${podId}`);
      const claimed = await tx.pools.claim(pool, holder, { preferred: requested, onlyPreferred: true });
      if (claimed === undefined) throw invalidParameter('ipaddress', `${requested} is already allocated in pod ${podId}`);
      return claimed;
    }
    const claimed = await tx.pools.claim(pool, holder);
    if (claimed === undefined) throw insufficientCapacity('private IP addresses', `every reserved system IP of pod ${podId} is allocated`, { podId });
    return claimed;
  }

  /** Returns an address to the pod's pool; false when it was not held (by `holder`, when given). */
  async release(tx: Transaction, podId: string, address: string, holder?: string): Promise<boolean> {
    return tx.pools.release(podIpPoolKey(podId), address, holder);
  }
}
