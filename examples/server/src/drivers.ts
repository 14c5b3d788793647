import { KvmHypervisorDriver } from '@cloudstack-sdk/driver-kvm';
import { invalidParameter, type HypervisorDriver, type HypervisorType, type StorageDrivers } from '@cloudstack-sdk/core';
import { createSimulator, type Simulator } from '@cloudstack-sdk/driver-simulator';

/** The drivers the server registers for the hypervisor types it was asked for. */
export interface ServerDrivers {
  /** One driver per hypervisor type. */
  readonly hypervisors: readonly HypervisorDriver[];
  /** Storage drivers (the simulator's: primary pools and secondary stores in memory). */
  readonly storage: StorageDrivers;
  /** The simulator, always present: its hosts answer `http://sim/<name>`. */
  readonly simulator: Simulator;
}

/**
 * Picks a driver per hypervisor type: `Simulator` is the in-memory simulator, `KVM` the libvirt
 * driver (hosts added with their libvirt URI as `url`). XenServer and VMware have no driver
 * yet and are refused, naming `HYPERVISORS`.
 */
export function driversFor(types: readonly HypervisorType[]): ServerDrivers {
  const simulator = createSimulator({ hypervisorTypes: ['Simulator'] });
  const hypervisors: HypervisorDriver[] = [];
  for (const type of types) {
    if (type === 'Simulator') hypervisors.push(...simulator.hypervisors);
    else if (type === 'KVM') hypervisors.push(new KvmHypervisorDriver());
    else throw invalidParameter('HYPERVISORS', `no ${type} driver is available yet (available: Simulator, KVM)`);
  }
  return { hypervisors, storage: simulator.storage, simulator };
}
