import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import { isAdmin, type CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { Filter, Page, Store } from '../contracts/store.js';
import { invalidParameter, permissionDenied } from '../errors.js';
import type { VirtualMachine } from '../model/vm.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { pageWindow } from './paging.js';
import { launchableTemplate } from './template-access.js';
import { validate } from './validate.js';
import { Visibility } from './visibility.js';
import { VmAccess } from './vm-access.js';
import { VmDeployment } from './vm-deployment.js';
import { VmMigration, type MigrateVmInput } from './vm-migration.js';
import { VmChanges, type ChangeVmServiceInput, type ResetVmSshKeyInput, type VmWithPassword } from './vm-changes.js';
import { AttachIsoInput, ListVmsInput, UpdateVmInput, VmIdInput, type DeployVmInput, type StartVmInput, type StopVmInput } from './vm-inputs.js';
import { VmPower } from './vm-power.js';
import { VmRemoval } from './vm-removal.js';
import { vmViewOf, type VmView } from './vm-view.js';

/**
 * User VMs, bound to a caller on the facade (`cloud.as(caller).vms`): deploy, start, stop,
 * reboot, migrate, change offering, reset password or SSH key, attach or detach an ISO, destroy, recover, expunge, get, list and update. Each method returns when its step
 * is done; the API wraps the device-touching ones in async jobs.
 */
@injectable()
export class VmService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(VmAccess) private readonly access: VmAccess,
    @inject(VmDeployment) private readonly deployment: VmDeployment,
    @inject(VmPower) private readonly power: VmPower,
    @inject(VmRemoval) private readonly removal: VmRemoval,
    @inject(EventRecorder) private readonly events: EventRecorder,
    @inject(VmMigration) private readonly migration: VmMigration,
    @inject(VmChanges) private readonly changes: VmChanges,
  ) {}

  /** Deploys a VM (`deployVirtualMachine`). */
  deploy(caller: CallContext, input: DeployVmInput): Promise<VmView> {
    return this.deployment.deploy(caller, input);
  }

  /** Starts a stopped VM (`startVirtualMachine`). */
  start(caller: CallContext, input: StartVmInput): Promise<VmView> {
    return this.power.start(caller, input);
  }

  /**
   * Starts a VM recorded with `startVm: false` for the first time, with a failed deploy's
   * outcome on failure (`Error`, MACs given back): the second step of the API's
   * `deployVirtualMachine`, whose accept reply must carry the VM's id before the job runs.
   */
  startDeployed(caller: CallContext, input: StartVmInput): Promise<VmView> {
    return this.power.startDeployed(caller, input);
  }

  /** Stops a running VM (`stopVirtualMachine`), cleanly or forced. */
  stop(caller: CallContext, input: StopVmInput): Promise<VmView> {
    return this.power.stop(caller, input);
  }

  /** Reboots a running VM (`rebootVirtualMachine`). */
  reboot(caller: CallContext, input: VmIdInput): Promise<VmView> {
    return this.power.reboot(caller, input);
  }

  /** Live-migrates a running VM within its cluster (`migrateVirtualMachine`, root admins). */
  migrate(caller: CallContext, input: MigrateVmInput): Promise<VmView> {
    return this.migration.migrate(caller, input);
  }

  /** Gives a stopped VM another service offering (`changeServiceForVirtualMachine`). */
  changeServiceOffering(caller: CallContext, input: ChangeVmServiceInput): Promise<VmView> {
    return this.changes.changeServiceOffering(caller, input);
  }

  /** Sets a new password for a stopped VM of a password-enabled template, returned once (`resetPasswordForVirtualMachine`). */
  resetPassword(caller: CallContext, input: VmIdInput): Promise<VmWithPassword> {
    return this.changes.resetPassword(caller, input);
  }

  /** Gives a stopped VM another SSH key pair of its owner (`resetSSHKeyForVirtualMachine`). */
  resetSshKey(caller: CallContext, input: ResetVmSshKeyInput): Promise<VmWithPassword> {
    return this.changes.resetSshKey(caller, input);
  }

  /** Destroys a VM (`destroyVirtualMachine`). */
  destroy(caller: CallContext, input: VmIdInput): Promise<VmView> {
    return this.removal.destroy(caller, input);
  }

  /** Recovers a destroyed VM (`recoverVirtualMachine`, admins). */
  recover(caller: CallContext, input: VmIdInput): Promise<VmView> {
    return this.removal.recover(caller, input);
  }

  /** Expunges a destroyed VM now (root admins). */
  expunge(caller: CallContext, input: VmIdInput): Promise<void> {
    return this.removal.expunge(caller, input);
  }

  /**
   * Attaches an ISO as the VM's CD-ROM (`attachIso`): the VM must be Running or Stopped and have
   * no ISO attached (431 `id`: one at a time, detach first); the ISO must be one the caller may
   * launch (431 `isoid` not found otherwise, another tenant's private ISO included) with a
   * downloaded copy in the VM's zone (431 `isoid`). Recorded on the VM (`isoId`) with an
   * `ISO.ATTACH` event; the hypervisor gets it in the VM's spec at its next start — hot-plugging
   * a CD-ROM into a running VM is a later driver capability, so a running VM sees it after a
   * stop and start.
   */
  async attachIso(caller: CallContext, input: AttachIsoInput): Promise<VmView> {
    const request = validate(AttachIsoInput, input);
    return this.store.transaction(async (tx) => {
      const vm = await this.access.visible(tx, caller, request.id);
      requireRunningOrStopped(vm);
      const iso = await launchableTemplate(tx, this.visibility, caller, request.isoId, true, 'isoid');
      if (vm.isoId !== undefined) {
        const attached = await tx.repo('templates').get(vm.isoId);
        throw invalidParameter('id', `virtual machine ${vm.name} already has ISO ${attached?.name ?? vm.isoId} attached; detach it first`);
      }
      const ready = iso.crossZones
        ? await tx.repo('templateCopies').findOne({ templateId: iso.id, state: 'DOWNLOADED' })
        : await tx.repo('templateCopies').findOne({ templateId: iso.id, zoneId: vm.zoneId, state: 'DOWNLOADED' });
      if (ready === undefined) throw invalidParameter('isoid', `ISO ${iso.name} is not ready in the zone of virtual machine ${vm.name}: its download has not completed`);
      const updated = await tx.repo('vms').update({ ...vm, isoId: iso.id, updatedAt: isoNow(this.clock) });
      await this.events.record(tx, caller, { accountId: vm.accountId, domainId: vm.domainId, type: 'ISO.ATTACH', resourceType: 'VirtualMachine', resourceId: vm.id, description: `Attached ISO ${iso.name} to VM ${vm.name}${vm.state === 'Running' ? ' (the running VM gets it at its next start)' : ''}` });
      return this.access.view(tx, updated);
    });
  }

  /**
   * Detaches the VM's ISO (`detachIso`): the VM must be Running or Stopped with an ISO attached
   * (431 `id` otherwise). Recorded with an `ISO.DETACH` event; like an attach, a running VM's
   * CD-ROM changes on the host at its next start.
   */
  async detachIso(caller: CallContext, input: VmIdInput): Promise<VmView> {
    const request = validate(VmIdInput, input);
    return this.store.transaction(async (tx) => {
      const vm = await this.access.visible(tx, caller, request.id);
      requireRunningOrStopped(vm);
      if (vm.isoId === undefined) throw invalidParameter('id', `virtual machine ${vm.name} has no ISO attached`);
      const iso = await tx.repo('templates').get(vm.isoId);
      const { isoId: _iso, ...rest } = vm;
      const updated = await tx.repo('vms').update({ ...rest, updatedAt: isoNow(this.clock) });
      await this.events.record(tx, caller, { accountId: vm.accountId, domainId: vm.domainId, type: 'ISO.DETACH', resourceType: 'VirtualMachine', resourceId: vm.id, description: `Detached ISO ${iso?.name ?? vm.isoId} from VM ${vm.name}` });
      return this.access.view(tx, updated);
    });
  }

  /** One VM by id (431 when the caller may not see it). */
  async get(caller: CallContext, input: VmIdInput): Promise<VmView> {
    const request = validate(VmIdInput, input);
    return this.store.transaction(async (tx) => this.access.view(tx, await this.access.visible(tx, caller, request.id)));
  }

  /** VMs the caller may see (`listVirtualMachines`); users never see Destroyed ones. */
  async list(caller: CallContext, input: ListVmsInput = {}): Promise<Page<VmView>> {
    const query = validate(ListVmsInput, input);
    if (query.hostId !== undefined && !isAdmin(caller)) throw permissionDenied('Only administrators may list VMs by host', 'hostid');
    return this.store.transaction(async (tx) => {
      const scope = await this.visibility.scope(tx, caller, query);
      const hidden = isAdmin(caller) ? ['Expunging' as const] : ['Destroyed' as const, 'Expunging' as const];
      const where: Filter<VirtualMachine> = {
        ...this.visibility.ownerFilter(scope),
        ...(query.id === undefined ? {} : { id: query.id }),
        ...(query.name === undefined ? {} : { name: query.name }),
        state: query.state === undefined ? { nin: hidden } : hidden.includes(query.state as 'Expunging') ? { in: [] } : query.state,
        ...(query.zoneId === undefined ? {} : { zoneId: query.zoneId }),
        ...(query.hostId === undefined ? {} : { hostId: query.hostId }),
        ...(query.groupName === undefined ? {} : { group: query.groupName }),
        ...(query.keyword === undefined ? {} : { $or: [{ name: { like: query.keyword } }, { displayName: { like: query.keyword } }] }),
      };
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      const page = await tx.repo('vms').find({ where, orderBy: [{ field: 'createdAt' }, { field: 'id' }], ...window });
      // One NIC query for the whole page, not one per VM.
      const nics = (await tx.repo('nics').find({ where: { vmId: { in: page.items.map((vm) => vm.id) } } })).items;
      const nicsOf = new Map<string, typeof nics>();
      for (const nic of nics) nicsOf.set(nic.vmId, [...(nicsOf.get(nic.vmId) ?? []), nic]);
      return { items: page.items.map((vm) => vmViewOf(vm, nicsOf.get(vm.id) ?? [])), total: page.total };
    });
  }

  /** Changes display name, group or HA flag (`updateVirtualMachine`). */
  async update(caller: CallContext, input: UpdateVmInput): Promise<VmView> {
    const request = validate(UpdateVmInput, input);
    return this.store.transaction(async (tx) => {
      const vm = await this.access.visible(tx, caller, request.id);
      const { group: _g, ...rest } = vm;
      const group = request.group === undefined ? vm.group : request.group === '' ? undefined : request.group;
      const updated = await tx.repo('vms').update({
        ...rest,
        ...(group === undefined ? {} : { group }),
        ...(request.displayName === undefined ? {} : { displayName: request.displayName }),
        ...(request.haEnable === undefined ? {} : { haEnabled: request.haEnable }),
        updatedAt: isoNow(this.clock),
      });
      await this.events.record(tx, caller, { accountId: vm.accountId, domainId: vm.domainId, type: 'VM.UPDATE', resourceType: 'VirtualMachine', resourceId: vm.id, description: `Updated VM ${vm.name}` });
      return this.access.view(tx, updated);
    });
  }
}

/** 431 `id` unless the VM is Running or Stopped: an ISO is attached or detached only then. */
function requireRunningOrStopped(vm: VirtualMachine): void {
  if (vm.state !== 'Running' && vm.state !== 'Stopped') throw invalidParameter('id', `virtual machine ${vm.name} is ${vm.state}; an ISO can be attached or detached only when it is Running or Stopped`);
}
