/**
 * A VM's disks made ready on its host before the domain is defined, as CloudStack 4.1's KVM agent
 * does for a `StartCommand`: each disk's pool is defined and running on the host (a host that
 * joined the cluster after the pool was attached gets it here), and a ROOT volume that does not
 * exist yet is created from its template:
 *
 * 1. the template's image is cached on the primary pool once, as volume `template-<template id>`
 *    (CloudStack's `PrimaryStorageDownloadCommand`), copied from where the driver's
 *    `templateSource` says the host can read it (the zone's secondary storage defined as a
 *    libvirt pool, for instance);
 * 2. the ROOT volume is a qcow2 linked clone of that cached image on file pools (NFS,
 *    SharedMountPoint), a full copy on block and network pools (CLVM, RBD), at least the
 *    disk's size.
 *
 * A ROOT disk with no template is created blank only when the VM boots from an ISO; a data disk
 * is never created here (core creates it through the primary-storage driver first), so a volume
 * that went missing is reported, not silently replaced by an empty one.
 */
import { createHash } from 'node:crypto';
import type { VmDiskSpec, VmSpec } from '@cloudstack-sdk/core';
import { xmlElement, xmlText } from './domain-xml.js';
import { LibvirtError, VirErrorCode } from './libvirt-error.js';
import { cloneVolume, createVolume, ensurePool, findPool, findVolume, requireVolume, type KvmVolume } from './kvm-storage-operations.js';
import type { LibvirtProcedures } from './procedures.js';
import type { StoragePoolRef } from './remote-types.js';
import { poolDefinitionFromUrl, type KvmPoolDefinition, type KvmPoolLayoutOptions } from './storage-pool-definition.js';

/** Where a template's image is on a host: a volume of a libvirt pool. */
export interface TemplateImageLocation {
  /** The libvirt pool's name. */
  readonly pool: string;
  /** The volume's name in it. */
  readonly volume: string;
}

/** How disks are prepared. */
export interface KvmDiskOptions extends KvmPoolLayoutOptions {
  /**
   * Where a host reads a template's image that is not cached on the primary pool yet, from the
   * template's install path on secondary storage; undefined when the host cannot. Without it,
   * only templates already cached on a pool (volume {@link templateVolumeName}) can be deployed.
   */
  readonly templateSource?: (templatePath: string) => TemplateImageLocation | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The name of a template's cached image on a primary pool: `template-<template id>`, the id
 * being the install path's last UUID segment (`template/tmpl/<account>/<template id>`), or a
 * digest of the path when it has none.
 */
export function templateVolumeName(templatePath: string): string {
  const id = templatePath
    .split('/')
    .map((segment) => segment.replace(/\.[a-z0-9]+$/i, ''))
    .reverse()
    .find((segment) => UUID.test(segment));
  return `template-${id?.toLowerCase() ?? createHash('sha256').update(templatePath).digest('hex').slice(0, 32)}`;
}

/** Makes every disk of `spec` ready on the host (see the module comment). */
export async function prepareDisks(libvirt: LibvirtProcedures, spec: VmSpec, options: KvmDiskOptions = {}): Promise<void> {
  for (const disk of spec.disks) await prepareDisk(libvirt, spec, disk, options);
}

async function prepareDisk(libvirt: LibvirtProcedures, spec: VmSpec, disk: VmDiskSpec, options: KvmDiskOptions): Promise<void> {
  const definition = poolDefinitionFromUrl(disk.poolId, disk.poolUrl, options);
  const pool = await ensurePool(libvirt, definition);
  if ((await findVolume(libvirt, pool, disk.volumeId)) !== undefined) return;
  if (disk.type === 'ROOT' && disk.templatePath !== undefined) {
    const template = await cachedTemplate(libvirt, pool, definition, disk.templatePath, options);
    await cloneRoot(libvirt, pool, definition, disk, template);
    return;
  }
  if (disk.type === 'ROOT' && spec.iso?.bootable === true) {
    await createVolume(libvirt, pool, disk.volumeId, disk.sizeBytes, definition.volumeFormat);
    return;
  }
  throw LibvirtError.client(
    VirErrorCode.VIR_ERR_NO_STORAGE_VOL,
    disk.type === 'ROOT'
      ? `Storage volume not found: ROOT disk ${disk.volumeId} of VM ${spec.name} is not on pool ${disk.poolId} and the VM has neither a template image nor a bootable ISO`
      : `Storage volume not found: data disk ${disk.volumeId} of VM ${spec.name} is not on pool ${disk.poolId}`,
  );
}

/** The template's image on the primary pool, copied there from `templateSource` the first time. */
async function cachedTemplate(libvirt: LibvirtProcedures, pool: StoragePoolRef, definition: KvmPoolDefinition, templatePath: string, options: KvmDiskOptions): Promise<KvmVolume> {
  const name = templateVolumeName(templatePath);
  const cached = await findVolume(libvirt, pool, name);
  if (cached !== undefined) return cached;
  const location = options.templateSource?.(templatePath);
  if (location === undefined) {
    throw LibvirtError.client(
      VirErrorCode.VIR_ERR_NO_STORAGE_VOL,
      `Storage volume not found: template image ${templatePath} is not cached on pool ${definition.name} (volume ${name}) and the driver has no template source for it`,
    );
  }
  const sourcePool = await findPool(libvirt, location.pool);
  if (sourcePool === undefined) throw LibvirtError.client(VirErrorCode.VIR_ERR_NO_STORAGE_POOL, `Storage pool not found: template source pool ${location.pool} is not on the host`);
  const source = await requireVolume(libvirt, sourcePool, location.volume);
  return cloneVolume(libvirt, pool, name, source, source.info.capacity, definition.volumeFormat);
}

/** The ROOT volume from the cached template: linked qcow2 clone on file pools, full copy elsewhere. */
async function cloneRoot(libvirt: LibvirtProcedures, pool: StoragePoolRef, definition: KvmPoolDefinition, disk: VmDiskSpec, template: KvmVolume): Promise<void> {
  if (definition.volumeFormat !== 'qcow2') {
    await cloneVolume(libvirt, pool, disk.volumeId, template, disk.sizeBytes, definition.volumeFormat);
    return;
  }
  const backingPath = await libvirt.storageVolGetPath(template.ref);
  const capacity = Math.max(disk.sizeBytes, template.info.capacity);
  await libvirt.storageVolCreateXml(
    pool,
    xmlElement('volume', {}, [
      xmlText('name', disk.volumeId),
      xmlText('capacity', capacity, { unit: 'bytes' }),
      xmlText('allocation', 0, { unit: 'bytes' }),
      xmlElement('target', {}, xmlElement('format', { type: 'qcow2' })),
      xmlElement('backingStore', {}, [xmlText('path', backingPath), xmlElement('format', { type: 'qcow2' })]),
    ]),
  );
}
