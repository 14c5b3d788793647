/**
 * The `REMOTE_PROC_*` numbers of remote_protocol.x that this client uses. The protocol only ever
 * appends procedures, so these numbers hold for every libvirt since each was added.
 */
export const RemoteProcedure = {
  /** `virConnectOpen`. */
  CONNECT_OPEN: 1,
  /** `virConnectClose`. */
  CONNECT_CLOSE: 2,
  /** `virConnectGetType`. */
  CONNECT_GET_TYPE: 3,
  /** `virConnectGetVersion`: the hypervisor version. */
  CONNECT_GET_VERSION: 4,
  /** `virNodeGetInfo`. */
  NODE_GET_INFO: 6,
  /** `virConnectGetCapabilities`. */
  CONNECT_GET_CAPABILITIES: 7,
  /** `virDomainCreateXML`: a transient domain, started at once. */
  DOMAIN_CREATE_XML: 10,
  /** `virDomainGetXMLDesc`. */
  DOMAIN_GET_XML_DESC: 14,
  /** `virDomainGetInfo`. */
  DOMAIN_GET_INFO: 16,
  /** `virDomainLookupByName`. */
  DOMAIN_LOOKUP_BY_NAME: 23,
  /** `virDomainLookupByUUID`. */
  DOMAIN_LOOKUP_BY_UUID: 24,
  /** `virDomainReboot`. */
  DOMAIN_REBOOT: 27,
  /** `virDomainResume`. */
  DOMAIN_RESUME: 28,
  /** `virDomainSuspend`. */
  DOMAIN_SUSPEND: 34,
  /** `virConnectGetHostname`. */
  CONNECT_GET_HOSTNAME: 59,
  /** `virConnectSupportsFeature`. */
  CONNECT_SUPPORTS_FEATURE: 60,
  /** The authentication methods the daemon requires (none, SASL, polkit). */
  AUTH_LIST: 66,
  /** Authenticate through polkit (UNIX socket peers, e.g. via `virt-ssh-helper`). */
  AUTH_POLKIT: 70,
  /** `virStoragePoolDefineXML`. */
  STORAGE_POOL_DEFINE_XML: 77,
  /** `virStoragePoolCreate`: start a defined pool. */
  STORAGE_POOL_CREATE: 78,
  /** `virStoragePoolBuild`: e.g. create a dir pool's directory. */
  STORAGE_POOL_BUILD: 79,
  /** `virStoragePoolDestroy`: stop a pool. */
  STORAGE_POOL_DESTROY: 80,
  /** `virStoragePoolUndefine`. */
  STORAGE_POOL_UNDEFINE: 82,
  /** `virStoragePoolRefresh`. */
  STORAGE_POOL_REFRESH: 83,
  /** `virStoragePoolLookupByName`. */
  STORAGE_POOL_LOOKUP_BY_NAME: 84,
  /** `virStoragePoolGetInfo`. */
  STORAGE_POOL_GET_INFO: 87,
  /** `virStoragePoolGetXMLDesc`. */
  STORAGE_POOL_GET_XML_DESC: 88,
  /** `virStorageVolCreateXML`. */
  STORAGE_VOL_CREATE_XML: 93,
  /** `virStorageVolDelete`. */
  STORAGE_VOL_DELETE: 94,
  /** `virStorageVolLookupByName`. */
  STORAGE_VOL_LOOKUP_BY_NAME: 95,
  /** `virStorageVolGetInfo`. */
  STORAGE_VOL_GET_INFO: 98,
  /** `virStorageVolGetPath`. */
  STORAGE_VOL_GET_PATH: 100,
  /** `virNodeGetFreeMemory`. */
  NODE_GET_FREE_MEMORY: 102,
  /** `virStorageVolCreateXMLFrom`: clone a volume. */
  STORAGE_VOL_CREATE_XML_FROM: 125,
  /** `virConnectGetLibVersion`: the libvirt version. */
  CONNECT_GET_LIB_VERSION: 157,
  /** `virDomainAttachDeviceFlags`. */
  DOMAIN_ATTACH_DEVICE_FLAGS: 160,
  /** `virDomainDetachDeviceFlags`. */
  DOMAIN_DETACH_DEVICE_FLAGS: 161,
  /** `virDomainCreateWithFlags`: start a defined domain. */
  DOMAIN_CREATE_WITH_FLAGS: 196,
  /** `virDomainGetState`. */
  DOMAIN_GET_STATE: 212,
  /** `virDomainUndefineFlags`. */
  DOMAIN_UNDEFINE_FLAGS: 231,
  /** `virDomainDestroyFlags`. */
  DOMAIN_DESTROY_FLAGS: 234,
  /** `virDomainGetJobInfo`'s typed successor `virDomainGetJobStats`: the running (or last completed) job. */
  DOMAIN_GET_JOB_STATS: 298,
  /** `virDomainBackupBegin`: a point-in-time copy of a running domain's disks. */
  DOMAIN_BACKUP_BEGIN: 421,
  /** `virDomainBlockResize`: grow (or shrink) a running domain's disk in place. */
  DOMAIN_BLOCK_RESIZE: 251,
  /** `virDomainShutdownFlags`. */
  DOMAIN_SHUTDOWN_FLAGS: 258,
  /** `virStorageVolResize`. */
  STORAGE_VOL_RESIZE: 260,
  /** `virConnectListAllDomains`. */
  CONNECT_LIST_ALL_DOMAINS: 273,
  /** `virConnectListAllStoragePools`. */
  CONNECT_LIST_ALL_STORAGE_POOLS: 281,
  /** `virStoragePoolListAllVolumes`. */
  STORAGE_POOL_LIST_ALL_VOLUMES: 282,
  /** `virDomainMigratePerform3Params`: with `VIR_MIGRATE_PEER2PEER`, the whole migration. */
  DOMAIN_MIGRATE_PERFORM3_PARAMS: 305,
  /** `virConnectDomainEventRegisterAny`, callback-id form. */
  CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY: 316,
  /** `virConnectDomainEventDeregisterAny`, callback-id form. */
  CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY: 317,
  /** Event message: a domain's lifecycle changed. */
  DOMAIN_EVENT_CALLBACK_LIFECYCLE: 318,
  /** `virConnectGetAllDomainStats`. */
  CONNECT_GET_ALL_DOMAIN_STATS: 344,
  /** `virDomainDefineXMLFlags`. */
  DOMAIN_DEFINE_XML_FLAGS: 350,
} as const;

/** One of the {@link RemoteProcedure} numbers. */
export type RemoteProcedure = (typeof RemoteProcedure)[keyof typeof RemoteProcedure];
