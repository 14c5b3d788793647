import type { HypervisorType } from './hypervisor.js';

/** Primary-storage protocols CloudStack 4.1 knows. */
export const STORAGE_PROTOCOLS = ['NFS', 'iSCSI', 'PreSetup', 'SharedMountPoint', 'CLVM', 'RBD', 'VMFS', 'Filesystem'] as const;

/** One of {@link STORAGE_PROTOCOLS}. */
export type StorageProtocol = (typeof STORAGE_PROTOCOLS)[number];

/** Secondary-storage (image store) protocols: per-zone NFS and cloud-wide Swift. */
export const IMAGE_STORE_PROTOCOLS = ['NFS', 'Swift'] as const;

/** One of {@link IMAGE_STORE_PROTOCOLS}. */
export type ImageStoreProtocol = (typeof IMAGE_STORE_PROTOCOLS)[number];

/** Size and use of a pool or store, in bytes, as the device reports them. */
export interface StorageCapacity {
  /** Physical size. */
  readonly capacityBytes: number;
  /** Bytes in use on the device. */
  readonly usedBytes: number;
}

/** A primary-storage pool as core asks a driver to attach (or detach) it. */
export interface PrimaryPoolSpec {
  /** The pool's id in the cloud, stable across calls. */
  readonly poolId: string;
  /** The pool's protocol. */
  readonly protocol: StorageProtocol;
  /** The cluster's hypervisor type. */
  readonly hypervisorType: HypervisorType;
  /** Storage server (NFS, iSCSI, PreSetup) or vCenter (VMFS). */
  readonly server?: string;
  /** Export path (NFS), mount path (SharedMountPoint), `/datacenter/datastore` (VMFS), volume group (CLVM), pool (RBD). */
  readonly path?: string;
  /** iSCSI target IQN. */
  readonly iqn?: string;
  /** iSCSI LUN number. */
  readonly lun?: number;
  /** XenServer SR name-label (PreSetup). */
  readonly srNameLabel?: string;
  /** The URLs of the cluster's hosts the pool must be reachable from. */
  readonly hostUrls: readonly string[];
}

/**
 * A primary-storage driver: pool lifecycle and capacity for the protocols it declares. Core
 * picks the first driver whose `protocols` has the pool's protocol; every call is idempotent.
 */
export interface PrimaryStorageDriver {
  /** A name for logs (`simulator`, `kvm`, ...). */
  readonly name: string;
  /** Protocols this driver handles. */
  readonly protocols: ReadonlySet<StorageProtocol>;
  /** Attaches a pool to the cluster's hosts (destroying what was on it) and reports its capacity. */
  createPool(spec: PrimaryPoolSpec): Promise<StorageCapacity>;
  /** Detaches a pool from the cluster's hosts. Idempotent. */
  deletePool(spec: PrimaryPoolSpec): Promise<void>;
  /** Reports a pool's current capacity and use. */
  poolCapacity(spec: PrimaryPoolSpec): Promise<StorageCapacity>;
}

/** A secondary-storage store as core asks a driver to add (or remove) it. */
export interface ImageStoreSpec {
  /** The store's id in the cloud. */
  readonly storeId: string;
  /** NFS (per zone) or Swift (cloud-wide). */
  readonly protocol: ImageStoreProtocol;
  /** `nfs://server/path`, or the Swift URL. */
  readonly url: string;
  /** Swift account. */
  readonly account?: string;
  /** Swift user name. */
  readonly username?: string;
  /** Swift key, opened from the sealed copy just for this call. */
  readonly key?: string;
}

/**
 * A secondary-storage driver: image stores (NFS per zone, Swift cloud-wide) and their capacity.
 * Templates, ISOs and snapshot copies are added by the template issue.
 */
export interface SecondaryStorageDriver {
  /** A name for logs. */
  readonly name: string;
  /** Protocols this driver handles. */
  readonly protocols: ReadonlySet<ImageStoreProtocol>;
  /** Checks a store is reachable and writable and reports its capacity. */
  addStore(spec: ImageStoreSpec): Promise<StorageCapacity>;
  /** Forgets a store. Idempotent. */
  removeStore(spec: ImageStoreSpec): Promise<void>;
  /** Reports a store's current capacity and use. */
  storeCapacity(spec: ImageStoreSpec): Promise<StorageCapacity>;
}

/** The storage drivers a cloud is built with. */
export interface StorageDrivers {
  /** Primary-storage drivers; the first that handles a pool's protocol manages it. */
  readonly primary: readonly PrimaryStorageDriver[];
  /** The secondary-storage driver, when the cloud has one. */
  readonly secondary?: SecondaryStorageDriver;
}
