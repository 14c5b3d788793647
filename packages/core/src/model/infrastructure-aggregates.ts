import type { AggregateSpec } from './aggregates.js';

/**
 * The aggregates of the infrastructure area (regions, zones, physical networks, pods, IP
 * ranges, clusters, hosts, storage). Merged into the store's aggregate list by `aggregates.ts`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface InfrastructureAggregates {}

/** Index and uniqueness facts of the infrastructure area's aggregates. */
export const INFRASTRUCTURE_AGGREGATE_SPECS: {
  readonly [K in keyof InfrastructureAggregates]: AggregateSpec<InfrastructureAggregates[K]>;
} = {};
