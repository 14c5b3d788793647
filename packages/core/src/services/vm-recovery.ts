import { inject, injectable } from 'tsyringe';
import { SYSTEM } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { Store } from '../contracts/store.js';
import type { Job } from '../model/job.js';
import type { VirtualMachine, VmState } from '../model/vm.js';
import { TOKENS, type Logger } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { VmDriver, type PreparedVmCall } from './vm-driver.js';
import { VmReservations } from './vm-reservations.js';

/** The VM states a management server records before a driver call and leaves when it finishes. */
export const TRANSITIONAL_VM_STATES: readonly VmState[] = ['Starting', 'Stopping', 'Migrating'];

/** What recovering one VM did. */
export interface RecoveredVm {
  /** The VM. */
  readonly vmId: string;
  /** The state the dead server left it in. */
  readonly from: VmState;
  /** The state it was put in. */
  readonly to: VmState;
}

/**
 * Settles the VMs a dead management server's jobs left half-done (rule 3 of the house: the
 * intent was recorded, the outcome never was). For each job acting on a `VirtualMachine` whose
 * VM is still `Starting`, `Stopping` or `Migrating`:
 *
 * - the VM is force-stopped on its recorded host, best effort (drivers are idempotent: a VM
 *   that never started there is already stopped; a host that does not answer is left to
 *   reconciliation, which reports what still runs there);
 * - then, in one transaction, exactly what the VM area's own failure paths release is
 *   released with {@link VmReservations}: a `Starting` VM gives back its start reservation
 *   (host capacity, the root disk's bytes when that start placed it, its addresses) and rests
 *   `Stopped` — or `Error`, holding no MAC either, when the job was its deployment
 *   (`deployVirtualMachine`), as a failed first start does; a `Stopping` or `Migrating` VM gives
 *   back its host capacity and addresses and rests `Stopped`. An ERROR event names the dead
 *   server.
 *
 * The update is version-checked, so a VM some other operation moved on meanwhile is left alone.
 */
@injectable()
export class VmRecovery {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(VmReservations) private readonly reservations: VmReservations,
    @inject(VmDriver) private readonly driver: VmDriver,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Settles the VMs of `jobs` (the dead server's interrupted jobs); returns what it changed. */
  async recover(jobs: readonly Job[], deadServerId: string, survivorId: string): Promise<RecoveredVm[]> {
    const recovered: RecoveredVm[] = [];
    const seen = new Set<string>();
    for (const job of jobs) {
      if (job.instanceType !== 'VirtualMachine' || job.instanceId === undefined || seen.has(job.instanceId)) continue;
      seen.add(job.instanceId);
      const outcome = await this.recoverVm(job, job.instanceId, deadServerId, survivorId);
      if (outcome !== undefined) recovered.push(outcome);
    }
    return recovered;
  }

  private async recoverVm(job: Job, vmId: string, deadServerId: string, survivorId: string): Promise<RecoveredVm | undefined> {
    const found = await this.store.transaction(async (tx) => {
      const vm = await tx.repo('vms').get(vmId);
      if (vm === undefined || !TRANSITIONAL_VM_STATES.includes(vm.state)) return undefined;
      const call = vm.hostId === undefined ? undefined : await this.driver.prepare(tx, vm.hostId, 'vm.stop').catch(() => undefined);
      return { vm, call };
    });
    if (found === undefined) return undefined;
    const { vm, call } = found;
    await this.forceStop(vm, call);
    const to: VmState = vm.state === 'Starting' && job.command === 'deployVirtualMachine' ? 'Error' : 'Stopped';
    const settled = await this.store.transaction(async (tx) => {
      const current = await tx.repo('vms').get(vmId);
      // Someone else moved it on (or it went): theirs is the newer truth.
      if (current === undefined || current.version !== vm.version) return false;
      const reservation = current.reservation;
      const firstPlacement = reservation !== undefined && reservation.amounts.diskBytes > 0;
      if (current.state === 'Starting') {
        if (reservation !== undefined) await this.reservations.releaseStart(tx, current, reservation);
        if (to === 'Error') await this.reservations.releaseForever(tx, { ...current, rootPoolId: undefined });
      } else if (reservation !== undefined) {
        await this.reservations.releaseHost(tx, current, reservation);
      }
      const { hostId: _h, podId: _p, clusterId: _c, reservation: _r, ...rest } = current;
      await tx.repo('vms').update({
        ...rest,
        ...(current.state === 'Starting' && firstPlacement ? { rootPoolId: undefined } : {}),
        state: to,
        updatedAt: isoNow(this.clock),
      });
      await this.events.record(tx, SYSTEM, {
        accountId: current.accountId,
        domainId: current.domainId,
        type: current.state === 'Starting' ? 'VM.START' : 'VM.STOP',
        level: 'ERROR',
        resourceType: 'VirtualMachine',
        resourceId: current.id,
        description: `VM ${current.name} was left ${current.state} by management server ${deadServerId}, which stopped; management server ${survivorId} released what it held and marked it ${to}`,
      });
      return true;
    });
    return settled ? { vmId, from: vm.state, to } : undefined;
  }

  /** Force-stops the VM on its host, best effort (see the class comment for why a failure is tolerable). */
  private async forceStop(vm: VirtualMachine, call: PreparedVmCall | undefined): Promise<void> {
    if (call === undefined) return;
    try {
      await this.driver.call(call, `stop VM ${vm.instanceName} (forced) on ${call.host.url}`, (d) => d.stopVm!({ host: call.host, vmName: vm.instanceName, mode: 'forced' }));
    } catch (error) {
      this.logger.warn('could not force-stop a VM left half-done by a dead management server; reconciliation will report it if it runs', { vmId: vm.id, error: (error as Error).message });
    }
  }
}
