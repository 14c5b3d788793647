import type {
  ImageStoreProtocol,
  ImageStoreSpec,
  PrimaryPoolSpec,
  PrimaryStorageDriver,
  SecondaryStorageDriver,
  StorageCapacity,
  StorageProtocol,
} from '@cloudstack-sdk/core';
import { STORAGE_PROTOCOLS, poolUrl } from '@cloudstack-sdk/core';
import type { SimulatorLab } from './simulator-lab.js';

/** Errors the simulated storage raises. */
export class SimulatorStorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatorStorageError';
  }
}

/** A primary-storage driver over the lab: every protocol, pools with the capacity the lab gives them. */
export class SimulatorPrimaryStorage implements PrimaryStorageDriver {
  /** For logs. */
  readonly name = 'simulator';
  /** Every protocol CloudStack knows. */
  readonly protocols: ReadonlySet<StorageProtocol> = new Set(STORAGE_PROTOCOLS);

  constructor(private readonly lab: SimulatorLab) {}

  async createPool(spec: PrimaryPoolSpec): Promise<StorageCapacity> {
    const url = poolUrl(spec.protocol, spec);
    await this.lab.faults.apply('createPool', [spec.poolId, url, ...(spec.server === undefined ? [] : [spec.server])]);
    for (const hostUrl of spec.hostUrls) {
      if (this.lab.hostAt(hostUrl) === undefined) throw new SimulatorStorageError(`Host ${hostUrl} cannot reach ${url}`);
    }
    const pool = this.lab.attachPool(spec.poolId, url);
    return { capacityBytes: pool.capacityBytes, usedBytes: pool.usedBytes };
  }

  async deletePool(spec: PrimaryPoolSpec): Promise<void> {
    await this.lab.faults.apply('deletePool', [spec.poolId]);
    this.lab.detachPool(spec.poolId);
  }

  async poolCapacity(spec: PrimaryPoolSpec): Promise<StorageCapacity> {
    await this.lab.faults.apply('poolCapacity', [spec.poolId]);
    const pool = this.lab.pool(spec.poolId);
    if (pool === undefined) throw new SimulatorStorageError(`Pool ${spec.poolId} is not attached`);
    return { capacityBytes: pool.capacityBytes, usedBytes: pool.usedBytes };
  }
}

/** A secondary-storage driver over the lab: NFS and Swift stores with capacity. */
export class SimulatorSecondaryStorage implements SecondaryStorageDriver {
  /** For logs. */
  readonly name = 'simulator';
  /** NFS and Swift. */
  readonly protocols: ReadonlySet<ImageStoreProtocol> = new Set<ImageStoreProtocol>(['NFS', 'Swift']);

  constructor(private readonly lab: SimulatorLab) {}

  async addStore(spec: ImageStoreSpec): Promise<StorageCapacity> {
    await this.lab.faults.apply('addStore', [spec.storeId, spec.url]);
    if (spec.protocol === 'Swift' && (spec.key === undefined || spec.key === '')) throw new SimulatorStorageError('Swift refused: no key');
    const store = this.lab.attachStore(spec.storeId, spec.url);
    return { capacityBytes: store.capacityBytes, usedBytes: store.usedBytes };
  }

  async removeStore(spec: ImageStoreSpec): Promise<void> {
    await this.lab.faults.apply('removeStore', [spec.storeId, spec.url]);
    this.lab.detachStore(spec.storeId);
  }

  async storeCapacity(spec: ImageStoreSpec): Promise<StorageCapacity> {
    await this.lab.faults.apply('storeCapacity', [spec.storeId, spec.url]);
    const store = this.lab.store(spec.storeId);
    if (store === undefined) throw new SimulatorStorageError(`Store ${spec.url} is not added`);
    return { capacityBytes: store.capacityBytes, usedBytes: store.usedBytes };
  }
}
