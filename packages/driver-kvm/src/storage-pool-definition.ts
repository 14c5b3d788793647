/**
 * Primary-storage pools as libvirt storage pools, one per protocol, as CloudStack 4.1's KVM agent
 * (`LibvirtStorageAdaptor`) defines them on every host of the cluster:
 *
 * | protocol | libvirt pool | source | target |
 * |---|---|---|---|
 * | `NFS` | `netfs` (format `nfs`) | `<host name=server/>`, `<dir path=path/>` | `<mountParent>/<pool id>` (`/mnt/<uuid>`) |
 * | `SharedMountPoint` | `dir` | — | the mount path |
 * | `CLVM` | `logical` | `<name>` = the volume group | `/dev/<vg>` |
 * | `RBD` | `rbd` | `<host name=monitor port=…/>`, `<name>` = the RADOS pool | — |
 *
 * The libvirt pool's name is the cloud pool's id (and, when that is a UUID, its UUID too), so the
 * domain XML can name a disk as `<source pool='<pool id>' volume='<volume id>'/>` on any host.
 * Volumes are qcow2 on file pools (NFS, SharedMountPoint) and raw on block and network pools
 * (CLVM, RBD), which QEMU cannot layer qcow2 on in CloudStack's layout.
 */
import type { PrimaryPoolSpec, StorageProtocol, VmDiskSpec } from '@cloudstack-sdk/core';
import { xmlElement, xmlText } from './domain-xml.js';
import { LibvirtError, VirErrorCode } from './libvirt-error.js';

/** The libvirt pool types the KVM driver defines. */
export type KvmPoolType = 'netfs' | 'dir' | 'logical' | 'rbd';

/** Disk image formats of volumes on KVM pools. */
export type KvmVolumeFormat = 'qcow2' | 'raw';

/** The protocols the KVM driver attaches, with their libvirt pool type. */
export const KVM_POOL_TYPE_BY_PROTOCOL: Readonly<Partial<Record<StorageProtocol, KvmPoolType>>> = {
  NFS: 'netfs',
  SharedMountPoint: 'dir',
  CLVM: 'logical',
  RBD: 'rbd',
};

/** The protocols {@link KVM_POOL_TYPE_BY_PROTOCOL} handles. */
export const KVM_STORAGE_PROTOCOLS: readonly StorageProtocol[] = Object.keys(KVM_POOL_TYPE_BY_PROTOCOL) as StorageProtocol[];

/** How pools are laid out on the hosts. */
export interface KvmPoolLayoutOptions {
  /** Where NFS pools are mounted on the hosts, one directory per pool id; `/mnt` by default (CloudStack's `mount.path`). */
  readonly mountParent?: string;
  /** The format of volumes on file pools (NFS, SharedMountPoint); `qcow2` by default (block and network pools are raw). */
  readonly diskFormat?: KvmVolumeFormat;
}

/** One libvirt storage pool, as the driver defines it. */
export interface KvmPoolDefinition {
  /** The cloud pool's id: the libvirt pool's name. */
  readonly name: string;
  /** The libvirt pool type. */
  readonly type: KvmPoolType;
  /** NFS server or Ceph monitor. */
  readonly sourceHost?: string;
  /** Ceph monitor port, when the server named one. */
  readonly sourcePort?: number;
  /** The NFS export. */
  readonly sourceDir?: string;
  /** The volume group (CLVM) or RADOS pool (RBD). */
  readonly sourceName?: string;
  /** The directory or device path on the host (none for RBD). */
  readonly targetPath?: string;
  /** The format of volumes created on it. */
  readonly volumeFormat: KvmVolumeFormat;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function refuse(message: string): LibvirtError {
  return LibvirtError.client(VirErrorCode.VIR_ERR_INVALID_ARG, message);
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

/** `server` or `server:port` as host and optional port. */
function hostAndPort(server: string): { host: string; port?: number } {
  const match = /^\[?([^\]]+?)\]?(?::(\d{1,5}))?$/.exec(server.trim());
  if (match?.[1] === undefined) throw refuse(`not a server address: ${server}`);
  return match[2] === undefined ? { host: match[1] } : { host: match[1], port: Number(match[2]) };
}

function requireField(value: string | undefined, field: string, protocol: StorageProtocol): string {
  if (value === undefined || value.trim() === '') throw refuse(`a ${protocol} pool needs a ${field}`);
  return value.trim();
}

/** The libvirt pool for a cloud pool's protocol and fields. Throws `VIR_ERR_INVALID_ARG` for a protocol KVM does not attach. */
export function poolDefinitionOf(spec: Pick<PrimaryPoolSpec, 'poolId' | 'protocol' | 'server' | 'path'>, options: KvmPoolLayoutOptions = {}): KvmPoolDefinition {
  const type = KVM_POOL_TYPE_BY_PROTOCOL[spec.protocol];
  if (type === undefined) throw refuse(`KVM hosts do not attach ${spec.protocol} primary storage (they take ${KVM_STORAGE_PROTOCOLS.join(', ')})`);
  const fileFormat = options.diskFormat ?? 'qcow2';
  switch (type) {
    case 'netfs': {
      const path = requireField(spec.path, 'path', spec.protocol);
      return {
        name: spec.poolId,
        type,
        sourceHost: requireField(spec.server, 'server', spec.protocol),
        sourceDir: `/${trimSlashes(path)}`,
        targetPath: `${(options.mountParent ?? '/mnt').replace(/\/+$/, '')}/${spec.poolId}`,
        volumeFormat: fileFormat,
      };
    }
    case 'dir':
      return { name: spec.poolId, type, targetPath: `/${trimSlashes(requireField(spec.path, 'path', spec.protocol))}`, volumeFormat: fileFormat };
    case 'logical': {
      const group = trimSlashes(requireField(spec.path, 'path', spec.protocol));
      if (group === '' || group.includes('/')) throw refuse(`a CLVM pool's path is its volume group's name, got ${spec.path}`);
      return { name: spec.poolId, type, sourceName: group, targetPath: `/dev/${group}`, volumeFormat: 'raw' };
    }
    case 'rbd': {
      const { host, port } = hostAndPort(requireField(spec.server, 'server', spec.protocol));
      const pool = trimSlashes(requireField(spec.path, 'path', spec.protocol));
      if (pool === '' || pool.includes('/')) throw refuse(`an RBD pool's path is the RADOS pool's name, got ${spec.path}`);
      return { name: spec.poolId, type, sourceHost: host, ...(port === undefined ? {} : { sourcePort: port }), sourceName: pool, volumeFormat: 'raw' };
    }
  }
}

/** The protocol a pool URL names (`nfs://`, `sharedmountpoint://`, `clvm://`, `rbd://`), or undefined. */
export function protocolOfPoolUrl(url: string): StorageProtocol | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'nfs':
      return 'NFS';
    case 'sharedmountpoint':
      return 'SharedMountPoint';
    case 'clvm':
      return 'CLVM';
    case 'rbd':
      return 'RBD';
    default:
      return undefined;
  }
}

/**
 * The libvirt pool for a disk's pool, from the pool URL core stores (`nfs://10.1.1.5/export/primary`,
 * `sharedmountpoint://localhost/mnt/shared`, `clvm://localhost/vg0`, `rbd://mon:6789/rbdpool`): what
 * a host that joined the cluster after the pool was attached needs to define it before a VM starts.
 */
export function poolDefinitionFromUrl(poolId: string, url: string, options: KvmPoolLayoutOptions = {}): KvmPoolDefinition {
  const protocol = protocolOfPoolUrl(url);
  if (protocol === undefined) throw refuse(`pool ${poolId} has a URL KVM hosts cannot attach: ${url}`);
  const rest = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : decodeURIComponent(rest.slice(slash));
  return poolDefinitionOf({ poolId, protocol, server: authority, path }, options);
}

/** The pool XML `virStoragePoolDefineXML` takes for a definition. */
export function renderPoolXml(pool: KvmPoolDefinition): string {
  const source: string[] = [];
  if (pool.sourceHost !== undefined) source.push(xmlElement('host', { name: pool.sourceHost, port: pool.sourcePort }));
  if (pool.sourceDir !== undefined) source.push(xmlElement('dir', { path: pool.sourceDir }));
  if (pool.sourceName !== undefined) source.push(xmlText('name', pool.sourceName));
  if (pool.type === 'netfs') source.push(xmlElement('format', { type: 'nfs' }));
  if (pool.type === 'logical') source.push(xmlElement('format', { type: 'lvm2' }));
  return xmlElement('pool', { type: pool.type }, [
    xmlText('name', pool.name),
    ...(UUID.test(pool.name) ? [xmlText('uuid', pool.name.toLowerCase())] : []),
    ...(source.length === 0 ? [] : [xmlElement('source', {}, source)]),
    ...(pool.targetPath === undefined ? [] : [xmlElement('target', {}, xmlText('path', pool.targetPath))]),
  ]);
}

/**
 * The volume XML for `virStorageVolCreateXML(From)`: thin qcow2 on file pools (allocation 0),
 * raw of the full size elsewhere (a logical volume with a smaller allocation would be an LVM
 * snapshot, not a thin volume).
 */
export function renderVolumeXml(name: string, capacityBytes: number, format: KvmVolumeFormat): string {
  if (!Number.isSafeInteger(capacityBytes) || capacityBytes <= 0) throw refuse(`not a volume size: ${capacityBytes} bytes`);
  return xmlElement('volume', {}, [
    xmlText('name', name),
    xmlText('capacity', capacityBytes, { unit: 'bytes' }),
    ...(format === 'qcow2' ? [xmlText('allocation', 0, { unit: 'bytes' })] : []),
    xmlElement('target', {}, xmlElement('format', { type: format })),
  ]);
}

/** The image format of a VM's disk, from its pool's URL: raw on CLVM and RBD, else `fileFormat`. */
export function diskFormatFor(disk: Pick<VmDiskSpec, 'poolUrl'>, fileFormat: KvmVolumeFormat = 'qcow2'): KvmVolumeFormat {
  const protocol = protocolOfPoolUrl(disk.poolUrl);
  return protocol === 'CLVM' || protocol === 'RBD' ? 'raw' : fileFormat;
}
