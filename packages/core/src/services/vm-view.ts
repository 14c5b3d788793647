import type { Nic } from '../model/nic.js';
import type { VirtualMachine, VmState } from '../model/vm.js';

/** A NIC as `virtualmachine.nic` shows it. */
export interface NicView {
  readonly id: string;
  readonly macAddress: string;
  readonly ipAddress?: string;
  readonly netmask?: string;
  readonly gateway?: string;
  readonly isDefault: boolean;
  readonly trafficType: 'Guest';
  readonly type: 'Shared' | 'Isolated';
  /** The guest network (advanced zones). */
  readonly networkId?: string;
  /** The VLAN the NIC is on, once known (`untagged` or an id). */
  readonly vlan?: string;
  /** The NIC's device number (0 for the default NIC). */
  readonly deviceId: number;
}

/** A VM as `listVirtualMachines` shows it (field names as reference §5 maps them). */
export interface VmView {
  readonly id: string;
  readonly name: string;
  readonly displayName: string;
  readonly instanceName: string;
  readonly accountId: string;
  readonly domainId: string;
  readonly created: string;
  readonly state: VmState;
  readonly haEnable: boolean;
  readonly group?: string;
  readonly zoneId: string;
  readonly hostId?: string;
  readonly templateId: string;
  readonly serviceOfferingId: string;
  readonly guestOsId: string;
  readonly hypervisor: string;
  readonly cpuNumber: number;
  readonly cpuSpeed: number;
  /** MB. */
  readonly memory: number;
  readonly passwordEnabled: boolean;
  readonly keyPair?: string;
  /** The ISO attached as a CD-ROM (deployed from, or attached with `attachIso`). */
  readonly isoId?: string;
  readonly nics: readonly NicView[];
}

/** The view of a VM with its NICs (default first). */
export function vmViewOf(vm: VirtualMachine, nics: readonly Nic[]): VmView {
  return {
    id: vm.id,
    name: vm.name,
    displayName: vm.displayName,
    instanceName: vm.instanceName,
    accountId: vm.accountId,
    domainId: vm.domainId,
    created: vm.createdAt,
    state: vm.state,
    haEnable: vm.haEnabled,
    ...(vm.group === undefined ? {} : { group: vm.group }),
    zoneId: vm.zoneId,
    ...(vm.hostId === undefined ? {} : { hostId: vm.hostId }),
    templateId: vm.templateId,
    serviceOfferingId: vm.serviceOfferingId,
    guestOsId: vm.guestOsId,
    hypervisor: vm.hypervisorType,
    cpuNumber: vm.cpuNumber,
    cpuSpeed: vm.cpuSpeed,
    memory: vm.memory,
    passwordEnabled: vm.passwordEnabled,
    ...(vm.keyPair === undefined ? {} : { keyPair: vm.keyPair }),
    ...(vm.isoId === undefined ? {} : { isoId: vm.isoId }),
    nics: [...nics]
      .sort((a, b) => a.deviceId - b.deviceId)
      .map((n) => ({
        id: n.id,
        macAddress: n.macAddress,
        ...(n.ipAddress === undefined ? {} : { ipAddress: n.ipAddress }),
        ...(n.netmask === undefined ? {} : { netmask: n.netmask }),
        ...(n.gateway === undefined ? {} : { gateway: n.gateway }),
        isDefault: n.isDefault,
        trafficType: n.trafficType,
        type: n.type,
        ...(n.networkId === undefined ? {} : { networkId: n.networkId }),
        ...(n.vlan === undefined ? {} : { vlan: n.vlan }),
        deviceId: n.deviceId,
      })),
  };
}
