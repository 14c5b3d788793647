import type { AggregateSpec } from './aggregates.js';
import type { Snapshot } from './snapshot.js';
import type { SnapshotPolicy } from './snapshot-policy.js';
import type { UsageRecord } from './usage-record.js';
import type { Volume } from './volume.js';

/**
 * The aggregates of the volumes area (volumes, snapshots, snapshot policies, usage records).
 * Merged into the store's aggregate list by `aggregates.ts`.
 */
export interface VolumeAggregates {
  /** ROOT and DATADISK volumes. */
  volumes: Volume;
  /** Volume snapshots. */
  snapshots: Snapshot;
  /** Recurring snapshot policies. */
  snapshotPolicies: SnapshotPolicy;
  /** Usage events, for the usage issue to aggregate. */
  usageRecords: UsageRecord;
}

/** Index and uniqueness facts of the volumes area's aggregates. */
export const VOLUME_AGGREGATE_SPECS: { readonly [K in keyof VolumeAggregates]: AggregateSpec<VolumeAggregates[K]> } = {
  volumes: { unique: [['virtualMachineId', 'deviceId']], indexed: ['accountId', 'domainId', 'zoneId', 'virtualMachineId', 'storageId', 'state', 'type'] },
  snapshots: { indexed: ['accountId', 'domainId', 'volumeId', 'policyId', 'state'] },
  snapshotPolicies: { unique: [['volumeId', 'intervalType']], indexed: ['accountId', 'nextRunAt'] },
  usageRecords: { indexed: ['accountId', 'type', 'resourceId', 'createdAt'] },
};
