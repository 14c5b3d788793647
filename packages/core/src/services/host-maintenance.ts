import { inject, injectable } from 'tsyringe';
import { DeploymentPlanner } from '../alloc/deployment-planner.js';
import { deploymentRequestFor } from '../alloc/deployment-request.js';
import type { CallContext } from '../context/call-context.js';
import type { Store, Transaction } from '../contracts/store.js';
import { CloudError, insufficientCapacity, notAllowed, notFound, toCloudError } from '../errors.js';
import { RESOURCE_STATE_TRANSITIONS, type Host, type ResourceState } from '../model/host.js';
import { assertTransition } from '../model/state-machine.js';
import type { VirtualMachine } from '../model/vm.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { hostOrFail } from './infrastructure-lookups.js';
import { VmMigration } from './vm-migration.js';

/** Thrown inside the dry-run transaction to roll its claims back once they all succeeded. */
class DryRunDone extends Error {}

/**
 * Host maintenance (`prepareHostForMaintenance`), as CloudStack 4.1 does it: the host goes
 * `PrepareForMaintenance` (so the planner places nothing new on it), every running VM is
 * live-migrated to another host of the cluster, then the host is `Maintenance`.
 *
 * Refusal is decided up front: before anything changes, a dry run claims a target for every
 * running VM in one transaction that is then rolled back — so the VMs' needs are counted
 * together — and when one VM has nowhere to go (or a VM is in the middle of a start, stop or
 * migration) the request is refused with the host and VMs untouched. A migration that fails
 * afterwards (the driver refused, a timeout) leaves the VMs already moved where they are, the
 * failed one Running on the host, and the host `ErrorInMaintenance` with an ERROR event, as
 * 4.1 does; the admin cancels maintenance or prepares it again.
 */
@injectable()
export class HostMaintenance {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(DeploymentPlanner) private readonly planner: DeploymentPlanner,
    @inject(VmMigration) private readonly migration: VmMigration,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Puts a host into maintenance, migrating its VMs off; the host as it ends (`Maintenance`). */
  async prepare(caller: CallContext, hostId: string): Promise<Host> {
    const running = await this.store.transaction(async (tx) => {
      const host = await hostOrFail(tx, hostId);
      assertTransition(RESOURCE_STATE_TRANSITIONS, `Host ${host.name}`, host.resourceState, 'PrepareForMaintenance', 'id');
      return this.vmsToMove(tx, host);
    });
    if (running.length > 0) await this.dryRun(hostId, running);
    const host = await this.store.transaction(async (tx) => {
      const current = await hostOrFail(tx, hostId);
      assertTransition(RESOURCE_STATE_TRANSITIONS, `Host ${current.name}`, current.resourceState, 'PrepareForMaintenance', 'id');
      const preparing = await tx.repo('hosts').update({ ...current, resourceState: 'PrepareForMaintenance' });
      await this.events.record(tx, caller, { type: 'MAINT.PREPARE', description: `Host ${current.name} is PrepareForMaintenance; migrating ${running.length} VM(s) off it`, resourceType: 'Host', resourceId: hostId });
      return preparing;
    });
    for (const vm of running) {
      try {
        await this.migration.migrateVm(caller, vm.id, undefined, [hostId]);
      } catch (error) {
        await this.settle(caller, hostId, 'ErrorInMaintenance', `Host ${host.name} could not enter maintenance: VM ${vm.name} did not migrate: ${toCloudError(error).message}`, 'ERROR');
        throw error;
      }
    }
    return this.store.transaction(async (tx) => {
      const current = await hostOrFail(tx, hostId);
      const left = (await tx.repo('vms').find({ where: { hostId } })).items;
      if (left.length > 0) {
        const reason = `Host ${current.name} still has VM(s) ${left.map((vm) => vm.name).join(', ')} on it`;
        await tx.repo('hosts').update({ ...current, resourceState: 'ErrorInMaintenance' });
        await this.events.record(tx, caller, { type: 'MAINT.PREPARE', level: 'ERROR', description: reason, resourceType: 'Host', resourceId: hostId });
        return { ...current, resourceState: 'ErrorInMaintenance' as const };
      }
      assertTransition(RESOURCE_STATE_TRANSITIONS, `Host ${current.name}`, current.resourceState, 'Maintenance', 'id');
      const done = await tx.repo('hosts').update({ ...current, resourceState: 'Maintenance' });
      await this.events.record(tx, caller, { type: 'MAINT.PREPARE', description: `Host ${current.name} is in Maintenance`, resourceType: 'Host', resourceId: hostId });
      return done;
    });
  }

  /** The VMs that must move: Running ones; refused (432) while one is mid-operation. */
  private async vmsToMove(tx: Transaction, host: Host): Promise<VirtualMachine[]> {
    const placed = (await tx.repo('vms').find({ where: { hostId: host.id } })).items;
    const busy = placed.find((vm) => vm.state !== 'Running');
    if (busy !== undefined) throw notAllowed(`Host ${host.name} cannot enter maintenance while VM ${busy.name} is ${busy.state}; try again when it has settled`, 'id');
    return placed;
  }

  /**
   * Claims a target for every VM in one transaction and rolls it back: 533 naming the VM and
   * what was short when one has nowhere to go. Nothing is left claimed either way.
   */
  private async dryRun(hostId: string, vms: readonly VirtualMachine[]): Promise<void> {
    try {
      await this.store.transaction(async (tx) => {
        for (const vm of vms) {
          const offering = await tx.repo('serviceOfferings').get(vm.serviceOfferingId);
          if (offering === undefined) throw notFound('service offering', 'serviceofferingid', vm.serviceOfferingId);
          if (offering.storageType === 'local') throw notAllowed(`VM ${vm.name} has its root disk on host-local storage and cannot be live-migrated off the host`, 'id');
          try {
            await this.planner.planAndReserve(
              tx,
              deploymentRequestFor(offering, {
                zoneId: vm.zoneId,
                hypervisorType: vm.hypervisorType,
                ...(vm.clusterId === undefined ? {} : { clusterId: vm.clusterId }),
                diskBytes: 0,
                accountId: vm.accountId,
                avoid: { hosts: [hostId], pools: [], clusters: [], pods: [] },
              }),
            );
          } catch (error) {
            const cause = toCloudError(error);
            throw insufficientCapacity('capacity', `host cannot enter maintenance: VM ${vm.name} cannot be migrated off it (${cause.message})`, { hostId, vmId: vm.id });
          }
        }
        throw new DryRunDone('every VM has a target');
      });
    } catch (error) {
      if (error instanceof DryRunDone) return;
      throw error instanceof CloudError ? error : toCloudError(error);
    }
  }

  private async settle(caller: CallContext, hostId: string, resourceState: ResourceState, description: string, level: 'INFO' | 'ERROR'): Promise<void> {
    await this.store.transaction(async (tx) => {
      const host = await hostOrFail(tx, hostId);
      await tx.repo('hosts').update({ ...host, resourceState });
      await this.events.record(tx, caller, { type: 'MAINT.PREPARE', level, description, resourceType: 'Host', resourceId: hostId });
    });
  }
}
