import { inject, injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { Store } from '../contracts/store.js';
import { invalidParameter, missingParameter, notFound } from '../errors.js';
import type { Volume, VolumeState } from '../model/volume.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { UsageRecorder } from './usage-recorder.js';
import { validate } from './validate.js';
import { VolumeAccess, volumeViewOf, type VolumeView } from './volume-access.js';
import { VolumeDevices, volumeSpecOf } from './volume-devices.js';
import { MigrateVolumeInput, ResizeVolumeInput } from './volume-inputs.js';
import { VolumeLifecycle } from './volume-lifecycle.js';
import { VolumePlacement } from './volume-placement.js';

/**
 * Resizing and migrating data volumes (rule 3 of the house). `resize` grows a volume (shrinks
 * only with `shrinkOk`) to a custom size or another disk offering's size; on a pool it claims
 * the extra bytes (533), records `Resizing`, resizes through the storage driver and records
 * `Ready` with the new size — or gives the bytes back. `migrate` moves a detached (or stopped
 * VM's) volume to another Up pool of its cluster: claims the bytes there, records `Migrating`,
 * copies through the driver, deletes the source, and releases the source's bytes.
 */
@injectable()
export class VolumeChanges {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(VolumeAccess) private readonly access: VolumeAccess,
    @inject(VolumeLifecycle) private readonly lifecycle: VolumeLifecycle,
    @inject(VolumeDevices) private readonly devices: VolumeDevices,
    @inject(VolumePlacement) private readonly placement: VolumePlacement,
    @inject(UsageRecorder) private readonly usage: UsageRecorder,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Changes a data volume's size (`resizeVolume`). */
  async resize(caller: CallContext, input: ResizeVolumeInput): Promise<VolumeView> {
    const request = validate(ResizeVolumeInput, input);
    const prepared = await this.store.transaction(async (tx) => {
      const volume = await this.access.visible(tx, caller, request.id);
      if (volume.type === 'ROOT') throw invalidParameter('id', `volume ${volume.name} is a ROOT volume; only data volumes can be resized`);
      if (volume.state !== 'Allocated' && volume.state !== 'Ready') throw invalidParameter('id', `volume ${volume.name} is ${volume.state}; only an Allocated or Ready volume can be resized`);
      if (request.size === undefined && request.diskOfferingId === undefined) throw missingParameter('size');
      const offering = await this.lifecycle.offering(tx, caller, request.diskOfferingId ?? volume.diskOfferingId ?? '');
      const size = await this.lifecycle.sizeFor(tx, offering, offering.customized ? request.size : undefined);
      if (size < volume.size && !request.shrinkOk) throw invalidParameter('size', `the new size (${size} bytes) is smaller than the volume (${volume.size} bytes); pass shrinkok to shrink it`);
      if (size === volume.size) throw invalidParameter('size', `volume ${volume.name} already has ${size} bytes`);
      const now = isoNow(this.clock);
      if (volume.storageId === undefined) {
        const resized = await tx.repo('volumes').update({ ...volume, size, diskOfferingId: offering.id, updatedAt: now });
        await this.usage.volume(tx, 'VOLUME.RESIZE', resized);
        return { done: resized };
      }
      const pool = await tx.repo('storagePools').get(volume.storageId);
      if (pool === undefined) throw notFound('storage pool', 'storageid', volume.storageId);
      const call = await this.devices.prepare(tx, pool.id, 'resizeVolume');
      if (size > volume.size) await this.placement.claimOrFail(tx, pool, size - volume.size);
      const marked = await tx.repo('volumes').update({ ...volume, state: 'Resizing', updatedAt: now });
      return { volume: marked, size, offeringId: offering.id, call };
    });
    if (prepared.done !== undefined) return volumeViewOf(prepared.done);
    const { volume, size, call, offeringId } = prepared;
    try {
      await this.devices.call(call, `resize volume ${volume.name}`, (d) => d.resizeVolume!({ ...volumeSpecOf(call.pool, volume), newSizeBytes: size }));
    } catch (error) {
      await this.store.transaction(async (tx) => {
        await this.restore(tx, volume.id, 'Ready');
        if (size > volume.size) await this.placement.release(tx, call.pool.poolId, size - volume.size);
        await this.events.record(tx, caller, { accountId: volume.accountId, domainId: volume.domainId, level: 'ERROR', type: 'VOLUME.RESIZE', resourceType: 'Volume', resourceId: volume.id, description: `Failed to resize volume ${volume.name}` });
      });
      throw error;
    }
    return this.store.transaction(async (tx) => {
      const current = (await tx.repo('volumes').get(volume.id)) ?? volume;
      if (size < volume.size) await this.placement.release(tx, call.pool.poolId, volume.size - size);
      const resized = await tx.repo('volumes').update({ ...current, state: 'Ready', size, diskOfferingId: offeringId, updatedAt: isoNow(this.clock) });
      await this.usage.volume(tx, 'VOLUME.RESIZE', resized);
      await this.events.record(tx, caller, { accountId: volume.accountId, domainId: volume.domainId, type: 'VOLUME.RESIZE', resourceType: 'Volume', resourceId: volume.id, description: `Resized volume ${volume.name} to ${size} bytes` });
      return volumeViewOf(resized);
    });
  }

  /** Moves a volume to another pool of its cluster (`migrateVolume`, admins and owners). */
  async migrate(caller: CallContext, input: MigrateVolumeInput): Promise<VolumeView> {
    const request = validate(MigrateVolumeInput, input);
    const prepared = await this.store.transaction(async (tx) => {
      const volume = await this.access.visible(tx, caller, request.id);
      if (volume.state !== 'Ready' || volume.storageId === undefined) throw invalidParameter('id', `volume ${volume.name} is ${volume.state}; only a Ready volume on a pool can be migrated`);
      if (volume.virtualMachineId !== undefined) {
        const vm = await tx.repo('vms').get(volume.virtualMachineId);
        if (vm !== undefined && vm.state !== 'Stopped') throw invalidParameter('id', `volume ${volume.name} is attached to virtual machine ${vm.name}, which is ${vm.state}; stop it or detach the volume first`);
      }
      const source = await tx.repo('storagePools').get(volume.storageId);
      const target = await tx.repo('storagePools').get(request.storageId);
      if (source === undefined || target === undefined || target.state !== 'Up') throw notFound('storage pool', 'storageid', request.storageId);
      if (target.id === source.id) throw invalidParameter('storageid', `volume ${volume.name} is already on pool ${target.name}`);
      if (target.clusterId !== source.clusterId) throw invalidParameter('storageid', `pool ${target.name} is outside the cluster of pool ${source.name}`);
      const copy = await this.devices.prepare(tx, source.id, 'copyVolume');
      const remove = await this.devices.prepare(tx, source.id, 'deleteVolume');
      const targetCall = await this.devices.prepare(tx, target.id, 'createVolume', 'storageid');
      await this.placement.claimOrFail(tx, target, volume.size);
      const marked = await tx.repo('volumes').update({ ...volume, state: 'Migrating', updatedAt: isoNow(this.clock) });
      return { volume: marked, copy, remove, target: targetCall.pool };
    });
    const { volume, copy, remove, target } = prepared;
    let path: string;
    try {
      path = (await this.devices.call(copy, `migrate volume ${volume.name}`, (d) => d.copyVolume!({ source: volumeSpecOf(copy.pool, volume), target }))).path;
    } catch (error) {
      await this.store.transaction(async (tx) => {
        await this.restore(tx, volume.id, 'Ready');
        await this.placement.release(tx, target.poolId, volume.size);
        await this.events.record(tx, caller, { accountId: volume.accountId, domainId: volume.domainId, level: 'ERROR', type: 'VOLUME.MIGRATE', resourceType: 'Volume', resourceId: volume.id, description: `Failed to migrate volume ${volume.name}` });
      });
      throw error;
    }
    // The copy is what counts; a source left behind is garbage on the device, not a failure.
    await this.devices.call(remove, `delete volume ${volume.name} from its old pool`, (d) => d.deleteVolume!(volumeSpecOf(remove.pool, volume))).catch(() => undefined);
    return this.store.transaction(async (tx) => {
      const current = (await tx.repo('volumes').get(volume.id)) ?? volume;
      await this.placement.release(tx, copy.pool.poolId, volume.size);
      const moved = await tx.repo('volumes').update({ ...current, state: 'Ready', storageId: target.poolId, path, updatedAt: isoNow(this.clock) });
      await this.events.record(tx, caller, { accountId: volume.accountId, domainId: volume.domainId, type: 'VOLUME.MIGRATE', resourceType: 'Volume', resourceId: volume.id, description: `Migrated volume ${volume.name}` });
      return volumeViewOf(moved);
    });
  }

  private async restore(tx: Parameters<Parameters<Store['transaction']>[0]>[0], id: string, state: VolumeState): Promise<Volume | undefined> {
    const current = await tx.repo('volumes').get(id);
    return current === undefined ? undefined : tx.repo('volumes').update({ ...current, state, updatedAt: isoNow(this.clock) });
  }
}
