import type { AggregateSpec } from './aggregates.js';
import type { DiskOffering } from './disk-offering.js';
import type { ServiceOffering } from './service-offering.js';

/** The aggregates of the offerings area. Merged into the store's aggregate list by `aggregates.ts`. */
export interface OfferingAggregates {
  /** Service (compute) offerings, user and system. */
  serviceOfferings: ServiceOffering;
  /** Disk offerings. */
  diskOfferings: DiskOffering;
}

/** Index and uniqueness facts of the offerings area's aggregates. */
export const OFFERING_AGGREGATE_SPECS: { readonly [K in keyof OfferingAggregates]: AggregateSpec<OfferingAggregates[K]> } = {
  serviceOfferings: { indexed: ['state', 'domainId', 'isSystem'] },
  diskOfferings: { indexed: ['state', 'domainId'] },
};
