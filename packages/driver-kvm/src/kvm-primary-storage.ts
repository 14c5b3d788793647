/**
 * Core's primary-storage contract for KVM clusters, over libvirt storage pools on the cluster's
 * hosts (see `storage-pool-definition.ts` for NFS → netfs, SharedMountPoint → dir, CLVM →
 * logical, RBD → rbd). It reaches hosts through the connections the KVM hypervisor driver holds
 * for them (a pool call carries host URLs, not credentials), so a host is usable once core has
 * connected it.
 *
 * - Pools: defined, built (dir, netfs), started and refreshed on every host of the cluster; a
 *   failure on one host removes what this call defined on the others. Deleting a pool stops and
 *   undefines it on the hosts, leaving the data on the storage.
 * - Volumes, on the first connected host of the cluster (the storage is shared): created empty
 *   or from a snapshot, deleted, resized (through `virDomainBlockResize` when a running domain on
 *   any host of the cluster has the volume open, else `virStorageVolResize`), copied to another
 *   pool. Named by the cloud's volume id, answered as `<pool id>/<volume id>`.
 * - Snapshots: a full copy of the volume on its pool, named `snapshot-<snapshot id>` and answered
 *   as `<pool id>/snapshot-<snapshot id>`; a volume restored from one is a copy of it.
 *
 * Every failure is a CloudError (`toCloudError`): a host that is not connected or a pool or
 * volume libvirt does not have is 534, a bad definition 431, anything else 530.
 */
import type {
  CopyVolumeSpec,
  CreateVolumeSpec,
  DeleteSnapshotSpec,
  HostAddress,
  PrimaryPoolSpec,
  PrimaryStorageDriver,
  PrimaryVolumeCapability,
  PrimaryVolumeSpec,
  SnapshotAnswer,
  StorageCapacity,
  StorageProtocol,
  VolumeAnswer,
  VolumeSnapshotSpec,
} from '@cloudstack-sdk/core';
import { CloudError } from '@cloudstack-sdk/core';
import { cloneVolume, createVolume, deleteVolume, ensurePool, findPool, poolCapacityOf, removePool, requireVolume, resizeVolume } from './kvm-storage-operations.js';
import { LibvirtError, toCloudError, VirErrorCode } from './libvirt-error.js';
import type { LibvirtProcedures } from './procedures.js';
import type { StoragePoolRef } from './remote-types.js';
import { KVM_STORAGE_PROTOCOLS, poolDefinitionOf, type KvmPoolDefinition, type KvmPoolLayoutOptions } from './storage-pool-definition.js';
import { findVolumeUser } from './volume-users.js';

/** The host connections the storage driver works through (the KVM hypervisor driver's). */
export interface KvmHostConnections {
  /** The held libvirt connection of a connected host; rejects (534) when the host is not connected. */
  libvirtFor(host: HostAddress): Promise<LibvirtProcedures>;
}

/** The volume and snapshot calls {@link KvmPrimaryStorage} declares. */
export const KVM_VOLUME_CAPABILITIES: readonly PrimaryVolumeCapability[] = ['createVolume', 'deleteVolume', 'resizeVolume', 'snapshotVolume', 'deleteSnapshot', 'copyVolume'];

/** A volume or snapshot as answered to core: `<pool id>/<volume name>`. */
export function volumePath(poolId: string, volumeName: string): string {
  return `${poolId}/${volumeName}`;
}

/** The pool and volume names of a path {@link volumePath} made; rejects (`VIR_ERR_INVALID_ARG`) anything else. */
export function parseVolumePath(path: string): { readonly pool: string; readonly volume: string } {
  const match = /^([^/]+)\/([^/]+)$/.exec(path);
  if (match?.[1] === undefined || match[2] === undefined) throw LibvirtError.client(VirErrorCode.VIR_ERR_INVALID_ARG, `not a KVM volume path (<pool>/<volume>): ${path}`);
  return { pool: match[1], volume: match[2] };
}

/** The volume name of a snapshot on its pool. */
export function snapshotVolumeName(snapshotId: string): string {
  return `snapshot-${snapshotId}`;
}

/** A pool on one host: its connection, the libvirt pool and its definition. */
interface PoolOnHost {
  readonly libvirt: LibvirtProcedures;
  readonly pool: StoragePoolRef;
  readonly definition: KvmPoolDefinition;
}

/** Primary storage on KVM hosts through libvirt storage pools (see the module comment). */
export class KvmPrimaryStorage implements PrimaryStorageDriver {
  /** @inheritDoc */
  readonly name = 'kvm';
  /** NFS, SharedMountPoint, CLVM and RBD. */
  readonly protocols: ReadonlySet<StorageProtocol> = new Set(KVM_STORAGE_PROTOCOLS);
  /** Every volume and snapshot call. */
  readonly volumeCapabilities: ReadonlySet<PrimaryVolumeCapability> = new Set(KVM_VOLUME_CAPABILITIES);

  /**
   * @param hosts - the connections of the hosts (a `KvmHypervisorDriver`).
   * @param options - where NFS pools are mounted and the volume format on file pools; must match
   *   the hypervisor driver's, which defines the same pools on hosts that join later.
   */
  constructor(
    private readonly hosts: KvmHostConnections,
    private readonly options: KvmPoolLayoutOptions = {},
  ) {}

  /** @inheritDoc */
  async createPool(spec: PrimaryPoolSpec): Promise<StorageCapacity> {
    return this.guard(`Cannot attach ${spec.protocol} primary storage ${spec.poolId}`, async () => {
      const definition = poolDefinitionOf(spec, this.options);
      if (spec.hostUrls.length === 0) throw LibvirtError.client(VirErrorCode.VIR_ERR_NO_CONNECT, 'the cluster has no KVM host to attach the pool to');
      const definedOn: LibvirtProcedures[] = [];
      try {
        let capacity: StorageCapacity | undefined;
        for (const url of spec.hostUrls) {
          const libvirt = await this.hosts.libvirtFor({ url });
          const existed = (await findPool(libvirt, definition.name)) !== undefined;
          const pool = await ensurePool(libvirt, definition);
          if (!existed) definedOn.push(libvirt);
          if (capacity === undefined) {
            const info = await poolCapacityOf(libvirt, pool);
            capacity = { capacityBytes: info.capacityBytes, usedBytes: info.usedBytes };
          }
        }
        return capacity as StorageCapacity;
      } catch (error) {
        await Promise.all(definedOn.map((libvirt) => removePool(libvirt, definition.name).catch(() => undefined)));
        throw error;
      }
    });
  }

  /** @inheritDoc Hosts that are not connected are skipped; the pool's data stays on its storage. */
  async deletePool(spec: PrimaryPoolSpec): Promise<void> {
    return this.guard(`Cannot detach primary storage ${spec.poolId}`, async () => {
      for (const url of spec.hostUrls) {
        const libvirt = await this.hosts.libvirtFor({ url }).catch(() => undefined);
        if (libvirt !== undefined) await removePool(libvirt, spec.poolId);
      }
    });
  }

  /** @inheritDoc */
  async poolCapacity(spec: PrimaryPoolSpec): Promise<StorageCapacity> {
    return this.guard(`Cannot read the capacity of primary storage ${spec.poolId}`, async () => {
      const { libvirt, pool } = await this.poolOnHost(spec);
      const info = await poolCapacityOf(libvirt, pool);
      return { capacityBytes: info.capacityBytes, usedBytes: info.usedBytes };
    });
  }

  /** @inheritDoc An existing volume of that id is reported as it is. */
  async createVolume(spec: CreateVolumeSpec): Promise<VolumeAnswer> {
    return this.guard(`Cannot create volume ${spec.volumeId} on ${spec.pool.poolId}`, async () => {
      const { libvirt, pool, definition } = await this.poolOnHost(spec.pool);
      let volume;
      if (spec.fromSnapshotPath === undefined) {
        volume = await createVolume(libvirt, pool, spec.volumeId, spec.sizeBytes, definition.volumeFormat);
      } else {
        const source = parseVolumePath(spec.fromSnapshotPath);
        const sourcePool = source.pool === definition.name ? pool : await findPool(libvirt, source.pool);
        if (sourcePool === undefined) throw LibvirtError.client(VirErrorCode.VIR_ERR_NO_STORAGE_POOL, `Storage pool not found: snapshot pool ${source.pool} is not on the host`);
        const snapshot = await requireVolume(libvirt, sourcePool, source.volume);
        volume = await cloneVolume(libvirt, pool, spec.volumeId, snapshot, spec.sizeBytes, definition.volumeFormat);
      }
      return { path: volumePath(definition.name, spec.volumeId), sizeBytes: volume.info.capacity };
    });
  }

  /** @inheritDoc */
  async deleteVolume(spec: PrimaryVolumeSpec): Promise<void> {
    return this.guard(`Cannot delete volume ${spec.volumeId} from ${spec.pool.poolId}`, async () => {
      const { libvirt, pool } = await this.poolOnHost(spec.pool);
      await deleteVolume(libvirt, pool, spec.volumeId);
    });
  }

  /**
   * @inheritDoc
   * A volume a running domain has open is resized by that domain's host through QEMU (the guest
   * sees the new size at once); any other with `virStorageVolResize` (shrinking when smaller).
   */
  async resizeVolume(spec: PrimaryVolumeSpec & { readonly newSizeBytes: number }): Promise<VolumeAnswer> {
    return this.guard(`Cannot resize volume ${spec.volumeId} on ${spec.pool.poolId}`, async () => {
      const { libvirt, pool, definition } = await this.poolOnHost(spec.pool);
      const volume = await requireVolume(libvirt, pool, spec.volumeId);
      for (const url of spec.pool.hostUrls) {
        const host = await this.hosts.libvirtFor({ url }).catch(() => undefined);
        const user = host === undefined ? undefined : await findVolumeUser(host, definition.name, spec.volumeId);
        if (host !== undefined && user !== undefined) {
          await host.domainBlockResize(user.domain, user.targetDev, spec.newSizeBytes);
          const resized = await requireVolume(libvirt, pool, spec.volumeId);
          return { path: volumePath(definition.name, spec.volumeId), sizeBytes: resized.info.capacity };
        }
      }
      const resized = await resizeVolume(libvirt, volume, spec.newSizeBytes);
      return { path: volumePath(definition.name, spec.volumeId), sizeBytes: resized.info.capacity };
    });
  }

  /** @inheritDoc A full copy on the volume's pool; taking the same snapshot again reports the copy made. */
  async snapshotVolume(spec: VolumeSnapshotSpec): Promise<SnapshotAnswer> {
    return this.guard(`Cannot snapshot volume ${spec.volume.volumeId} on ${spec.volume.pool.poolId}`, async () => {
      const { libvirt, pool, definition } = await this.poolOnHost(spec.volume.pool);
      const source = await requireVolume(libvirt, pool, spec.volume.volumeId);
      const name = snapshotVolumeName(spec.snapshotId);
      const copy = await cloneVolume(libvirt, pool, name, source, source.info.capacity, definition.volumeFormat);
      return { path: volumePath(definition.name, name), physicalSizeBytes: copy.info.allocation };
    });
  }

  /** @inheritDoc A snapshot already gone is success. */
  async deleteSnapshot(spec: DeleteSnapshotSpec): Promise<void> {
    return this.guard(`Cannot delete snapshot ${spec.snapshotId}`, async () => {
      const { pool: poolName, volume } = parseVolumePath(spec.path);
      const { libvirt, pool } = await this.poolOnHost(spec.pool);
      const holder = poolName === spec.pool.poolId ? pool : await findPool(libvirt, poolName);
      if (holder !== undefined) await deleteVolume(libvirt, holder, volume);
    });
  }

  /** @inheritDoc The copy keeps the volume's id; the source stays until core deletes it. */
  async copyVolume(spec: CopyVolumeSpec): Promise<VolumeAnswer> {
    return this.guard(`Cannot copy volume ${spec.source.volumeId} from ${spec.source.pool.poolId} to ${spec.target.poolId}`, async () => {
      const { libvirt, pool } = await this.poolOnHost(spec.source.pool);
      const target = poolDefinitionOf(spec.target, this.options);
      const targetPool = await ensurePool(libvirt, target);
      const source = await requireVolume(libvirt, pool, spec.source.volumeId);
      const copy = await cloneVolume(libvirt, targetPool, spec.source.volumeId, source, source.info.capacity, target.volumeFormat);
      return { path: volumePath(target.name, spec.source.volumeId), sizeBytes: copy.info.capacity };
    });
  }

  /**
   * The pool, running, on the first connected host of its cluster (shared storage: any host
   * sees the same volumes). Rejects with the last host's error when none is connected.
   */
  private async poolOnHost(spec: PrimaryPoolSpec): Promise<PoolOnHost> {
    const definition = poolDefinitionOf(spec, this.options);
    let lastError: unknown = LibvirtError.client(VirErrorCode.VIR_ERR_NO_CONNECT, `pool ${spec.poolId} has no KVM host in its cluster`);
    for (const url of spec.hostUrls) {
      let libvirt: LibvirtProcedures;
      try {
        libvirt = await this.hosts.libvirtFor({ url });
      } catch (error) {
        lastError = error;
        continue;
      }
      return { libvirt, pool: await ensurePool(libvirt, definition), definition };
    }
    throw lastError;
  }

  /** Runs `fn`; a failure becomes a CloudError whose message starts with `context` (a host's own CloudError keeps its code and details). */
  private async guard<T>(context: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof CloudError)) throw toCloudError(error, context);
      throw new CloudError(error.code, `${context}: ${error.message}`, {
        csErrorCode: error.csErrorCode,
        ...(error.param === undefined ? {} : { param: error.param }),
        ...(error.details === undefined ? {} : { details: error.details }),
        cause: error,
      });
    }
  }
}
