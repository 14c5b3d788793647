import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import type { Clock } from '../contracts/clock.js';
import type { HypervisorType } from '../contracts/hypervisor.js';
import type { Transaction } from '../contracts/store.js';
import type { Host } from '../model/host.js';
import type { StoragePool } from '../model/storage-pool.js';
import { CapacityKeys } from '../services/capacity-keys.js';
import { TOKENS } from '../tokens.js';
import { hostCpuLimit, hostMemoryLimit, type HostFacts } from './host-eligibility.js';
import type { PoolFacts } from './pool-eligibility.js';

/** The index's copy of a host: its facts as last read, and its allocations as last seen. */
export interface IndexedHost extends HostFacts {
  readonly clusterId: string;
  readonly ipAddress: string | undefined;
  /** The row version the facts were copied from. */
  version: number;
  /** CPU MHz allocated when last seen (a hint). */
  cpuUsedHint: number;
  /** Memory bytes allocated when last seen (a hint). */
  memoryUsedHint: number;
}

/** The index's copy of a pool. */
export interface IndexedPool extends PoolFacts {
  /** Bytes allocated when last seen (a hint). */
  allocatedHint: number;
  /** `storage.overprovisioning.factor` of the pool when the index was built (a hint). */
  readonly storageFactorHint: number;
}

/** The index's copy of a cluster with its hosts and pools. */
export interface IndexedCluster {
  readonly id: string;
  readonly podId: string;
  readonly name: string;
  readonly hypervisorType: HypervisorType;
  /** `cpu.overprovisioning.factor` when the index was built (a hint). */
  readonly cpuFactorHint: number;
  /** `mem.overprovisioning.factor` when the index was built (a hint). */
  readonly memoryFactorHint: number;
  readonly hosts: IndexedHost[];
  readonly pools: IndexedPool[];
}

/** A zone's clusters, ordered as the planner considers them. */
export interface ZoneCapacityIndex {
  readonly zoneId: string;
  /** Clock time of the build. */
  readonly builtAt: number;
  /** Clusters, most free capacity first (by `host.capacityType.to.order.clusters`) at build time. */
  readonly clusters: readonly IndexedCluster[];
}

/** An index with whether it was (re)built by this very request. */
export interface IndexLookup {
  readonly index: ZoneCapacityIndex;
  /** True when built inside the caller's transaction: nothing in it is older than the transaction. */
  readonly fresh: boolean;
}

/**
 * An in-process index of each zone's clusters, hosts and pools with their allocations, so the
 * planner does not scan and copy every host row for each decision.
 *
 * Why it is safe: the index is only ever a hint for *which candidates to try first*. Every
 * candidate it proposes is re-read in the claiming transaction (cluster, pod and host rows,
 * configuration factors) and re-checked, and the claim itself is a bounded counter adjustment
 * in the store whose bound is computed from those rows — so a stale index (another management
 * server's reservations, a host disabled a moment ago) can make the planner try a host that
 * then refuses, but never over-commit one. Staleness the other way (a host it believes full or
 * absent that now has room) cannot cause a wrong 533 either: before the planner gives up it
 * rebuilds the zone's index inside its transaction and tries again, so a 533 is always decided
 * on state read in the claiming transaction. Entries are refreshed from rows the planner
 * reads, after every committed reservation and release made in this process, and the whole
 * zone is rebuilt when older than {@link CapacityIndex.maxAgeMs} or after {@link invalidate}.
 */
@injectable()
export class CapacityIndex {
  /** Rebuild a zone's index when it is older than this (milliseconds of the cloud's clock). */
  maxAgeMs = 30_000;
  private readonly zones = new Map<string, ZoneCapacityIndex>();
  private readonly hosts = new Map<string, IndexedHost>();
  private readonly pools = new Map<string, IndexedPool>();

  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(ConfigReader) private readonly config: ConfigReader,
  ) {}

  /** The zone's index, built in `tx` when missing, too old, or when `rebuild` is asked. */
  async zone(tx: Transaction, zoneId: string, rebuild = false): Promise<IndexLookup> {
    const current = this.zones.get(zoneId);
    if (!rebuild && current !== undefined && this.clock.now() - current.builtAt <= this.maxAgeMs) return { index: current, fresh: false };
    const index = await this.build(tx, zoneId);
    this.zones.set(zoneId, index);
    return { index, fresh: true };
  }

  /** Drops a zone's index (every zone's when absent); the next decision rebuilds it. */
  invalidate(zoneId?: string): void {
    if (zoneId === undefined) this.zones.clear();
    else this.zones.delete(zoneId);
  }

  /** Refreshes a host's facts from a row read in a transaction. */
  noteHostRow(row: Host): void {
    const entry = this.hosts.get(row.id);
    if (entry === undefined || entry.version === row.version) return;
    Object.assign(entry, hostFacts(row), { version: row.version });
  }

  /** Records an allocation change the planner just made or observed (a hint; exact values when given). */
  noteUsage(hostId: string, change: { readonly cpuMhz?: number; readonly memoryBytes?: number; readonly cpuUsed?: number; readonly memoryUsed?: number }): void {
    const entry = this.hosts.get(hostId);
    if (entry === undefined) return;
    if (change.cpuUsed !== undefined) entry.cpuUsedHint = change.cpuUsed;
    if (change.memoryUsed !== undefined) entry.memoryUsedHint = change.memoryUsed;
    entry.cpuUsedHint = Math.max(0, entry.cpuUsedHint + (change.cpuMhz ?? 0));
    entry.memoryUsedHint = Math.max(0, entry.memoryUsedHint + (change.memoryBytes ?? 0));
  }

  /** Records a pool allocation change (a hint). */
  notePoolUsage(poolId: string, change: { readonly bytes?: number; readonly allocated?: number }): void {
    const entry = this.pools.get(poolId);
    if (entry === undefined) return;
    if (change.allocated !== undefined) entry.allocatedHint = change.allocated;
    entry.allocatedHint = Math.max(0, entry.allocatedHint + (change.bytes ?? 0));
  }

  private async build(tx: Transaction, zoneId: string): Promise<ZoneCapacityIndex> {
    const orderBy = (await this.config.string('host.capacityType.to.order.clusters', {}, tx)) ?? 'CPU';
    const clusterRows = (await tx.repo('clusters').find({ where: { zoneId } })).items;
    const hostRows = (await tx.repo('hosts').find({ where: { zoneId } })).items;
    const poolRows = (await tx.repo('storagePools').find({ where: { zoneId } })).items;
    const clusters = new Map<string, IndexedCluster>();
    for (const row of clusterRows) {
      clusters.set(row.id, {
        id: row.id,
        podId: row.podId,
        name: row.name,
        hypervisorType: row.hypervisorType,
        cpuFactorHint: await this.config.number('cpu.overprovisioning.factor', { clusterId: row.id }, tx),
        memoryFactorHint: await this.config.number('mem.overprovisioning.factor', { clusterId: row.id }, tx),
        hosts: [],
        pools: [],
      });
    }
    for (const row of hostRows) {
      const cluster = clusters.get(row.clusterId);
      if (cluster === undefined) continue;
      const entry: IndexedHost = {
        ...hostFacts(row),
        clusterId: row.clusterId,
        version: row.version,
        cpuUsedHint: await tx.counters.get(CapacityKeys.hostCpuMhz(row.id)),
        memoryUsedHint: await tx.counters.get(CapacityKeys.hostMemoryBytes(row.id)),
      };
      cluster.hosts.push(entry);
      this.hosts.set(row.id, entry);
    }
    for (const row of poolRows) {
      const cluster = clusters.get(row.clusterId);
      if (cluster === undefined) continue;
      const entry: IndexedPool = {
        ...poolFacts(row),
        allocatedHint: await tx.counters.get(CapacityKeys.poolAllocatedBytes(row.id)),
        storageFactorHint: await this.config.number('storage.overprovisioning.factor', { storagePoolId: row.id }, tx),
      };
      cluster.pools.push(entry);
      this.pools.set(row.id, entry);
    }
    const free = (c: IndexedCluster): number =>
      c.hosts.reduce(
        (sum, h) => sum + (orderBy === 'RAM' ? hostMemoryLimit(h, c.memoryFactorHint) - h.memoryUsedHint : hostCpuLimit(h, c.cpuFactorHint) - h.cpuUsedHint),
        0,
      );
    const ordered = [...clusters.values()].map((c) => ({ c, free: free(c) })).sort((a, b) => b.free - a.free).map((x) => x.c);
    return { zoneId, builtAt: this.clock.now(), clusters: ordered };
  }
}

function hostFacts(row: Host): Omit<IndexedHost, 'clusterId' | 'version' | 'cpuUsedHint' | 'memoryUsedHint'> {
  return {
    id: row.id,
    name: row.name,
    state: row.state,
    resourceState: row.resourceState,
    hypervisorType: row.hypervisorType,
    hostTags: row.hostTags,
    cpuNumber: row.cpuNumber,
    cpuSpeed: row.cpuSpeed,
    memoryTotal: row.memoryTotal,
    ipAddress: row.ipAddress,
  };
}

function poolFacts(row: StoragePool): PoolFacts {
  return {
    id: row.id,
    name: row.name,
    clusterId: row.clusterId,
    protocol: row.protocol,
    hypervisorType: row.hypervisorType,
    server: row.server,
    tags: row.tags,
    state: row.state,
    capacityBytes: row.capacityBytes,
  };
}
