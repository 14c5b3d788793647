import type {
  HostAddress,
  HostConnectAnswer,
  HostConnectRequest,
  HostReleaseRequest,
  HypervisorCapability,
  HypervisorDriver,
  HypervisorType,
  MigrateVmRequest,
  ReportedVm,
  StartVmAnswer,
  StartVmRequest,
  StopVmRequest,
  VmOnHost,
  VolumeOnVmRequest,
  ResizeVmVolumeRequest,
} from '@cloudstack-sdk/core';
import { NIC_HYPERVISOR_CAPABILITIES, ROUTER_HYPERVISOR_CAPABILITIES, type NicOnVmRequest, VOLUME_HYPERVISOR_CAPABILITIES, type ApplyRouterConfigRequest } from '@cloudstack-sdk/core';
import { SECURITY_GROUP_HYPERVISOR_CAPABILITIES, type ApplySecurityGroupRulesRequest } from '@cloudstack-sdk/core';
import { hostNameOf, SIMULATED_VERSIONS } from './simulated-host.js';
import type { SimulatorLab } from './simulator-lab.js';

/** Errors the simulated hypervisor raises, as a real one would. */
export class SimulatorHostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatorHostError';
  }
}

/** The capabilities every simulated hypervisor declares. */
export const SIMULATOR_HYPERVISOR_CAPABILITIES: readonly HypervisorCapability[] = ['host.connect', 'host.release', 'vm.start', 'vm.stop', 'vm.reboot', 'vm.destroy', 'vm.states', 'vm.migrate'];

/**
 * A hypervisor driver over the {@link SimulatorLab}: connects `http://sim/<name>` hosts, checks
 * their password, and reports their resources and VMs; starts, stops, reboots and destroys VMs
 * from their spec, idempotently, refusing a start that would pass the host's memory; live-migrates them between hosts. One instance per hypervisor type, so a
 * simulated cloud can have KVM, XenServer and vSphere clusters with their real rules.
 */
export class SimulatorHypervisor implements HypervisorDriver {
  /** Host connect and release, and every VM call. */
  readonly capabilities: ReadonlySet<HypervisorCapability> = new Set<HypervisorCapability>([...SIMULATOR_HYPERVISOR_CAPABILITIES, ...VOLUME_HYPERVISOR_CAPABILITIES, ...ROUTER_HYPERVISOR_CAPABILITIES, ...NIC_HYPERVISOR_CAPABILITIES, ...SECURITY_GROUP_HYPERVISOR_CAPABILITIES]);

  /** Disks plugged into running VMs: VM name → volume ids. */
  private readonly plugged = new Map<string, Set<string>>();

  /** Plugs a disk into a running VM (idempotent); refuses when the VM does not run there. */
  async attachVolume(request: VolumeOnVmRequest): Promise<void> {
    const host = await this.vmHost('attachVolume', request.host, request.vmName);
    if (host.vms.get(request.vmName) !== 'Running') throw new SimulatorHostError(`VM ${request.vmName} is not running on ${host.name}`);
    const disks = this.plugged.get(request.vmName) ?? new Set<string>();
    disks.add(request.disk.volumeId);
    this.plugged.set(request.vmName, disks);
  }

  /** Unplugs a disk (idempotent). */
  async detachVolume(request: VolumeOnVmRequest): Promise<void> {
    await this.vmHost('detachVolume', request.host, request.vmName);
    this.plugged.get(request.vmName)?.delete(request.disk.volumeId);
  }

  /** Tells a running VM its disk changed size. */
  async resizeVolume(request: ResizeVmVolumeRequest): Promise<void> {
    await this.vmHost('resizeVmVolume', request.host, request.vmName);
  }

  /** The volume ids plugged into a VM, for tests. */
  pluggedVolumes(vmName: string): string[] {
    return [...(this.plugged.get(vmName) ?? [])];
  }

  constructor(
    private readonly lab: SimulatorLab,
    /** The hypervisor type this instance answers for. */
    readonly hypervisorType: HypervisorType = 'Simulator',
  ) {}

  async connectHost(request: HostConnectRequest): Promise<HostConnectAnswer> {
    const name = hostNameOf(request.url);
    await this.lab.faults.apply('connectHost', [request.url, ...(name === undefined ? [] : [name])]);
    const host = this.lab.hostAt(request.url);
    if (host === undefined) throw new SimulatorHostError(`No simulated host answers at ${request.url} (use http://sim/<name>)`);
    if (host.password !== undefined && host.password !== request.password) {
      throw new SimulatorHostError(`Authentication failed for ${request.username}@${host.name}`);
    }
    host.connected = true;
    return {
      guid: host.guid,
      name: host.name,
      ipAddress: host.ipAddress,
      cpuSockets: host.cpuSockets,
      cpuCores: host.cpuCores,
      cpuSpeedMhz: host.cpuSpeedMhz,
      memoryBytes: host.memoryBytes,
      hypervisorVersion: host.hypervisorVersion ?? SIMULATED_VERSIONS[this.hypervisorType],
      vms: Array.from(host.vms, ([vmName, powerState]) => ({ name: vmName, powerState })),
      capabilities: ['hvm', `simulator-${this.hypervisorType.toLowerCase()}`],
    };
  }

  async releaseHost(request: HostReleaseRequest): Promise<void> {
    const name = hostNameOf(request.url);
    await this.lab.faults.apply('releaseHost', [request.url, ...(name === undefined ? [] : [name])]);
    const host = name === undefined ? undefined : this.lab.host(name);
    if (host !== undefined) host.connected = false;
  }

  async startVm(request: StartVmRequest): Promise<StartVmAnswer> {
    const host = await this.vmHost('startVm', request.host, request.spec.name);
    if (host.vms.get(request.spec.name) === 'Running') return { name: request.spec.name, powerState: 'Running' };
    const running = Array.from(host.vms, ([name, state]) => (state === 'Running' ? this.lab.vmSpec(name) : undefined));
    const used = running.reduce((sum, spec) => sum + (spec?.memoryBytes ?? 0), 0);
    if (used + request.spec.memoryBytes > host.memoryBytes) {
      throw new SimulatorHostError(`Host ${host.name} has ${host.memoryBytes - used} bytes of memory free; VM ${request.spec.name} needs ${request.spec.memoryBytes}`);
    }
    this.lab.recordVmSpec(request.spec);
    host.vms.set(request.spec.name, 'Running');
    return { name: request.spec.name, powerState: 'Running' };
  }

  async stopVm(request: StopVmRequest): Promise<void> {
    const host = await this.vmHost('stopVm', request.host, request.vmName);
    if (host.vms.has(request.vmName)) host.vms.set(request.vmName, 'Stopped');
    // A stopped VM's filter goes with its interface; its next start gets a new rule set.
    this.lab.forgetSecurityGroupRules(host.name, request.vmName);
  }

  async rebootVm(request: VmOnHost): Promise<void> {
    const host = await this.vmHost('rebootVm', request.host, request.vmName);
    if (host.vms.get(request.vmName) !== 'Running') throw new SimulatorHostError(`VM ${request.vmName} is not running on host ${host.name}`);
  }

  async destroyVm(request: VmOnHost): Promise<void> {
    const host = await this.vmHost('destroyVm', request.host, request.vmName);
    host.vms.delete(request.vmName);
    this.lab.forgetSecurityGroupRules(host.name, request.vmName);
    // A stale definition removed after the VM started elsewhere keeps the running VM's spec.
    if (this.lab.hostOfVm(request.vmName) === undefined) {
      this.lab.forgetVmSpec(request.vmName);
      this.lab.forgetRouterConfig(request.vmName);
    }
  }

  /**
   * Moves a running VM to another connected host, refusing when the target's memory would be
   * passed; faults apply to the VM's name and to either host's name or URL. Idempotent.
   */
  async migrateVm(request: MigrateVmRequest): Promise<void> {
    const targetName = hostNameOf(request.target.url);
    const source = await this.vmHost('migrateVm', request.host, request.vmName, [request.target.url, ...(targetName === undefined ? [] : [targetName])]);
    const target = targetName === undefined ? undefined : this.lab.host(targetName);
    if (target === undefined || !target.connected) throw new SimulatorHostError(`No connected simulated host answers at ${request.target.url}`);
    if (target.vms.get(request.vmName) === 'Running') return;
    if (source.vms.get(request.vmName) !== 'Running') throw new SimulatorHostError(`VM ${request.vmName} is not running on host ${source.name}`);
    const spec = this.lab.vmSpec(request.vmName);
    const used = Array.from(target.vms, ([name, state]) => (state === 'Running' ? (this.lab.vmSpec(name)?.memoryBytes ?? 0) : 0)).reduce((a, b) => a + b, 0);
    if (spec !== undefined && used + spec.memoryBytes > target.memoryBytes) {
      throw new SimulatorHostError(`Host ${target.name} has ${target.memoryBytes - used} bytes of memory free; VM ${request.vmName} needs ${spec.memoryBytes}`);
    }
    source.vms.delete(request.vmName);
    target.vms.set(request.vmName, 'Running');
    // The filter stays behind on the source; core applies the VM's rule set on the target.
    this.lab.forgetSecurityGroupRules(source.name, request.vmName);
  }

  /**
   * Enforces a virtual router's configuration (`router.configure`): the router must run on the
   * host; the whole configuration replaces the router's effective one, which
   * `lab.routerConfig(name)` reads. A fault or a stopped router leaves the effective one unchanged.
   */
  async applyRouterConfig(request: ApplyRouterConfigRequest): Promise<void> {
    const host = await this.vmHost('applyRouterConfig', request.host, request.routerName, [request.controlIp]);
    if (host.vms.get(request.routerName) !== 'Running') throw new SimulatorHostError(`Router ${request.routerName} is not running on host ${host.name}`);
    this.lab.recordRouterConfig(request.routerName, request.config);
  }

  /** Hot-plugs a NIC into a running VM (`nic.plug`); its spec then lists the NIC. Idempotent. */
  async plugNic(request: NicOnVmRequest): Promise<void> {
    const host = await this.vmHost('plugNic', request.host, request.vmName, [request.nic.macAddress]);
    if (host.vms.get(request.vmName) !== 'Running') throw new SimulatorHostError(`VM ${request.vmName} is not running on host ${host.name}`);
    const spec = this.lab.vmSpec(request.vmName);
    if (spec !== undefined && !spec.nics.some((n) => n.macAddress === request.nic.macAddress)) this.lab.recordVmSpec({ ...spec, nics: [...spec.nics, request.nic] });
  }

  /** Unplugs a NIC from a running VM (`nic.plug`). Idempotent. */
  async unplugNic(request: NicOnVmRequest): Promise<void> {
    const host = await this.vmHost('unplugNic', request.host, request.vmName, [request.nic.macAddress]);
    if (host.vms.get(request.vmName) !== 'Running') throw new SimulatorHostError(`VM ${request.vmName} is not running on host ${host.name}`);
    const spec = this.lab.vmSpec(request.vmName);
    if (spec !== undefined) this.lab.recordVmSpec({ ...spec, nics: spec.nics.filter((n) => n.macAddress !== request.nic.macAddress) });
  }

  /**
   * Enforces a VM's security group rule set (`securitygroup.apply`): the VM must run on the
   * host; the set replaces the one in force, which `lab.securityGroupRules(host, vm)` reads,
   * unless it is older (lower `seq`) than the one in force, which is then kept. A fault leaves
   * the rules in force unchanged.
   */
  async applySecurityGroupRules(request: ApplySecurityGroupRulesRequest): Promise<void> {
    const host = await this.vmHost('applySecurityGroupRules', request.host, request.vmName, [...(request.vmIp === undefined ? [] : [request.vmIp])]);
    if (host.vms.get(request.vmName) !== 'Running') throw new SimulatorHostError(`VM ${request.vmName} is not running on host ${host.name}`);
    const current = this.lab.securityGroupRules(host.name, request.vmName);
    if (current !== undefined && current.rules.seq > request.rules.seq) return;
    this.lab.recordSecurityGroupRules(host.name, request.vmName, {
      ...(request.vmIp === undefined ? {} : { vmIp: request.vmIp }),
      ...(request.macAddress === undefined ? {} : { macAddress: request.macAddress }),
      rules: request.rules,
    });
  }

  async listVmStates(address: HostAddress): Promise<readonly ReportedVm[]> {
    const host = await this.vmHost('listVmStates', address);
    return Array.from(host.vms, ([name, powerState]) => ({ name, powerState }));
  }

  /** Applies faults for a VM call and finds its (connected) host. */
  private async vmHost(operation: 'applySecurityGroupRules' | 'plugNic' | 'unplugNic' | 'applyRouterConfig' | 'startVm' | 'stopVm' | 'rebootVm' | 'destroyVm' | 'listVmStates' | 'migrateVm' | 'attachVolume' | 'detachVolume' | 'resizeVmVolume', address: HostAddress, vmName?: string, more: readonly string[] = []) {
    const name = hostNameOf(address.url);
    await this.lab.faults.apply(operation, [address.url, ...(name === undefined ? [] : [name]), ...(vmName === undefined ? [] : [vmName]), ...more]);
    const host = name === undefined ? undefined : this.lab.host(name);
    if (host === undefined || !host.connected) throw new SimulatorHostError(`No connected simulated host answers at ${address.url}`);
    return host;
  }
}
