import type { AggregateSpec } from './aggregates.js';
import type { Nic } from './nic.js';
import type { VirtualMachine } from './vm.js';

/**
 * The aggregates of the virtual-machine area (VMs and their NICs so far). Merged into the
 * store's aggregate list by `aggregates.ts`.
 */
export interface VmAggregates {
  /** User VMs. */
  vms: VirtualMachine;
  /** VM network interfaces. */
  nics: Nic;
}

/** Index and uniqueness facts of the virtual-machine area's aggregates. */
export const VM_AGGREGATE_SPECS: { readonly [K in keyof VmAggregates]: AggregateSpec<VmAggregates[K]> } = {
  vms: { unique: [['instanceName'], ['accountId', 'name']], indexed: ['accountId', 'domainId', 'hostId', 'state', 'zoneId'] },
  nics: { unique: [['zoneId', 'macAddress']], indexed: ['vmId', 'ipAddress', 'networkId'] },
};
