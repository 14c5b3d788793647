import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import { isRootAdmin, type CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Filter, Page, Store } from '../contracts/store.js';
import { invalidParameter, notFound, permissionDenied, toCloudError, type CloudError } from '../errors.js';
import type { SnapshotPolicy } from '../model/snapshot-policy.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { pageWindow } from './paging.js';
import { CreateSnapshotPolicyInput, ListSnapshotPoliciesInput, SnapshotPolicyIdInput } from './snapshot-inputs.js';
import { SnapshotLifecycle } from './snapshot-lifecycle.js';
import { checkTimezone, nextRunAfter, parseSchedule } from './snapshot-schedule.js';
import { snapshotPolicyViewOf, type SnapshotPolicyView, type SnapshotView } from './snapshot-views.js';
import { validate } from './validate.js';
import { Visibility } from './visibility.js';
import { VolumeAccess } from './volume-access.js';

/** One policy the sweep could not serve, and why. */
export interface SnapshotSweepFailure {
  readonly policyId: string;
  readonly volumeId: string;
  readonly error: CloudError;
}

/** What one {@link SnapshotPolicyService.runDueSnapshots} sweep did. */
export interface SnapshotSweepResult {
  /** Snapshots the due policies took. */
  readonly taken: readonly SnapshotView[];
  /** Ids of the old recurring snapshots deleted to keep each policy's `maxSnaps`. */
  readonly deleted: readonly string[];
  /** Policies whose snapshot (or pruning) failed; they run again at their next time. */
  readonly failures: readonly SnapshotSweepFailure[];
}

/**
 * Recurring snapshot policies (4.1's `createSnapshotPolicy`, `listSnapshotPolicies`,
 * `deleteSnapshotPolicies`), bound to a caller on the facade (`cloud.as(caller).snapshotPolicies`).
 * A volume has at most one policy per interval: creating another for the same interval updates
 * it, as 4.1 does. `maxSnaps` is capped by `snapshot.max.<interval>` (431 `maxsnaps`).
 * {@link runDueSnapshots} is the scheduler's sweep: every policy whose next run has come (by the
 * injected clock) takes a snapshot, moves its next run on, and deletes its oldest snapshots
 * beyond `maxSnaps`.
 */
@injectable()
export class SnapshotPolicyService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(VolumeAccess) private readonly access: VolumeAccess,
    @inject(SnapshotLifecycle) private readonly lifecycle: SnapshotLifecycle,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Creates (or, for an interval the volume already has, updates) a recurring policy. */
  async create(caller: CallContext, input: CreateSnapshotPolicyInput): Promise<SnapshotPolicyView> {
    const request = validate(CreateSnapshotPolicyInput, input);
    const schedule = parseSchedule(request.intervalType, request.schedule);
    const timezone = checkTimezone(request.timezone);
    return this.store.transaction(async (tx) => {
      const volume = await this.access.visible(tx, caller, request.volumeId, 'volumeid');
      if (volume.storageId === undefined) throw invalidParameter('volumeid', `volume ${volume.name} is ${volume.state} and on no pool yet; attach it before scheduling snapshots`);
      const max = await this.config.number(`snapshot.max.${request.intervalType.toLowerCase()}`, {}, tx);
      if (request.maxSnaps > max) throw invalidParameter('maxsnaps', `maxsnaps exceeds the limit of ${max} for ${request.intervalType} snapshots (snapshot.max.${request.intervalType.toLowerCase()})`);
      const now = this.clock.now();
      const fields = { schedule: request.schedule, timezone, maxSnaps: request.maxSnaps, nextRunAt: new Date(nextRunAfter(schedule, timezone, now)).toISOString() };
      const existing = (await tx.repo('snapshotPolicies').find({ where: { volumeId: volume.id, intervalType: request.intervalType } })).items[0];
      const policy = existing === undefined
        ? await tx.repo('snapshotPolicies').insert({ id: this.random.uuid(), volumeId: volume.id, accountId: volume.accountId, domainId: volume.domainId, intervalType: request.intervalType, ...fields, createdAt: isoNow(this.clock) })
        : await tx.repo('snapshotPolicies').update({ ...existing, ...fields });
      await this.events.record(tx, caller, { accountId: volume.accountId, domainId: volume.domainId, type: existing === undefined ? 'SNAPSHOTPOLICY.CREATE' : 'SNAPSHOTPOLICY.UPDATE', resourceType: 'SnapshotPolicy', resourceId: policy.id, description: `${request.intervalType} snapshot policy of volume ${volume.name}: ${request.schedule} ${timezone}, keep ${request.maxSnaps}` });
      return snapshotPolicyViewOf(policy);
    });
  }

  /** Policies the caller may see (`listSnapshotPolicies`). */
  async list(caller: CallContext, input: ListSnapshotPoliciesInput = {}): Promise<Page<SnapshotPolicyView>> {
    const query = validate(ListSnapshotPoliciesInput, input);
    return this.store.transaction(async (tx) => {
      const scope = await this.visibility.scope(tx, caller, query);
      const where: Filter<SnapshotPolicy> = {
        ...this.visibility.ownerFilter(scope),
        ...(query.id === undefined ? {} : { id: query.id }),
        ...(query.volumeId === undefined ? {} : { volumeId: query.volumeId }),
      };
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      const page = await tx.repo('snapshotPolicies').find({ where, orderBy: [{ field: 'createdAt' }, { field: 'id' }], ...window });
      return { items: page.items.map(snapshotPolicyViewOf), total: page.total };
    });
  }

  /** Deletes a policy (`deleteSnapshotPolicies`); the snapshots it took stay. */
  async delete(caller: CallContext, input: SnapshotPolicyIdInput): Promise<void> {
    const request = validate(SnapshotPolicyIdInput, input);
    await this.store.transaction(async (tx) => {
      const policy = await tx.repo('snapshotPolicies').get(request.id);
      if (policy === undefined) throw notFound('snapshot policy', 'id', request.id);
      await this.visibility.assertCanAccess(tx, caller, policy, 'snapshot policy', 'id', request.id);
      await tx.repo('snapshotPolicies').delete(policy.id);
      await this.events.record(tx, caller, { accountId: policy.accountId, domainId: policy.domainId, type: 'SNAPSHOTPOLICY.DELETE', resourceType: 'SnapshotPolicy', resourceId: policy.id, description: `Deleted the ${policy.intervalType} snapshot policy of volume ${policy.volumeId}` });
    });
  }

  /**
   * The scheduler's sweep (root admins; a server calls it as SYSTEM every
   * `snapshot.poll.interval`): each policy due by the clock is claimed by moving its next run
   * on, takes a snapshot of its volume, and deletes its oldest snapshots beyond `maxSnaps`.
   * A policy that fails is reported and runs again at its next time.
   */
  async runDueSnapshots(caller: CallContext): Promise<SnapshotSweepResult> {
    if (!isRootAdmin(caller)) throw permissionDenied('only a root admin runs the snapshot scheduler');
    const now = this.clock.now();
    const due = await this.store.transaction(async (tx) => (await tx.repo('snapshotPolicies').find({ where: { nextRunAt: { lte: new Date(now).toISOString() } }, orderBy: [{ field: 'nextRunAt' }, { field: 'id' }] })).items);
    const taken: SnapshotView[] = [];
    const deleted: string[] = [];
    const failures: SnapshotSweepFailure[] = [];
    for (const candidate of due) {
      const policy = await this.claim(candidate.id, now).catch(() => undefined);
      if (policy === undefined) continue;
      try {
        taken.push(await this.lifecycle.take(caller, policy.volumeId, policy.id));
        deleted.push(...(await this.prune(caller, policy)));
      } catch (error) {
        failures.push({ policyId: policy.id, volumeId: policy.volumeId, error: toCloudError(error) });
      }
    }
    return { taken, deleted, failures };
  }

  /** Moves a due policy's next run past `now`; undefined when it is gone or another sweep took it. */
  private claim(id: string, now: number): Promise<SnapshotPolicy | undefined> {
    return this.store.transaction(async (tx) => {
      const policy = await tx.repo('snapshotPolicies').get(id);
      if (policy === undefined || Date.parse(policy.nextRunAt) > now) return undefined;
      const next = nextRunAfter(parseSchedule(policy.intervalType, policy.schedule), policy.timezone, now);
      return tx.repo('snapshotPolicies').update({ ...policy, nextRunAt: new Date(next).toISOString() });
    });
  }

  /** Deletes the policy's oldest backed-up snapshots beyond its `maxSnaps`; returns their ids. */
  private async prune(caller: CallContext, policy: SnapshotPolicy): Promise<string[]> {
    const kept = await this.store.transaction(async (tx) => (await tx.repo('snapshots').find({ where: { policyId: policy.id, state: 'BackedUp' }, orderBy: [{ field: 'createdAt', direction: 'desc' }, { field: 'id', direction: 'desc' }] })).items);
    const excess = kept.slice(policy.maxSnaps);
    for (const snapshot of excess) await this.lifecycle.delete(caller, snapshot.id);
    return excess.map((s) => s.id);
  }
}
