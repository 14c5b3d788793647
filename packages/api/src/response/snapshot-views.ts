import { SnapshotIntervalType, type SnapshotPolicyView, type SnapshotView } from '@cloudstack-sdk/core';
import type { ApiObject } from './api-value.js';
import type { DateFormatter } from './host-views.js';
import type { NameLookup } from './name-lookup.js';

/**
 * A snapshot as 4.1's `SnapshotResponse` shows it (reference §5 `snapshot`), in its field order:
 * `snapshottype` is `MANUAL` or the interval of the policy that took it, `intervaltype` only for
 * a policy's snapshots. Projects and tags are not emitted: core has none.
 */
export async function snapshotView(snapshot: SnapshotView, names: NameLookup, formatDate: DateFormatter): Promise<ApiObject> {
  const domain = await names.domain(snapshot.domainId);
  return {
    id: snapshot.id,
    account: await names.account(snapshot.accountId),
    domainid: snapshot.domainId,
    domain: domain?.name,
    snapshottype: snapshot.snapshotType,
    volumeid: snapshot.volumeId,
    volumename: snapshot.volumeName,
    volumetype: snapshot.volumeType,
    created: formatDate(snapshot.created),
    name: snapshot.name,
    intervaltype: snapshot.intervalType,
    state: snapshot.state,
  };
}

/**
 * A snapshot policy as 4.1's `SnapshotPolicyResponse` shows it: `intervaltype` is 4.1's number
 * (0 hourly, 1 daily, 2 weekly, 3 monthly), `maxsnaps` a number.
 */
export function snapshotPolicyView(policy: SnapshotPolicyView): ApiObject {
  return {
    id: policy.id,
    volumeid: policy.volumeId,
    schedule: policy.schedule,
    intervaltype: SnapshotIntervalType.options.indexOf(policy.intervalType),
    maxsnaps: policy.maxSnaps,
    timezone: policy.timezone,
  };
}
