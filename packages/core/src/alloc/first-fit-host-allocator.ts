import { injectable } from 'tsyringe';
import type { Transaction } from '../contracts/store.js';
import type { IndexedHost } from './capacity-index.js';
import type { DeploymentRequest } from './deployment-request.js';
import type { HostAllocator } from './host-allocator.js';

/** `firstfit`: hosts in the order they were added; the first with room takes the VM. */
@injectable()
export class FirstFitHostAllocator implements HostAllocator {
  /** The `vm.allocation.algorithm` value. */
  readonly algorithm = 'firstfit';

  /** The hosts as they are. */
  async order(_tx: Transaction, hosts: readonly IndexedHost[], _request: DeploymentRequest): Promise<IndexedHost[]> {
    return [...hosts];
  }
}
