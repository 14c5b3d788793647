import { inject, injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { Store, Transaction } from '../contracts/store.js';
import { invalidParameter } from '../errors.js';
import type { StoragePool } from '../model/storage-pool.js';
import type { VirtualMachine } from '../model/vm.js';
import { DATA_DISK_DEVICE_IDS, type Volume, type VolumeState } from '../model/volume.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { validate } from './validate.js';
import { VmAccess } from './vm-access.js';
import { VmDriver, type PreparedVmCall } from './vm-driver.js';
import { VolumeAccess, volumeViewOf, type VolumeView } from './volume-access.js';
import { VolumeDevices, diskSpecOf, volumeSpecOf, type PreparedStorageCall } from './volume-devices.js';
import { AttachVolumeInput, VolumeIdInput } from './volume-inputs.js';
import { VolumePlacement } from './volume-placement.js';

/** What an attach recorded before its driver calls. */
interface PreparedAttach {
  readonly before: Volume;
  readonly volume: Volume;
  readonly vm: VirtualMachine;
  readonly pool?: StoragePool;
  /** Set when this attach creates the volume on its pool (and claimed its bytes). */
  readonly create?: PreparedStorageCall;
  /** Set when the VM runs: the disk is hot-plugged. */
  readonly plug?: PreparedVmCall;
}

/**
 * Attaching and detaching data volumes (rule 3 of the house). `attach` checks the volume (a
 * detached DATADISK of the VM's owner and zone) and the VM (Running or Stopped), then in one
 * transaction picks the device id and — for an `Allocated` volume whose VM has a cluster —
 * places it on a pool of that cluster through the storage-pool allocator, claiming its bytes
 * (533), and records the intent (`Creating`); then creates it through the storage driver and,
 * when the VM runs, plugs it in through the hypervisor driver, each with the `wait` timeout.
 * A failure undoes everything: the volume is detached again in its former state, its bytes
 * released and the half-created volume deleted. A volume attached to a VM that never ran
 * stays `Allocated` until the VM code places it.
 */
@injectable()
export class VolumeAttachment {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(VolumeAccess) private readonly access: VolumeAccess,
    @inject(VmAccess) private readonly vms: VmAccess,
    @inject(VmDriver) private readonly vmDriver: VmDriver,
    @inject(VolumeDevices) private readonly devices: VolumeDevices,
    @inject(VolumePlacement) private readonly placement: VolumePlacement,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Attaches a data volume to a VM (`attachVolume`). */
  async attach(caller: CallContext, input: AttachVolumeInput): Promise<VolumeView> {
    const request = validate(AttachVolumeInput, input);
    const prepared = await this.store.transaction((tx) => this.prepare(tx, caller, request));
    let path: string | undefined;
    try {
      if (prepared.create !== undefined) {
        const call = prepared.create;
        const snapshot = prepared.volume.snapshotId === undefined ? undefined : await this.store.transaction((tx) => tx.repo('snapshots').get(prepared.volume.snapshotId ?? ''));
        const answer = await this.devices.call(call, `create volume ${prepared.volume.name}`, (d) => d.createVolume!({ ...volumeSpecOf(call.pool, prepared.volume), ...(snapshot?.path === undefined ? {} : { fromSnapshotPath: snapshot.path }) }));
        path = answer.path;
      }
      if (prepared.plug !== undefined && prepared.pool !== undefined) {
        const plug = prepared.plug;
        const disk = diskSpecOf(prepared.volume, prepared.pool, prepared.volume.deviceId ?? 1);
        await this.vmDriver.call(plug, `attach volume ${prepared.volume.name} to ${prepared.vm.instanceName}`, (d) => d.attachVolume!({ host: plug.host, vmName: prepared.vm.instanceName, disk }));
      }
    } catch (error) {
      await this.undo(caller, prepared, path !== undefined);
      throw error;
    }
    return this.store.transaction(async (tx) => {
      const current = await tx.repo('volumes').get(prepared.volume.id);
      if (current === undefined) return volumeViewOf(prepared.volume);
      const ready = await tx.repo('volumes').update({ ...current, state: current.storageId === undefined ? current.state : 'Ready', ...(path === undefined ? {} : { path }), updatedAt: isoNow(this.clock) });
      await this.events.record(tx, caller, { accountId: ready.accountId, domainId: ready.domainId, type: 'VOLUME.ATTACH', resourceType: 'Volume', resourceId: ready.id, description: `Attached volume ${ready.name} to VM ${prepared.vm.name}` });
      return volumeViewOf(ready);
    });
  }

  /** Detaches a data volume from its VM (`detachVolume`); unplugs it first when the VM runs. */
  async detach(caller: CallContext, input: VolumeIdInput): Promise<VolumeView> {
    const request = validate(VolumeIdInput, input);
    const prepared = await this.store.transaction(async (tx) => {
      const volume = await this.access.visible(tx, caller, request.id);
      if (volume.type === 'ROOT') throw invalidParameter('id', `volume ${volume.name} is a ROOT volume; it cannot be detached`);
      if (volume.virtualMachineId === undefined) throw invalidParameter('id', `volume ${volume.name} is not attached to a virtual machine`);
      const vm = await tx.repo('vms').get(volume.virtualMachineId);
      const pool = volume.storageId === undefined ? undefined : await tx.repo('storagePools').get(volume.storageId);
      if (vm === undefined) return { volume };
      if (vm.state !== 'Running' && vm.state !== 'Stopped' && vm.state !== 'Destroyed' && vm.state !== 'Error') throw invalidParameter('id', `virtual machine ${vm.name} is ${vm.state}; detach when it is Running or Stopped`);
      const plug = vm.state === 'Running' && vm.hostId !== undefined && pool !== undefined ? await this.vmDriver.prepare(tx, vm.hostId, 'volume.detach') : undefined;
      return { volume, vm, pool, plug };
    });
    const { volume, vm, pool, plug } = prepared;
    if (plug !== undefined && vm !== undefined && pool !== undefined) {
      await this.vmDriver.call(plug, `detach volume ${volume.name} from ${vm.instanceName}`, (d) => d.detachVolume!({ host: plug.host, vmName: vm.instanceName, disk: diskSpecOf(volume, pool, volume.deviceId ?? 1) }));
    }
    return this.store.transaction(async (tx) => {
      const current = await tx.repo('volumes').get(volume.id);
      if (current === undefined) return volumeViewOf(volume);
      const { virtualMachineId: _vm, deviceId: _device, ...rest } = current;
      const detached = await tx.repo('volumes').update({ ...rest, updatedAt: isoNow(this.clock) });
      await this.events.record(tx, caller, { accountId: volume.accountId, domainId: volume.domainId, type: 'VOLUME.DETACH', resourceType: 'Volume', resourceId: volume.id, description: `Detached volume ${volume.name}` });
      return volumeViewOf(detached);
    });
  }

  private async prepare(tx: Transaction, caller: CallContext, request: ReturnType<typeof AttachVolumeInput.parse>): Promise<PreparedAttach> {
    const volume = await this.access.visible(tx, caller, request.id);
    const vm = await this.vms.visible(tx, caller, request.virtualMachineId, 'virtualmachineid');
    if (volume.type === 'ROOT') throw invalidParameter('id', `volume ${volume.name} is a ROOT volume; only data volumes can be attached`);
    if (volume.virtualMachineId !== undefined) throw invalidParameter('id', `volume ${volume.name} is already attached to a virtual machine`);
    if (volume.state !== 'Allocated' && volume.state !== 'Ready') throw invalidParameter('id', `volume ${volume.name} is ${volume.state}; only an Allocated or Ready volume can be attached`);
    if (vm.state !== 'Running' && vm.state !== 'Stopped') throw invalidParameter('virtualmachineid', `virtual machine ${vm.name} is ${vm.state}; attach to a Running or Stopped VM`);
    if (vm.zoneId !== volume.zoneId) throw invalidParameter('virtualmachineid', `virtual machine ${vm.name} is in another zone than volume ${volume.name}`);
    if (vm.accountId !== volume.accountId) throw invalidParameter('virtualmachineid', `virtual machine ${vm.name} belongs to another account than volume ${volume.name}`);
    const deviceId = await this.deviceId(tx, vm, request.deviceId);
    const hostId = vm.hostId ?? vm.lastHostId;
    const now = isoNow(this.clock);
    let pool: StoragePool | undefined;
    let create: PreparedStorageCall | undefined;
    let state: VolumeState = volume.state;
    if (volume.state === 'Allocated' && hostId !== undefined) {
      const offering = volume.diskOfferingId === undefined ? undefined : await tx.repo('diskOfferings').get(volume.diskOfferingId);
      pool = await this.placement.place(tx, { zoneId: vm.zoneId, hostId, bytes: volume.size, storageTags: offering?.storageTags ?? [], local: offering?.storageType === 'local' });
      create = await this.devices.prepare(tx, pool.id, 'createVolume');
      state = 'Creating';
    } else if (volume.storageId !== undefined) {
      pool = await tx.repo('storagePools').get(volume.storageId);
      const host = hostId === undefined ? undefined : await tx.repo('hosts').get(hostId);
      if (pool !== undefined && host !== undefined && pool.clusterId !== host.clusterId) {
        throw invalidParameter('id', `volume ${volume.name} is on pool ${pool.name}, outside the cluster of virtual machine ${vm.name}; migrate it first`);
      }
    }
    const plug = vm.state === 'Running' && vm.hostId !== undefined && pool !== undefined ? await this.vmDriver.prepare(tx, vm.hostId, 'volume.attach') : undefined;
    const updated = await tx.repo('volumes').update({ ...volume, state, virtualMachineId: vm.id, deviceId, ...(pool === undefined ? {} : { storageId: pool.id }), attachedAt: now, updatedAt: now });
    return { before: volume, volume: updated, vm, ...(pool === undefined ? {} : { pool }), ...(create === undefined ? {} : { create }), ...(plug === undefined ? {} : { plug }) };
  }

  /** The requested device id if free (431 `deviceid`), else the lowest free one (431 when none is). */
  private async deviceId(tx: Transaction, vm: VirtualMachine, requested: number | undefined): Promise<number> {
    const taken = new Set((await tx.repo('volumes').find({ where: { virtualMachineId: vm.id } })).items.map((v) => v.deviceId));
    if (requested !== undefined) {
      if (!DATA_DISK_DEVICE_IDS.includes(requested)) throw invalidParameter('deviceid', `device ${requested} is not available for data disks (1, 2, 4..15; 3 is the CD-ROM)`);
      if (taken.has(requested)) throw invalidParameter('deviceid', `device ${requested} of virtual machine ${vm.name} is taken`);
      return requested;
    }
    const free = DATA_DISK_DEVICE_IDS.find((id) => !taken.has(id));
    if (free === undefined) throw invalidParameter('virtualmachineid', `virtual machine ${vm.name} has no free device for another data disk`);
    return free;
  }

  /** Puts the volume back as it was before the attach, releasing the bytes it claimed. */
  private async undo(caller: CallContext, prepared: PreparedAttach, created: boolean): Promise<void> {
    const create = prepared.create;
    if (created && create !== undefined) {
      await this.devices.call(create, `delete volume ${prepared.volume.name}`, (d) => d.deleteVolume!(volumeSpecOf(create.pool, prepared.volume))).catch(() => undefined);
    }
    await this.store.transaction(async (tx) => {
      const current = await tx.repo('volumes').get(prepared.volume.id);
      if (current !== undefined) await tx.repo('volumes').update({ ...prepared.before, version: current.version });
      if (create !== undefined && prepared.pool !== undefined) await this.placement.release(tx, prepared.pool.id, prepared.volume.size);
      await this.events.record(tx, caller, { accountId: prepared.volume.accountId, domainId: prepared.volume.domainId, level: 'ERROR', type: 'VOLUME.ATTACH', resourceType: 'Volume', resourceId: prepared.volume.id, description: `Failed to attach volume ${prepared.volume.name} to VM ${prepared.vm.name}` });
    });
  }
}
