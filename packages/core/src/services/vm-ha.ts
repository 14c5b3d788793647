import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { CapacityReservations } from '../alloc/capacity-reservations.js';
import { DeploymentPlanner } from '../alloc/deployment-planner.js';
import { deploymentRequestFor } from '../alloc/deployment-request.js';
import { requireRootAdmin } from '../context/authorize.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { Store, Transaction } from '../contracts/store.js';
import { notAllowed, notFound, toCloudError } from '../errors.js';
import { HOST_STATE_TRANSITIONS } from '../model/host.js';
import { assertTransition } from '../model/state-machine.js';
import type { VirtualMachine, VmReservation } from '../model/vm.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { hostOrFail } from './infrastructure-lookups.js';
import { UsageRecorder } from './usage-recorder.js';
import { validate } from './validate.js';
import { VmDriver } from './vm-driver.js';
import { VmPower, type PreparedStart } from './vm-power.js';

/** Input of {@link VmHa.handleHostDown}. */
export const HostDownInput = z.object({ hostId: z.string().min(1) });
/** Input of {@link VmHa.handleHostDown}. */
export type HostDownInput = z.input<typeof HostDownInput>;

/** What the HA manager did with the VMs of a host that went down. */
export interface HostDownOutcome {
  /** HA-enabled VMs restarted on another host. */
  readonly restarted: readonly string[];
  /** VMs left Stopped: not HA-enabled, or their restart failed (with an ERROR event). */
  readonly stopped: readonly string[];
}

/**
 * The HA manager (guide: "HA-Enabled Virtual Machines", `ha.tag`). When a host goes Down it is
 * marked so, and each VM on it loses the host's capacity (the dead host no longer runs it) and
 * is recorded Stopped with a WARN event. A VM that is HA-enabled — its own flag, or its
 * offering's `offerHa` — and was Running is then restarted elsewhere in its cluster (its root
 * disk's pool stays reachable there) through the planner with `forHaRestart`, so hosts carrying
 * `ha.tag` are preferred and may take it; the restart follows rule 3 (claim, `Starting`, driver,
 * `Running`, or everything released and `Stopped` with an ERROR event). It keeps its guest
 * addresses across the restart. Non-HA VMs give their addresses back and stay Stopped.
 */
@injectable()
export class VmHa {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(DeploymentPlanner) private readonly planner: DeploymentPlanner,
    @inject(CapacityReservations) private readonly capacity: CapacityReservations,
    @inject(VmDriver) private readonly driver: VmDriver,
    @inject(VmPower) private readonly power: VmPower,
    @inject(EventRecorder) private readonly events: EventRecorder,
    @inject(UsageRecorder) private readonly usage: UsageRecorder,
  ) {}

  /**
   * Marks a host Down and handles its VMs (root admins; the server's ping/reconciliation path
   * calls it as SYSTEM when a host stops answering). Idempotent: a host already Down with no
   * VM left on it changes nothing.
   */
  async handleHostDown(caller: CallContext, input: HostDownInput): Promise<HostDownOutcome> {
    requireRootAdmin(caller, 'handle a host failure');
    const { hostId } = validate(HostDownInput, input);
    const vmIds = await this.store.transaction(async (tx) => {
      const host = await hostOrFail(tx, hostId);
      if (host.state !== 'Down') {
        assertTransition(HOST_STATE_TRANSITIONS, `Host ${host.name}`, host.state, 'Down', 'hostid');
        await tx.repo('hosts').update({ ...host, state: 'Down', disconnectedAt: isoNow(this.clock) });
        await this.events.record(tx, caller, { type: 'HOST.DOWN', level: 'WARN', description: `Host ${host.name} is Down`, resourceType: 'Host', resourceId: hostId });
      }
      return (await tx.repo('vms').find({ where: { hostId } })).items.map((vm) => vm.id);
    });
    const restarted: string[] = [];
    const stopped: string[] = [];
    for (const vmId of vmIds) {
      const restart = await this.store.transaction((tx) => this.stopOnDeadHost(tx, caller, vmId, hostId));
      if (restart === undefined) {
        stopped.push(vmId);
        continue;
      }
      if (await this.restart(caller, restart, hostId)) restarted.push(vmId);
      else stopped.push(vmId);
    }
    return { restarted, stopped };
  }

  /**
   * Records a VM of the dead host Stopped, its host capacity released; returns the VM when it
   * is to be restarted (it then keeps its addresses), undefined otherwise.
   */
  private async stopOnDeadHost(tx: Transaction, caller: CallContext, vmId: string, hostId: string): Promise<VirtualMachine | undefined> {
    const vm = await tx.repo('vms').get(vmId);
    if (vm === undefined || vm.hostId !== hostId) return undefined;
    const offering = await tx.repo('serviceOfferings').get(vm.serviceOfferingId);
    const ha = vm.state === 'Running' && (vm.haEnabled || offering?.offerHa === true);
    if (vm.reservation !== undefined) await this.capacity.release(tx, vm.reservation, hostOnly(vm.reservation));
    if (vm.migrationReservation !== undefined) await this.capacity.release(tx, vm.migrationReservation, hostOnly(vm.migrationReservation));
    if (!ha) await releaseAddresses(tx, vm.id);
    const { hostId: _h, podId: _p, clusterId: _c, reservation: _r, migrationReservation: _m, ...rest } = vm;
    const stopped = await tx.repo('vms').update({ ...rest, state: 'Stopped', lastHostId: hostId, updatedAt: isoNow(this.clock) });
    // Running hours end with the dead host (4.1's VM.STOP); an HA restart records its own VM.START.
    if (vm.state === 'Running') await this.usage.vmStopped(tx, stopped);
    await this.events.record(tx, caller, {
      ...owner(vm),
      type: 'VM.STOP',
      level: 'WARN',
      description: `VM ${vm.name} stopped: its host went Down${ha ? '; restarting it elsewhere (HA)' : ''}`,
    });
    return ha ? stopped : undefined;
  }

  /** Restarts an HA VM on another host of its cluster; false (VM Stopped, ERROR event) when it could not. */
  private async restart(caller: CallContext, vm: VirtualMachine, deadHostId: string): Promise<boolean> {
    let prepared: PreparedStart;
    try {
      prepared = await this.store.transaction((tx) => this.prepareRestart(tx, vm.id, deadHostId));
    } catch (error) {
      await this.store.transaction(async (tx) => {
        await releaseAddresses(tx, vm.id);
        await this.events.record(tx, caller, { ...owner(vm), type: 'VM.HA', level: 'ERROR', description: `HA could not restart VM ${vm.name}: ${toCloudError(error).message}` });
      });
      return false;
    }
    try {
      await this.power.completeStart(caller, prepared, 'Stopped');
    } catch (error) {
      await this.store.transaction((tx) => this.events.record(tx, caller, { ...owner(vm), type: 'VM.HA', level: 'ERROR', description: `HA could not restart VM ${vm.name}: ${toCloudError(error).message}` }));
      return false;
    }
    await this.store.transaction((tx) => this.events.record(tx, caller, { ...owner(vm), type: 'VM.HA', description: `HA restarted VM ${vm.name} on host ${prepared.call.host.url}` }));
    return true;
  }

  /** Claims a host (ha.tag hosts first) for the restart and records `Starting`, in `tx`. */
  private async prepareRestart(tx: Transaction, vmId: string, deadHostId: string): Promise<PreparedStart> {
    const vm = await tx.repo('vms').get(vmId);
    if (vm === undefined) throw notFound('virtual machine', 'id', vmId);
    if (vm.state !== 'Stopped') throw notAllowed(`virtual machine ${vm.name} is ${vm.state}; HA restarts only a VM it stopped`, 'id');
    const offering = await tx.repo('serviceOfferings').get(vm.serviceOfferingId);
    if (offering === undefined) throw notFound('service offering', 'serviceofferingid', vm.serviceOfferingId);
    const deadHost = await tx.repo('hosts').get(deadHostId);
    const placement = await this.planner.planAndReserve(tx, {
      ...deploymentRequestFor(offering, {
        zoneId: vm.zoneId,
        hypervisorType: vm.hypervisorType,
        diskBytes: 0,
        accountId: vm.accountId,
        forHaRestart: true,
        ...(deadHost === undefined ? {} : { clusterId: deadHost.clusterId }),
        avoid: { hosts: [deadHostId], pools: [], clusters: [], pods: [] },
      }),
      offerHa: true,
    });
    const poolId = vm.rootPoolId ?? placement.poolId;
    const reservation: VmReservation = { ...placement, poolId, amounts: { ...placement.amounts, diskBytes: 0 } };
    const starting = await tx.repo('vms').update({
      ...vm,
      state: 'Starting',
      podId: reservation.podId,
      clusterId: reservation.clusterId,
      hostId: reservation.hostId,
      reservation,
      updatedAt: isoNow(this.clock),
    });
    const nics = (await tx.repo('nics').find({ where: { vmId } })).items;
    const host = await tx.repo('hosts').get(reservation.hostId);
    const call = await this.driver.prepare(tx, reservation.hostId, 'vm.start');
    const spec = this.power.withPendingPassword(starting, await this.driver.spec(tx, starting, nics, poolId, host));
    return { vm: starting, reserved: { reservation, nics }, firstPlacement: false, call, spec };
  }
}

/** A reservation's host part: never the root disk's bytes. */
function hostOnly(reservation: VmReservation): VmReservation['amounts'] {
  return { ...reservation.amounts, diskBytes: 0 };
}

/** Gives back every NIC's guest address and clears it from the NIC. */
async function releaseAddresses(tx: Transaction, vmId: string): Promise<void> {
  for (const nic of (await tx.repo('nics').find({ where: { vmId } })).items) {
    if (nic.ipPool === undefined || nic.ipAddress === undefined) continue;
    await tx.pools.release(nic.ipPool, nic.ipAddress, nic.id);
    const { ipAddress: _ip, ipPool: _pool, netmask: _mask, gateway: _gw, vlan: _vlan, ...rest } = nic;
    await tx.repo('nics').update(rest);
  }
}

function owner(vm: VirtualMachine): { accountId: string; domainId: string; resourceType: string; resourceId: string } {
  return { accountId: vm.accountId, domainId: vm.domainId, resourceType: 'VirtualMachine', resourceId: vm.id };
}
