import type { AggregateSpec } from './aggregates.js';

/**
 * The aggregates of the volumes area (volumes, snapshots, snapshot policies, usage records).
 * Merged into the store's aggregate list by `aggregates.ts`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface VolumeAggregates {}

/** Index and uniqueness facts of the volumes area's aggregates. */
export const VOLUME_AGGREGATE_SPECS: { readonly [K in keyof VolumeAggregates]: AggregateSpec<VolumeAggregates[K]> } = {};
