import { inject, injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Store, Transaction } from '../contracts/store.js';
import { CloudError, concurrentModification, invalidParameter, notFound } from '../errors.js';
import type { Snapshot } from '../model/snapshot.js';
import type { SnapshotPolicy } from '../model/snapshot-policy.js';
import type { Volume } from '../model/volume.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { ResourceLimitService } from './resource-limits.js';
import { snapshotViewOf, type SnapshotView } from './snapshot-views.js';
import { UsageRecorder } from './usage-recorder.js';
import { Visibility } from './visibility.js';
import { VolumeAccess } from './volume-access.js';
import { VolumeDevices, volumeSpecOf, type PreparedStorageCall } from './volume-devices.js';

/** `yyyyMMddHHmmss` of an ISO time, as 4.1 stamps snapshot names. */
function stampOf(iso: string): string {
  return iso.slice(0, 19).replace(/[-T:]/g, '');
}

/** The pool of a volume that can be snapshotted: `Ready` on a pool (431 naming `volumeid` otherwise). */
function requireSnapshottable(volume: Volume): string {
  if (volume.state !== 'Ready' || volume.storageId === undefined) throw invalidParameter('volumeid', `volume ${volume.name} is ${volume.state}; only a Ready volume on a pool can be snapshotted`);
  return volume.storageId;
}

/**
 * Taking and deleting volume snapshots through the primary-storage driver (rule 3 of the house).
 * Taking is two steps, as 4.1's async-create `createSnapshot`: `allocate` refuses a volume that
 * is not `Ready` on a pool (431 `volumeid`), claims one `snapshot` count of the owner (532) and
 * records the snapshot `Allocated`; `backUp` records the intent — the snapshot `Creating`, the
 * volume `Snapshotting` — in one transaction, calls `snapshotVolume` outside it with the `wait`
 * timeout, then records `BackedUp` with the path and bytes and a `SNAPSHOT.CREATE` usage event.
 * A failed or timed-out call removes the snapshot row, gives the count back, returns the volume
 * to `Ready` and records an ERROR event. `take` runs both. `delete` records `Destroying`, deletes
 * through the driver and then releases the count (or returns to `BackedUp` on failure).
 */
@injectable()
export class SnapshotLifecycle {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(ResourceLimitService) private readonly limits: ResourceLimitService,
    @inject(VolumeAccess) private readonly access: VolumeAccess,
    @inject(VolumeDevices) private readonly devices: VolumeDevices,
    @inject(UsageRecorder) private readonly usage: UsageRecorder,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** The snapshot if `caller` may see it; 431 not found (naming `param`) otherwise. */
  async visible(tx: Transaction, caller: CallContext, id: string, param = 'id'): Promise<Snapshot> {
    const snapshot = await tx.repo('snapshots').get(id);
    if (snapshot === undefined) throw notFound('snapshot', param, id);
    await this.visibility.assertCanAccess(tx, caller, snapshot, 'snapshot', param, id);
    return snapshot;
  }

  /** Snapshots a volume (`createSnapshot`), by hand or for `policyId`: {@link allocate} then {@link backUp}. */
  async take(caller: CallContext, volumeId: string, policyId?: string): Promise<SnapshotView> {
    const allocated = await this.allocate(caller, volumeId, policyId);
    return this.backUp(caller, allocated.id);
  }

  /**
   * The first step of `createSnapshot` (4.1's async-create): checks the volume (visible, `Ready`
   * on a pool whose driver can snapshot — 431 / 534 naming `volumeid`) and the policy, claims
   * one `snapshot` count of the owner (532) and records the snapshot `Allocated`, in one
   * transaction, so its id exists before any device is touched. {@link backUp} takes it.
   */
  async allocate(caller: CallContext, volumeId: string, policyId?: string): Promise<SnapshotView> {
    return this.store.transaction(async (tx) => {
      const volume = await this.access.visible(tx, caller, volumeId, 'volumeid');
      const policy = policyId === undefined ? undefined : await this.policyOf(tx, volume, policyId);
      const storageId = requireSnapshottable(volume);
      await this.devices.prepare(tx, storageId, 'snapshotVolume', 'volumeid');
      await this.limits.reserve(tx, volume.accountId, 'snapshot', 1);
      return snapshotViewOf(await this.insert(tx, volume, policy));
    });
  }

  /**
   * The second step of `createSnapshot`: takes an `Allocated` snapshot through the storage
   * driver (rule 3). One transaction records the intent — the snapshot `Creating`, its volume
   * `Snapshotting` — after checking again that the volume is `Ready` on a pool; the driver's
   * `snapshotVolume` runs outside it with the `wait` timeout; a second transaction records
   * `BackedUp` with the path and bytes and a `SNAPSHOT.CREATE` usage event. When the volume can no
   * longer be snapshotted, or the driver fails or times out, the snapshot row goes, its count is
   * given back, the volume returns to `Ready` and an ERROR event is recorded. A snapshot that is
   * not `Allocated` (or not visible) is refused with 431 naming `id`, changing nothing.
   */
  async backUp(caller: CallContext, id: string): Promise<SnapshotView> {
    const outcome = await this.store.transaction(async (tx) => {
      const snapshot = await this.visible(tx, caller, id);
      if (snapshot.state !== 'Allocated') throw invalidParameter('id', `snapshot ${snapshot.name} is ${snapshot.state}; only an Allocated snapshot can be taken`);
      const volume = await tx.repo('volumes').get(snapshot.volumeId);
      let call: PreparedStorageCall;
      try {
        if (volume === undefined || volume.state === 'Expunged') throw notFound('volume', 'volumeid', snapshot.volumeId);
        call = await this.devices.prepare(tx, requireSnapshottable(volume), 'snapshotVolume', 'volumeid');
      } catch (refusal) {
        if (!(refusal instanceof CloudError)) throw refusal;
        // The volume changed since the allocation: the snapshot cannot be taken, so it goes.
        await this.discard(tx, caller, snapshot);
        return { refusal };
      }
      const now = isoNow(this.clock);
      const creating = await tx.repo('snapshots').update({ ...snapshot, state: 'Creating', updatedAt: now });
      await tx.repo('volumes').update({ ...volume, state: 'Snapshotting', updatedAt: now });
      return { prepared: { volume, snapshot: creating, call } };
    });
    if ('refusal' in outcome) throw outcome.refusal;
    const { volume, snapshot, call } = outcome.prepared;
    let answer: Awaited<ReturnType<NonNullable<typeof call.driver.snapshotVolume>>>;
    try {
      answer = await this.devices.call(call, `snapshot volume ${volume.name}`, (d) => d.snapshotVolume!({ volume: volumeSpecOf(call.pool, volume), snapshotId: snapshot.id }));
    } catch (error) {
      await this.store.transaction(async (tx) => {
        await this.volumeBack(tx, volume.id);
        const current = await tx.repo('snapshots').get(snapshot.id);
        if (current !== undefined) await this.discard(tx, caller, current);
      });
      throw error;
    }
    const backedUp = await this.store.transaction(async (tx) => {
      await this.volumeBack(tx, volume.id);
      const current = await tx.repo('snapshots').get(snapshot.id);
      if (current === undefined) return undefined;
      const done = await tx.repo('snapshots').update({ ...current, state: 'BackedUp', path: answer.path, physicalSize: answer.physicalSizeBytes, updatedAt: isoNow(this.clock) });
      await this.usage.snapshot(tx, 'SNAPSHOT.CREATE', done);
      await this.events.record(tx, caller, { accountId: done.accountId, domainId: done.domainId, type: 'SNAPSHOT.CREATE', resourceType: 'Snapshot', resourceId: done.id, description: `Took snapshot ${done.name} of volume ${volume.name}` });
      return done;
    });
    if (backedUp === undefined) {
      // The row went while the driver worked (its account was deleted): the bytes must go too.
      await this.devices.call(call, `delete snapshot ${snapshot.name}`, (d) => d.deleteSnapshot!({ pool: call.pool, snapshotId: snapshot.id, path: answer.path })).catch(() => undefined);
      throw concurrentModification('snapshot', snapshot.id);
    }
    return snapshotViewOf(backedUp);
  }

  /**
   * Deletes a backed-up snapshot through the storage driver and gives its count back
   * (`deleteSnapshot`). An `Allocated` snapshot (its take never ran, e.g. its job was
   * interrupted) has nothing on storage: its row and count go in one transaction.
   */
  async delete(caller: CallContext, id: string): Promise<void> {
    const prepared = await this.store.transaction(async (tx) => {
      const snapshot = await this.visible(tx, caller, id);
      if (snapshot.state === 'Allocated') {
        await this.remove(tx, snapshot);
        await this.events.record(tx, caller, { accountId: snapshot.accountId, domainId: snapshot.domainId, type: 'SNAPSHOT.DELETE', resourceType: 'Snapshot', resourceId: snapshot.id, description: `Deleted snapshot ${snapshot.name} before it was taken` });
        return undefined;
      }
      if (snapshot.state !== 'BackedUp') throw invalidParameter('id', `snapshot ${snapshot.name} is ${snapshot.state}; only a BackedUp (or a never taken Allocated) snapshot can be deleted`);
      const call = snapshot.storageId === undefined || snapshot.path === undefined ? undefined : await this.devices.prepare(tx, snapshot.storageId, 'deleteSnapshot');
      const marked = await tx.repo('snapshots').update({ ...snapshot, state: 'Destroying', updatedAt: isoNow(this.clock) });
      return { snapshot: marked, call };
    });
    if (prepared === undefined) return;
    const { snapshot, call } = prepared;
    if (call !== undefined && snapshot.path !== undefined) {
      const path = snapshot.path;
      try {
        await this.devices.call(call, `delete snapshot ${snapshot.name}`, (d) => d.deleteSnapshot!({ pool: call.pool, snapshotId: snapshot.id, path }));
      } catch (error) {
        await this.store.transaction(async (tx) => {
          const current = await tx.repo('snapshots').get(snapshot.id);
          if (current !== undefined) await tx.repo('snapshots').update({ ...current, state: 'BackedUp', updatedAt: isoNow(this.clock) });
          await this.events.record(tx, caller, { accountId: snapshot.accountId, domainId: snapshot.domainId, level: 'ERROR', type: 'SNAPSHOT.DELETE', resourceType: 'Snapshot', resourceId: snapshot.id, description: `Failed to delete snapshot ${snapshot.name}` });
        });
        throw error;
      }
    }
    await this.store.transaction(async (tx) => {
      const current = await tx.repo('snapshots').get(snapshot.id);
      if (current === undefined) return;
      await this.remove(tx, current);
      await this.events.record(tx, caller, { accountId: snapshot.accountId, domainId: snapshot.domainId, type: 'SNAPSHOT.DELETE', resourceType: 'Snapshot', resourceId: snapshot.id, description: `Deleted snapshot ${snapshot.name}` });
    });
  }

  /** Gives a snapshot's `snapshot` count back, records its usage end and removes its row (in `tx`). */
  async remove(tx: Transaction, snapshot: Snapshot): Promise<void> {
    await this.limits.release(tx, snapshot.accountId, 'snapshot', 1);
    if (snapshot.path !== undefined) await this.usage.snapshot(tx, 'SNAPSHOT.DELETE', snapshot);
    await tx.repo('snapshots').delete(snapshot.id);
  }

  /** Removes a snapshot that was not taken (in `tx`), giving its count back, with an ERROR event. */
  private async discard(tx: Transaction, caller: CallContext, snapshot: Snapshot): Promise<void> {
    await this.remove(tx, snapshot);
    await this.events.record(tx, caller, { accountId: snapshot.accountId, domainId: snapshot.domainId, level: 'ERROR', type: 'SNAPSHOT.CREATE', resourceType: 'Snapshot', resourceId: snapshot.id, description: `Failed to snapshot volume ${snapshot.volumeName}` });
  }

  private async policyOf(tx: Transaction, volume: Volume, policyId: string): Promise<SnapshotPolicy> {
    const policy = await tx.repo('snapshotPolicies').get(policyId);
    if (policy === undefined || policy.volumeId !== volume.id) throw notFound('snapshot policy', 'policyid', policyId);
    return policy;
  }

  private async insert(tx: Transaction, volume: Volume, policy: SnapshotPolicy | undefined): Promise<Snapshot> {
    const now = isoNow(this.clock);
    const vm = volume.virtualMachineId === undefined ? undefined : await tx.repo('vms').get(volume.virtualMachineId);
    return tx.repo('snapshots').insert({
      id: this.random.uuid(),
      name: `${vm?.instanceName ?? 'detached'}_${volume.name}_${stampOf(now)}`,
      accountId: volume.accountId,
      domainId: volume.domainId,
      zoneId: volume.zoneId,
      volumeId: volume.id,
      volumeName: volume.name,
      volumeType: volume.type,
      volumeSize: volume.size,
      snapshotType: policy?.intervalType ?? 'MANUAL',
      ...(policy === undefined ? {} : { intervalType: policy.intervalType, policyId: policy.id }),
      state: 'Allocated',
      ...(volume.storageId === undefined ? {} : { storageId: volume.storageId }),
      physicalSize: 0,
      createdAt: now,
      updatedAt: now,
    });
  }

  private async volumeBack(tx: Transaction, volumeId: string): Promise<void> {
    const current = await tx.repo('volumes').get(volumeId);
    if (current?.state === 'Snapshotting') await tx.repo('volumes').update({ ...current, state: 'Ready', updatedAt: isoNow(this.clock) });
  }
}
