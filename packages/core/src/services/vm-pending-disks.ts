import { inject, injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { Store, Transaction } from '../contracts/store.js';
import { toCloudError } from '../errors.js';
import type { StoragePool } from '../model/storage-pool.js';
import type { VirtualMachine } from '../model/vm.js';
import type { Volume } from '../model/volume.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { VmDriver, type PreparedVmCall } from './vm-driver.js';
import { VolumeDevices, diskSpecOf, volumeSpecOf, type PreparedStorageCall } from './volume-devices.js';
import { VolumePlacement } from './volume-placement.js';

/** One pending data disk as its placement recorded it. */
interface PreparedPlacement {
  readonly vm: VirtualMachine;
  readonly volume: Volume;
  readonly pool: StoragePool;
  readonly create: PreparedStorageCall;
  readonly plug: PreparedVmCall;
}

/** What {@link VmPendingDisks.placeAttached} did with a VM's pending data disks. */
export interface PendingDisksOutcome {
  /** Volumes created on a pool and plugged in (now `Ready`). */
  readonly placed: readonly string[];
  /** Volumes left `Allocated` and attached (an ERROR event says why); the next start retries them. */
  readonly failed: readonly string[];
}

/**
 * Data disks attached to a VM before it had a host (a deployment with `startVm: false` and a
 * disk offering, or `attachVolume` to a VM that never ran) stay `Allocated`, as in CloudStack,
 * until the VM runs. Once a start has it `Running`, each such disk is placed by rule 3: one
 * transaction picks a pool of the VM's cluster through the storage-pool allocator, claims its
 * bytes (533) and records `Creating`; the storage driver creates it and the hypervisor driver
 * plugs it in, each with the `wait` timeout; a last transaction records `Ready`. A failure
 * deletes the half-created volume, releases the bytes and leaves the disk `Allocated` and
 * attached with an ERROR event — the VM keeps running, and the next start tries again.
 */
@injectable()
export class VmPendingDisks {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(VolumePlacement) private readonly placement: VolumePlacement,
    @inject(VolumeDevices) private readonly devices: VolumeDevices,
    @inject(VmDriver) private readonly vmDriver: VmDriver,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Places and plugs in every `Allocated` data disk attached to a now `Running` VM. */
  async placeAttached(caller: CallContext, vmId: string): Promise<PendingDisksOutcome> {
    const pending = await this.store.transaction(async (tx) => {
      const vm = await tx.repo('vms').get(vmId);
      if (vm === undefined || vm.state !== 'Running' || vm.hostId === undefined) return [];
      return (await tx.repo('volumes').find({ where: { virtualMachineId: vm.id, state: 'Allocated' } })).items.filter((v) => v.type === 'DATADISK' && v.storageId === undefined).map((v) => v.id);
    });
    const placed: string[] = [];
    const failed: string[] = [];
    for (const volumeId of pending) {
      if (await this.placeOne(caller, vmId, volumeId)) placed.push(volumeId);
      else failed.push(volumeId);
    }
    return { placed, failed };
  }

  private async placeOne(caller: CallContext, vmId: string, volumeId: string): Promise<boolean> {
    let prepared: PreparedPlacement | undefined;
    try {
      prepared = await this.store.transaction(async (tx) => {
        const vm = await tx.repo('vms').get(vmId);
        const volume = await tx.repo('volumes').get(volumeId);
        if (vm === undefined || vm.hostId === undefined || vm.state !== 'Running') return undefined;
        if (volume === undefined || volume.virtualMachineId !== vm.id || volume.state !== 'Allocated' || volume.storageId !== undefined) return undefined;
        const offering = volume.diskOfferingId === undefined ? undefined : await tx.repo('diskOfferings').get(volume.diskOfferingId);
        const pool = await this.placement.place(tx, { zoneId: vm.zoneId, hostId: vm.hostId, bytes: volume.size, storageTags: offering?.storageTags ?? [], local: offering?.storageType === 'local' });
        const create = await this.devices.prepare(tx, pool.id, 'createVolume');
        const plug = await this.vmDriver.prepare(tx, vm.hostId, 'volume.attach');
        const creating = await tx.repo('volumes').update({ ...volume, state: 'Creating', storageId: pool.id, updatedAt: isoNow(this.clock) });
        return { vm, volume: creating, pool, create, plug };
      });
    } catch (error) {
      await this.store.transaction(async (tx) => {
        const volume = await tx.repo('volumes').get(volumeId);
        if (volume !== undefined) await this.failureEvent(caller, volume, toCloudError(error).message, tx);
      });
      return false;
    }
    if (prepared === undefined) return false;
    const { vm, volume, pool, create, plug } = prepared;
    let path: string | undefined;
    try {
      path = (await this.devices.call(create, `create volume ${volume.name}`, (d) => d.createVolume!(volumeSpecOf(create.pool, volume)))).path;
      await this.vmDriver.call(plug, `attach volume ${volume.name} to ${vm.instanceName}`, (d) => d.attachVolume!({ host: plug.host, vmName: vm.instanceName, disk: diskSpecOf(volume, pool, volume.deviceId ?? 1) }));
    } catch (error) {
      if (path !== undefined) await this.devices.call(create, `delete volume ${volume.name}`, (d) => d.deleteVolume!(volumeSpecOf(create.pool, volume))).catch(() => undefined);
      await this.store.transaction(async (tx) => {
        const current = await tx.repo('volumes').get(volume.id);
        if (current !== undefined) {
          const { storageId: _pool, path: _path, ...rest } = current;
          await tx.repo('volumes').update({ ...rest, state: 'Allocated', updatedAt: isoNow(this.clock) });
        }
        await this.placement.release(tx, pool.id, volume.size);
        await this.failureEvent(caller, volume, toCloudError(error).message, tx);
      });
      return false;
    }
    await this.store.transaction(async (tx) => {
      const current = await tx.repo('volumes').get(volume.id);
      if (current === undefined) return;
      await tx.repo('volumes').update({ ...current, state: 'Ready', path, updatedAt: isoNow(this.clock) });
      await this.events.record(tx, caller, { accountId: volume.accountId, domainId: volume.domainId, type: 'VOLUME.ATTACH', resourceType: 'Volume', resourceId: volume.id, description: `Created volume ${volume.name} on pool ${pool.name} and attached it to VM ${vm.name}` });
    });
    return true;
  }

  private failureEvent(caller: CallContext, volume: Volume, reason: string, tx: Transaction) {
    return this.events.record(tx, caller, { accountId: volume.accountId, domainId: volume.domainId, level: 'ERROR', type: 'VOLUME.ATTACH', resourceType: 'Volume', resourceId: volume.id, description: `Failed to place data volume ${volume.name} for its VM: ${reason}` });
  }
}
