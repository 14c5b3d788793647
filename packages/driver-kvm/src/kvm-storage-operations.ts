/**
 * Storage pools and volumes over one host's libvirt connection: what the KVM primary-storage
 * driver and the VM calls share. Each call is idempotent (an existing pool or volume is reused, a
 * missing one on delete is success) and leaves libvirt's own error on failure.
 */
import { StoragePoolState, VolResizeFlags } from './libvirt-constants.js';
import { isLibvirtError, LibvirtError, VirErrorCode } from './libvirt-error.js';
import type { LibvirtProcedures, StorageVolInfo } from './procedures.js';
import type { StoragePoolRef, StorageVolRef } from './remote-types.js';
import { renderPoolXml, renderVolumeXml, type KvmPoolDefinition, type KvmVolumeFormat } from './storage-pool-definition.js';

/** A pool's size and use in bytes, as libvirt reports them after a refresh. */
export interface KvmPoolCapacity {
  /** Logical size. */
  readonly capacityBytes: number;
  /** Bytes allocated. */
  readonly usedBytes: number;
  /** Bytes free. */
  readonly availableBytes: number;
}

/** A volume found or made on a pool. */
export interface KvmVolume {
  /** The libvirt volume. */
  readonly ref: StorageVolRef;
  /** Its sizes. */
  readonly info: StorageVolInfo;
}

/** The pool named `name`, or undefined when the host has none. */
export async function findPool(libvirt: LibvirtProcedures, name: string): Promise<StoragePoolRef | undefined> {
  try {
    return await libvirt.storagePoolLookupByName(name);
  } catch (error) {
    if (isLibvirtError(error, VirErrorCode.VIR_ERR_NO_STORAGE_POOL)) return undefined;
    throw error;
  }
}

/**
 * Makes the pool exist and run on the host: defines it when absent (building the directory of a
 * dir or netfs pool: a logical pool's volume group and an RBD pool exist beforehand, and building
 * them would wipe them), starts it when inactive, and returns it. An existing pool of that name
 * is kept as defined.
 */
export async function ensurePool(libvirt: LibvirtProcedures, definition: KvmPoolDefinition): Promise<StoragePoolRef> {
  let pool = await findPool(libvirt, definition.name);
  let defined = false;
  if (pool === undefined) {
    pool = await libvirt.storagePoolDefineXml(renderPoolXml(definition));
    defined = true;
  }
  try {
    if ((await libvirt.storagePoolGetInfo(pool)).state !== StoragePoolState.RUNNING) {
      if (definition.type === 'dir' || definition.type === 'netfs') await libvirt.storagePoolBuild(pool);
      await libvirt.storagePoolCreate(pool);
    }
  } catch (error) {
    // A pool this call defined but could not start is not left behind.
    if (defined) await libvirt.storagePoolUndefine(pool).catch(() => undefined);
    throw error;
  }
  return pool;
}

/** Stops and undefines the pool, keeping the data on its storage. A missing pool is success. */
export async function removePool(libvirt: LibvirtProcedures, name: string): Promise<void> {
  const pool = await findPool(libvirt, name);
  if (pool === undefined) return;
  try {
    await libvirt.storagePoolDestroy(pool);
  } catch (error) {
    if (!isLibvirtError(error, VirErrorCode.VIR_ERR_OPERATION_INVALID)) throw error; // not active
  }
  try {
    await libvirt.storagePoolUndefine(pool);
  } catch (error) {
    if (!isLibvirtError(error, VirErrorCode.VIR_ERR_NO_STORAGE_POOL)) throw error;
  }
}

/** Rescans the pool (another host may have changed it) and reports its capacity. */
export async function poolCapacityOf(libvirt: LibvirtProcedures, pool: StoragePoolRef): Promise<KvmPoolCapacity> {
  await libvirt.storagePoolRefresh(pool);
  const info = await libvirt.storagePoolGetInfo(pool);
  return { capacityBytes: info.capacity, usedBytes: info.allocation, availableBytes: info.available };
}

/**
 * The volume `name` on `pool`, or undefined. A miss rescans the pool once first: on shared
 * storage another host may have created the volume since this host last looked.
 */
export async function findVolume(libvirt: LibvirtProcedures, pool: StoragePoolRef, name: string): Promise<KvmVolume | undefined> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const ref = await libvirt.storageVolLookupByName(pool, name);
      return { ref, info: await libvirt.storageVolGetInfo(ref) };
    } catch (error) {
      if (!isLibvirtError(error, VirErrorCode.VIR_ERR_NO_STORAGE_VOL)) throw error;
      if (attempt === 0) await libvirt.storagePoolRefresh(pool);
    }
  }
  return undefined;
}

/** The volume `name` on `pool`; rejects with `VIR_ERR_NO_STORAGE_VOL` when it is not there. */
export async function requireVolume(libvirt: LibvirtProcedures, pool: StoragePoolRef, name: string): Promise<KvmVolume> {
  const volume = await findVolume(libvirt, pool, name);
  if (volume === undefined) throw LibvirtError.client(VirErrorCode.VIR_ERR_NO_STORAGE_VOL, `Storage volume not found: no volume ${name} on pool ${pool.name}`);
  return volume;
}

/** Creates an empty volume of `capacityBytes` (an existing one of that name is returned as is). */
export async function createVolume(libvirt: LibvirtProcedures, pool: StoragePoolRef, name: string, capacityBytes: number, format: KvmVolumeFormat): Promise<KvmVolume> {
  const existing = await findVolume(libvirt, pool, name);
  if (existing !== undefined) return existing;
  const ref = await libvirt.storageVolCreateXml(pool, renderVolumeXml(name, capacityBytes, format));
  return { ref, info: await libvirt.storageVolGetInfo(ref) };
}

/**
 * Creates `name` on `pool` as a full copy of `source` (any pool of the host), converted to
 * `format`, at least `capacityBytes` large: libvirt copies at the source's size, so a larger
 * volume is grown afterwards. An existing volume of that name is returned as is.
 */
export async function cloneVolume(libvirt: LibvirtProcedures, pool: StoragePoolRef, name: string, source: KvmVolume, capacityBytes: number, format: KvmVolumeFormat): Promise<KvmVolume> {
  const existing = await findVolume(libvirt, pool, name);
  if (existing !== undefined) return existing;
  const wanted = Math.max(capacityBytes, source.info.capacity);
  const ref = await libvirt.storageVolCreateXmlFrom(pool, renderVolumeXml(name, wanted, format), source.ref);
  try {
    let info = await libvirt.storageVolGetInfo(ref);
    if (info.capacity < wanted) {
      await libvirt.storageVolResize(ref, wanted);
      info = await libvirt.storageVolGetInfo(ref);
    }
    return { ref, info };
  } catch (error) {
    await libvirt.storageVolDelete(ref).catch(() => undefined);
    throw error;
  }
}

/** Deletes the volume `name` from `pool`; a missing volume is success. */
export async function deleteVolume(libvirt: LibvirtProcedures, pool: StoragePoolRef, name: string): Promise<void> {
  const volume = await findVolume(libvirt, pool, name);
  if (volume === undefined) return;
  try {
    await libvirt.storageVolDelete(volume.ref);
  } catch (error) {
    if (!isLibvirtError(error, VirErrorCode.VIR_ERR_NO_STORAGE_VOL)) throw error;
  }
}

/** Sets a volume's capacity (shrinking only when asked by a smaller size) and reports it again. */
export async function resizeVolume(libvirt: LibvirtProcedures, volume: KvmVolume, capacityBytes: number): Promise<KvmVolume> {
  if (volume.info.capacity !== capacityBytes) {
    await libvirt.storageVolResize(volume.ref, capacityBytes, capacityBytes < volume.info.capacity ? VolResizeFlags.SHRINK : 0);
  }
  return { ref: volume.ref, info: await libvirt.storageVolGetInfo(volume.ref) };
}
