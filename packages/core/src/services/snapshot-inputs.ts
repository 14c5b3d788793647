import { z } from 'zod';
import { SnapshotIntervalType } from '../model/snapshot.js';
import { PagingInput } from './paging.js';
import { VisibilityInput } from './visibility.js';

/** A snapshot by id. */
export const SnapshotIdInput = z.object({ id: z.string().min(1) });
/** A snapshot by id. */
export type SnapshotIdInput = z.input<typeof SnapshotIdInput>;

/** Input of `snapshots.take` (`createSnapshot`). */
export const TakeSnapshotInput = z.object({
  /** The volume to snapshot: Ready and on a pool. */
  volumeId: z.string().min(1),
  /** The recurring policy taking it; a manual snapshot without it. */
  policyId: z.string().min(1).optional(),
});
/** Input of `snapshots.take`. */
export type TakeSnapshotInput = z.input<typeof TakeSnapshotInput>;

/** `listSnapshots`' `snapshottype` filter: taken by hand, or by any recurring policy. */
export const SnapshotTypeFilter = z.enum(['MANUAL', 'RECURRING']);
/** One of the `snapshottype` filter values. */
export type SnapshotTypeFilter = z.infer<typeof SnapshotTypeFilter>;

/** Filters of `snapshots.list` (`listSnapshots`). */
export const ListSnapshotsInput = VisibilityInput.extend(PagingInput.shape).extend({
  id: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  volumeId: z.string().min(1).optional(),
  snapshotType: SnapshotTypeFilter.optional(),
  intervalType: SnapshotIntervalType.optional(),
  keyword: z.string().min(1).optional(),
});
/** Filters of `snapshots.list`. */
export type ListSnapshotsInput = z.input<typeof ListSnapshotsInput>;

/** Input of `snapshots.createVolume` (`createVolume` with `snapshotid`). */
export const CreateVolumeFromSnapshotInput = z.object({
  snapshotId: z.string().min(1),
  name: z.string().min(1).max(255),
  /** Must be the snapshot's zone when given. */
  zoneId: z.string().min(1).optional(),
});
/** Input of `snapshots.createVolume`. */
export type CreateVolumeFromSnapshotInput = z.input<typeof CreateVolumeFromSnapshotInput>;

/** A snapshot policy by id. */
export const SnapshotPolicyIdInput = z.object({ id: z.string().min(1) });
/** A snapshot policy by id. */
export type SnapshotPolicyIdInput = z.input<typeof SnapshotPolicyIdInput>;

/** Input of `snapshotPolicies.create` (`createSnapshotPolicy`); every field is required, as in 4.1. */
export const CreateSnapshotPolicyInput = z.object({
  volumeId: z.string().min(1),
  intervalType: SnapshotIntervalType,
  /** `MM` (hourly), `MM:HH` (daily), `MM:HH:D` (weekly, Sunday = 1) or `MM:HH:DD` (monthly, 1..28). */
  schedule: z.string().min(1),
  /** IANA time zone the schedule is read in (`Europe/Prague`, `UTC`). */
  timezone: z.string().min(1),
  /** Snapshots of this policy to keep, up to `snapshot.max.<interval>`. */
  maxSnaps: z.number().int().positive(),
});
/** Input of `snapshotPolicies.create`. */
export type CreateSnapshotPolicyInput = z.input<typeof CreateSnapshotPolicyInput>;

/** Filters of `snapshotPolicies.list` (`listSnapshotPolicies`). */
export const ListSnapshotPoliciesInput = VisibilityInput.extend(PagingInput.shape).extend({
  id: z.string().min(1).optional(),
  volumeId: z.string().min(1).optional(),
});
/** Filters of `snapshotPolicies.list`. */
export type ListSnapshotPoliciesInput = z.input<typeof ListSnapshotPoliciesInput>;
