import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import { requireAdmin, requireRootAdmin } from '../context/authorize.js';
import { SYSTEM, type CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notAllowed } from '../errors.js';
import { assertTransition } from '../model/state-machine.js';
import { VM_TRANSITIONS, type VirtualMachine } from '../model/vm.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { ResourceLimitService } from './resource-limits.js';
import { UsageRecorder } from './usage-recorder.js';
import { validate } from './validate.js';
import { VmAccess } from './vm-access.js';
import { VmDriver } from './vm-driver.js';
import { VmIdInput } from './vm-inputs.js';
import { VmPower } from './vm-power.js';
import { VmReservations } from './vm-reservations.js';
import { VmNetworkCleanup } from './vm-network-cleanup.js';
import { SecurityGroupMembership } from './security-group-membership.js';
import type { VmView } from './vm-view.js';
import { VolumeLifecycle } from './volume-lifecycle.js';

/**
 * Destroy, recover and expunge. Destroy stops a running VM first (forced when
 * `vm.destroy.forcestop`), then marks it `Destroyed` and gives its `user_vm` count back;
 * recover (admins, before expunge) brings it back `Stopped`, claiming the count again (532);
 * expunge — by a root admin, or by {@link VmRemoval.expungeDue} once `expunge.delay` seconds
 * have passed — records `Expunging`, destroys the VM on its last host, then releases the root
 * disk's pool bytes, its addresses and MACs and removes it.
 */
@injectable()
export class VmRemoval {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(VmAccess) private readonly access: VmAccess,
    @inject(VmPower) private readonly power: VmPower,
    @inject(VmDriver) private readonly driver: VmDriver,
    @inject(VmReservations) private readonly reservations: VmReservations,
    @inject(ResourceLimitService) private readonly limits: ResourceLimitService,
    @inject(EventRecorder) private readonly events: EventRecorder,
    @inject(VolumeLifecycle) private readonly volumes: VolumeLifecycle,
    @inject(UsageRecorder) private readonly usage: UsageRecorder,
    @inject(VmNetworkCleanup) private readonly networkCleanup: VmNetworkCleanup,
    @inject(SecurityGroupMembership) private readonly securityGroups: SecurityGroupMembership,
  ) {}

  /** Destroys a VM (`destroyVirtualMachine`); it can be recovered until it is expunged. */
  async destroy(caller: CallContext, input: VmIdInput): Promise<VmView> {
    const request = validate(VmIdInput, input);
    const vm = await this.store.transaction(async (tx) => {
      const found = await this.access.visible(tx, caller, request.id);
      if (found.state === 'Destroyed') throw invalidParameter('id', `virtual machine ${found.name} is already Destroyed`);
      if (found.state !== 'Running') assertTransition(VM_TRANSITIONS, `virtual machine ${found.name}`, found.state, 'Destroyed', 'id');
      return found;
    });
    if (vm.state === 'Running') await this.power.stopVm(caller, vm.id, await this.config.flag('vm.destroy.forcestop'));
    return this.store.transaction(async (tx) => {
      const current = await this.load(tx, vm.id);
      assertTransition(VM_TRANSITIONS, `virtual machine ${current.name}`, current.state, 'Destroyed', 'id');
      const now = isoNow(this.clock);
      const destroyed = await tx.repo('vms').update({ ...current, state: 'Destroyed', destroyedAt: now, updatedAt: now });
      await this.limits.release(tx, current.accountId, 'user_vm', 1);
      await this.usage.vmDestroyed(tx, current);
      await this.events.record(tx, caller, { ...owner(current), type: 'VM.DESTROY', description: `Destroyed VM ${current.name}` });
      return this.access.view(tx, destroyed);
    });
  }

  /** Brings a destroyed VM back, Stopped (`recoverVirtualMachine`, admins). */
  async recover(caller: CallContext, input: VmIdInput): Promise<VmView> {
    requireAdmin(caller, 'recover a virtual machine');
    const request = validate(VmIdInput, input);
    return this.store.transaction(async (tx) => {
      const vm = await this.access.visible(tx, caller, request.id);
      if (vm.state !== 'Destroyed') throw notAllowed(`virtual machine ${vm.name} is ${vm.state}; only a Destroyed VM can be recovered`, 'id');
      await this.limits.reserve(tx, vm.accountId, 'user_vm', 1);
      const { destroyedAt: _d, ...rest } = vm;
      const recovered = await tx.repo('vms').update({ ...rest, state: 'Stopped', updatedAt: isoNow(this.clock) });
      await this.events.record(tx, caller, { ...owner(vm), type: 'VM.RECOVER', description: `Recovered VM ${vm.name}` });
      return this.access.view(tx, recovered);
    });
  }

  /** Expunges a Destroyed (or Error) VM now (root admins). */
  async expunge(caller: CallContext, input: VmIdInput): Promise<void> {
    requireRootAdmin(caller, 'expunge a virtual machine');
    const request = validate(VmIdInput, input);
    await this.store.transaction(async (tx) => {
      const vm = await this.access.visible(tx, caller, request.id);
      if (vm.state !== 'Destroyed' && vm.state !== 'Error') throw notAllowed(`virtual machine ${vm.name} is ${vm.state}; destroy it before expunging it`, 'id');
    });
    await this.expungeVm(caller, request.id);
  }

  /**
   * The expunge sweep the server runs every `expunge.interval` seconds: expunges every VM
   * destroyed at least `expunge.delay` seconds ago. Returns how many went; one that fails stays
   * Destroyed (with an ERROR event) for the next sweep.
   */
  async expungeDue(): Promise<number> {
    const due = await this.store.transaction(async (tx) => {
      const delayMs = (await this.config.number('expunge.delay', {}, tx)) * 1000;
      const cutoff = new Date(this.clock.now() - delayMs).toISOString();
      return (await tx.repo('vms').find({ where: { state: 'Destroyed', destroyedAt: { lte: cutoff } } })).items.map((vm) => vm.id);
    });
    let count = 0;
    for (const id of due) {
      try {
        await this.expungeVm(SYSTEM, id);
        count += 1;
      } catch {
        // Recorded as an ERROR event by expungeVm; the next sweep tries again.
      }
    }
    return count;
  }

  /** Destroys (forced stop if running) and expunges a VM regardless of the delay: account deletion. */
  async purge(caller: CallContext, vmId: string): Promise<void> {
    const vm = await this.store.transaction((tx) => tx.repo('vms').get(vmId));
    if (vm === undefined) return;
    if (vm.state === 'Running') await this.power.stopVm(caller, vm.id, true);
    await this.expungeVm(caller, vmId);
  }

  /** Expunge by rule 3: `Expunging`, the driver's destroy on the last host, then every hold released and the rows removed. */
  private async expungeVm(caller: CallContext, vmId: string): Promise<void> {
    const { vm, previous, call } = await this.store.transaction(async (tx) => {
      const found = await this.load(tx, vmId);
      if (found.state !== 'Destroyed' && found.state !== 'Error' && found.state !== 'Stopped') {
        throw notAllowed(`virtual machine ${found.name} is ${found.state}; only a Destroyed VM can be expunged`, 'id');
      }
      const prepared = found.lastHostId === undefined || (await tx.repo('hosts').get(found.lastHostId)) === undefined ? undefined : await this.driver.prepare(tx, found.lastHostId, 'vm.destroy');
      const expunging = await tx.repo('vms').update({ ...found, state: 'Expunging', updatedAt: isoNow(this.clock) });
      return { vm: expunging, previous: found.state, call: prepared };
    });
    if (call !== undefined) {
      try {
        await this.driver.call(call, `destroy VM ${vm.instanceName} on ${call.host.url}`, (d) => d.destroyVm!({ host: call.host, vmName: vm.instanceName }));
      } catch (error) {
        await this.store.transaction(async (tx) => {
          const current = await this.load(tx, vm.id);
          await tx.repo('vms').update({ ...current, state: previous === 'Error' ? 'Error' : 'Destroyed', updatedAt: isoNow(this.clock) });
          await this.events.record(tx, caller, { ...owner(vm), type: 'VM.EXPUNGE', level: 'ERROR', description: `Failed to expunge VM ${vm.name}: ${(error as Error).message}` });
        });
        throw error;
      }
    }
    await this.store.transaction(async (tx) => {
      const current = await this.load(tx, vm.id);
      await this.networkCleanup.onExpunge(tx, current.id);
      await this.securityGroups.leaveAll(tx, current.id);
      await this.reservations.releaseForever(tx, current);
      // A Destroyed VM gave its user_vm count back when destroyed; an Error or Stopped one has not.
      if (previous !== 'Destroyed') await this.limits.release(tx, current.accountId, 'user_vm', 1);
      await this.releaseVolumes(tx, current);
      await tx.repo('vms').delete(current.id, current.version);
      await this.events.record(tx, caller, { ...owner(current), type: 'VM.EXPUNGE', description: `Expunged VM ${current.name}` });
    });
  }

  /**
   * The VM's ROOT volume goes with it (its row and `volume` count; the root disk's pool bytes
   * were released with the VM's reservations). Data disks stay, detached, as 4.1 keeps them.
   */
  private async releaseVolumes(tx: Transaction, vm: VirtualMachine): Promise<void> {
    for (const volume of (await tx.repo('volumes').find({ where: { virtualMachineId: vm.id } })).items) {
      if (volume.type === 'ROOT') {
        await this.volumes.remove(tx, volume);
      } else {
        const { virtualMachineId: _vm, deviceId: _device, ...detached } = volume;
        await tx.repo('volumes').update(detached);
      }
    }
  }

  private async load(tx: Transaction, id: string): Promise<VirtualMachine> {
    const vm = await tx.repo('vms').get(id);
    if (vm === undefined) throw invalidParameter('id', `virtual machine ${id} no longer exists`);
    return vm;
  }
}

function owner(vm: VirtualMachine): { accountId: string; domainId: string; resourceType: string; resourceId: string } {
  return { accountId: vm.accountId, domainId: vm.domainId, resourceType: 'VirtualMachine', resourceId: vm.id };
}
