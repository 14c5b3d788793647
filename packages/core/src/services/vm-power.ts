import { inject, injectable } from 'tsyringe';
import { DeploymentPlanner } from '../alloc/deployment-planner.js';
import { deploymentRequestFor } from '../alloc/deployment-request.js';
import { isAdmin, type CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notAllowed, notFound, permissionDenied } from '../errors.js';
import { assertTransition } from '../model/state-machine.js';
import { VM_TRANSITIONS, type VirtualMachine, type VmState } from '../model/vm.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { UsageRecorder } from './usage-recorder.js';
import { validate } from './validate.js';
import { VmAccess } from './vm-access.js';
import { VmDriver, type PreparedVmCall } from './vm-driver.js';
import { VmPendingDisks } from './vm-pending-disks.js';
import { StartVmInput, StopVmInput, VmIdInput } from './vm-inputs.js';
import { VmReservations, type StartReservation } from './vm-reservations.js';
import { VmNetworks } from './vm-networks.js';
import { SecurityGroupEnforcer } from './security-group-enforcer.js';
import type { VmView } from './vm-view.js';
import type { VmSpec } from '../contracts/hypervisor.js';
import type { SecretBox } from '../security/secret-box.js';

/** A start recorded as `Starting`, with what it reserved and the driver call to make. */
export interface PreparedStart {
  /** The VM, as recorded (`Starting`). */
  readonly vm: VirtualMachine;
  /** What the start reserved. */
  readonly reserved: StartReservation;
  /** Whether this start placed the root disk (a deploy, or a VM created without starting). */
  readonly firstPlacement: boolean;
  /** Whether this start chose the hypervisor of a VM deployed from an ISO without one (undone if it fails). */
  readonly choseHypervisor?: boolean;
  /** The driver, host and timeout. */
  readonly call: PreparedVmCall;
  /** The spec to start. */
  readonly spec: VmSpec;
  /** The host the stopped VM was defined on, when the start moved it elsewhere (its definition is removed there afterwards). */
  readonly previousHost?: PreparedVmCall;
}

/**
 * Start, stop and reboot, each by rule 3 of the house: validate; one transaction checks the
 * state, reserves (host capacity, addresses) and records the intent (`Starting`, `Stopping`);
 * the driver is called outside it with the `wait` timeout; a second transaction records the
 * outcome — on failure every reservation of the step is released, the VM is left `Stopped`
 * (or `Error` for a failed deployment, or `Running` for a failed stop) and an ERROR event says
 * why. The method returns when the step is done; the API runs it as an async job.
 */
@injectable()
export class VmPower {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(VmAccess) private readonly access: VmAccess,
    @inject(VmReservations) private readonly reservations: VmReservations,
    @inject(VmDriver) private readonly driver: VmDriver,
    @inject(EventRecorder) private readonly events: EventRecorder,
    @inject(TOKENS.SecretBox) private readonly secrets: SecretBox,
    @inject(UsageRecorder) private readonly usage: UsageRecorder,
    @inject(VmPendingDisks) private readonly pendingDisks: VmPendingDisks,
    @inject(DeploymentPlanner) private readonly planner: DeploymentPlanner,
    @inject(VmNetworks) private readonly networks: VmNetworks,
    @inject(SecurityGroupEnforcer) private readonly securityGroups: SecurityGroupEnforcer,
  ) {}

  /** Starts a stopped VM (`startVirtualMachine`); admins may name the host. */
  async start(caller: CallContext, input: StartVmInput): Promise<VmView> {
    const request = validate(StartVmInput, input);
    if (request.hostId !== undefined && !isAdmin(caller)) throw permissionDenied('Only administrators may choose the host a VM starts on', 'hostid');
    const stopped = await this.store.transaction((tx) => this.access.visible(tx, caller, request.id));
    // Its guest networks may have been shut down by the garbage collector since it last ran.
    if (stopped.state === 'Stopped') await this.networks.prepare(stopped.id, false);
    const prepared = await this.store.transaction(async (tx) => {
      const vm = await this.access.visible(tx, caller, request.id);
      if (vm.state === 'Running') throw invalidParameter('id', `virtual machine ${vm.name} is already Running`);
      assertTransition(VM_TRANSITIONS, `virtual machine ${vm.name}`, vm.state, vm.state === 'Stopped' ? 'Starting' : 'Running', 'id');
      return this.prepareStart(tx, caller, vm, request.hostId);
    });
    return this.completeStart(caller, prepared, 'Stopped');
  }

  /**
   * The start that completes a two-step deployment (the API records the VM `Stopped` when it
   * accepts `deployVirtualMachine`, then starts it in the job): only for a VM that has never
   * run, and a failure leaves it in `Error` with its MACs given back, as a failed deploy does.
   */
  async startDeployed(caller: CallContext, input: StartVmInput): Promise<VmView> {
    const request = validate(StartVmInput, input);
    if (request.hostId !== undefined && !isAdmin(caller)) throw permissionDenied('Only administrators may choose the host a VM starts on', 'hostid');
    const waiting = await this.store.transaction(async (tx) => {
      const vm = await this.access.visible(tx, caller, request.id);
      if (vm.state !== 'Stopped' || vm.lastHostId !== undefined) {
        throw notAllowed(`virtual machine ${vm.name} is not a new deployment waiting for its first start`, 'id');
      }
      return vm;
    });
    await this.readyNetworks(caller, waiting.id);
    const prepared = await this.store.transaction(async (tx) => {
      const vm = await this.access.visible(tx, caller, request.id);
      if (vm.state !== 'Stopped' || vm.lastHostId !== undefined) {
        throw notAllowed(`virtual machine ${vm.name} is not a new deployment waiting for its first start`, 'id');
      }
      return this.prepareStart(tx, caller, vm, request.hostId);
    });
    return this.completeStart(caller, prepared, 'Error');
  }

  /**
   * Implements a new VM's networks and tells their providers about it; when that fails the VM
   * is left in `Error` holding nothing (its NICs, addresses and MACs are given back), with an
   * ERROR event, and the error is raised.
   */
  private async readyNetworks(caller: CallContext, vmId: string): Promise<void> {
    try {
      await this.networks.prepare(vmId, true);
    } catch (error) {
      await this.store.transaction(async (tx) => {
        const vm = await tx.repo('vms').get(vmId);
        if (vm === undefined) return;
        await this.reservations.releaseForever(tx, vm);
        await tx.repo('vms').update({ ...vm, state: 'Error', updatedAt: isoNow(this.clock) });
        await this.events.record(tx, caller, { ...this.owner(vm), type: 'VM.CREATE', level: 'ERROR', description: `Deploying VM ${vm.name} failed: its networks could not be implemented (${error instanceof Error ? error.message : String(error)})` });
      });
      throw error;
    }
  }

  /**
   * Records a start in `tx`: reserves host capacity (and the root disk's bytes on the first
   * placement) and addresses, writes `Starting` with the reservation, and builds the spec.
   */
  async prepareStart(tx: Transaction, caller: CallContext, stored: VirtualMachine, hostId?: string): Promise<PreparedStart> {
    const firstPlacement = stored.rootPoolId === undefined;
    const choseHypervisor = firstPlacement && stored.hypervisorPending === true;
    const vm = choseHypervisor ? await this.chooseHypervisor(tx, stored, hostId) : stored;
    const reserved = await this.reservations.reserveStart(tx, vm, hostId);
    const r = reserved.reservation;
    const starting = await tx.repo('vms').update({
      ...vm,
      state: 'Starting',
      podId: r.podId,
      clusterId: r.clusterId,
      hostId: r.hostId,
      rootPoolId: vm.rootPoolId ?? r.poolId,
      reservation: r,
      updatedAt: isoNow(this.clock),
    });
    const host = await tx.repo('hosts').get(r.hostId);
    const call = await this.driver.prepare(tx, r.hostId, 'vm.start');
    const spec = this.withPendingPassword(starting, await this.driver.spec(tx, starting, reserved.nics, starting.rootPoolId ?? r.poolId, host));
    const previousHost = vm.lastHostId !== undefined && vm.lastHostId !== r.hostId && (await tx.repo('hosts').get(vm.lastHostId)) !== undefined
      ? await this.driver.prepare(tx, vm.lastHostId, 'vm.destroy').catch(() => undefined)
      : undefined;
    return { vm: starting, reserved, firstPlacement, choseHypervisor, call, spec, ...(previousHost === undefined ? {} : { previousHost }) };
  }

  /**
   * The hypervisor of a VM deployed from an ISO without one, fixed at its first placement: the
   * hypervisor of the cluster the planner would place it in now, with no hypervisor constraint
   * (claiming nothing; 533 when no cluster of any hypervisor can take it). The VM returned has
   * it recorded and the pending flag cleared.
   */
  private async chooseHypervisor(tx: Transaction, vm: VirtualMachine, hostId: string | undefined): Promise<VirtualMachine> {
    const offering = await tx.repo('serviceOfferings').get(vm.serviceOfferingId);
    if (offering === undefined) throw notFound('service offering', 'serviceofferingid', vm.serviceOfferingId);
    const where = await this.planner.plan(tx, deploymentRequestFor(offering, { zoneId: vm.zoneId, diskBytes: vm.rootDiskBytes, accountId: vm.accountId, ...(hostId === undefined ? {} : { requestedHostId: hostId }) }));
    const cluster = await tx.repo('clusters').get(where.clusterId);
    if (cluster === undefined) throw notFound('cluster', 'clusterid', where.clusterId);
    const { hypervisorPending: _pending, ...rest } = vm;
    return { ...rest, hypervisorType: cluster.hypervisorType };
  }

  /**
   * The spec with the password a reset left for this boot (opened from its sealed copy only for
   * the driver call); the spec unchanged when there is none.
   */
  withPendingPassword(vm: VirtualMachine, spec: VmSpec): VmSpec {
    return vm.pendingPasswordSealed === undefined ? spec : { ...spec, password: this.secrets.open(vm.pendingPasswordSealed) };
  }

  /**
   * Calls the driver for a prepared start and records the outcome: `Running`, or every
   * reservation of the start released and the VM left in `failState` with an ERROR event (and
   * the error rethrown). A failed deployment (`Error`) also gives back its MACs.
   */
  async completeStart(caller: CallContext, prepared: PreparedStart, failState: 'Stopped' | 'Error'): Promise<VmView> {
    const { vm, call, spec } = prepared;
    try {
      await this.driver.call(call, `start VM ${vm.instanceName} on ${call.host.url}`, (d) => d.startVm!({ host: call.host, spec }));
    } catch (error) {
      await this.store.transaction(async (tx) => {
        const current = await this.current(tx, vm);
        await this.reservations.releaseStart(tx, current, prepared.reserved.reservation);
        if (failState === 'Error') await this.reservations.releaseForever(tx, { ...current, rootPoolId: undefined });
        const { hostId: _h, podId: _p, clusterId: _c, reservation: _r, ...rest } = current;
        await tx.repo('vms').update({
          ...rest,
          state: failState,
          ...(prepared.firstPlacement ? { rootPoolId: undefined } : {}),
          // The planner chooses again at the next first start.
          ...(prepared.choseHypervisor ? { hypervisorPending: true } : {}),
          updatedAt: isoNow(this.clock),
        });
        await this.events.record(tx, caller, { ...this.owner(vm), type: 'VM.START', level: 'ERROR', description: `Failed to start VM ${vm.name}: ${(error as Error).message}` });
      });
      throw error;
    }
    const view = await this.store.transaction(async (tx) => {
      const current = await this.current(tx, vm);
      // The guest has its new password: the sealed copy is not kept once handed over.
      const { pendingPasswordSealed: _password, ...kept } = current;
      const delivered = spec.password !== undefined && current.pendingPasswordSealed !== undefined && this.secrets.open(current.pendingPasswordSealed) === spec.password;
      const running = await tx.repo('vms').update({ ...(delivered ? kept : current), state: 'Running', lastHostId: current.hostId, updatedAt: isoNow(this.clock) });
      await this.usage.vmStarted(tx, running);
      await this.events.record(tx, caller, { ...this.owner(vm), type: 'VM.START', description: `Started VM ${vm.name} on host ${call.host.url}` });
      return this.access.view(tx, running);
    });
    const previous = prepared.previousHost;
    if (previous !== undefined) {
      // The VM now runs elsewhere: its stopped definition on the old host goes. Drivers are
      // idempotent, so a failure here only leaves a stopped definition behind for reconciliation.
      await this.driver.call(previous, `remove VM ${vm.instanceName} from ${previous.host.url}`, (d) => d.destroyVm!({ host: previous.host, vmName: vm.instanceName })).catch(() => undefined);
    }
    // A basic zone's pod router serves the VM's new address (started now if the pod had none running).
    await this.networks.afterStart(vm.id).catch(async (error: unknown) => {
      await this.store.transaction((tx) => this.events.record(tx, caller, { ...this.owner(vm), type: 'ROUTER.START', level: 'WARN', description: `VM ${vm.name} runs, but the virtual router of its pod could not serve it: ${error instanceof Error ? error.message : String(error)}` }));
    });
    // Its security groups' rules reach its host, and peers whose rules name its groups learn its address.
    await this.securityGroups.applyForVm(vm.id).catch(() => undefined);
    // Data disks attached while the VM had no host (deployed with startVm: false) are created and plugged in now.
    await this.pendingDisks.placeAttached(caller, vm.id);
    return view;
  }

  /** Stops a running VM (`stopVirtualMachine`), cleanly or forced; its host capacity and addresses are released. */
  async stop(caller: CallContext, input: StopVmInput): Promise<VmView> {
    const request = validate(StopVmInput, input);
    const vm = await this.store.transaction(async (tx) => {
      const found = await this.access.visible(tx, caller, request.id);
      if (found.state === 'Stopped') throw invalidParameter('id', `virtual machine ${found.name} is already Stopped`);
      return found;
    });
    const stopped = await this.stopVm(caller, vm.id, request.forced);
    return this.store.transaction((tx) => this.access.view(tx, stopped));
  }

  /**
   * Stops a VM by rule 3: `Stopping`, then the driver, then `Stopped` with its host capacity
   * and addresses released; a failed stop leaves it `Running` with an ERROR event.
   */
  async stopVm(caller: CallContext, vmId: string, forced: boolean): Promise<VirtualMachine> {
    const { vm, call } = await this.store.transaction(async (tx) => {
      const found = await tx.repo('vms').get(vmId);
      if (found === undefined) throw invalidParameter('id', `virtual machine ${vmId} no longer exists`);
      assertTransition(VM_TRANSITIONS, `virtual machine ${found.name}`, found.state, 'Stopping', 'id');
      if (found.state !== 'Running' || found.hostId === undefined) throw notAllowed(`virtual machine ${found.name} is ${found.state}, not Running`, 'id');
      const prepared = await this.driver.prepare(tx, found.hostId, 'vm.stop');
      const stopping = await tx.repo('vms').update({ ...found, state: 'Stopping', updatedAt: isoNow(this.clock) });
      return { vm: stopping, call: prepared };
    });
    const mode = forced ? 'forced' : 'clean';
    try {
      await this.driver.call(call, `stop VM ${vm.instanceName} (${mode}) on ${call.host.url}`, (d) => d.stopVm!({ host: call.host, vmName: vm.instanceName, mode }));
    } catch (error) {
      await this.settle(vm, 'Running', caller, 'VM.STOP', `Failed to stop VM ${vm.name}: ${(error as Error).message}`, 'ERROR');
      throw error;
    }
    const result = await this.store.transaction(async (tx) => {
      const current = await this.current(tx, vm);
      if (current.reservation !== undefined) await this.reservations.releaseHost(tx, current, current.reservation);
      const { hostId: _h, podId: _p, clusterId: _c, reservation: _r, ...rest } = current;
      const stopped = await tx.repo('vms').update({ ...rest, state: 'Stopped', updatedAt: isoNow(this.clock) });
      await this.usage.vmStopped(tx, stopped);
      await this.events.record(tx, caller, { ...this.owner(vm), type: 'VM.STOP', description: `Stopped VM ${vm.name} (${mode})` });
      return stopped;
    });
    // Peers whose security group rules name the VM's groups lose its address (it is given back at stop).
    await this.securityGroups.applyForVm(vm.id).catch(() => undefined);
    return result;
  }

  /** Reboots a running VM (`rebootVirtualMachine`); a failed reboot leaves it Running with an ERROR event. */
  async reboot(caller: CallContext, input: VmIdInput): Promise<VmView> {
    const request = validate(VmIdInput, input);
    const { vm, call } = await this.store.transaction(async (tx) => {
      const found = await this.access.visible(tx, caller, request.id);
      if (found.state !== 'Running' || found.hostId === undefined) throw notAllowed(`virtual machine ${found.name} is ${found.state}; only a Running VM can be rebooted`, 'id');
      return { vm: found, call: await this.driver.prepare(tx, found.hostId, 'vm.reboot') };
    });
    try {
      await this.driver.call(call, `reboot VM ${vm.instanceName} on ${call.host.url}`, (d) => d.rebootVm!({ host: call.host, vmName: vm.instanceName }));
    } catch (error) {
      await this.store.transaction((tx) => this.events.record(tx, caller, { ...this.owner(vm), type: 'VM.REBOOT', level: 'ERROR', description: `Failed to reboot VM ${vm.name}: ${(error as Error).message}` }));
      throw error;
    }
    return this.store.transaction(async (tx) => {
      await this.events.record(tx, caller, { ...this.owner(vm), type: 'VM.REBOOT', description: `Rebooted VM ${vm.name}` });
      return this.access.view(tx, await this.current(tx, vm));
    });
  }

  private async settle(vm: VirtualMachine, state: VmState, caller: CallContext, type: string, description: string, level: 'INFO' | 'ERROR'): Promise<void> {
    await this.store.transaction(async (tx) => {
      const current = await this.current(tx, vm);
      await tx.repo('vms').update({ ...current, state, updatedAt: isoNow(this.clock) });
      await this.events.record(tx, caller, { ...this.owner(vm), type, level, description });
    });
  }

  private async current(tx: Transaction, vm: VirtualMachine): Promise<VirtualMachine> {
    const current = await tx.repo('vms').get(vm.id);
    if (current === undefined) throw invalidParameter('id', `virtual machine ${vm.id} no longer exists`);
    return current;
  }

  private owner(vm: VirtualMachine): { accountId: string; domainId: string; resourceType: string; resourceId: string } {
    return { accountId: vm.accountId, domainId: vm.domainId, resourceType: 'VirtualMachine', resourceId: vm.id };
  }
}
