import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { ConfigReader } from '../config/config-reader.js';
import { requireRootAdmin } from '../context/authorize.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import { STORAGE_PROTOCOLS, type PrimaryPoolSpec, type PrimaryStorageDriver, type StorageCapacity, type StorageDrivers } from '../contracts/storage.js';
import type { Store, Transaction } from '../contracts/store.js';
import { invalidParameter, missingParameter, notFound, resourceInUse, resourceUnavailable, toCloudError } from '../errors.js';
import { assertTransition } from '../model/state-machine.js';
import { STORAGE_POOL_TRANSITIONS, type StoragePool } from '../model/storage-pool.js';
import { TOKENS, type Logger } from '../tokens.js';
import { CapacityKeys } from './capacity-keys.js';
import { callDriver } from './driver-call.js';
import { EventRecorder } from './event-recorder.js';
import { clusterOrFail, requireInfrastructureReader, tagList } from './infrastructure-lookups.js';
import { FIELDS_BY_PROTOCOL, PROTOCOLS_BY_HYPERVISOR, poolSpecOf, poolUrl } from './storage-protocols.js';
import { validate } from './validate.js';

/** Input of {@link PrimaryStorageService.create}. */
export const CreateStoragePoolInput = z.object({
  zoneId: z.string().min(1),
  podId: z.string().min(1),
  clusterId: z.string().min(1),
  name: z.string().min(1).max(255),
  protocol: z.enum(STORAGE_PROTOCOLS),
  /** Storage server (NFS, iSCSI, PreSetup, RBD) or vCenter (VMFS). */
  server: z.string().min(1).optional(),
  /** Export path (NFS), mount path (SharedMountPoint), `/datacenter/datastore` (VMFS), volume group (CLVM), pool (RBD). */
  path: z.string().min(1).optional(),
  /** iSCSI target IQN. */
  iqn: z.string().regex(/^iqn\.\d{4}-\d{2}\.[^\s]+$/, 'must be an IQN such as iqn.1986-03.com.sun:02:01ec9bb549').optional(),
  /** iSCSI LUN number. */
  lun: z.number().int().min(0).optional(),
  /** XenServer SR name-label (PreSetup). */
  srNameLabel: z.string().min(1).optional(),
  /** Comma-separated tags. */
  tags: z.union([z.string(), z.array(z.string())]).optional(),
});
/** Input of {@link PrimaryStorageService.create}. */
export type CreateStoragePoolInput = z.input<typeof CreateStoragePoolInput>;

/** Filters of {@link PrimaryStorageService.list}. */
export const ListStoragePoolsInput = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  zoneId: z.string().optional(),
  podId: z.string().optional(),
  clusterId: z.string().optional(),
});
/** Filters of {@link PrimaryStorageService.list}. */
export type ListStoragePoolsInput = z.input<typeof ListStoragePoolsInput>;

/**
 * Primary storage (guide §6.7): a pool per cluster, with a protocol the cluster's hypervisor
 * accepts and the fields that protocol needs. Refused until the cluster has a host, and
 * tags must agree across the zone's clusters. Attached through the primary-storage driver
 * for its protocol, outside any transaction, with the `wait` timeout.
 */
@injectable()
export class PrimaryStorageService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(TOKENS.Storage) private readonly storage: StorageDrivers,
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Adds a primary storage pool to a cluster (root admin). */
  async create(caller: CallContext, input: CreateStoragePoolInput): Promise<StoragePool> {
    requireRootAdmin(caller, 'add primary storage');
    const spec = validate(CreateStoragePoolInput, input);
    for (const field of FIELDS_BY_PROTOCOL[spec.protocol]) {
      if (spec[field] === undefined) throw missingParameter(field.toLowerCase());
    }
    if (spec.path !== undefined && (spec.protocol === 'NFS' || spec.protocol === 'SharedMountPoint' || spec.protocol === 'VMFS') && !spec.path.startsWith('/')) {
      throw invalidParameter('path', `a ${spec.protocol} path starts with /`);
    }
    const tags = tagList(spec.tags);
    const driver = this.driverFor(spec.protocol);

    const { pool, poolSpec, timeoutMs } = await this.store.transaction(async (tx) => {
      const cluster = await clusterOrFail(tx, spec.clusterId);
      if (cluster.podId !== spec.podId) throw invalidParameter('podid', `cluster ${cluster.name} is not in pod ${spec.podId}`);
      if (cluster.zoneId !== spec.zoneId) throw invalidParameter('zoneid', `cluster ${cluster.name} is not in zone ${spec.zoneId}`);
      if (!PROTOCOLS_BY_HYPERVISOR[cluster.hypervisorType].includes(spec.protocol)) {
        throw invalidParameter('protocol', `${spec.protocol} is not a primary storage protocol for ${cluster.hypervisorType} (use ${PROTOCOLS_BY_HYPERVISOR[cluster.hypervisorType].join(', ')})`);
      }
      const hosts = (await tx.repo('hosts').find({ where: { clusterId: cluster.id, state: 'Up' } })).items;
      if (hosts.length === 0) throw invalidParameter('clusterid', `primary storage cannot be added until cluster ${cluster.name} has a host`);
      await this.checkZoneTags(tx, cluster.zoneId, cluster.id, tags);
      const url = poolUrl(spec.protocol, spec);
      const pool = await tx.repo('storagePools').insert({
        id: this.random.uuid(),
        zoneId: cluster.zoneId,
        podId: cluster.podId,
        clusterId: cluster.id,
        name: spec.name,
        protocol: spec.protocol,
        hypervisorType: cluster.hypervisorType,
        ...(spec.server === undefined ? {} : { server: spec.server }),
        ...(spec.path === undefined ? {} : { path: spec.path }),
        ...(spec.iqn === undefined ? {} : { iqn: spec.iqn }),
        ...(spec.lun === undefined ? {} : { lun: spec.lun }),
        ...(spec.srNameLabel === undefined ? {} : { srNameLabel: spec.srNameLabel }),
        url,
        tags,
        capacityBytes: 0,
        usedBytes: 0,
        state: 'Creating',
        createdAt: isoNow(this.clock),
      });
      return { pool, poolSpec: poolSpecOf(pool, hosts.map((h) => h.url)), timeoutMs: (await this.config.number('wait', {}, tx)) * 1000 };
    });

    let capacity: StorageCapacity;
    try {
      capacity = await callDriver({ operation: `attach primary storage ${pool.url}`, timeoutMs, param: 'server' }, () => driver.createPool(poolSpec));
    } catch (error) {
      await this.abandon(caller, pool, error);
      throw toCloudError(error);
    }
    return this.store.transaction(async (tx) => {
      const current = await this.poolOrFail(tx, pool.id);
      const up = await tx.repo('storagePools').update({ ...current, ...capacity, state: 'Up' });
      await this.events.record(tx, caller, { type: 'STORAGE.POOL.CREATE', description: `Added ${pool.protocol} primary storage ${pool.name} (${pool.url})`, resourceType: 'StoragePool', resourceId: pool.id });
      return up;
    });
  }

  /** Changes a pool's tags (root admin), under the same zone-wide tag rule as adding. */
  async update(caller: CallContext, input: { id: string; tags?: string | string[] }): Promise<StoragePool> {
    requireRootAdmin(caller, 'update primary storage');
    const change = validate(z.object({ id: z.string().min(1), tags: z.union([z.string(), z.array(z.string())]).optional() }), input);
    return this.store.transaction(async (tx) => {
      const pool = await this.poolOrFail(tx, change.id);
      const tags = change.tags === undefined ? pool.tags : tagList(change.tags);
      await this.checkZoneTags(tx, pool.zoneId, pool.clusterId, tags);
      const updated = await tx.repo('storagePools').update({ ...pool, tags });
      await this.events.record(tx, caller, { type: 'STORAGE.POOL.UPDATE', description: `Updated primary storage ${pool.name}`, resourceType: 'StoragePool', resourceId: pool.id });
      return updated;
    });
  }

  /** Puts a pool into maintenance, or takes it out (root admin). */
  async setMaintenance(caller: CallContext, input: { id: string; maintenance: boolean }): Promise<StoragePool> {
    requireRootAdmin(caller, 'change primary storage maintenance');
    const { id, maintenance } = validate(z.object({ id: z.string().min(1), maintenance: z.boolean() }), input);
    return this.store.transaction(async (tx) => {
      const pool = await this.poolOrFail(tx, id);
      const target = maintenance ? 'PrepareForMaintenance' : 'Up';
      assertTransition(STORAGE_POOL_TRANSITIONS, `Storage pool ${pool.name}`, pool.state, target, 'id');
      // Volumes are moved off a pool by the volume issue; with nothing allocated it is in maintenance at once.
      const allocated = await tx.counters.get(CapacityKeys.poolAllocatedBytes(id));
      const state = maintenance && allocated === 0 ? 'Maintenance' : target;
      const updated = await tx.repo('storagePools').update({ ...pool, state });
      await this.events.record(tx, caller, { type: maintenance ? 'MAINT.PREPARE.PS' : 'MAINT.CANCEL.PS', description: `Primary storage ${pool.name} is ${state}`, resourceType: 'StoragePool', resourceId: id });
      return updated;
    });
  }

  /** Asks the driver for a pool's current capacity and records it (root admin). */
  async refreshCapacity(caller: CallContext, input: { id: string }): Promise<StoragePool> {
    requireRootAdmin(caller, 'refresh primary storage capacity');
    const { id } = validate(z.object({ id: z.string().min(1) }), input);
    const { pool, poolSpec, timeoutMs } = await this.store.transaction(async (tx) => {
      const pool = await this.poolOrFail(tx, id);
      const hosts = (await tx.repo('hosts').find({ where: { clusterId: pool.clusterId } })).items;
      return { pool, poolSpec: poolSpecOf(pool, hosts.map((h) => h.url)), timeoutMs: (await this.config.number('wait', {}, tx)) * 1000 };
    });
    const capacity = await callDriver({ operation: `read capacity of ${pool.url}`, timeoutMs, param: 'id' }, () => this.driverFor(pool.protocol).poolCapacity(poolSpec));
    return this.store.transaction(async (tx) => tx.repo('storagePools').update({ ...(await this.poolOrFail(tx, id)), ...capacity }));
  }

  /** Deletes a pool with nothing allocated on it (root admin). */
  async delete(caller: CallContext, input: { id: string }): Promise<void> {
    requireRootAdmin(caller, 'delete primary storage');
    const { id } = validate(z.object({ id: z.string().min(1) }), input);
    const { pool, poolSpec } = await this.store.transaction(async (tx) => {
      const pool = await this.poolOrFail(tx, id);
      if ((await tx.counters.get(CapacityKeys.poolAllocatedBytes(id))) > 0) throw resourceInUse(`Primary storage ${pool.name} still holds volumes`, 'id');
      const hosts = (await tx.repo('hosts').find({ where: { clusterId: pool.clusterId } })).items;
      await tx.repo('storagePools').delete(id, pool.version);
      await tx.counters.delete(CapacityKeys.poolAllocatedBytes(id));
      await this.events.record(tx, caller, { type: 'STORAGE.POOL.DELETE', description: `Deleted primary storage ${pool.name}`, resourceType: 'StoragePool', resourceId: id });
      return { pool, poolSpec: poolSpecOf(pool, hosts.map((h) => h.url)) };
    });
    await this.detach(pool, poolSpec);
  }

  /** Pools (root and resource-domain admins). */
  async list(caller: CallContext, input: ListStoragePoolsInput = {}): Promise<StoragePool[]> {
    requireInfrastructureReader(caller, 'list primary storage');
    const q = validate(ListStoragePoolsInput, input);
    return this.store.transaction(async (tx) =>
      (await tx.repo('storagePools').find({
        where: {
          ...(q.id === undefined ? {} : { id: q.id }),
          ...(q.name === undefined ? {} : { name: q.name }),
          ...(q.zoneId === undefined ? {} : { zoneId: q.zoneId }),
          ...(q.podId === undefined ? {} : { podId: q.podId }),
          ...(q.clusterId === undefined ? {} : { clusterId: q.clusterId }),
        },
      })).items,
    );
  }

  private driverFor(protocol: PrimaryPoolSpec['protocol']): PrimaryStorageDriver {
    const driver = this.storage.primary.find((d) => d.protocols.has(protocol));
    if (driver === undefined) throw resourceUnavailable(`No primary storage driver handles ${protocol}`, { param: 'protocol' });
    return driver;
  }

  /**
   * The guide: "multiple clusters in a zone must have the exact same set of primary storage
   * tags". Checked as each pool is added: once other clusters of the zone have storage, a pool
   * may carry only tags those clusters already provide, so no cluster can introduce a tag
   * the others lack.
   */
  private async checkZoneTags(tx: Transaction, zoneId: string, clusterId: string, tags: readonly string[]): Promise<void> {
    const others = (await tx.repo('storagePools').find({ where: { zoneId } })).items.filter((p) => p.clusterId !== clusterId);
    if (others.length === 0) return;
    const zoneTags = new Set(others.flatMap((p) => p.tags));
    const foreign = tags.filter((t) => !zoneTags.has(t));
    if (foreign.length > 0) {
      throw invalidParameter('tags', `tag(s) ${foreign.join(', ')} are not on the primary storage of the zone's other clusters (${[...zoneTags].join(', ') || 'no tags'}); every cluster of a zone must have the same storage tags`);
    }
  }

  private async abandon(caller: CallContext, pool: StoragePool, error: unknown): Promise<void> {
    await this.store.transaction(async (tx) => {
      if ((await tx.repo('storagePools').get(pool.id)) !== undefined) await tx.repo('storagePools').delete(pool.id);
      await this.events.record(tx, caller, { type: 'STORAGE.POOL.CREATE', level: 'ERROR', description: `Failed to add primary storage ${pool.url}: ${toCloudError(error).message}`, resourceType: 'StoragePool', resourceId: pool.id });
    });
  }

  private async detach(pool: StoragePool, spec: PrimaryPoolSpec): Promise<void> {
    try {
      await this.driverFor(pool.protocol).deletePool(spec);
    } catch (error) {
      this.logger.warn('Detaching a deleted primary storage pool failed', { pool: pool.id, error: toCloudError(error).message });
    }
  }

  private async poolOrFail(tx: Transaction, id: string): Promise<StoragePool> {
    const pool = await tx.repo('storagePools').get(id);
    if (pool === undefined) throw notFound('storage pool', 'id', id);
    return pool;
  }
}
