import type { Snapshot, SnapshotIntervalType, SnapshotState, SnapshotType } from '../model/snapshot.js';
import type { SnapshotPolicy } from '../model/snapshot-policy.js';

/** A snapshot as `listSnapshots` shows it (field names as reference §5 maps them). */
export interface SnapshotView {
  readonly id: string;
  readonly name: string;
  readonly accountId: string;
  readonly domainId: string;
  readonly zoneId: string;
  /** `MANUAL`, or the interval of the policy that took it. */
  readonly snapshotType: SnapshotType;
  readonly intervalType?: SnapshotIntervalType;
  readonly policyId?: string;
  readonly volumeId: string;
  readonly volumeName: string;
  readonly volumeType: Snapshot['volumeType'];
  /** The volume's size in bytes when it was taken. */
  readonly volumeSize: number;
  /** Bytes it takes on storage. */
  readonly physicalSize: number;
  readonly state: SnapshotState;
  readonly created: string;
}

/** The view of a stored snapshot. */
export function snapshotViewOf(snapshot: Snapshot): SnapshotView {
  return {
    id: snapshot.id,
    name: snapshot.name,
    accountId: snapshot.accountId,
    domainId: snapshot.domainId,
    zoneId: snapshot.zoneId,
    snapshotType: snapshot.snapshotType,
    ...(snapshot.intervalType === undefined ? {} : { intervalType: snapshot.intervalType }),
    ...(snapshot.policyId === undefined ? {} : { policyId: snapshot.policyId }),
    volumeId: snapshot.volumeId,
    volumeName: snapshot.volumeName,
    volumeType: snapshot.volumeType,
    volumeSize: snapshot.volumeSize,
    physicalSize: snapshot.physicalSize,
    state: snapshot.state,
    created: snapshot.createdAt,
  };
}

/** A snapshot policy as `listSnapshotPolicies` shows it. */
export interface SnapshotPolicyView {
  readonly id: string;
  readonly volumeId: string;
  readonly intervalType: SnapshotIntervalType;
  readonly schedule: string;
  readonly timezone: string;
  readonly maxSnaps: number;
  /** When the sweep next takes a snapshot (ISO time). */
  readonly nextRun: string;
}

/** The view of a stored snapshot policy. */
export function snapshotPolicyViewOf(policy: SnapshotPolicy): SnapshotPolicyView {
  return { id: policy.id, volumeId: policy.volumeId, intervalType: policy.intervalType, schedule: policy.schedule, timezone: policy.timezone, maxSnaps: policy.maxSnaps, nextRun: policy.nextRunAt };
}
