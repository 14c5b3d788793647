import { injectable } from 'tsyringe';
import type { Transaction } from '../contracts/store.js';
import { CapacityKeys } from '../services/capacity-keys.js';
import type { IndexedHost } from './capacity-index.js';
import type { DeploymentRequest } from './deployment-request.js';
import type { HostAllocator } from './host-allocator.js';

/**
 * `userdispersing`: hosts running the fewest VMs of the deploying account first, so one
 * account's VMs spread across hosts (a host failure takes fewer of them down). The counts are
 * the per-host per-account counters reservations keep, read in the planning transaction.
 */
@injectable()
export class UserDispersingHostAllocator implements HostAllocator {
  /** The `vm.allocation.algorithm` value. */
  readonly algorithm = 'userdispersing';

  /** The hosts by ascending count of the account's VMs, ties in index order. */
  async order(tx: Transaction, hosts: readonly IndexedHost[], request: DeploymentRequest): Promise<IndexedHost[]> {
    const accountId = request.accountId;
    if (accountId === undefined) return [...hosts];
    const counted: { host: IndexedHost; vms: number; at: number }[] = [];
    for (const [at, host] of hosts.entries()) counted.push({ host, vms: await tx.counters.get(CapacityKeys.hostAccountVms(host.id, accountId)), at });
    counted.sort((a, b) => a.vms - b.vms || a.at - b.at);
    return counted.map((c) => c.host);
  }
}
