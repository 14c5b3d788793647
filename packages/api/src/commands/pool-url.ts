import { invalidParameter, type StorageProtocol } from '@cloudstack-sdk/core';

/** The fields of a primary storage pool that its 4.1 `url` names. */
export interface PoolLocation {
  readonly protocol: StorageProtocol;
  readonly server?: string;
  readonly path?: string;
  readonly iqn?: string;
  readonly lun?: number;
  readonly srNameLabel?: string;
}

/**
 * Parses `createStoragePool`'s `url` as 4.1 does: `nfs://server/path`,
 * `iscsi://server/iqn/lun`, `presetup://server/sr-name-label`,
 * `SharedMountPoint://localhost/path`, `clvm://localhost/volume-group`,
 * `rbd://monitor/pool`, `vmfs://vcenter/datacenter/datastore`, `file://localhost/path`.
 */
export function parsePoolUrl(url: string): PoolLocation {
  const match = /^([a-z]+):\/\/([^/]*)(\/.*)?$/i.exec(url.trim());
  if (match === null) throw invalidParameter('url', `${url} is not a storage URL such as nfs://server/path`);
  const scheme = (match[1] as string).toLowerCase();
  const server = match[2] as string;
  const path = match[3] ?? '';
  switch (scheme) {
    case 'nfs':
      return { protocol: 'NFS', server, path };
    case 'iscsi': {
      const parts = /^\/(.+)\/(\d+)$/.exec(path);
      if (parts === null) throw invalidParameter('url', 'an iSCSI URL is iscsi://server/iqn/lun');
      return { protocol: 'iSCSI', server, iqn: parts[1] as string, lun: Number(parts[2]) };
    }
    case 'presetup':
      return { protocol: 'PreSetup', server, srNameLabel: path.replace(/^\//, '') };
    case 'sharedmountpoint':
      return { protocol: 'SharedMountPoint', path };
    case 'clvm':
      return { protocol: 'CLVM', path: path.replace(/^\//, '') };
    case 'rbd':
      return { protocol: 'RBD', server, path: path.replace(/^\//, '') };
    case 'vmfs':
      return { protocol: 'VMFS', server, path };
    case 'file':
      return { protocol: 'Filesystem', path };
    default:
      throw invalidParameter('url', `${scheme} is not a primary storage protocol (nfs, iscsi, presetup, SharedMountPoint, clvm, rbd, vmfs, file)`);
  }
}
