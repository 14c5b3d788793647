import type {
  HostConnectAnswer,
  HostConnectRequest,
  HostReleaseRequest,
  HypervisorCapability,
  HypervisorDriver,
  HypervisorType,
} from '@cloudstack-sdk/core';
import { hostNameOf, SIMULATED_VERSIONS } from './simulated-host.js';
import type { SimulatorLab } from './simulator-lab.js';

/** Errors the simulated hypervisor raises, as a real one would. */
export class SimulatorHostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatorHostError';
  }
}

/**
 * A hypervisor driver over the {@link SimulatorLab}: connects `http://sim/<name>` hosts, checks
 * their password, and reports their resources and VMs. One instance per hypervisor type, so a
 * simulated cloud can have KVM, XenServer and vSphere clusters with their real rules.
 */
export class SimulatorHypervisor implements HypervisorDriver {
  /** Host connect and release. */
  readonly capabilities: ReadonlySet<HypervisorCapability> = new Set<HypervisorCapability>(['host.connect', 'host.release']);

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
}
