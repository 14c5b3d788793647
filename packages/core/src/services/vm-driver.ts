import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import type { HostAddress, HypervisorCapability, HypervisorDriver, VmIsoSpec, VmSpec } from '../contracts/hypervisor.js';
import type { Transaction } from '../contracts/store.js';
import { notFound, resourceUnavailable } from '../errors.js';
import type { Host } from '../model/host.js';
import type { Nic } from '../model/nic.js';
import { isIso } from '../model/template.js';
import type { VirtualMachine } from '../model/vm.js';
import { TOKENS } from '../tokens.js';
import { callDriver } from './driver-call.js';

/** A driver call prepared inside a transaction, made after it commits. */
export interface PreparedVmCall {
  /** The host's driver. */
  readonly driver: HypervisorDriver;
  /** The host, as driver calls address it. */
  readonly host: HostAddress;
  /** Milliseconds to wait (`wait` seconds). */
  readonly timeoutMs: number;
}

/**
 * Finds the driver of a VM's host and builds the full `VmSpec`, inside the transaction that
 * records the intent; then calls the driver outside it with the `wait` timeout, turning every
 * failure into a 534 naming the operation. Refuses (534) when the driver does not declare the
 * capability the call needs.
 */
@injectable()
export class VmDriver {
  constructor(
    @inject(TOKENS.Hypervisors) private readonly hypervisors: ReadonlyMap<string, HypervisorDriver>,
    @inject(ConfigReader) private readonly config: ConfigReader,
  ) {}

  /** The driver, address and timeout for a call on `hostId` needing `capability`. */
  async prepare(tx: Transaction, hostId: string, capability: HypervisorCapability): Promise<PreparedVmCall> {
    const host = await tx.repo('hosts').get(hostId);
    if (host === undefined) throw notFound('host', 'hostid', hostId);
    const driver = this.hypervisors.get(host.hypervisorType);
    if (driver === undefined || !driver.capabilities.has(capability)) {
      throw resourceUnavailable(`The ${host.hypervisorType} driver of host ${host.name} cannot do ${capability}`, { param: 'hostid' });
    }
    return { driver, host: addressOf(host), timeoutMs: (await this.config.number('wait', {}, tx)) * 1000 };
  }

  /**
   * The spec a hypervisor starts the VM from: CPU, memory, root disk on its pool (cloned from the
   * template's image, or blank for a VM deployed from an ISO), NICs with their traffic label,
   * user data, SSH key, and the attached ISO as its CD-ROM (the VM's `isoId`, as recorded when
   * the spec is built: an ISO attached or detached while the VM runs reaches the host here, at
   * its next start).
   */
  async spec(tx: Transaction, vm: VirtualMachine, nics: readonly Nic[], poolId: string, host: Host | undefined): Promise<VmSpec> {
    const pool = await tx.repo('storagePools').get(poolId);
    if (pool === undefined) throw notFound('storage pool', 'storageid', poolId);
    const offering = await tx.repo('serviceOfferings').get(vm.serviceOfferingId);
    const template = await tx.repo('templates').get(vm.templateId);
    const fromIso = template !== undefined && isIso(template);
    const copy = fromIso ? undefined : await tx.repo('templateCopies').findOne({ templateId: vm.templateId, state: 'DOWNLOADED' });
    const iso = vm.isoId === undefined ? undefined : await this.isoSpec(tx, vm.isoId, vm.zoneId, fromIso);
    const osType = await tx.repo('osTypes').get(vm.guestOsId);
    const label = host === undefined ? undefined : await this.guestLabel(tx, vm.zoneId, host.hypervisorType);
    // The ROOT disk is named by its volume's id, so storage calls on the volume (snapshot, delete) find it on the pool.
    const rootVolume = await tx.repo('volumes').findOne({ virtualMachineId: vm.id, type: 'ROOT' });
    return {
      name: vm.instanceName,
      id: vm.id,
      cpuNumber: vm.cpuNumber,
      cpuSpeedMhz: vm.cpuSpeed,
      memoryBytes: vm.memory * 1024 * 1024,
      limitCpuUse: offering?.limitCpuUse ?? false,
      ...(osType === undefined ? {} : { guestOs: osType.description }),
      disks: [
        {
          volumeId: rootVolume?.id ?? `${vm.id}-root`,
          type: 'ROOT',
          deviceId: 0,
          sizeBytes: vm.rootDiskBytes,
          poolId: pool.id,
          poolUrl: pool.url,
          ...(copy === undefined ? {} : { templatePath: copy.installPath }),
        },
      ],
      nics: [...nics]
        .sort((a, b) => a.deviceId - b.deviceId)
        .map((n) => ({
          deviceId: n.deviceId,
          macAddress: n.macAddress,
          ipAddress: n.ipAddress ?? '',
          netmask: n.netmask ?? '',
          gateway: n.gateway ?? '',
          vlan: n.vlan ?? 'untagged',
          trafficType: n.trafficType,
          ...(label === undefined ? {} : { trafficLabel: label }),
          isDefault: n.isDefault,
        })),
      ...(vm.userData === undefined ? {} : { userData: vm.userData }),
      ...(vm.sshPublicKey === undefined ? {} : { sshPublicKey: vm.sshPublicKey }),
      ...(iso === undefined ? {} : { iso }),
    };
  }

  /**
   * The CD-ROM of a VM: the ISO with its downloaded copy in the VM's zone (any zone for a
   * cross-zone image); undefined when the ISO is gone, so the VM boots without it.
   */
  private async isoSpec(tx: Transaction, isoId: string, zoneId: string, bootable: boolean): Promise<VmIsoSpec | undefined> {
    const iso = await tx.repo('templates').get(isoId);
    if (iso === undefined) return undefined;
    const copy = (await tx.repo('templateCopies').findOne({ templateId: iso.id, zoneId, state: 'DOWNLOADED' }))
      ?? (iso.crossZones ? await tx.repo('templateCopies').findOne({ templateId: iso.id, state: 'DOWNLOADED' }) : undefined);
    return { templateId: iso.id, name: iso.name, url: iso.url, ...(copy?.installPath === undefined ? {} : { installPath: copy.installPath }), bootable };
  }

  /** Calls the driver outside any transaction with the prepared timeout (534 on failure or timeout). */
  call<T>(prepared: PreparedVmCall, operation: string, fn: (driver: HypervisorDriver) => Promise<T>): Promise<T> {
    return callDriver({ operation, timeoutMs: prepared.timeoutMs, param: 'id' }, () => fn(prepared.driver));
  }

  /** The admin's network label for Guest traffic on this hypervisor in the zone, if set. */
  private async guestLabel(tx: Transaction, zoneId: string, hypervisor: Host['hypervisorType']): Promise<string | undefined> {
    const traffic = await tx.repo('physicalNetworkTrafficTypes').findOne({ zoneId, trafficType: 'Guest' });
    if (traffic === undefined) return undefined;
    switch (hypervisor) {
      case 'KVM':
        return traffic.kvmLabel;
      case 'XenServer':
        return traffic.xenLabel;
      case 'VMware':
        return traffic.vmwareLabel;
      case 'Simulator':
        return traffic.simulatorLabel;
    }
  }
}

/** A host as VM calls address it. */
export function addressOf(host: Host): HostAddress {
  return { url: host.url, ...(host.guid === undefined ? {} : { guid: host.guid }) };
}
