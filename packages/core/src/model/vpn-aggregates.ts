import type { AggregateSpec } from './aggregates.js';

/** The aggregates of the remote-access VPN area. Merged into the store's list by `aggregates.ts`. */
export interface VpnAggregates {}

/** Index and uniqueness facts of the remote-access VPN area's aggregates. */
export const VPN_AGGREGATE_SPECS: { readonly [K in keyof VpnAggregates]: AggregateSpec<VpnAggregates[K]> } = {};
