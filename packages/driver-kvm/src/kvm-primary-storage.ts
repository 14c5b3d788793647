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
 *   as `<pool id>/snapshot-<snapshot id>`; a volume restored from one is a copy of it. A volume a
 *   running domain has open is copied by QEMU (`virDomainBackupBegin`, push mode) on the host
 *   that runs it, the guest running on; any other by a volume copy (`qemu-img`). Live copies of
 *   RBD volumes are refused (432): the backup target would be a network disk.
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
import { cloneVolume, createVolume, deleteVolume, ensurePool, findPool, findVolume, poolCapacityOf, removePool, requireVolume, resizeVolume, type KvmVolume } from './kvm-storage-operations.js';
import { LibvirtError, toCloudError, VirErrorCode } from './libvirt-error.js';
import type { LibvirtProcedures } from './procedures.js';
import type { StoragePoolRef } from './remote-types.js';
import { KVM_STORAGE_PROTOCOLS, poolDefinitionOf, type KvmPoolDefinition, type KvmPoolLayoutOptions } from './storage-pool-definition.js';
import { backupRunningDisk, waitForDomainJob, type LiveBackupOptions } from './live-disk-backup.js';
import { DomainJobType } from './libvirt-constants.js';
import { findVolumeUser, type VolumeUser } from './volume-users.js';

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

/** Options of {@link KvmPrimaryStorage}. */
export interface KvmPrimaryStorageOptions extends KvmPoolLayoutOptions {
  /** How live snapshots (QEMU backups of running volumes) are waited for. */
  readonly liveBackup?: LiveBackupOptions;
}

/** A running domain with a volume open, and the connection of the host it runs on. */
interface RunningUser {
  readonly libvirt: LibvirtProcedures;
  readonly user: VolumeUser;
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
   * @param options - where NFS pools are mounted and the volume format on file pools (which must
   *   match the hypervisor driver's: it defines the same pools on hosts that join later), and how
   *   live snapshots are waited for.
   */
  constructor(
    private readonly hosts: KvmHostConnections,
    private readonly options: KvmPrimaryStorageOptions = {},
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
      const running = await this.runningUser(spec.pool, definition.name, spec.volumeId);
      if (running !== undefined) {
        await running.libvirt.domainBlockResize(running.user.domain, running.user.targetDev, spec.newSizeBytes);
        const resized = await requireVolume(libvirt, pool, spec.volumeId);
        return { path: volumePath(definition.name, spec.volumeId), sizeBytes: resized.info.capacity };
      }
      const resized = await resizeVolume(libvirt, volume, spec.newSizeBytes);
      return { path: volumePath(definition.name, spec.volumeId), sizeBytes: resized.info.capacity };
    });
  }

  /**
   * @inheritDoc
   * A full copy on the volume's pool, made by QEMU when a running domain has the volume open
   * (see the module comment). Taking the same snapshot again reports the copy made (waiting for
   * a live copy still running).
   */
  async snapshotVolume(spec: VolumeSnapshotSpec): Promise<SnapshotAnswer> {
    return this.guard(`Cannot snapshot volume ${spec.volume.volumeId} on ${spec.volume.pool.poolId}`, async () => {
      const { libvirt, pool, definition } = await this.poolOnHost(spec.volume.pool);
      const source = await requireVolume(libvirt, pool, spec.volume.volumeId);
      const name = snapshotVolumeName(spec.snapshotId);
      const running = await this.runningUser(spec.volume.pool, definition.name, spec.volume.volumeId);
      const copy =
        running === undefined
          ? await cloneVolume(libvirt, pool, name, source, source.info.capacity, definition.volumeFormat)
          : await this.liveCopy(running, definition, source, name);
      return { path: volumePath(definition.name, name), physicalSizeBytes: copy.info.allocation };
    });
  }

  /** A copy of a volume a running domain has open, made by QEMU on the domain's host into a new pool volume. */
  private async liveCopy(running: RunningUser, definition: KvmPoolDefinition, source: KvmVolume, name: string): Promise<KvmVolume> {
    const { libvirt, user } = running;
    const pool = await ensurePool(libvirt, definition);
    const existing = await findVolume(libvirt, pool, name);
    if (existing !== undefined) {
      // A retried call: the copy this name stands for may still be running.
      if ((await libvirt.domainGetJobStats(user.domain)).type !== DomainJobType.NONE) await waitForDomainJob(libvirt, user.domain, `the backup of disk ${user.targetDev}`, this.options.liveBackup);
      return requireVolume(libvirt, pool, name);
    }
    if (definition.type === 'rbd') throw LibvirtError.client(VirErrorCode.VIR_ERR_NO_SUPPORT, `a running domain's RBD volume cannot be snapshotted live (stop the VM first)`);
    const target = await createVolume(libvirt, pool, name, source.info.capacity, definition.volumeFormat);
    try {
      const path = await libvirt.storageVolGetPath(target.ref);
      await backupRunningDisk(libvirt, user.domain, user.targetDev, { path, type: definition.type === 'logical' ? 'block' : 'file', format: definition.volumeFormat }, this.options.liveBackup);
    } catch (error) {
      await libvirt.storageVolDelete(target.ref).catch(() => undefined);
      throw error;
    }
    await libvirt.storagePoolRefresh(pool);
    return requireVolume(libvirt, pool, name);
  }

  /** The running domain, on any connected host of the cluster, that has the volume open. */
  private async runningUser(spec: PrimaryPoolSpec, poolName: string, volumeName: string): Promise<RunningUser | undefined> {
    for (const url of spec.hostUrls) {
      const libvirt = await this.hosts.libvirtFor({ url }).catch(() => undefined);
      const user = libvirt === undefined ? undefined : await findVolumeUser(libvirt, poolName, volumeName);
      if (libvirt !== undefined && user !== undefined) return { libvirt, user };
    }
    return undefined;
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
