import type { HypervisorType } from '../contracts/hypervisor.js';
import type { PrimaryPoolSpec, StorageProtocol } from '../contracts/storage.js';
import type { StoragePool } from '../model/storage-pool.js';

/**
 * Primary-storage protocols each hypervisor accepts, from the guide (§6.3.2, §6.7.2):
 * XenServer NFS, iSCSI, PreSetup; KVM NFS, SharedMountPoint, CLVM, RBD; vSphere VMFS, NFS. The
 * simulator takes any protocol, so every form can be exercised without hardware.
 */
export const PROTOCOLS_BY_HYPERVISOR: Readonly<Record<HypervisorType, readonly StorageProtocol[]>> = {
  XenServer: ['NFS', 'iSCSI', 'PreSetup'],
  KVM: ['NFS', 'SharedMountPoint', 'CLVM', 'RBD'],
  VMware: ['VMFS', 'NFS'],
  Simulator: ['NFS', 'iSCSI', 'PreSetup', 'SharedMountPoint', 'CLVM', 'RBD', 'VMFS', 'Filesystem'],
};

/** The fields each protocol needs, by API parameter name. */
export const FIELDS_BY_PROTOCOL: Readonly<Record<StorageProtocol, readonly ('server' | 'path' | 'iqn' | 'lun' | 'srNameLabel')[]>> = {
  NFS: ['server', 'path'],
  iSCSI: ['server', 'iqn', 'lun'],
  PreSetup: ['server', 'srNameLabel'],
  SharedMountPoint: ['path'],
  CLVM: ['path'],
  RBD: ['server', 'path'],
  VMFS: ['server', 'path'],
  Filesystem: ['path'],
};

/** The pool URL CloudStack stores for a protocol's fields. */
export function poolUrl(protocol: StorageProtocol, fields: { server?: string; path?: string; iqn?: string; lun?: number; srNameLabel?: string }): string {
  switch (protocol) {
    case 'NFS':
      return `nfs://${fields.server}${fields.path}`;
    case 'iSCSI':
      return `iscsi://${fields.server}/${fields.iqn}/${fields.lun}`;
    case 'PreSetup':
      return `presetup://${fields.server}/${fields.srNameLabel}`;
    case 'SharedMountPoint':
      return `sharedmountpoint://localhost${fields.path}`;
    case 'CLVM':
      return `clvm://localhost/${fields.path}`;
    case 'RBD':
      return `rbd://${fields.server}/${fields.path}`;
    case 'VMFS':
      return `vmfs://${fields.server}${fields.path}`;
    case 'Filesystem':
      return `file://localhost${fields.path}`;
  }
}

/** A pool as storage drivers address it. */
export function poolSpecOf(pool: StoragePool, hostUrls: readonly string[]): PrimaryPoolSpec {
  return {
    poolId: pool.id,
    protocol: pool.protocol,
    hypervisorType: pool.hypervisorType,
    ...(pool.server === undefined ? {} : { server: pool.server }),
    ...(pool.path === undefined ? {} : { path: pool.path }),
    ...(pool.iqn === undefined ? {} : { iqn: pool.iqn }),
    ...(pool.lun === undefined ? {} : { lun: pool.lun }),
    ...(pool.srNameLabel === undefined ? {} : { srNameLabel: pool.srNameLabel }),
    hostUrls: [...hostUrls],
  };
}
