import type { AggregateSpec } from './aggregates.js';

/** The aggregates of the security-group area. Merged into the store's list by `aggregates.ts`. */
export interface SecurityGroupAggregates {}

/** Index and uniqueness facts of the security-group area's aggregates. */
export const SECURITY_GROUP_AGGREGATE_SPECS: { readonly [K in keyof SecurityGroupAggregates]: AggregateSpec<SecurityGroupAggregates[K]> } = {};
