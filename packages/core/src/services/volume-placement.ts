import { inject, injectable } from 'tsyringe';
import { CapacityIndex } from '../alloc/capacity-index.js';
import { CapacityReservations } from '../alloc/capacity-reservations.js';
import { poolByteLimit } from '../alloc/pool-eligibility.js';
import { RejectionLog } from '../alloc/rejection.js';
import { StoragePoolAllocator } from '../alloc/storage-pool-allocator.js';
import { ConfigReader } from '../config/config-reader.js';
import type { Transaction } from '../contracts/store.js';
import { insufficientCapacity, notFound } from '../errors.js';
import type { StoragePool } from '../model/storage-pool.js';
import { CapacityKeys } from './capacity-keys.js';

/** Where a volume must go: a host's cluster, with the disk offering's tags and storage type. */
export interface VolumePlacementRequest {
  readonly zoneId: string;
  /** The host whose cluster (and, for local storage, whose own disk) the volume goes to. */
  readonly hostId: string;
  readonly bytes: number;
  readonly storageTags: readonly string[];
  readonly local: boolean;
}

/**
 * Places volumes on primary storage and accounts their bytes in the pools' allocation counters
 * (`pool:<id>:allocated`, bounded by size × `storage.overprovisioning.factor`): the storage-pool
 * allocator orders the cluster's eligible pools, and the first whose bounded claim succeeds in
 * the transaction takes the volume. Claims are atomic, so racing attaches cannot overfill a pool.
 */
@injectable()
export class VolumePlacement {
  constructor(
    @inject(CapacityIndex) private readonly index: CapacityIndex,
    @inject(StoragePoolAllocator) private readonly allocator: StoragePoolAllocator,
    @inject(CapacityReservations) private readonly capacity: CapacityReservations,
    @inject(ConfigReader) private readonly config: ConfigReader,
  ) {}

  /** Claims `bytes` on a pool of the host's cluster; 533 (storage) naming the shortfall when none fits. */
  async place(tx: Transaction, request: VolumePlacementRequest): Promise<StoragePool> {
    const host = await tx.repo('hosts').get(request.hostId);
    if (host === undefined) throw notFound('host', 'hostid', request.hostId);
    const { index } = await this.index.zone(tx, request.zoneId);
    const cluster = index.clusters.find((c) => c.id === host.clusterId);
    const indexedHost = cluster?.hosts.find((h) => h.id === host.id);
    const log = new RejectionLog();
    if (cluster !== undefined && indexedHost !== undefined) {
      const algorithm = (await this.config.string('vm.allocation.algorithm', {}, tx)) ?? 'random';
      const candidates = this.allocator.candidates(cluster, indexedHost, { needs: { storageTags: request.storageTags, local: request.local, hypervisorType: cluster.hypervisorType }, diskBytes: request.bytes, avoid: new Set(), algorithm }, log);
      for (const candidate of candidates) {
        const pool = await tx.repo('storagePools').get(candidate.id);
        if (pool === undefined || pool.state !== 'Up') continue;
        if (await this.claim(tx, pool, request.bytes)) return pool;
        log.add({ kind: 'storage', detail: `pool ${pool.name} has too few bytes unallocated for ${request.bytes}` });
      }
    }
    throw insufficientCapacity('storage', `no primary storage pool of cluster ${host.clusterId} can hold ${request.bytes} bytes${log.empty ? '' : ` (${log.kinds().join(', ')})`}`, { clusterId: host.clusterId, bytes: request.bytes });
  }

  /** Claims `bytes` more on one pool; false (nothing claimed) when it would pass the bound. */
  async claim(tx: Transaction, pool: StoragePool, bytes: number): Promise<boolean> {
    if (bytes <= 0) return true;
    const factors = await this.capacity.factors(tx, pool.clusterId, pool.id);
    const outcome = await tx.counters.adjust(CapacityKeys.poolAllocatedBytes(pool.id), bytes, { max: poolByteLimit(pool, factors.storage) });
    if (!outcome.ok) return false;
    tx.afterCommit(() => this.index.notePoolUsage(pool.id, { bytes }));
    return true;
  }

  /** Claims `bytes` on `pool` or fails with 533 naming it. */
  async claimOrFail(tx: Transaction, pool: StoragePool, bytes: number): Promise<void> {
    if (!(await this.claim(tx, pool, bytes))) throw insufficientCapacity('storage', `pool ${pool.name} has too few bytes unallocated for ${bytes} more`, { poolId: pool.id, bytes });
  }

  /** Gives `bytes` back on a pool; the counter never goes below zero. */
  async release(tx: Transaction, poolId: string, bytes: number): Promise<void> {
    if (bytes <= 0) return;
    const key = CapacityKeys.poolAllocatedBytes(poolId);
    const outcome = await tx.counters.adjust(key, -bytes, { min: 0 });
    if (!outcome.ok) await tx.counters.set(key, 0);
    tx.afterCommit(() => this.index.notePoolUsage(poolId, { bytes: -bytes }));
  }
}
