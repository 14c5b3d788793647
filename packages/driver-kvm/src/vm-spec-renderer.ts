/**
 * A core {@link VmSpec} rendered to libvirt domain XML, as CloudStack 4.1's KVM agent
 * (`LibvirtComputingResource.createVMFromSpec`) builds it:
 *
 * - name, the UUID only when redefining an existing domain (libvirt assigns one otherwise and
 *   refuses a second definition of a name under another UUID), `<description>` with the cloud's VM id and guest OS;
 * - `<vcpu>`, `<memory>`/`<currentMemory>` in KiB;
 * - `<cputune><shares>` = vCPUs × MHz (CloudStack's weighting) and, when the offering limits CPU
 *   use and the host's MHz is known, `<period>`/`<quota>` capping each vCPU at its MHz share;
 * - disks as `<disk type='volume'>` on a libvirt storage pool named by the cloud pool's id, the
 *   volume named by the cloud volume's id (CloudStack names KVM pools by UUID and volumes by
 *   path the same way); the primary-storage driver creates the volume there, the VM call only
 *   references it. `vd<letter>` on virtio by device id (or `sd<letter>` on virtio-scsi), qcow2
 *   unless told otherwise;
 * - NICs on bridges chosen by traffic label, VLAN per `network.bridge.type` (see `bridge-naming.ts`);
 * - `<domain type='kvm'>` only when the host's capabilities offer kvm, `qemu` (TCG) otherwise.
 *
 * User data, the SSH key and a reset password are deliberately absent: in CloudStack 4.1 a KVM
 * guest gets them from the virtual router's metadata, userdata and password services, not
 * through the domain XML (no config drive, no SMBIOS or fw_cfg channel). They are not rendered.
 */
import type { VmDiskSpec, VmNicSpec, VmSpec } from '@cloudstack-sdk/core';
import { placeNic, type BridgeOptions } from './bridge-naming.js';
import { xmlElement, xmlText } from './domain-xml.js';
import { diskFormatFor } from './storage-pool-definition.js';

/** libvirt's domain types the driver uses. */
export type KvmDomainType = 'kvm' | 'qemu';

/** Options of {@link renderDomainXml}. */
export interface DomainXmlOptions extends BridgeOptions {
  /** `kvm` or `qemu`; pick it with {@link domainTypeFor}. */
  readonly domainType: KvmDomainType;
  /** The host's CPU MHz, for the `limitCpuUse` quota; without it no quota is rendered. */
  readonly hostCpuMhz?: number;
  /** The UUID of the domain being redefined, when one of that name exists already. */
  readonly uuid?: string;
  /** Disk image format on file pools (NFS, SharedMountPoint); `qcow2` by default. CLVM and RBD volumes are always raw. */
  readonly diskFormat?: 'qcow2' | 'raw';
  /**
   * The disk bus: `virtio` (`vd*`, CloudStack's choice for Linux guests; the default) or `scsi`
   * (`sd*` on a virtio-scsi controller, which unplugs without the guest's cooperation).
   */
  readonly diskBus?: DiskBus;
}

/** The bus disks are attached on. */
export type DiskBus = 'virtio' | 'scsi';

/** The CFS period libvirt's quota is relative to, in microseconds. */
export const CPU_PERIOD_US = 100_000;

/** `kvm` when the capabilities XML offers a kvm domain type (usable `/dev/kvm`), else `qemu`. */
export function domainTypeFor(capabilitiesXml: string): KvmDomainType {
  return /<domain\s+type=['"]kvm['"]/.test(capabilitiesXml) ? 'kvm' : 'qemu';
}

/** The disk's guest device name from its device id: 0 → `vda`, 1 → `vdb`, 26 → `vdaa` (`sd…` on SCSI). */
export function diskTargetDev(deviceId: number, bus: DiskBus = 'virtio'): string {
  if (!Number.isInteger(deviceId) || deviceId < 0) throw new RangeError(`not a disk device id: ${deviceId}`);
  let n = deviceId;
  let letters = '';
  do {
    letters = String.fromCharCode(97 + (n % 26)) + letters;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return `${bus === 'scsi' ? 'sd' : 'vd'}${letters}`;
}

/**
 * One disk as a `<disk type='volume'>` device (also the XML attach/detach-device sends); its
 * image format is `fileFormat` on file pools and raw on CLVM and RBD pools (by its pool URL).
 */
export function renderDiskXml(disk: VmDiskSpec, fileFormat: 'qcow2' | 'raw' = 'qcow2', bus: DiskBus = 'virtio'): string {
  return xmlElement('disk', { type: 'volume', device: 'disk' }, [
    xmlElement('driver', { name: 'qemu', type: diskFormatFor(disk, fileFormat), cache: 'none' }),
    xmlElement('source', { pool: disk.poolId, volume: disk.volumeId }),
    xmlElement('target', { dev: diskTargetDev(disk.deviceId, bus), bus }),
    xmlText('serial', disk.volumeId.replace(/-/g, '').slice(0, 20)),
  ]);
}

/** One NIC as an `<interface type='bridge'>` device. */
export function renderNicXml(nic: VmNicSpec, options: BridgeOptions = {}): string {
  const placement = placeNic(nic, options);
  return xmlElement('interface', { type: 'bridge' }, [
    xmlElement('mac', { address: nic.macAddress.toLowerCase() }),
    xmlElement('source', { bridge: placement.bridge }),
    ...(placement.vlanTag === undefined ? [] : [xmlElement('vlan', {}, xmlElement('tag', { id: placement.vlanTag }))]),
    ...(placement.openvswitch ? [xmlElement('virtualport', { type: 'openvswitch' })] : []),
    xmlElement('model', { type: 'virtio' }),
  ]);
}

function cpuTune(spec: VmSpec, hostCpuMhz: number | undefined): string {
  const shares = Math.max(2, spec.cpuNumber * spec.cpuSpeedMhz);
  const children = [xmlText('shares', shares)];
  if (spec.limitCpuUse && hostCpuMhz !== undefined && hostCpuMhz > 0) {
    const quota = Math.max(1_000, Math.floor((CPU_PERIOD_US * Math.min(spec.cpuSpeedMhz, hostCpuMhz)) / hostCpuMhz));
    children.push(xmlText('period', CPU_PERIOD_US), xmlText('quota', quota));
  }
  return xmlElement('cputune', {}, children);
}

/** The whole domain XML for `spec` (see the module comment for what goes in and what does not). */
export function renderDomainXml(spec: VmSpec, options: DomainXmlOptions): string {
  const memoryKiB = Math.ceil(spec.memoryBytes / 1024);
  const description = `cloudstack-sdk VM ${spec.id}${spec.guestOs === undefined ? '' : ` (${spec.guestOs})`}`;
  const devices = [
    ...[...spec.disks].sort((a, b) => a.deviceId - b.deviceId).map((disk) => renderDiskXml(disk, options.diskFormat, options.diskBus)),
    ...(options.diskBus === 'scsi' ? [xmlElement('controller', { type: 'scsi', index: 0, model: 'virtio-scsi' })] : []),
    ...[...spec.nics].sort((a, b) => a.deviceId - b.deviceId).map((nic) => renderNicXml(nic, options)),
    xmlElement('serial', { type: 'pty' }, xmlElement('target', { port: 0 })),
    xmlElement('console', { type: 'pty' }, xmlElement('target', { type: 'serial', port: 0 })),
  ];
  return xmlElement('domain', { type: options.domainType }, [
    xmlText('name', spec.name),
    ...(options.uuid === undefined ? [] : [xmlText('uuid', options.uuid)]),
    xmlText('description', description),
    xmlText('memory', memoryKiB, { unit: 'KiB' }),
    xmlText('currentMemory', memoryKiB, { unit: 'KiB' }),
    xmlText('vcpu', spec.cpuNumber),
    cpuTune(spec, options.hostCpuMhz),
    xmlElement('os', {}, [xmlText('type', 'hvm', { arch: 'x86_64', machine: 'pc' }), xmlElement('boot', { dev: 'hd' })]),
    xmlElement('features', {}, [xmlElement('acpi'), xmlElement('apic'), xmlElement('pae')]),
    xmlElement('clock', { offset: 'utc' }),
    xmlText('on_poweroff', 'destroy'),
    xmlText('on_reboot', 'restart'),
    xmlText('on_crash', 'destroy'),
    xmlElement('devices', {}, devices),
  ]);
}
