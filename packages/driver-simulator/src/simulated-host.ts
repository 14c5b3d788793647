import type { HypervisorType, ReportedVm } from '@cloudstack-sdk/core';

/** The resources and VMs of one simulated host. */
export interface SimulatedHostSpec {
  /** CPU sockets (2 by default). */
  readonly cpuSockets?: number;
  /** Cores across sockets (8 by default). */
  readonly cpuCores?: number;
  /** MHz per core (2100 by default). */
  readonly cpuSpeedMhz?: number;
  /** Memory in bytes (32 GiB by default). */
  readonly memoryBytes?: number;
  /** Hypervisor version reported; by hypervisor type when absent. */
  readonly hypervisorVersion?: string;
  /** Management IP reported; derived from the name when absent. */
  readonly ipAddress?: string;
  /** The password the host accepts; any password when absent. */
  readonly password?: string;
  /** VMs already on the host (to test that a busy host is refused). */
  readonly vms?: readonly ReportedVm[];
}

/** A simulated host's state. */
export interface SimulatedHost {
  readonly name: string;
  readonly guid: string;
  readonly cpuSockets: number;
  readonly cpuCores: number;
  readonly cpuSpeedMhz: number;
  readonly memoryBytes: number;
  readonly hypervisorVersion: string | undefined;
  readonly ipAddress: string;
  readonly password: string | undefined;
  /** VM name → power state. */
  readonly vms: Map<string, ReportedVm['powerState']>;
  /** Whether core currently manages the host (connected and not released). */
  connected: boolean;
}

/** Default resources of a simulated host: 8 cores at 2.1 GHz and 32 GiB. */
export const DEFAULT_SIMULATED_HOST = { cpuSockets: 2, cpuCores: 8, cpuSpeedMhz: 2100, memoryBytes: 32 * 1024 ** 3 } as const;

/** Versions each hypervisor type reports unless a host says otherwise. */
export const SIMULATED_VERSIONS: Readonly<Record<HypervisorType, string>> = {
  Simulator: '4.1.0',
  KVM: '1.0.2',
  XenServer: '6.0.2',
  VMware: '5.0',
};

/** The URL prefix of simulated hosts. */
export const SIMULATOR_URL_PREFIX = 'http://sim/';

/** The host name in a simulator URL (`http://sim/h1` → `h1`), or undefined for any other URL. */
export function hostNameOf(url: string): string | undefined {
  if (!url.startsWith(SIMULATOR_URL_PREFIX)) return undefined;
  const name = url.slice(SIMULATOR_URL_PREFIX.length).replace(/\/+$/, '');
  return /^[A-Za-z0-9._-]+$/.test(name) ? name : undefined;
}

/** Builds a host's state from its spec, with defaults. */
export function simulatedHost(name: string, index: number, spec: SimulatedHostSpec = {}): SimulatedHost {
  return {
    name,
    guid: `sim-${name}-${index.toString(16).padStart(8, '0')}`,
    cpuSockets: spec.cpuSockets ?? DEFAULT_SIMULATED_HOST.cpuSockets,
    cpuCores: spec.cpuCores ?? DEFAULT_SIMULATED_HOST.cpuCores,
    cpuSpeedMhz: spec.cpuSpeedMhz ?? DEFAULT_SIMULATED_HOST.cpuSpeedMhz,
    memoryBytes: spec.memoryBytes ?? DEFAULT_SIMULATED_HOST.memoryBytes,
    hypervisorVersion: spec.hypervisorVersion,
    ipAddress: spec.ipAddress ?? `172.16.${Math.floor(index / 250) % 256}.${(index % 250) + 2}`,
    password: spec.password,
    vms: new Map((spec.vms ?? []).map((vm) => [vm.name, vm.powerState])),
    connected: false,
  };
}
