/**
 * libvirt's public enums and flags (libvirt-domain.h, libvirt-storage.h) that the typed
 * procedures take or return, with the names libvirt gives them.
 */

/** `virDomainState`. */
export const DomainState = {
  NOSTATE: 0,
  RUNNING: 1,
  BLOCKED: 2,
  PAUSED: 3,
  SHUTDOWN: 4,
  SHUTOFF: 5,
  CRASHED: 6,
  PMSUSPENDED: 7,
} as const;

/** One of the {@link DomainState} values. */
export type DomainState = (typeof DomainState)[keyof typeof DomainState];

/** The lower-case name of a {@link DomainState} (`running`, `shutoff`, ...), or `unknown`. */
export function domainStateName(state: number): string {
  const entry = Object.entries(DomainState).find(([, value]) => value === state);
  return entry === undefined ? 'unknown' : entry[0].toLowerCase();
}

/** `virDomainEventType`: what a lifecycle event reports. */
export const DomainEventType = {
  DEFINED: 0,
  UNDEFINED: 1,
  STARTED: 2,
  SUSPENDED: 3,
  RESUMED: 4,
  STOPPED: 5,
  SHUTDOWN: 6,
  PMSUSPENDED: 7,
  CRASHED: 8,
} as const;

/** One of the {@link DomainEventType} values. */
export type DomainEventType = (typeof DomainEventType)[keyof typeof DomainEventType];

/** The lower-case name of a {@link DomainEventType} (`started`, `stopped`, ...), or `unknown`. */
export function domainEventTypeName(event: number): string {
  const entry = Object.entries(DomainEventType).find(([, value]) => value === event);
  return entry === undefined ? 'unknown' : entry[0].toLowerCase();
}

/** `virDomainEventID`: which kind of domain event a callback receives. */
export const DomainEventId = {
  LIFECYCLE: 0,
} as const;

/** `virConnectListAllDomainsFlags` (0 lists every domain). */
export const ListAllDomainsFlags = {
  ACTIVE: 1,
  INACTIVE: 2,
  PERSISTENT: 4,
  TRANSIENT: 8,
  RUNNING: 16,
  PAUSED: 32,
  SHUTOFF: 64,
  OTHER: 128,
} as const;

/** `virDomainDeviceModifyFlags`: where an attach/detach applies (0 = current state). */
export const DeviceModifyFlags = {
  CURRENT: 0,
  LIVE: 1,
  CONFIG: 2,
} as const;

/** `virDomainUndefineFlagsValues`. */
export const UndefineFlags = {
  MANAGED_SAVE: 1,
  SNAPSHOTS_METADATA: 2,
  NVRAM: 4,
  KEEP_NVRAM: 8,
  CHECKPOINTS_METADATA: 16,
} as const;

/** `virDomainXMLFlags`. */
export const DomainXmlFlags = {
  SECURE: 1,
  INACTIVE: 2,
  UPDATE_CPU: 4,
  MIGRATABLE: 8,
} as const;

/** `virDomainMigrateFlags`. */
export const MigrateFlags = {
  LIVE: 1,
  PEER2PEER: 2,
  TUNNELLED: 4,
  PERSIST_DEST: 8,
  UNDEFINE_SOURCE: 16,
  PAUSED: 32,
  NON_SHARED_DISK: 64,
  NON_SHARED_INC: 128,
} as const;

/** `virDomainStatsTypes` for `virConnectGetAllDomainStats`. */
export const DomainStatsTypes = {
  STATE: 1,
} as const;

/** `virStoragePoolState`. */
export const StoragePoolState = {
  INACTIVE: 0,
  BUILDING: 1,
  RUNNING: 2,
  DEGRADED: 3,
  INACCESSIBLE: 4,
} as const;

/** One of the {@link StoragePoolState} values. */
export type StoragePoolState = (typeof StoragePoolState)[keyof typeof StoragePoolState];

/** `virStorageVolType`. */
export const StorageVolType = {
  FILE: 0,
  BLOCK: 1,
  DIR: 2,
  NETWORK: 3,
  NETDIR: 4,
  PLOOP: 5,
} as const;

/** `virStorageVolResizeFlags`. */
export const VolResizeFlags = {
  ALLOCATE: 1,
  DELTA: 2,
  SHRINK: 4,
} as const;

/** `virDomainJobType`: what `virDomainGetJobStats` reports. */
export const DomainJobType = {
  NONE: 0,
  BOUNDED: 1,
  UNBOUNDED: 2,
  COMPLETED: 3,
  FAILED: 4,
  CANCELLED: 5,
} as const;

/** One of {@link DomainJobType}. */
export type DomainJobType = (typeof DomainJobType)[keyof typeof DomainJobType];

/** `virDomainGetJobStatsFlags`. */
export const JobStatsFlags = {
  /** The statistics of the last completed job instead of the running one. */
  COMPLETED: 1,
  /** Keep the completed job's statistics for a later call. */
  KEEP_COMPLETED: 2,
} as const;

/** `virDomainBackupBeginFlags`. */
export const BackupBeginFlags = {
  /** Write into targets that already exist (created beforehand as pool volumes). */
  REUSE_EXTERNAL: 1,
} as const;

/** `virDomainBlockResizeFlags`. */
export const BlockResizeFlags = {
  /** The size is in bytes, not KiB. */
  BYTES: 1,
} as const;

/** `virConnectListAllStoragePoolsFlags` (0 lists every pool). */
export const ListAllStoragePoolsFlags = {
  INACTIVE: 1,
  ACTIVE: 2,
  PERSISTENT: 4,
  TRANSIENT: 8,
  AUTOSTART: 16,
  NO_AUTOSTART: 32,
} as const;
