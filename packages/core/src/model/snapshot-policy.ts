import { z } from 'zod';
import { SnapshotIntervalType } from './snapshot.js';

/**
 * A recurring snapshot policy of a volume (4.1's `createSnapshotPolicy`): one per volume and
 * interval. `schedule` is 4.1's: `MM` (hourly), `MM:HH` (daily), `MM:HH:D` (weekly, D = 1..7,
 * Sunday = 1) or `MM:HH:DD` (monthly, DD = 1..28), read in `timezone`; `maxSnaps` is how many of
 * its snapshots are kept (the oldest go first).
 */
export const SnapshotPolicySchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  volumeId: z.string(),
  accountId: z.string(),
  domainId: z.string(),
  intervalType: SnapshotIntervalType,
  schedule: z.string(),
  /** IANA time zone the schedule is read in. */
  timezone: z.string(),
  maxSnaps: z.number().int().positive(),
  /** When the sweep next takes a snapshot (ISO time). */
  nextRunAt: z.string(),
  createdAt: z.string(),
});

/** A snapshot policy as stored. */
export type SnapshotPolicy = z.infer<typeof SnapshotPolicySchema>;
