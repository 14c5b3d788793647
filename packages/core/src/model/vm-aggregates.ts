import type { AggregateSpec } from './aggregates.js';

/**
 * The aggregates of the virtual-machine area (VMs, NICs, volumes, snapshots, usage records).
 * Merged into the store's aggregate list by `aggregates.ts`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface VmAggregates {}

/** Index and uniqueness facts of the virtual-machine area's aggregates. */
export const VM_AGGREGATE_SPECS: { readonly [K in keyof VmAggregates]: AggregateSpec<VmAggregates[K]> } = {};
