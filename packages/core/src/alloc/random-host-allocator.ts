import { inject, injectable } from 'tsyringe';
import type { RandomSource } from '../contracts/random.js';
import type { Transaction } from '../contracts/store.js';
import { TOKENS } from '../tokens.js';
import type { IndexedHost } from './capacity-index.js';
import type { DeploymentRequest } from './deployment-request.js';
import type { HostAllocator } from './host-allocator.js';
import { shuffled } from './shuffle.js';

/** `random` (CloudStack's default): the cluster's hosts in a random order, spreading load. */
@injectable()
export class RandomHostAllocator implements HostAllocator {
  /** The `vm.allocation.algorithm` value. */
  readonly algorithm = 'random';

  constructor(@inject(TOKENS.Random) private readonly random: RandomSource) {}

  /** The hosts shuffled. */
  async order(_tx: Transaction, hosts: readonly IndexedHost[], _request: DeploymentRequest): Promise<IndexedHost[]> {
    return shuffled(hosts, this.random);
  }
}
