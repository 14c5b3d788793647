/**
 * The VM calls of the KVM driver over one host's libvirt connection: start (disks prepared, then
 * define + create),
 * stop (clean with a bounded wait, or forced), reboot, destroy (destroy + undefine), states,
 * peer-to-peer migration, and disk hot-plug. Each is idempotent where core's contract says so;
 * every libvirt failure reaches the caller as the {@link LibvirtError} libvirt sent (the driver
 * maps it to a CloudError in `libvirt-error.ts`).
 */
import type { ReportedVm, StartVmAnswer, VmDiskSpec, VmSpec } from '@cloudstack-sdk/core';
import { prepareDisks, type KvmDiskOptions } from './kvm-disk-preparation.js';
import { DeviceModifyFlags, DomainState } from './libvirt-constants.js';
import { isLibvirtError, LibvirtError, VirErrorCode } from './libvirt-error.js';
import { powerStateOf } from './power-state.js';
import type { LibvirtProcedures } from './procedures.js';
import type { DomainRef } from './remote-types.js';
import { diskTargetOfVolume } from './volume-users.js';
import { diskTargetDev, domainTypeFor, renderDiskXml, renderDomainXml, type DomainXmlOptions, type KvmDomainType } from './vm-spec-renderer.js';

/** What the VM calls know about one host besides its connection. */
export interface KvmHostFacts {
  /** `kvm` or `qemu`, from the host's capabilities. */
  readonly domainType: KvmDomainType;
  /** The host's CPU MHz. */
  readonly cpuMhz: number;
}

/** Options of {@link KvmVmOperations}. */
export interface KvmVmOperationsOptions extends Omit<DomainXmlOptions, 'domainType' | 'hostCpuMhz'>, KvmDiskOptions {
  /** How long a clean stop waits for the guest to power off before failing; 60,000 ms by default. */
  readonly cleanStopTimeoutMs?: number;
  /** How often a clean stop polls the domain's state; 250 ms by default. */
  readonly pollIntervalMs?: number;
}

/** Reads a host's domain type and CPU speed (one capabilities and one node-info call). */
export async function readHostFacts(libvirt: LibvirtProcedures): Promise<KvmHostFacts> {
  const [capabilities, node] = await Promise.all([libvirt.connectGetCapabilities(), libvirt.nodeGetInfo()]);
  return { domainType: domainTypeFor(capabilities), cpuMhz: node.mhz };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The VM calls, given a host's connection and facts. */
export class KvmVmOperations {
  /** @param options - wiring (`network.bridge.type`, bridges), disk format and stop timings. */
  constructor(private readonly options: KvmVmOperationsOptions = {}) {}

  /** The domain named `name`, or undefined when the host has none. */
  async find(libvirt: LibvirtProcedures, name: string): Promise<DomainRef | undefined> {
    try {
      return await libvirt.domainLookupByName(name);
    } catch (error) {
      if (isLibvirtError(error, VirErrorCode.VIR_ERR_NO_DOMAIN)) return undefined;
      throw error;
    }
  }

  /** The domain XML this driver would define for `spec` on a host with `facts` (keeping `uuid` when redefining). */
  domainXml(spec: VmSpec, facts: KvmHostFacts, uuid?: string): string {
    return renderDomainXml(spec, { ...this.options, domainType: facts.domainType, hostCpuMhz: facts.cpuMhz, ...(uuid === undefined ? {} : { uuid }) });
  }

  /**
   * Defines the domain from `spec` and starts it. A running domain of that name is left alone
   * (idempotence); a paused one is resumed; a shut-off one is redefined from the spec first.
   * Before defining, each disk's pool is made ready on the host and a missing ROOT volume is
   * created from its template (see `kvm-disk-preparation.ts`).
   */
  async start(libvirt: LibvirtProcedures, facts: KvmHostFacts, spec: VmSpec): Promise<StartVmAnswer> {
    const existing = await this.find(libvirt, spec.name);
    if (existing !== undefined) {
      const { state } = await libvirt.domainGetState(existing);
      if (powerStateOf(state) === 'Running') return { name: spec.name, powerState: 'Running' };
      if (powerStateOf(state) === 'Paused') {
        await libvirt.domainResume(existing);
        return { name: spec.name, powerState: 'Running' };
      }
    }
    await prepareDisks(libvirt, spec, this.options);
    const defined = await libvirt.domainDefineXml(this.domainXml(spec, facts, existing?.uuid));
    const started = await libvirt.domainCreate(defined);
    return { name: spec.name, powerState: powerStateOf((await libvirt.domainGetState(started)).state) };
  }

  /**
   * Stops a domain. `forced` destroys it (power off); `clean` asks the guest to shut down and
   * waits until it is shut off, failing with `VIR_ERR_OPERATION_TIMEOUT` after the configured
   * bound (the guest keeps running; a forced stop follows if the caller wants). Stopping a
   * stopped or unknown domain succeeds.
   */
  async stop(libvirt: LibvirtProcedures, name: string, mode: 'clean' | 'forced'): Promise<void> {
    const dom = await this.find(libvirt, name);
    if (dom === undefined || !(await this.isActive(libvirt, dom))) return;
    if (mode === 'forced') {
      await this.ignoreGone(libvirt.domainDestroy(dom));
      return;
    }
    await this.ignoreGone(libvirt.domainShutdown(dom));
    const timeoutMs = this.options.cleanStopTimeoutMs ?? 60_000;
    const started = Date.now();
    for (;;) {
      if (!(await this.isActive(libvirt, dom))) return;
      if (Date.now() - started >= timeoutMs) {
        throw LibvirtError.client(VirErrorCode.VIR_ERR_OPERATION_TIMEOUT, `domain ${name} did not shut down within ${timeoutMs} ms`);
      }
      await sleep(this.options.pollIntervalMs ?? 250);
    }
  }

  /** Reboots a running domain; libvirt refuses (`VIR_ERR_OPERATION_INVALID`) when it is not running. */
  async reboot(libvirt: LibvirtProcedures, name: string): Promise<void> {
    await libvirt.domainReboot(await libvirt.domainLookupByName(name));
  }

  /** Powers a domain off if it runs and removes its definition. A missing domain is success. */
  async destroy(libvirt: LibvirtProcedures, name: string): Promise<void> {
    const dom = await this.find(libvirt, name);
    if (dom === undefined) return;
    if (await this.isActive(libvirt, dom)) await this.ignoreGone(libvirt.domainDestroy(dom));
    // A transient domain is gone once destroyed; undefining it then reports NO_DOMAIN.
    await this.ignoreGone(libvirt.domainUndefine(dom));
  }

  /** Every domain on the host with core's power state, in one libvirt call. */
  async states(libvirt: LibvirtProcedures): Promise<ReportedVm[]> {
    return (await libvirt.connectListDomainsWithState()).map((d) => ({ name: d.domain.name, powerState: powerStateOf(d.state) }));
  }

  /**
   * Live-migrates a running domain peer to peer: the source libvirtd connects to `targetUri` (as
   * the source host sees the target) and drives the migration, persisting the domain on the
   * target and undefining it on the source.
   */
  async migrate(libvirt: LibvirtProcedures, name: string, targetUri: string): Promise<void> {
    const dom = await libvirt.domainLookupByName(name);
    await libvirt.domainMigrate(dom, targetUri, { live: true, persistDestination: true, undefineSource: true });
  }

  /** Hot-plugs `disk` into a running domain (live and persistent). Already attached → no-op. */
  async attachDisk(libvirt: LibvirtProcedures, vmName: string, disk: VmDiskSpec): Promise<void> {
    const dom = await libvirt.domainLookupByName(vmName);
    if (await this.hasDisk(libvirt, dom, disk)) return;
    await libvirt.domainAttachDevice(dom, renderDiskXml(disk, this.options.diskFormat, this.options.diskBus), DeviceModifyFlags.LIVE | DeviceModifyFlags.CONFIG);
  }

  /** Unplugs `disk` from a running domain (live and persistent). Not attached → no-op. */
  async detachDisk(libvirt: LibvirtProcedures, vmName: string, disk: VmDiskSpec): Promise<void> {
    const dom = await libvirt.domainLookupByName(vmName);
    if (!(await this.hasDisk(libvirt, dom, disk))) return;
    await libvirt.domainDetachDevice(dom, renderDiskXml(disk, this.options.diskFormat, this.options.diskBus), DeviceModifyFlags.LIVE | DeviceModifyFlags.CONFIG);
  }

  /**
   * Tells a running domain its disk is now `sizeBytes` large (`virDomainBlockResize`): QEMU
   * resizes the image it holds open and the guest sees the new size. The disk is found by its
   * pool volume in the live XML, else by its device id.
   */
  async resizeDisk(libvirt: LibvirtProcedures, vmName: string, disk: VmDiskSpec, sizeBytes: number): Promise<void> {
    const dom = await libvirt.domainLookupByName(vmName);
    const xml = await libvirt.domainGetXmlDesc(dom);
    const target = diskTargetOfVolume(xml, disk.poolId, disk.volumeId) ?? diskTargetDev(disk.deviceId, this.options.diskBus);
    await libvirt.domainBlockResize(dom, target, sizeBytes);
  }

  /** Whether the domain's live XML has a disk at `disk`'s target device. */
  async hasDisk(libvirt: LibvirtProcedures, dom: DomainRef, disk: VmDiskSpec): Promise<boolean> {
    const xml = await libvirt.domainGetXmlDesc(dom);
    return new RegExp(`<target\\s+dev=['"]${diskTargetDev(disk.deviceId, this.options.diskBus)}['"]`).test(xml);
  }

  private async isActive(libvirt: LibvirtProcedures, dom: DomainRef): Promise<boolean> {
    try {
      return (await libvirt.domainGetState(dom)).state !== DomainState.SHUTOFF;
    } catch (error) {
      if (isLibvirtError(error, VirErrorCode.VIR_ERR_NO_DOMAIN)) return false;
      throw error;
    }
  }

  /** Runs `call`, treating "no such domain" and "domain is not running" as done. */
  private async ignoreGone(call: Promise<void>): Promise<void> {
    try {
      await call;
    } catch (error) {
      if (isLibvirtError(error, VirErrorCode.VIR_ERR_NO_DOMAIN) || isLibvirtError(error, VirErrorCode.VIR_ERR_OPERATION_INVALID)) return;
      throw error;
    }
  }
}
