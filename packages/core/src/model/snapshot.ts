import { z } from 'zod';
import type { Transitions } from './state-machine.js';

/**
 * States of a snapshot, as 4.1's `Snapshot.State`: `Creating` is the intent recorded before the
 * storage driver is called, `BackedUp` a snapshot kept on storage, `Error` one whose driver call
 * failed (it holds no place in the `snapshot` limit). `Destroying` (the name later releases use)
 * is the intent recorded before the driver deletes a backed-up snapshot; a failed delete returns
 * it to `BackedUp`.
 */
export const SnapshotState = z.enum(['Allocated', 'Creating', 'CreatedOnPrimary', 'BackingUp', 'BackedUp', 'Error', 'Destroying']);
/** One of the snapshot states. */
export type SnapshotState = z.infer<typeof SnapshotState>;

/** Allowed moves between snapshot states. */
export const SNAPSHOT_TRANSITIONS: Transitions<SnapshotState> = {
  Allocated: ['Creating', 'Error'],
  Creating: ['CreatedOnPrimary', 'BackedUp', 'Error'],
  CreatedOnPrimary: ['BackingUp', 'Error'],
  BackingUp: ['BackedUp', 'Error'],
  BackedUp: ['Destroying'],
  Error: [],
  Destroying: ['BackedUp'],
};

/** The recurring intervals of 4.1's snapshot policies (`intervaltype`). */
export const SnapshotIntervalType = z.enum(['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY']);
/** One of the snapshot intervals. */
export type SnapshotIntervalType = z.infer<typeof SnapshotIntervalType>;

/** `snapshottype`: taken by hand (`MANUAL`) or by a policy of an interval. */
export const SnapshotType = z.enum(['MANUAL', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY']);
/** One of the snapshot types. */
export type SnapshotType = z.infer<typeof SnapshotType>;

/**
 * A volume snapshot (CloudStack's `snapshots` row). Field names follow the API's `snapshot`
 * object (reference §5): `snapshotType`, `volumeId`, `volumeName`, `volumeType`, `intervalType`.
 */
export const SnapshotSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  name: z.string().min(1).max(255),
  accountId: z.string(),
  domainId: z.string(),
  zoneId: z.string(),
  volumeId: z.string(),
  volumeName: z.string(),
  volumeType: z.enum(['ROOT', 'DATADISK']),
  /** The volume's size in bytes when the snapshot was taken (a volume made from it gets this size). */
  volumeSize: z.number().int().min(0),
  snapshotType: SnapshotType,
  /** The interval of the policy that took it. */
  intervalType: SnapshotIntervalType.optional(),
  /** The policy that took it. */
  policyId: z.string().optional(),
  state: SnapshotState,
  /** Where storage keeps it. */
  path: z.string().optional(),
  /** The primary-storage pool its volume was on when it was taken (whose driver deletes it). */
  storageId: z.string().optional(),
  /** Bytes it takes on storage. */
  physicalSize: z.number().int().min(0),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A snapshot as stored. */
export type Snapshot = z.infer<typeof SnapshotSchema>;
