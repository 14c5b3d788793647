import type { HypervisorType, StorageDrivers } from '@cloudstack-sdk/core';
import { SimulatorHypervisor } from './simulator-hypervisor.js';
import { SimulatorLab, type SimulatorLabOptions } from './simulator-lab.js';
import { SimulatorPrimaryStorage, SimulatorSecondaryStorage } from './simulator-storage.js';

/** Options of {@link createSimulator}. */
export interface SimulatorOptions extends SimulatorLabOptions {
  /**
   * Hypervisor types to answer for (`Simulator` by default). Add `KVM`, `XenServer` or
   * `VMware` to run those clusters, with their rules, on simulated hosts.
   */
  readonly hypervisorTypes?: readonly HypervisorType[];
}

/** Everything a cloud needs to run on the simulator, plus the lab tests reach into. */
export interface Simulator {
  /** The simulated data center: hosts, VMs, pools, stores, faults. */
  readonly lab: SimulatorLab;
  /** One hypervisor driver per requested type; pass as `createCloud({ hypervisors })`. */
  readonly hypervisors: readonly SimulatorHypervisor[];
  /** Storage drivers; pass as `createCloud({ storage })`. */
  readonly storage: StorageDrivers;
}

/** Builds a simulator: one lab, its hypervisor drivers and its storage drivers. */
export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const lab = new SimulatorLab(options);
  const types = options.hypervisorTypes ?? ['Simulator'];
  return {
    lab,
    hypervisors: types.map((type) => new SimulatorHypervisor(lab, type)),
    storage: { primary: [new SimulatorPrimaryStorage(lab)], secondary: new SimulatorSecondaryStorage(lab) },
  };
}
