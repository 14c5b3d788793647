import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import { isRootAdmin, type CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Store, Transaction } from '../contracts/store.js';
import { invalidParameter, missingParameter, notFound, resourceInUse } from '../errors.js';
import type { DiskOffering } from '../model/disk-offering.js';
import { assertTransition } from '../model/state-machine.js';
import type { VirtualMachine } from '../model/vm.js';
import { VOLUME_TRANSITIONS, type Volume } from '../model/volume.js';
import { TOKENS } from '../tokens.js';
import { isInSubtree } from './domain-paths.js';
import { EventRecorder } from './event-recorder.js';
import { ResourceLimitService } from './resource-limits.js';
import { UsageRecorder } from './usage-recorder.js';
import { validate } from './validate.js';
import { Visibility } from './visibility.js';
import { VolumeAccess, volumeViewOf, type VolumeView } from './volume-access.js';
import { VolumeDevices, volumeSpecOf } from './volume-devices.js';
import { CreateVolumeInput, VolumeIdInput } from './volume-inputs.js';
import { VolumePlacement } from './volume-placement.js';

/** GiB in bytes. */
const GIB = 1024 ** 3;

/** The data disk a deployment asks for. */
export interface DeploymentDataDisk {
  readonly diskOfferingId: string;
  /** GB, for a custom offering. */
  readonly size?: number;
}

/**
 * Creating and deleting volumes. `create` records an `Allocated` DATADISK from a disk offering
 * (or a snapshot) and claims the owner's `volume` limit (532): it takes no bytes anywhere until
 * its first attach creates it on a pool, as 4.1 does. Deployment records the VM's ROOT volume
 * (and an optional data disk) through {@link VolumeLifecycle.createForDeployment}. `delete` is
 * refused while the volume is attached (536); otherwise it records `Destroy`, deletes the
 * volume from its pool through the storage driver, then releases its bytes and its limit count
 * and removes it (a failed driver call leaves it as it was).
 */
@injectable()
export class VolumeLifecycle {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(ResourceLimitService) private readonly limits: ResourceLimitService,
    @inject(VolumeAccess) private readonly access: VolumeAccess,
    @inject(VolumeDevices) private readonly devices: VolumeDevices,
    @inject(VolumePlacement) private readonly placement: VolumePlacement,
    @inject(UsageRecorder) private readonly usage: UsageRecorder,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Creates an `Allocated` data volume (`createVolume`). */
  async create(caller: CallContext, input: CreateVolumeInput): Promise<VolumeView> {
    const spec = validate(CreateVolumeInput, input);
    return this.store.transaction(async (tx) => {
      const owner = await this.visibility.targetAccount(tx, caller, { ...(spec.account === undefined ? {} : { account: spec.account }), ...(spec.domainId === undefined ? {} : { domainId: spec.domainId }) });
      let zoneId = spec.zoneId;
      let size: number;
      let offering: DiskOffering | undefined;
      let snapshotId: string | undefined;
      if (spec.snapshotId !== undefined) {
        const snapshot = await tx.repo('snapshots').get(spec.snapshotId);
        if (snapshot === undefined || !(await this.visibility.canAccess(tx, caller, snapshot))) throw notFound('snapshot', 'snapshotid', spec.snapshotId);
        if (snapshot.state !== 'BackedUp') throw invalidParameter('snapshotid', `snapshot ${snapshot.name} is ${snapshot.state}; only a BackedUp snapshot can be restored`);
        if (zoneId !== undefined && zoneId !== snapshot.zoneId) throw invalidParameter('zoneid', `snapshot ${snapshot.name} is in another zone`);
        zoneId = snapshot.zoneId;
        size = snapshot.volumeSize;
        snapshotId = snapshot.id;
        if (spec.diskOfferingId !== undefined) offering = await this.offering(tx, caller, spec.diskOfferingId);
      } else {
        if (spec.diskOfferingId === undefined) throw missingParameter('diskofferingid');
        if (zoneId === undefined) throw missingParameter('zoneid');
        offering = await this.offering(tx, caller, spec.diskOfferingId);
        size = await this.sizeFor(tx, offering, spec.size);
      }
      const zone = await tx.repo('zones').get(zoneId);
      if (zone === undefined) throw notFound('zone', 'zoneid', zoneId);
      await this.limits.reserve(tx, owner.id, 'volume', 1);
      const volume = await this.insert(tx, { name: spec.name, type: 'DATADISK', size, accountId: owner.id, domainId: owner.domainId, zoneId: zone.id, ...(offering === undefined ? {} : { diskOfferingId: offering.id }), ...(snapshotId === undefined ? {} : { snapshotId }) });
      await this.events.record(tx, caller, { accountId: owner.id, domainId: owner.domainId, type: 'VOLUME.CREATE', resourceType: 'Volume', resourceId: volume.id, description: `Created volume ${volume.name}` });
      return volumeViewOf(volume);
    });
  }

  /**
   * Records a new VM's ROOT volume (device 0, the template's size, placed when the VM first
   * starts) and, when asked, an `Allocated` data disk from a disk offering to attach once the VM
   * runs; claims one `volume` count each (532). Runs in the deployment's transaction.
   */
  async createForDeployment(tx: Transaction, caller: CallContext, vm: VirtualMachine, dataDisk?: DeploymentDataDisk): Promise<{ readonly root: Volume; readonly data?: Volume }> {
    let offering: DiskOffering | undefined;
    let size = 0;
    if (dataDisk !== undefined) {
      offering = await this.offering(tx, caller, dataDisk.diskOfferingId);
      size = await this.sizeFor(tx, offering, dataDisk.size);
    }
    await this.limits.reserve(tx, vm.accountId, 'volume', dataDisk === undefined ? 1 : 2);
    const root = await this.insert(tx, { name: `ROOT-${vm.instanceName.split('-')[1] ?? vm.id}`, type: 'ROOT', size: vm.rootDiskBytes, accountId: vm.accountId, domainId: vm.domainId, zoneId: vm.zoneId, templateId: vm.templateId, virtualMachineId: vm.id, deviceId: 0 });
    if (offering === undefined) return { root };
    const data = await this.insert(tx, { name: `DATA-${vm.instanceName.split('-')[1] ?? vm.id}`, type: 'DATADISK', size, accountId: vm.accountId, domainId: vm.domainId, zoneId: vm.zoneId, diskOfferingId: offering.id });
    return { root, data };
  }

  /** Deletes a detached volume (`deleteVolume`): 536 while attached. */
  async delete(caller: CallContext, input: VolumeIdInput): Promise<void> {
    const request = validate(VolumeIdInput, input);
    const prepared = await this.store.transaction(async (tx) => {
      const volume = await this.access.visible(tx, caller, request.id);
      if (volume.virtualMachineId !== undefined) throw resourceInUse(`volume ${volume.name} is attached to a virtual machine; detach it first`, 'id');
      assertTransition(VOLUME_TRANSITIONS, `volume ${volume.name}`, volume.state, 'Destroy', 'id');
      const call = volume.storageId === undefined ? undefined : await this.devices.prepare(tx, volume.storageId, 'deleteVolume');
      const marked = await tx.repo('volumes').update({ ...volume, state: 'Destroy', updatedAt: isoNow(this.clock) });
      return { volume: marked, previous: volume.state, call };
    });
    const { volume, call } = prepared;
    if (call !== undefined) {
      try {
        await this.devices.call(call, `delete volume ${volume.name}`, (d) => d.deleteVolume!(volumeSpecOf(call.pool, volume)));
      } catch (error) {
        await this.store.transaction(async (tx) => {
          const current = await tx.repo('volumes').get(volume.id);
          if (current !== undefined) await tx.repo('volumes').update({ ...current, state: prepared.previous, updatedAt: isoNow(this.clock) });
          await this.events.record(tx, caller, { accountId: volume.accountId, domainId: volume.domainId, level: 'ERROR', type: 'VOLUME.DELETE', resourceType: 'Volume', resourceId: volume.id, description: `Failed to delete volume ${volume.name}` });
        });
        throw error;
      }
    }
    await this.store.transaction(async (tx) => {
      const current = await tx.repo('volumes').get(volume.id);
      if (current === undefined) return;
      await this.remove(tx, current);
      await this.events.record(tx, caller, { accountId: volume.accountId, domainId: volume.domainId, type: 'VOLUME.DELETE', resourceType: 'Volume', resourceId: volume.id, description: `Deleted volume ${volume.name}` });
    });
  }

  /** Gives back a volume's pool bytes and `volume` count, records its usage end and removes it (in `tx`). */
  async remove(tx: Transaction, volume: Volume): Promise<void> {
    if (volume.storageId !== undefined && volume.type === 'DATADISK') await this.placement.release(tx, volume.storageId, volume.size);
    await this.limits.release(tx, volume.accountId, 'volume', 1);
    await this.usage.volume(tx, 'VOLUME.DELETE', volume);
    for (const policy of (await tx.repo('snapshotPolicies').find({ where: { volumeId: volume.id } })).items) await tx.repo('snapshotPolicies').delete(policy.id);
    await tx.repo('volumes').delete(volume.id);
  }

  /** A disk offering the caller may use; 431 naming `diskofferingid` otherwise. */
  async offering(tx: Transaction, caller: CallContext, id: string): Promise<DiskOffering> {
    const offering = await tx.repo('diskOfferings').get(id);
    if (offering === undefined || offering.state !== 'Active') throw notFound('disk offering', 'diskofferingid', id);
    if (offering.domainId !== undefined && !isRootAdmin(caller)) {
      const [restricted, own] = [await tx.repo('domains').get(offering.domainId), await tx.repo('domains').get(caller.domainId)];
      if (restricted === undefined || own === undefined || !isInSubtree(own, restricted)) throw notFound('disk offering', 'diskofferingid', id);
    }
    return offering;
  }

  /** The bytes of a volume of `offering`: its size, or a custom `size` GB within `custom.diskoffering.size.min..max` (431 `size`). */
  async sizeFor(tx: Transaction, offering: DiskOffering, sizeGb: number | undefined): Promise<number> {
    if (!offering.customized) {
      if (sizeGb !== undefined) throw invalidParameter('size', `disk offering ${offering.name} has a fixed size; size may be given only for a custom offering`);
      return (offering.diskSizeGb ?? 0) * GIB;
    }
    if (sizeGb === undefined) throw missingParameter('size');
    const min = await this.config.number('custom.diskoffering.size.min', {}, tx);
    const max = await this.config.number('custom.diskoffering.size.max', {}, tx);
    if (sizeGb < min || sizeGb > max) throw invalidParameter('size', `must be between ${min} and ${max} GB (custom.diskoffering.size.min..max)`);
    return sizeGb * GIB;
  }

  private async insert(tx: Transaction, fields: Omit<Volume, 'id' | 'version' | 'state' | 'createdAt' | 'updatedAt'>): Promise<Volume> {
    const now = isoNow(this.clock);
    const volume = await tx.repo('volumes').insert({ id: this.random.uuid(), ...fields, state: 'Allocated', createdAt: now, updatedAt: now });
    await this.usage.volume(tx, 'VOLUME.CREATE', volume);
    return volume;
  }
}
