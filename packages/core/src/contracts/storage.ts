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
export interface PrimaryStorageDriver extends VolumeCapablePrimaryStorage {
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

/** Disk-image formats of templates and ISOs CloudStack 4.1 registers. */
export const TEMPLATE_FORMATS = ['QCOW2', 'RAW', 'VHD', 'OVA', 'ISO'] as const;

/** One of {@link TEMPLATE_FORMATS}. */
export type TemplateFormat = (typeof TEMPLATE_FORMATS)[number];

/** Digest algorithms a registered checksum may use; 4.1's `checksum` is an MD5 by default. */
export const CHECKSUM_ALGORITHMS = ['MD5', 'SHA-1', 'SHA-256'] as const;

/** One of {@link CHECKSUM_ALGORITHMS}. */
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** A digest a download must match: algorithm and lower-case hex value. */
export interface TemplateChecksum {
  /** The digest algorithm. */
  readonly algorithm: ChecksumAlgorithm;
  /** Lower-case hexadecimal digest. */
  readonly value: string;
}

/**
 * What a secondary-storage driver can do beyond holding stores. Core never calls a template
 * operation the driver has not declared here.
 */
export const SECONDARY_STORAGE_CAPABILITIES = ['downloadTemplate', 'deleteTemplate', 'copyTemplate', 'createTemplateFromDisk'] as const;

/** One of {@link SECONDARY_STORAGE_CAPABILITIES}. */
export type SecondaryStorageCapability = (typeof SECONDARY_STORAGE_CAPABILITIES)[number];

/** A template or ISO image on one store, as core names it to the driver. */
export interface TemplateImageSpec {
  /** The store holding (or to hold) the image. */
  readonly store: ImageStoreSpec;
  /** The template's id in the cloud. */
  readonly templateId: string;
  /** Where on the store the image lives (`template/tmpl/<account>/<template>`). */
  readonly installPath: string;
  /** The image's format. */
  readonly format: TemplateFormat;
}

/** A download of a template or ISO from a URL onto a store. */
export interface TemplateDownloadSpec extends TemplateImageSpec {
  /** The http or https URL to fetch; core has already refused private addresses. */
  readonly url: string;
  /** The digest the fetched image must match, when the owner registered one. */
  readonly checksum?: TemplateChecksum;
  /** Largest image accepted, in bytes (`max.template.iso.size`). */
  readonly maxSizeBytes: number;
}

/** A copy of an image from one store to another (another zone's). */
export interface TemplateCopySpec extends TemplateImageSpec {
  /** The store the image is copied from. */
  readonly source: ImageStoreSpec;
  /** Install path of the image on the source store. */
  readonly sourceInstallPath: string;
  /** The digest the copy must still match, when one was registered. */
  readonly checksum?: TemplateChecksum;
}

/**
 * The disk a private template is made from (4.1's `createTemplate`): a backed-up snapshot
 * (`CreatePrivateTemplateFromSnapshotCommand`) or a stopped VM's volume on its pool
 * (`CreatePrivateTemplateFromVolumeCommand`).
 */
export type TemplateDiskSource =
  | {
      /** A volume snapshot. */
      readonly kind: 'snapshot';
      /** The pool of the snapshotted volume, whose storage keeps the snapshot. */
      readonly pool: PrimaryPoolSpec;
      /** The snapshot's id in the cloud. */
      readonly snapshotId: string;
      /** Where the snapshot is kept, as `snapshotVolume` answered. */
      readonly path: string;
    }
  | {
      /** A volume of a stopped VM. */
      readonly kind: 'volume';
      /** The pool holding the volume. */
      readonly pool: PrimaryPoolSpec;
      /** The volume's id in the cloud. */
      readonly volumeId: string;
      /** Where the volume is on its pool, when recorded. */
      readonly path?: string;
    };

/** A private template to create on a store from a snapshot or volume (`createTemplateFromDisk`). */
export interface TemplateFromDiskSpec extends TemplateImageSpec {
  /** The disk to copy the image from. */
  readonly source: TemplateDiskSource;
  /** The disk's virtual size in bytes; the template's size. */
  readonly sizeBytes: number;
}

/** Download states the driver reports, with CloudStack's names. */
export type DriverDownloadState = 'DOWNLOAD_IN_PROGRESS' | 'DOWNLOADED' | 'DOWNLOAD_ERROR';

/** Where a download or copy stands, as the device reports it. */
export interface TemplateDownloadStatus {
  /** In progress, done, or failed. */
  readonly state: DriverDownloadState;
  /** 0..100. */
  readonly percent: number;
  /** Virtual size of the image in bytes, once known. */
  readonly sizeBytes?: number;
  /** Bytes the image takes on the store, once known. */
  readonly physicalSizeBytes?: number;
  /** Where the image is on the store. */
  readonly installPath?: string;
  /** Why it failed (checksum mismatch, unreachable URL, too large ...), for `DOWNLOAD_ERROR`. */
  readonly error?: string;
  /** While in progress: how long to wait before asking again, in ms. */
  readonly retryAfterMs?: number;
}

/**
 * A secondary-storage driver: image stores (NFS per zone, Swift cloud-wide) and their capacity,
 * and — when declared in `capabilities` — templates and ISOs on them: download from a URL with
 * checksum verification, progress, delete, and copy to another store. Every call is idempotent:
 * starting a download that is already running or done reports its status.
 */
export interface SecondaryStorageDriver {
  /** A name for logs. */
  readonly name: string;
  /** Protocols this driver handles. */
  readonly protocols: ReadonlySet<ImageStoreProtocol>;
  /** The template operations this driver implements; none when absent. */
  readonly capabilities?: ReadonlySet<SecondaryStorageCapability>;
  /** Starts (or re-reports) fetching `url` onto the store (`downloadTemplate`). */
  downloadTemplate?(spec: TemplateDownloadSpec): Promise<TemplateDownloadStatus>;
  /** The current status of a download or copy (`downloadTemplate`). */
  templateStatus?(spec: TemplateImageSpec): Promise<TemplateDownloadStatus>;
  /** Removes the image from the store; idempotent (`deleteTemplate`). */
  deleteTemplate?(spec: TemplateImageSpec): Promise<void>;
  /** Starts (or re-reports) copying an image from another store (`copyTemplate`). */
  copyTemplate?(spec: TemplateCopySpec): Promise<TemplateDownloadStatus>;
  /**
   * Starts (or re-reports) writing a private template onto the store from a snapshot or a
   * volume (`createTemplateFromDisk`); `templateStatus` reports its progress.
   */
  createTemplateFromDisk?(spec: TemplateFromDiskSpec): Promise<TemplateDownloadStatus>;
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

/**
 * Volume and snapshot operations a primary-storage driver may declare in
 * `PrimaryStorageDriver.volumeCapabilities`; core calls none that is not declared.
 */
export const PRIMARY_VOLUME_CAPABILITIES = ['createVolume', 'deleteVolume', 'resizeVolume', 'snapshotVolume', 'deleteSnapshot', 'copyVolume'] as const;

/** One of {@link PRIMARY_VOLUME_CAPABILITIES}. */
export type PrimaryVolumeCapability = (typeof PRIMARY_VOLUME_CAPABILITIES)[number];

/** A volume on a pool, as core names it to a primary-storage driver. */
export interface PrimaryVolumeSpec {
  /** The pool holding (or to hold) the volume. */
  readonly pool: PrimaryPoolSpec;
  /** The volume's id in the cloud. */
  readonly volumeId: string;
  /** Size in bytes. */
  readonly sizeBytes: number;
}

/** A volume to create: empty, or restored from a snapshot. */
export interface CreateVolumeSpec extends PrimaryVolumeSpec {
  /** The snapshot's path (as `snapshotVolume` answered it) to restore from, when given. */
  readonly fromSnapshotPath?: string;
}

/** What a created (or copied) volume reports. */
export interface VolumeAnswer {
  /** Where the volume is on its pool. */
  readonly path: string;
  /** Its size in bytes. */
  readonly sizeBytes: number;
}

/** A snapshot of a volume. */
export interface VolumeSnapshotSpec {
  /** The volume, on its pool. */
  readonly volume: PrimaryVolumeSpec;
  /** The snapshot's id in the cloud. */
  readonly snapshotId: string;
}

/** What a backed-up snapshot reports. */
export interface SnapshotAnswer {
  /** Where the snapshot is kept. */
  readonly path: string;
  /** Bytes it takes. */
  readonly physicalSizeBytes: number;
}

/** A snapshot to delete, by the path its creation answered. */
export interface DeleteSnapshotSpec {
  /** The volume's pool. */
  readonly pool: PrimaryPoolSpec;
  /** The snapshot's id in the cloud. */
  readonly snapshotId: string;
  /** Where it is kept. */
  readonly path: string;
}

/** A volume copied to another pool of the cluster (storage migration). */
export interface CopyVolumeSpec {
  /** The volume where it is now. */
  readonly source: PrimaryVolumeSpec;
  /** The pool to copy it to. */
  readonly target: PrimaryPoolSpec;
}

/**
 * The optional volume calls of a primary-storage driver (CloudStack's `CreateCommand`,
 * `DestroyCommand`, `ResizeVolumeCommand`, `CreateSnapshotCommand`/`BackupSnapshotCommand`,
 * `CopyVolumeCommand`). Each is idempotent: creating a volume that exists reports it, deleting
 * a missing one succeeds.
 */
export interface VolumeCapablePrimaryStorage {
  /** Which of the calls below the driver implements; none when absent. */
  readonly volumeCapabilities?: ReadonlySet<PrimaryVolumeCapability>;
  /** Creates a volume on a pool (`createVolume`). */
  createVolume?(spec: CreateVolumeSpec): Promise<VolumeAnswer>;
  /** Deletes a volume from its pool (`deleteVolume`). */
  deleteVolume?(spec: PrimaryVolumeSpec): Promise<void>;
  /** Changes a volume's size (`resizeVolume`). */
  resizeVolume?(spec: PrimaryVolumeSpec & { readonly newSizeBytes: number }): Promise<VolumeAnswer>;
  /** Snapshots a volume and backs the snapshot up (`snapshotVolume`). */
  snapshotVolume?(spec: VolumeSnapshotSpec): Promise<SnapshotAnswer>;
  /** Deletes a snapshot (`deleteSnapshot`). */
  deleteSnapshot?(spec: DeleteSnapshotSpec): Promise<void>;
  /** Copies a volume to another pool (`copyVolume`). */
  copyVolume?(spec: CopyVolumeSpec): Promise<VolumeAnswer>;
}
