import { inject, injectable } from 'tsyringe';
import type { RandomSource } from '../contracts/random.js';
import { TOKENS } from '../tokens.js';
import type { IndexedCluster, IndexedHost, IndexedPool } from './capacity-index.js';
import { poolByteLimit, poolRejection, type PoolNeeds } from './pool-eligibility.js';
import type { RejectionLog } from './rejection.js';
import { shuffled } from './shuffle.js';

/** What the pool allocator is asked: the needs, the bytes, the pools to avoid and the algorithm. */
export interface PoolQuery {
  readonly needs: PoolNeeds;
  readonly diskBytes: number;
  readonly avoid: ReadonlySet<string>;
  /** `vm.allocation.algorithm`: `random` shuffles, anything else is first fit. */
  readonly algorithm: string;
}

/**
 * The storage-pool allocator (CloudStack's `StoragePoolAllocator`s, local and cluster-scoped):
 * the pools of a host's cluster that could hold the root volume — shared pools of the cluster,
 * or the host's own local pool — carrying the storage tags, with room by the index's hint, in
 * first-fit or random order. Rejections go to `log`; the claim in the store decides.
 */
@injectable()
export class StoragePoolAllocator {
  constructor(@inject(TOKENS.Random) private readonly random: RandomSource) {}

  /** Candidate pools for `host` of `cluster`, in the order to try them. */
  candidates(cluster: IndexedCluster, host: IndexedHost, query: PoolQuery, log: RejectionLog): IndexedPool[] {
    const fit: IndexedPool[] = [];
    for (const pool of cluster.pools) {
      if (query.avoid.has(pool.id)) {
        log.add({ kind: 'avoided', detail: `pool ${pool.name} is in the avoid set` });
        continue;
      }
      const rejection = poolRejection(pool, host, query.needs);
      if (rejection !== undefined) {
        log.add(rejection);
        continue;
      }
      const limit = poolByteLimit(pool, pool.storageFactorHint);
      if (pool.allocatedHint + query.diskBytes > limit) {
        log.add({ kind: 'storage', detail: `pool ${pool.name} has ${limit - pool.allocatedHint} bytes unallocated, the volume needs ${query.diskBytes}` });
        continue;
      }
      fit.push(pool);
    }
    return query.algorithm === 'random' ? shuffled(fit, this.random) : fit;
  }
}
