import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { CapacityReservations } from '../alloc/capacity-reservations.js';
import { DeploymentPlanner } from '../alloc/deployment-planner.js';
import { deploymentRequestFor } from '../alloc/deployment-request.js';
import { requireRootAdmin } from '../context/authorize.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notAllowed, notFound } from '../errors.js';
import { assertTransition } from '../model/state-machine.js';
import { VM_TRANSITIONS, type VirtualMachine, type VmReservation } from '../model/vm.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { SecurityGroupEnforcer } from './security-group-enforcer.js';
import { validate } from './validate.js';
import { VmAccess } from './vm-access.js';
import { addressOf, VmDriver, type PreparedVmCall } from './vm-driver.js';
import type { VmView } from './vm-view.js';

/** Input of {@link VmMigration.migrate} (`migrateVirtualMachine`). */
export const MigrateVmInput = z.object({
  /** The VM to move. */
  vmId: z.string().min(1),
  /** The target host (same cluster); chosen by the deployment planner when absent. */
  hostId: z.string().min(1).optional(),
});
/** Input of {@link VmMigration.migrate}. */
export type MigrateVmInput = z.input<typeof MigrateVmInput>;

/** A migration recorded as `Migrating`, with the target's reservation and the driver call. */
interface PreparedMigration {
  readonly vm: VirtualMachine;
  readonly source: VmReservation;
  readonly target: VmReservation;
  readonly call: PreparedVmCall;
  readonly targetAddress: PreparedVmCall['host'];
  readonly targetName: string;
}

/**
 * Live migration within a cluster (`migrateVirtualMachine`), by rule 3 of the house: one
 * transaction checks the VM is Running, chooses the target (the planner, restricted to the VM's
 * cluster and avoiding its current host, or the admin's host), claims the target's CPU and
 * memory atomically — 533 naming what was short, with nothing changed, when the target is full
 * — and records `Migrating` with the target reservation; the driver's `migrateVm` runs outside
 * it with the `wait` timeout; a second transaction records the outcome: `Running` on the target
 * with the source's capacity given back, or `Running` on the source with the target's capacity
 * given back and an ERROR event. The VM keeps its addresses and root disk either way.
 */
@injectable()
export class VmMigration {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(VmAccess) private readonly access: VmAccess,
    @inject(DeploymentPlanner) private readonly planner: DeploymentPlanner,
    @inject(CapacityReservations) private readonly capacity: CapacityReservations,
    @inject(VmDriver) private readonly driver: VmDriver,
    @inject(EventRecorder) private readonly events: EventRecorder,
    @inject(SecurityGroupEnforcer) private readonly securityGroups: SecurityGroupEnforcer,
  ) {}

  /** Migrates a running VM to another host of its cluster (root admins). */
  async migrate(caller: CallContext, input: MigrateVmInput): Promise<VmView> {
    requireRootAdmin(caller, 'migrate a virtual machine');
    const request = validate(MigrateVmInput, input);
    await this.store.transaction((tx) => this.access.visible(tx, caller, request.vmId, 'virtualmachineid'));
    const moved = await this.migrateVm(caller, request.vmId, request.hostId);
    return this.store.transaction((tx) => this.access.view(tx, moved));
  }

  /**
   * Migrates a VM by id (no permission check: host maintenance calls it for every VM of a
   * host). `avoidHostIds` are never chosen as the target.
   */
  async migrateVm(caller: CallContext, vmId: string, hostId?: string, avoidHostIds: readonly string[] = []): Promise<VirtualMachine> {
    const prepared = await this.store.transaction((tx) => this.prepare(tx, vmId, hostId, avoidHostIds));
    const { vm, call } = prepared;
    try {
      await this.driver.call(call, `migrate VM ${vm.instanceName} from ${call.host.url} to ${prepared.targetAddress.url}`, (d) =>
        d.migrateVm!({ host: call.host, vmName: vm.instanceName, target: prepared.targetAddress }),
      );
    } catch (error) {
      await this.store.transaction(async (tx) => {
        const current = await this.current(tx, vm.id);
        await this.capacity.release(tx, prepared.target, hostOnly(prepared.target));
        const { migrationReservation: _m, ...rest } = current;
        await tx.repo('vms').update({ ...rest, state: 'Running', updatedAt: isoNow(this.clock) });
        await this.events.record(tx, caller, { ...owner(vm), type: 'VM.MIGRATE', level: 'ERROR', description: `Failed to migrate VM ${vm.name} to host ${prepared.targetName}: ${(error as Error).message}` });
      });
      throw error;
    }
    const migrated = await this.store.transaction(async (tx) => {
      const current = await this.current(tx, vm.id);
      await this.capacity.release(tx, prepared.source, hostOnly(prepared.source));
      const { migrationReservation: _m, ...rest } = current;
      const target = prepared.target;
      const running = await tx.repo('vms').update({
        ...rest,
        state: 'Running',
        podId: target.podId,
        clusterId: target.clusterId,
        hostId: target.hostId,
        lastHostId: target.hostId,
        reservation: target,
        updatedAt: isoNow(this.clock),
      });
      await this.events.record(tx, caller, { ...owner(vm), type: 'VM.MIGRATE', description: `Migrated VM ${vm.name} from host ${call.host.url} to host ${prepared.targetName}` });
      return running;
    });
    // The VM's security group rules follow it to its new host.
    await this.securityGroups.applyForVm(migrated.id).catch(() => undefined);
    return migrated;
  }

  /** Checks, claims the target and records `Migrating`, all in `tx`. */
  private async prepare(tx: Transaction, vmId: string, hostId: string | undefined, avoidHostIds: readonly string[]): Promise<PreparedMigration> {
    const vm = await this.current(tx, vmId);
    if (vm.state !== 'Running' || vm.hostId === undefined || vm.reservation === undefined || vm.clusterId === undefined) {
      throw notAllowed(`virtual machine ${vm.name} is ${vm.state}; only a Running VM can be migrated`, 'virtualmachineid');
    }
    assertTransition(VM_TRANSITIONS, `virtual machine ${vm.name}`, vm.state, 'Migrating', 'virtualmachineid');
    const offering = await tx.repo('serviceOfferings').get(vm.serviceOfferingId);
    if (offering === undefined) throw notFound('service offering', 'serviceofferingid', vm.serviceOfferingId);
    if (offering.storageType === 'local') throw notAllowed(`virtual machine ${vm.name} has its root disk on host-local storage and cannot be live-migrated`, 'virtualmachineid');
    if (hostId !== undefined) {
      if (hostId === vm.hostId) throw invalidParameter('hostid', `virtual machine ${vm.name} already runs on host ${hostId}`);
      const target = await tx.repo('hosts').get(hostId);
      if (target === undefined) throw notFound('host', 'hostid', hostId);
      if (target.clusterId !== vm.clusterId) throw invalidParameter('hostid', `host ${target.name} is not in the cluster of virtual machine ${vm.name}; live migration stays within a cluster`);
    }
    const call = await this.driver.prepare(tx, vm.hostId, 'vm.migrate');
    const placement = await this.planner.planAndReserve(
      tx,
      deploymentRequestFor(offering, {
        zoneId: vm.zoneId,
        hypervisorType: vm.hypervisorType,
        clusterId: vm.clusterId,
        diskBytes: 0,
        accountId: vm.accountId,
        ...(hostId === undefined ? {} : { requestedHostId: hostId }),
        avoid: { hosts: [vm.hostId, ...avoidHostIds], pools: [], clusters: [], pods: [] },
      }),
    );
    // The root disk stays on its pool: the target reservation names it, and holds no disk bytes.
    const target: VmReservation = { ...placement, poolId: vm.reservation.poolId, amounts: { ...placement.amounts, diskBytes: 0 } };
    const targetHost = await tx.repo('hosts').get(target.hostId);
    if (targetHost === undefined) throw notFound('host', 'hostid', target.hostId);
    const migrating = await tx.repo('vms').update({ ...vm, state: 'Migrating', migrationReservation: target, updatedAt: isoNow(this.clock) });
    return { vm: migrating, source: vm.reservation, target, call, targetAddress: addressOf(targetHost), targetName: targetHost.name };
  }

  private async current(tx: Transaction, vmId: string): Promise<VirtualMachine> {
    const vm = await tx.repo('vms').get(vmId);
    if (vm === undefined) throw notFound('virtual machine', 'virtualmachineid', vmId);
    return vm;
  }
}

/** A reservation's host part: CPU, memory and the VM's place on the host, never the root disk's bytes. */
function hostOnly(reservation: VmReservation): VmReservation['amounts'] {
  return { ...reservation.amounts, diskBytes: 0 };
}

function owner(vm: VirtualMachine): { accountId: string; domainId: string; resourceType: string; resourceId: string } {
  return { accountId: vm.accountId, domainId: vm.domainId, resourceType: 'VirtualMachine', resourceId: vm.id };
}
