import type { AggregateSpec } from './aggregates.js';

/**
 * The aggregates of the templates area (templates, ISOs, their per-zone copies on secondary
 * storage, launch permissions). Merged into the store's aggregate list by `aggregates.ts`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface TemplateAggregates {}

/** Index and uniqueness facts of the templates area's aggregates. */
export const TEMPLATE_AGGREGATE_SPECS: { readonly [K in keyof TemplateAggregates]: AggregateSpec<TemplateAggregates[K]> } = {};
