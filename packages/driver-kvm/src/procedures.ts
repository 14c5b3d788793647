/**
 * Typed wrappers of the libvirt remote procedures the KVM driver needs: host facts, domains,
 * device hot-plug, migration, storage pools and volumes, and lifecycle events. Each method is one
 * RPC whose argument and return structures follow remote_protocol.x; failures reject with a
 * {@link LibvirtError} (see `toCloudError` for core's codes).
 */
import { subscribeDomainLifecycle, type DomainEventSubscription, type DomainLifecycleEvent } from './domain-events.js';
import { BlockResizeFlags, DomainStatsTypes, MigrateFlags, type DomainJobType, type DomainState, type StoragePoolState } from './libvirt-constants.js';
import type { CallOptions, LibvirtClient } from './libvirt-client.js';
import { RemoteProcedure } from './remote-procedure.js';
import {
  domainRef,
  nonnullString,
  optionalString,
  storagePoolRef,
  storageVolRef,
  typedParam,
  uuid,
  type DomainRef,
  type StoragePoolRef,
  type StorageVolRef,
  type TypedParam,
} from './remote-types.js';
import { xdr, type XdrCodec } from './xdr.js';

/** `virNodeInfo`: the host's CPUs and memory. */
export interface NodeInfo {
  /** CPU model (architecture), e.g. `x86_64`. */
  model: string;
  /** Memory in KiB. */
  memoryKiB: number;
  /** Active CPUs. */
  cpus: number;
  /** CPU frequency in MHz. */
  mhz: number;
  /** NUMA nodes. */
  nodes: number;
  /** CPU sockets per NUMA node. */
  sockets: number;
  /** Cores per socket. */
  cores: number;
  /** Threads per core. */
  threads: number;
}

/** `virDomainInfo`. */
export interface DomainInfo {
  /** The state. */
  state: DomainState;
  /** The maximum memory in KiB. */
  maxMemKiB: number;
  /** The current memory in KiB. */
  memoryKiB: number;
  /** Virtual CPUs. */
  vcpus: number;
  /** CPU time used, in nanoseconds. */
  cpuTimeNs: bigint;
}

/** A domain's state and the reason for it (`virDomainGetState`). */
export interface DomainStateInfo {
  /** The state. */
  state: DomainState;
  /** The state-specific reason (`virDomainRunningReason`, `virDomainShutoffReason`, ...). */
  reason: number;
}

/** A domain together with its state, as listed for reconciliation. */
export interface DomainWithState extends DomainStateInfo {
  /** The domain. */
  domain: DomainRef;
}

/** `virStoragePoolInfo`; sizes in bytes. */
export interface StoragePoolInfo {
  /** The state. */
  state: StoragePoolState;
  /** Logical size. */
  capacity: number;
  /** Bytes in use. */
  allocation: number;
  /** Bytes free. */
  available: number;
}

/** `virStorageVolInfo`; sizes in bytes. */
export interface StorageVolInfo {
  /** `virStorageVolType`. */
  type: number;
  /** Logical size. */
  capacity: number;
  /** Bytes allocated on disk. */
  allocation: number;
}

/** Options of {@link LibvirtProcedures.domainMigrate}. */
export interface MigrateOptions {
  /** Migrate while running (`VIR_MIGRATE_LIVE`); true by default. */
  live?: boolean;
  /** Define the domain persistently on the destination (`VIR_MIGRATE_PERSIST_DEST`). */
  persistDestination?: boolean;
  /** Undefine it on the source afterwards (`VIR_MIGRATE_UNDEFINE_SOURCE`). */
  undefineSource?: boolean;
  /** Where QEMU sends the data (`migrate_uri`, e.g. `tcp://10.0.0.2`); libvirt picks one by default. */
  migrateUri?: string;
  /** Bandwidth cap in MiB/s (`bandwidth`). */
  bandwidthMiBs?: number;
  /** Further typed parameters (`VIR_MIGRATE_PARAM_*`). */
  extraParams?: TypedParam[];
}

/** A domain job's type and statistics (`virDomainGetJobStats`). */
export interface DomainJobStats {
  /** None, running (bounded or not), completed, failed or cancelled. */
  type: DomainJobType;
  /** `VIR_DOMAIN_JOB_*` fields (`operation`, `time_elapsed`, `errmsg`, ...). */
  params: TypedParam[];
}

/** A number from an XDR hyper; every size libvirt reports here is far below 2^53. */
function toNumber(value: bigint): number {
  return Number(value);
}

const none = xdr.void;
const domArgs = xdr.struct({ dom: domainRef });
const domFlagsArgs = xdr.struct({ dom: domainRef, flags: xdr.uint });
const domRet = xdr.struct({ dom: domainRef });
const poolArgs = xdr.struct({ pool: storagePoolRef });
const poolFlagsArgs = xdr.struct({ pool: storagePoolRef, flags: xdr.uint });
const poolRet = xdr.struct({ pool: storagePoolRef });
const volArgs = xdr.struct({ vol: storageVolRef });
const volFlagsArgs = xdr.struct({ vol: storageVolRef, flags: xdr.uint });
const volRet = xdr.struct({ vol: storageVolRef });
const nameArgs = xdr.struct({ name: nonnullString });
const xmlRet = xdr.struct({ xml: nonnullString });
const versionRet = xdr.struct({ version: xdr.uhyper });

const nodeInfoRet = xdr.struct({
  // rpcgen encodes `char model[32]` as 32 four-byte ints.
  model: xdr.map(
    xdr.fixedArray(xdr.int, 32),
    (chars) => String.fromCharCode(...chars.slice(0, chars.includes(0) ? chars.indexOf(0) : 32).map((c) => c & 0xff)),
    (text) => Array.from({ length: 32 }, (_, i) => (i < text.length ? text.charCodeAt(i) : 0)),
  ),
  memory: xdr.uhyper,
  cpus: xdr.int,
  mhz: xdr.int,
  nodes: xdr.int,
  sockets: xdr.int,
  cores: xdr.int,
  threads: xdr.int,
});
const domainInfoRet = xdr.struct({ state: xdr.uint, maxMem: xdr.uhyper, memory: xdr.uhyper, nrVirtCpu: xdr.uint, cpuTime: xdr.uhyper });
const domainStateRet = xdr.struct({ state: xdr.int, reason: xdr.int });
const listAllArgs = xdr.struct({ need_results: xdr.int, flags: xdr.uint });
const listAllDomainsRet = xdr.struct({ domains: xdr.array(domainRef), ret: xdr.uint });
const allDomainStatsArgs = xdr.struct({ doms: xdr.array(domainRef), stats: xdr.uint, flags: xdr.uint });
const allDomainStatsRet = xdr.struct({ retStats: xdr.array(xdr.struct({ dom: domainRef, params: xdr.array(typedParam) })) });
const deviceArgs = xdr.struct({ dom: domainRef, xml: nonnullString, flags: xdr.uint });
const blockResizeArgs = xdr.struct({ dom: domainRef, disk: nonnullString, size: xdr.uhyper, flags: xdr.uint });
const backupBeginArgs = xdr.struct({ dom: domainRef, backup_xml: nonnullString, checkpoint_xml: optionalString, flags: xdr.uint });
const jobStatsRet = xdr.struct({ type: xdr.int, params: xdr.array(typedParam) });
const migrateArgs = xdr.struct({
  dom: domainRef,
  dconnuri: optionalString,
  params: xdr.array(typedParam),
  cookie_in: xdr.opaque(),
  flags: xdr.uint,
});
const migrateRet = xdr.struct({ cookie_out: xdr.opaque() });
const xmlFlagsArgs = xdr.struct({ xml: nonnullString, flags: xdr.uint });
const poolInfoRet = xdr.struct({ state: xdr.uint, capacity: xdr.uhyper, allocation: xdr.uhyper, available: xdr.uhyper });
const listAllPoolsRet = xdr.struct({ pools: xdr.array(storagePoolRef), ret: xdr.uint });
const listAllVolumesArgs = xdr.struct({ pool: storagePoolRef, need_results: xdr.int, flags: xdr.uint });
const listAllVolumesRet = xdr.struct({ vols: xdr.array(storageVolRef), ret: xdr.uint });
const volCreateArgs = xdr.struct({ pool: storagePoolRef, xml: nonnullString, flags: xdr.uint });
const volCreateFromArgs = xdr.struct({ pool: storagePoolRef, xml: nonnullString, clonevol: storageVolRef, flags: xdr.uint });
const volLookupArgs = xdr.struct({ pool: storagePoolRef, name: nonnullString });
const volInfoRet = xdr.struct({ type: xdr.int, capacity: xdr.uhyper, allocation: xdr.uhyper });
const volResizeArgs = xdr.struct({ vol: storageVolRef, capacity: xdr.uhyper, flags: xdr.uint });

/** The typed libvirt API over one {@link LibvirtClient}. */
export class LibvirtProcedures {
  /** @param client - the connection the calls go through. */
  constructor(readonly client: LibvirtClient) {}

  private invoke<A, R>(procedure: number, argsCodec: XdrCodec<A>, args: A, retCodec: XdrCodec<R>, options?: CallOptions): Promise<R> {
    return this.client.invoke(procedure, argsCodec, args, retCodec, options);
  }

  /** Closes the connection for good. */
  close(): Promise<void> {
    return this.client.close();
  }

  // ----- host -----

  /** The host's name (`virConnectGetHostname`). */
  async connectGetHostname(): Promise<string> {
    return (await this.invoke(RemoteProcedure.CONNECT_GET_HOSTNAME, none, undefined, xdr.struct({ hostname: nonnullString }))).hostname;
  }

  /** The driver name (`QEMU`, `TEST`) (`virConnectGetType`). */
  async connectGetType(): Promise<string> {
    return (await this.invoke(RemoteProcedure.CONNECT_GET_TYPE, none, undefined, xdr.struct({ type: nonnullString }))).type;
  }

  /** The host's CPUs and memory (`virNodeGetInfo`). */
  async nodeGetInfo(): Promise<NodeInfo> {
    const info = await this.invoke(RemoteProcedure.NODE_GET_INFO, none, undefined, nodeInfoRet);
    return {
      model: info.model,
      memoryKiB: toNumber(info.memory),
      cpus: info.cpus,
      mhz: info.mhz,
      nodes: info.nodes,
      sockets: info.sockets,
      cores: info.cores,
      threads: info.threads,
    };
  }

  /** Free host memory in bytes (`virNodeGetFreeMemory`). */
  async nodeGetFreeMemory(): Promise<number> {
    return toNumber((await this.invoke(RemoteProcedure.NODE_GET_FREE_MEMORY, none, undefined, xdr.struct({ freeMem: xdr.uhyper }))).freeMem);
  }

  /** The capabilities XML: guest types, architectures, host CPU (`virConnectGetCapabilities`). */
  async connectGetCapabilities(): Promise<string> {
    return (await this.invoke(RemoteProcedure.CONNECT_GET_CAPABILITIES, none, undefined, xdr.struct({ capabilities: nonnullString }))).capabilities;
  }

  /** The hypervisor version as major×1,000,000 + minor×1,000 + release (`virConnectGetVersion`). */
  async connectGetVersion(): Promise<number> {
    return toNumber((await this.invoke(RemoteProcedure.CONNECT_GET_VERSION, none, undefined, versionRet)).version);
  }

  /** libvirtd's own version, encoded like {@link LibvirtProcedures.connectGetVersion} (`virConnectGetLibVersion`). */
  async connectGetLibVersion(): Promise<number> {
    return toNumber((await this.invoke(RemoteProcedure.CONNECT_GET_LIB_VERSION, none, undefined, versionRet)).version);
  }

  // ----- domains -----

  /** Domains matching `flags` (`ListAllDomainsFlags`; 0 for all) (`virConnectListAllDomains`). */
  async connectListAllDomains(flags = 0): Promise<DomainRef[]> {
    return (await this.invoke(RemoteProcedure.CONNECT_LIST_ALL_DOMAINS, listAllArgs, { need_results: 1, flags }, listAllDomainsRet)).domains;
  }

  /**
   * Every domain with its state, in one call (`virConnectGetAllDomainStats` with the state group),
   * so the list is a consistent snapshot for reconciliation.
   */
  async connectListDomainsWithState(): Promise<DomainWithState[]> {
    const reply = await this.invoke(
      RemoteProcedure.CONNECT_GET_ALL_DOMAIN_STATS,
      allDomainStatsArgs,
      { doms: [], stats: DomainStatsTypes.STATE, flags: 0 },
      allDomainStatsRet,
    );
    return reply.retStats.map(({ dom, params }) => {
      const read = (field: string): number => {
        const param = params.find((p) => p.field === field);
        return param !== undefined && typeof param.value === 'number' ? param.value : 0;
      };
      return { domain: dom, state: read('state.state') as DomainState, reason: read('state.reason') };
    });
  }

  /** The domain named `name` (`virDomainLookupByName`). */
  async domainLookupByName(name: string): Promise<DomainRef> {
    return (await this.invoke(RemoteProcedure.DOMAIN_LOOKUP_BY_NAME, nameArgs, { name }, domRet)).dom;
  }

  /** The domain with UUID `id` (`virDomainLookupByUUID`). */
  async domainLookupByUuid(id: string): Promise<DomainRef> {
    return (await this.invoke(RemoteProcedure.DOMAIN_LOOKUP_BY_UUID, xdr.struct({ uuid }), { uuid: id }, domRet)).dom;
  }

  /** Defines (or redefines) a persistent domain from XML (`virDomainDefineXMLFlags`). */
  async domainDefineXml(xml: string, flags = 0): Promise<DomainRef> {
    return (await this.invoke(RemoteProcedure.DOMAIN_DEFINE_XML_FLAGS, xmlFlagsArgs, { xml, flags }, domRet)).dom;
  }

  /** Creates and starts a transient domain from XML (`virDomainCreateXML`). */
  async domainCreateXml(xml: string, flags = 0): Promise<DomainRef> {
    return (await this.invoke(RemoteProcedure.DOMAIN_CREATE_XML, xdr.struct({ xml_desc: nonnullString, flags: xdr.uint }), { xml_desc: xml, flags }, domRet)).dom;
  }

  /** Starts a defined domain; returns it with its new id (`virDomainCreateWithFlags`). */
  async domainCreate(dom: DomainRef, flags = 0): Promise<DomainRef> {
    return (await this.invoke(RemoteProcedure.DOMAIN_CREATE_WITH_FLAGS, domFlagsArgs, { dom, flags }, domRet)).dom;
  }

  /** Stops a domain at once, like pulling the plug (`virDomainDestroyFlags`). */
  async domainDestroy(dom: DomainRef, flags = 0): Promise<void> {
    await this.invoke(RemoteProcedure.DOMAIN_DESTROY_FLAGS, domFlagsArgs, { dom, flags }, none);
  }

  /** Asks the guest to shut down (ACPI or agent) (`virDomainShutdownFlags`). */
  async domainShutdown(dom: DomainRef, flags = 0): Promise<void> {
    await this.invoke(RemoteProcedure.DOMAIN_SHUTDOWN_FLAGS, domFlagsArgs, { dom, flags }, none);
  }

  /** Asks the guest to reboot (`virDomainReboot`). */
  async domainReboot(dom: DomainRef, flags = 0): Promise<void> {
    await this.invoke(RemoteProcedure.DOMAIN_REBOOT, domFlagsArgs, { dom, flags }, none);
  }

  /** Pauses a running domain (`virDomainSuspend`). */
  async domainSuspend(dom: DomainRef): Promise<void> {
    await this.invoke(RemoteProcedure.DOMAIN_SUSPEND, domArgs, { dom }, none);
  }

  /** Resumes a paused domain (`virDomainResume`). */
  async domainResume(dom: DomainRef): Promise<void> {
    await this.invoke(RemoteProcedure.DOMAIN_RESUME, domArgs, { dom }, none);
  }

  /** Removes a domain's persistent definition (`virDomainUndefineFlags`). */
  async domainUndefine(dom: DomainRef, flags = 0): Promise<void> {
    await this.invoke(RemoteProcedure.DOMAIN_UNDEFINE_FLAGS, domFlagsArgs, { dom, flags }, none);
  }

  /** The domain XML (`DomainXmlFlags`) (`virDomainGetXMLDesc`). */
  async domainGetXmlDesc(dom: DomainRef, flags = 0): Promise<string> {
    return (await this.invoke(RemoteProcedure.DOMAIN_GET_XML_DESC, domFlagsArgs, { dom, flags }, xmlRet)).xml;
  }

  /** The domain's state and its reason (`virDomainGetState`). */
  async domainGetState(dom: DomainRef): Promise<DomainStateInfo> {
    const reply = await this.invoke(RemoteProcedure.DOMAIN_GET_STATE, domFlagsArgs, { dom, flags: 0 }, domainStateRet);
    return { state: reply.state as DomainState, reason: reply.reason };
  }

  /** State, memory, vCPUs and CPU time (`virDomainGetInfo`). */
  async domainGetInfo(dom: DomainRef): Promise<DomainInfo> {
    const info = await this.invoke(RemoteProcedure.DOMAIN_GET_INFO, domArgs, { dom }, domainInfoRet);
    return {
      state: info.state as DomainState,
      maxMemKiB: toNumber(info.maxMem),
      memoryKiB: toNumber(info.memory),
      vcpus: info.nrVirtCpu,
      cpuTimeNs: info.cpuTime,
    };
  }

  /** Hot-plugs (`LIVE`) and/or persists (`CONFIG`) a device from its XML (`virDomainAttachDeviceFlags`). */
  async domainAttachDevice(dom: DomainRef, xml: string, flags = 0): Promise<void> {
    await this.invoke(RemoteProcedure.DOMAIN_ATTACH_DEVICE_FLAGS, deviceArgs, { dom, xml, flags }, none);
  }

  /** Unplugs and/or removes a device given by its XML (`virDomainDetachDeviceFlags`). */
  async domainDetachDevice(dom: DomainRef, xml: string, flags = 0): Promise<void> {
    await this.invoke(RemoteProcedure.DOMAIN_DETACH_DEVICE_FLAGS, deviceArgs, { dom, xml, flags }, none);
  }

  /**
   * Resizes a running domain's disk in place (`virDomainBlockResize` with
   * `VIR_DOMAIN_BLOCK_RESIZE_BYTES`): QEMU grows the image it holds open and the guest sees the
   * new size. `disk` is the target device (`vdb`) or the source path.
   */
  async domainBlockResize(dom: DomainRef, disk: string, sizeBytes: number | bigint): Promise<void> {
    await this.invoke(RemoteProcedure.DOMAIN_BLOCK_RESIZE, blockResizeArgs, { dom, disk, size: BigInt(sizeBytes), flags: BlockResizeFlags.BYTES }, none);
  }

  /**
   * Starts a push-mode backup (`virDomainBackupBegin`): QEMU copies a point-in-time image of the
   * disks the backup XML selects into their targets while the domain runs. Resolves once the job
   * has started; {@link domainGetJobStats} follows it.
   */
  async domainBackupBegin(dom: DomainRef, backupXml: string, flags = 0): Promise<void> {
    await this.invoke(RemoteProcedure.DOMAIN_BACKUP_BEGIN, backupBeginArgs, { dom, backup_xml: backupXml, checkpoint_xml: null, flags }, none);
  }

  /** The domain's running job, or with `JobStatsFlags.COMPLETED` its last finished one (`virDomainGetJobStats`). */
  async domainGetJobStats(dom: DomainRef, flags = 0): Promise<DomainJobStats> {
    const ret = await this.invoke(RemoteProcedure.DOMAIN_GET_JOB_STATS, domFlagsArgs, { dom, flags }, jobStatsRet);
    return { type: ret.type as DomainJobType, params: ret.params };
  }

  /**
   * Peer-to-peer migration (`virDomainMigratePerform3Params` with `VIR_MIGRATE_PEER2PEER`): the
   * source libvirtd connects to `destinationUri` (as the source host sees it, e.g.
   * `qemu+tcp://10.0.0.2/system`) and drives the whole migration, as CloudStack does inside a
   * cluster. Resolves when the migration has finished.
   */
  async domainMigrate(dom: DomainRef, destinationUri: string, options: MigrateOptions = {}): Promise<void> {
    let flags = MigrateFlags.PEER2PEER;
    if (options.live ?? true) flags |= MigrateFlags.LIVE;
    if (options.persistDestination === true) flags |= MigrateFlags.PERSIST_DEST;
    if (options.undefineSource === true) flags |= MigrateFlags.UNDEFINE_SOURCE;
    const params: TypedParam[] = [];
    if (options.migrateUri !== undefined) params.push({ field: 'migrate_uri', type: 'string', value: options.migrateUri });
    if (options.bandwidthMiBs !== undefined) params.push({ field: 'bandwidth', type: 'ullong', value: BigInt(options.bandwidthMiBs) });
    params.push(...(options.extraParams ?? []));
    await this.invoke(
      RemoteProcedure.DOMAIN_MIGRATE_PERFORM3_PARAMS,
      migrateArgs,
      { dom, dconnuri: destinationUri, params, cookie_in: Buffer.alloc(0), flags },
      migrateRet,
      // A migration copies a guest's memory; it legitimately outlasts an ordinary call.
      { timeoutMs: 30 * 60_000 },
    );
  }

  /** Calls `listener` for lifecycle events of `dom`, or of every domain (see `subscribeDomainLifecycle`). */
  onDomainLifecycle(listener: (event: DomainLifecycleEvent) => void, dom: DomainRef | null = null): Promise<DomainEventSubscription> {
    return subscribeDomainLifecycle(this.client, listener, dom);
  }

  // ----- storage pools -----

  /** Defines a persistent pool from XML (`virStoragePoolDefineXML`). */
  async storagePoolDefineXml(xml: string, flags = 0): Promise<StoragePoolRef> {
    return (await this.invoke(RemoteProcedure.STORAGE_POOL_DEFINE_XML, xmlFlagsArgs, { xml, flags }, poolRet)).pool;
  }

  /** Builds a pool's backing (a dir pool's directory) (`virStoragePoolBuild`). */
  async storagePoolBuild(pool: StoragePoolRef, flags = 0): Promise<void> {
    await this.invoke(RemoteProcedure.STORAGE_POOL_BUILD, poolFlagsArgs, { pool, flags }, none);
  }

  /** Starts a defined pool (`virStoragePoolCreate`). */
  async storagePoolCreate(pool: StoragePoolRef, flags = 0): Promise<void> {
    await this.invoke(RemoteProcedure.STORAGE_POOL_CREATE, poolFlagsArgs, { pool, flags }, none);
  }

  /** Stops a pool, keeping its definition and data (`virStoragePoolDestroy`). */
  async storagePoolDestroy(pool: StoragePoolRef): Promise<void> {
    await this.invoke(RemoteProcedure.STORAGE_POOL_DESTROY, poolArgs, { pool }, none);
  }

  /** Removes a stopped pool's definition (`virStoragePoolUndefine`). */
  async storagePoolUndefine(pool: StoragePoolRef): Promise<void> {
    await this.invoke(RemoteProcedure.STORAGE_POOL_UNDEFINE, poolArgs, { pool }, none);
  }

  /** The pool named `name` (`virStoragePoolLookupByName`). */
  async storagePoolLookupByName(name: string): Promise<StoragePoolRef> {
    return (await this.invoke(RemoteProcedure.STORAGE_POOL_LOOKUP_BY_NAME, nameArgs, { name }, poolRet)).pool;
  }

  /** Rescans the pool's volumes and sizes (`virStoragePoolRefresh`). */
  async storagePoolRefresh(pool: StoragePoolRef, flags = 0): Promise<void> {
    await this.invoke(RemoteProcedure.STORAGE_POOL_REFRESH, poolFlagsArgs, { pool, flags }, none);
  }

  /** State and sizes (`virStoragePoolGetInfo`). */
  async storagePoolGetInfo(pool: StoragePoolRef): Promise<StoragePoolInfo> {
    const info = await this.invoke(RemoteProcedure.STORAGE_POOL_GET_INFO, poolArgs, { pool }, poolInfoRet);
    return {
      state: info.state as StoragePoolState,
      capacity: toNumber(info.capacity),
      allocation: toNumber(info.allocation),
      available: toNumber(info.available),
    };
  }

  /** The pool XML (`virStoragePoolGetXMLDesc`). */
  async storagePoolGetXmlDesc(pool: StoragePoolRef, flags = 0): Promise<string> {
    return (await this.invoke(RemoteProcedure.STORAGE_POOL_GET_XML_DESC, poolFlagsArgs, { pool, flags }, xmlRet)).xml;
  }

  /** Pools matching `flags` (`ListAllStoragePoolsFlags`; 0 for all) (`virConnectListAllStoragePools`). */
  async connectListAllStoragePools(flags = 0): Promise<StoragePoolRef[]> {
    return (await this.invoke(RemoteProcedure.CONNECT_LIST_ALL_STORAGE_POOLS, listAllArgs, { need_results: 1, flags }, listAllPoolsRet)).pools;
  }

  /** The volumes of a pool (`virStoragePoolListAllVolumes`). */
  async storagePoolListAllVolumes(pool: StoragePoolRef): Promise<StorageVolRef[]> {
    return (await this.invoke(RemoteProcedure.STORAGE_POOL_LIST_ALL_VOLUMES, listAllVolumesArgs, { pool, need_results: 1, flags: 0 }, listAllVolumesRet)).vols;
  }

  // ----- storage volumes -----

  /** Creates a volume from XML (`virStorageVolCreateXML`). */
  async storageVolCreateXml(pool: StoragePoolRef, xml: string, flags = 0): Promise<StorageVolRef> {
    return (await this.invoke(RemoteProcedure.STORAGE_VOL_CREATE_XML, volCreateArgs, { pool, xml, flags }, volRet)).vol;
  }

  /** Creates a volume as a copy of `source`, e.g. a root disk from a template (`virStorageVolCreateXMLFrom`). */
  async storageVolCreateXmlFrom(pool: StoragePoolRef, xml: string, source: StorageVolRef, flags = 0): Promise<StorageVolRef> {
    return (await this.invoke(RemoteProcedure.STORAGE_VOL_CREATE_XML_FROM, volCreateFromArgs, { pool, xml, clonevol: source, flags }, volRet)).vol;
  }

  /** Deletes a volume (`virStorageVolDelete`). */
  async storageVolDelete(vol: StorageVolRef, flags = 0): Promise<void> {
    await this.invoke(RemoteProcedure.STORAGE_VOL_DELETE, volFlagsArgs, { vol, flags }, none);
  }

  /** Sets a volume's capacity in bytes (`VolResizeFlags`) (`virStorageVolResize`). */
  async storageVolResize(vol: StorageVolRef, capacity: number | bigint, flags = 0): Promise<void> {
    await this.invoke(RemoteProcedure.STORAGE_VOL_RESIZE, volResizeArgs, { vol, capacity: BigInt(capacity), flags }, none);
  }

  /** Type and sizes (`virStorageVolGetInfo`). */
  async storageVolGetInfo(vol: StorageVolRef): Promise<StorageVolInfo> {
    const info = await this.invoke(RemoteProcedure.STORAGE_VOL_GET_INFO, volArgs, { vol }, volInfoRet);
    return { type: info.type, capacity: toNumber(info.capacity), allocation: toNumber(info.allocation) };
  }

  /** The volume named `name` in `pool` (`virStorageVolLookupByName`). */
  async storageVolLookupByName(pool: StoragePoolRef, name: string): Promise<StorageVolRef> {
    return (await this.invoke(RemoteProcedure.STORAGE_VOL_LOOKUP_BY_NAME, volLookupArgs, { pool, name }, volRet)).vol;
  }

  /** The volume's path on the host (`virStorageVolGetPath`). */
  async storageVolGetPath(vol: StorageVolRef): Promise<string> {
    return (await this.invoke(RemoteProcedure.STORAGE_VOL_GET_PATH, volArgs, { vol }, xdr.struct({ name: nonnullString }))).name;
  }
}

/** `9000000` → `9.0.0`: libvirt's packed version numbers as text. */
export function formatLibvirtVersion(version: number): string {
  return `${Math.floor(version / 1_000_000)}.${Math.floor(version / 1_000) % 1_000}.${version % 1_000}`;
}
