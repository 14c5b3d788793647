import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import type { VmDiskSpec } from '../contracts/hypervisor.js';
import type { PrimaryPoolSpec, PrimaryStorageDriver, PrimaryVolumeCapability, PrimaryVolumeSpec, StorageDrivers } from '../contracts/storage.js';
import type { Transaction } from '../contracts/store.js';
import { notFound, resourceUnavailable } from '../errors.js';
import type { StoragePool } from '../model/storage-pool.js';
import type { Volume } from '../model/volume.js';
import { TOKENS } from '../tokens.js';
import { poolSpecOf } from './storage-protocols.js';
import { callDriver } from './driver-call.js';

/** A primary-storage call prepared inside a transaction, made after it commits. */
export interface PreparedStorageCall {
  /** The pool's driver. */
  readonly driver: PrimaryStorageDriver;
  /** The pool, as the driver addresses it. */
  readonly pool: PrimaryPoolSpec;
  /** Milliseconds to wait (`wait` seconds). */
  readonly timeoutMs: number;
}

/**
 * The primary-storage side of volume and snapshot operations: finds a pool's driver (534 when
 * none handles the protocol or it does not declare the call), builds the pool and volume specs
 * inside the transaction recording the intent, and calls the driver outside it with the `wait`
 * timeout (534 on failure or timeout, naming the operation).
 */
@injectable()
export class VolumeDevices {
  constructor(
    @inject(TOKENS.Storage) private readonly storage: StorageDrivers,
    @inject(ConfigReader) private readonly config: ConfigReader,
  ) {}

  /** The driver, pool spec and timeout for a call on `poolId` needing `capability`. */
  async prepare(tx: Transaction, poolId: string, capability: PrimaryVolumeCapability, param = 'id'): Promise<PreparedStorageCall> {
    const pool = await tx.repo('storagePools').get(poolId);
    if (pool === undefined) throw notFound('storage pool', 'storageid', poolId);
    const driver = this.storage.primary.find((d) => d.protocols.has(pool.protocol));
    if (driver === undefined || driver.volumeCapabilities?.has(capability) !== true) {
      throw resourceUnavailable(`The primary storage driver of pool ${pool.name} cannot do ${capability}`, { param });
    }
    const hosts = (await tx.repo('hosts').find({ where: { clusterId: pool.clusterId } })).items;
    return { driver, pool: poolSpecOf(pool, hosts.map((h) => h.url)), timeoutMs: (await this.config.number('wait', {}, tx)) * 1000 };
  }

  /** Calls the driver outside any transaction with the prepared timeout (534 on failure or timeout). */
  call<T>(prepared: PreparedStorageCall, operation: string, fn: (driver: PrimaryStorageDriver) => Promise<T>): Promise<T> {
    return callDriver({ operation, timeoutMs: prepared.timeoutMs, param: 'id' }, () => fn(prepared.driver));
  }
}

/** A volume on a pool, as a storage driver names it. */
export function volumeSpecOf(pool: PrimaryPoolSpec, volume: Pick<Volume, 'id' | 'size'>): PrimaryVolumeSpec {
  return { pool, volumeId: volume.id, sizeBytes: volume.size };
}

/** A volume as a hypervisor plugs it into a VM. */
export function diskSpecOf(volume: Volume, pool: StoragePool, deviceId: number): VmDiskSpec {
  return { volumeId: volume.id, type: volume.type, deviceId, sizeBytes: volume.size, poolId: pool.id, poolUrl: pool.url };
}

