import type { HypervisorType } from '../contracts/hypervisor.js';
import type { StorageProtocol } from '../contracts/storage.js';

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
