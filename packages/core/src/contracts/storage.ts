/** Primary-storage protocols CloudStack 4.1 knows. */
export const STORAGE_PROTOCOLS = ['NFS', 'iSCSI', 'PreSetup', 'SharedMountPoint', 'CLVM', 'RBD', 'VMFS', 'Filesystem'] as const;

/** One of {@link STORAGE_PROTOCOLS}. */
export type StorageProtocol = (typeof STORAGE_PROTOCOLS)[number];

/**
 * A primary-storage driver: pool lifecycle and capacity for the protocols it declares. The
 * operations are added by the infrastructure issue.
 */
export interface PrimaryStorageDriver {
  /** A name for logs (`simulator`, `kvm`, ...). */
  readonly name: string;
  /** Protocols this driver handles. */
  readonly protocols: ReadonlySet<StorageProtocol>;
}

/**
 * A secondary-storage driver: templates, ISOs and snapshot copies. The operations are added by
 * the infrastructure and template issues.
 */
export interface SecondaryStorageDriver {
  /** A name for logs. */
  readonly name: string;
}

/** The storage drivers a cloud is built with. */
export interface StorageDrivers {
  /** Primary-storage drivers; the first that handles a pool's protocol manages it. */
  readonly primary: readonly PrimaryStorageDriver[];
  /** The secondary-storage driver, when the cloud has one. */
  readonly secondary?: SecondaryStorageDriver;
}
