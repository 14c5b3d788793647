import { CapacityReservations } from '../alloc/capacity-reservations.js';
import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { requireRootAdmin } from '../context/authorize.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { Store } from '../contracts/store.js';
import { notFound } from '../errors.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { validate } from './validate.js';
import { VmDriver } from './vm-driver.js';
import { VmHa, type HostDownInput, type HostDownOutcome } from './vm-ha.js';
import { VmReservations } from './vm-reservations.js';

/** Input of {@link VmReconciler.reconcile}. */
export const ReconcileHostInput = z.object({ hostId: z.string().min(1) });
/** Input of {@link VmReconciler.reconcile}. */
export type ReconcileHostInput = z.input<typeof ReconcileHostInput>;

/** What a reconciliation found and corrected. */
export interface ReconcileOutcome {
  /** VMs the store had Running that the host reports stopped or does not have: now Stopped, their host capacity and addresses released. */
  readonly stopped: readonly string[];
  /** Instance names the host runs that the store does not place on it (left alone, reported with a WARN event). */
  readonly unknown: readonly string[];
}

/**
 * Compares the VM states a host's driver reports (`listVmStates`) with the store and corrects
 * drift: a VM the store has Running that the host reports stopped or missing becomes Stopped
 * with its host reservation and addresses released and a WARN event; a VM running on the host
 * that the store does not place there is reported with a WARN event. VMs in a transition
 * (Starting, Stopping) are left to the operation that owns them.
 */
@injectable()
export class VmReconciler {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(VmDriver) private readonly driver: VmDriver,
    @inject(VmReservations) private readonly reservations: VmReservations,
    @inject(EventRecorder) private readonly events: EventRecorder,
    @inject(VmHa) private readonly ha: VmHa,
    @inject(CapacityReservations) private readonly capacity: CapacityReservations,
  ) {}

  /**
   * A host stopped answering (the ping path found it unreachable): marks it Down and hands its
   * VMs to the HA manager — HA-enabled ones restarted elsewhere, the rest Stopped (root admins).
   */
  hostDown(caller: CallContext, input: HostDownInput): Promise<HostDownOutcome> {
    return this.ha.handleHostDown(caller, input);
  }

  /** Reconciles one host (root admins; the server calls it periodically as SYSTEM). */
  async reconcile(caller: CallContext, input: ReconcileHostInput): Promise<ReconcileOutcome> {
    requireRootAdmin(caller, 'reconcile the VMs of a host');
    const { hostId } = validate(ReconcileHostInput, input);
    const call = await this.store.transaction(async (tx) => {
      if ((await tx.repo('hosts').get(hostId)) === undefined) throw notFound('host', 'hostid', hostId);
      return this.driver.prepare(tx, hostId, 'vm.states');
    });
    const reported = await this.driver.call(call, `list VM states of ${call.host.url}`, (d) => d.listVmStates!(call.host));
    const power = new Map(reported.map((vm) => [vm.name, vm.powerState]));
    return this.store.transaction(async (tx) => {
      const placed = (await tx.repo('vms').find({ where: { hostId } })).items;
      const stopped: string[] = [];
      for (const vm of placed) {
        const state = power.get(vm.instanceName);
        if (vm.state !== 'Running' || state === 'Running' || state === 'Paused' || state === 'Unknown') continue;
        if (vm.reservation !== undefined) await this.reservations.releaseHost(tx, vm, vm.reservation);
        const { hostId: _h, podId: _p, clusterId: _c, reservation: _r, ...rest } = vm;
        await tx.repo('vms').update({ ...rest, state: 'Stopped', updatedAt: isoNow(this.clock) });
        await this.events.record(tx, caller, {
          accountId: vm.accountId,
          domainId: vm.domainId,
          type: 'VM.STOP',
          level: 'WARN',
          resourceType: 'VirtualMachine',
          resourceId: vm.id,
          description: `VM ${vm.name} was found ${state === undefined ? 'missing' : 'stopped'} on host ${call.host.url}; marked Stopped`,
        });
        stopped.push(vm.id);
      }
      // Virtual routers on the host are the cloud's too; one found off is recorded Stopped (its network restarts it).
      const routers = (await tx.repo('routers').find({ where: { hostId } })).items;
      for (const router of routers) {
        const state = power.get(router.name);
        if (router.state !== 'Running' || state === 'Running' || state === 'Paused' || state === 'Unknown') continue;
        if (router.reservation !== undefined) await this.capacity.release(tx, router.reservation, { ...router.reservation.amounts, diskBytes: 0 });
        const { hostId: _h, podId: _p, clusterId: _c, reservation: _r, ...rest } = router;
        await tx.repo('routers').update({ ...rest, lastHostId: hostId, state: 'Stopped', updatedAt: isoNow(this.clock) });
        await this.events.record(tx, caller, { accountId: router.accountId, domainId: router.domainId, type: 'ROUTER.STOP', level: 'WARN', resourceType: 'DomainRouter', resourceId: router.id, description: `Virtual router ${router.name} was found ${state === undefined ? 'missing' : 'stopped'} on host ${call.host.url}; marked Stopped` });
      }
      const known = new Set([...placed.map((vm) => vm.instanceName), ...routers.map((r) => r.name)]);
      const unknown = reported.filter((vm) => vm.powerState === 'Running' && !known.has(vm.name)).map((vm) => vm.name);
      for (const name of unknown) {
        await this.events.record(tx, caller, { type: 'VM.UNKNOWN', level: 'WARN', resourceType: 'Host', resourceId: hostId, description: `Host ${call.host.url} runs ${name}, which no VM of the cloud is placed on` });
      }
      return { stopped, unknown };
    });
  }
}
