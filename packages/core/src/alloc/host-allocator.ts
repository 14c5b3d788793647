import type { Transaction } from '../contracts/store.js';
import type { IndexedHost } from './capacity-index.js';
import type { DeploymentRequest } from './deployment-request.js';

/**
 * One host-ordering strategy of the planner's chain (CloudStack's `HostAllocator`s): given the
 * hosts of a cluster that passed the eligibility rules, the order to try them in. Strategies
 * only order; eligibility and the atomic claim stay with the planner.
 */
export interface HostAllocator {
  /** The `vm.allocation.algorithm` value it implements. */
  readonly algorithm: string;
  /** The hosts in the order to try them; reads it needs are made in `tx`. */
  order(tx: Transaction, hosts: readonly IndexedHost[], request: DeploymentRequest): Promise<IndexedHost[]>;
}
