import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import { SYSTEM } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { HypervisorDriver } from '../contracts/hypervisor.js';
import type { RandomSource } from '../contracts/random.js';
import type { ApplySecurityGroupRulesRequest } from '../contracts/security-group-rules.js';
import type { Store, Transaction } from '../contracts/store.js';
import { ErrorCode, isCloudError } from '../errors.js';
import type { SecurityGroupVmSync } from '../model/security-group-vm-sync.js';
import type { VirtualMachine } from '../model/vm.js';
import { AsyncMutex } from '../runtime/async-mutex.js';
import { TOKENS, type Logger } from '../tokens.js';
import { callDriver } from './driver-call.js';
import { EventRecorder } from './event-recorder.js';
import { buildSecurityGroupRuleSet, securityGroupIdsOfVm, securityGroupMembersOf, vmsReferencingSecurityGroups } from './security-group-rule-set.js';
import { addressOf } from './vm-driver.js';

/** The capability a host's driver must declare for core to hand it rule sets. */
export const SECURITY_GROUP_APPLY = 'securitygroup.apply';

/** What one round of applies did. */
export interface SecurityGroupApplyOutcome {
  /** VMs whose hosts accepted their current rule set. */
  readonly applied: readonly string[];
  /** VMs whose hosts could not be told: flagged `pending`, sent again at their next apply or {@link SecurityGroupEnforcer.retryPending}. */
  readonly pending: readonly string[];
}

/** An apply prepared in its intent transaction. */
interface PreparedApply {
  readonly vm: VirtualMachine;
  readonly driver: HypervisorDriver;
  readonly request: ApplySecurityGroupRulesRequest;
  readonly timeoutMs: number;
}

/**
 * Turns security groups into per-VM rule sets on the hosts (the `SecurityGroupProvider`), by
 * rule 3 of the house: one transaction computes the VM's complete rule set from the store and
 * records it as the VM's next sequence number with the VM flagged `pending`; the host's driver
 * is called outside it with the `wait` timeout; a second transaction records the outcome —
 * `pending` cleared when the host took the newest set, or kept with the error and an ERROR
 * event when it did not.
 *
 * As CloudStack 4.1 queues security group work and retries it rather than failing the API call
 * that changed the rules, a failed apply never raises: the rule change stands, the VM stays
 * `pending`, and its host gets the then-current set at the VM's next apply (the next change that
 * reaches it, its next start) or at {@link retryPending}. Only `Running` VMs are sent sets; a
 * stopped VM gets its current set when it starts. Applies for one VM run one at a time in this
 * process, and sequence numbers let a host discard a set older than the one it enforces when
 * servers race.
 */
@injectable()
export class SecurityGroupEnforcer {
  private readonly locks = new Map<string, AsyncMutex>();

  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(TOKENS.Hypervisors) private readonly hypervisors: ReadonlyMap<string, HypervisorDriver>,
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /**
   * Call after a VM started, stopped or moved host (and after it was expunged): sends the VM's
   * own rule set when it runs, and a new set to every running VM whose rules name one of the
   * VM's groups, since the VM's address joined or left those groups' address lists.
   */
  async applyForVm(vmId: string): Promise<SecurityGroupApplyOutcome> {
    const targets = await this.store.transaction(async (tx) => {
      const peers = await vmsReferencingSecurityGroups(tx, await securityGroupIdsOfVm(tx, vmId));
      return [vmId, ...peers.filter((id) => id !== vmId)];
    });
    return this.applyForVms(targets);
  }

  /**
   * Call after the rules of `groupIds` changed: every running member gets its new set. With
   * `membersChanged` (VMs joined or left the groups) the running VMs whose rules name the groups
   * get new sets too.
   */
  async applyForGroups(groupIds: readonly string[], membersChanged = false): Promise<SecurityGroupApplyOutcome> {
    const targets = await this.store.transaction(async (tx) => {
      const members = await securityGroupMembersOf(tx, groupIds);
      const peers = membersChanged ? await vmsReferencingSecurityGroups(tx, groupIds) : [];
      return [...new Set([...members, ...peers])];
    });
    return this.applyForVms(targets);
  }

  /** Sends the current rule set of every running VM still flagged `pending` (a retry sweep). */
  async retryPending(): Promise<SecurityGroupApplyOutcome> {
    const vmIds = await this.store.transaction(async (tx) => (await tx.repo('securityGroupVmSyncs').find({ where: { pending: true } })).items.map((s) => s.vmId));
    return this.applyForVms(vmIds);
  }

  /** Sends each VM that runs and belongs to a group its current rule set; others are skipped. */
  async applyForVms(vmIds: readonly string[]): Promise<SecurityGroupApplyOutcome> {
    const results = await Promise.all([...new Set(vmIds)].map(async (vmId) => ({ vmId, result: await this.serialised(vmId, () => this.applyOne(vmId)) })));
    return {
      applied: results.filter((r) => r.result === 'applied').map((r) => r.vmId),
      pending: results.filter((r) => r.result === 'pending').map((r) => r.vmId),
    };
  }

  /** The sync state of a VM (last sequence computed and applied, pending flag), if it ever had one. */
  async syncStateOf(vmId: string): Promise<SecurityGroupVmSync | undefined> {
    return this.store.transaction((tx) => tx.repo('securityGroupVmSyncs').findOne({ vmId }));
  }

  /** Forgets a VM's sync state (the VM is being expunged), in the expunging transaction. */
  async forget(tx: Transaction, vmId: string): Promise<void> {
    const sync = await tx.repo('securityGroupVmSyncs').findOne({ vmId });
    if (sync !== undefined) await tx.repo('securityGroupVmSyncs').delete(sync.id);
  }

  private async applyOne(vmId: string): Promise<'applied' | 'pending' | 'skipped'> {
    const prepared = await this.store.transaction((tx) => this.prepare(tx, vmId));
    if (prepared === 'skipped') return prepared;
    if ('unsupported' in prepared) {
      this.logFailure(vmId, prepared.seq, prepared.unsupported);
      return 'pending';
    }
    const { vm, driver, request, timeoutMs } = prepared;
    try {
      await callDriver({ operation: `apply the security group rules of VM ${vm.instanceName} on ${request.host.url}`, timeoutMs, param: 'id' }, () => driver.applySecurityGroupRules!(request));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.store.transaction((tx) => this.recordFailure(tx, vm, request.rules.seq, reason));
      this.logFailure(vmId, request.rules.seq, reason);
      return 'pending';
    }
    await this.store.transaction(async (tx) => {
      const sync = await tx.repo('securityGroupVmSyncs').findOne({ vmId });
      if (sync === undefined) return;
      const newest = sync.seq === request.rules.seq;
      const { lastError: _lastError, ...rest } = sync;
      await tx.repo('securityGroupVmSyncs').update({
        ...(newest ? rest : sync),
        appliedSeq: Math.max(sync.appliedSeq ?? 0, request.rules.seq),
        pending: newest ? false : sync.pending,
        updatedAt: isoNow(this.clock),
      });
    });
    return 'applied';
  }

  /**
   * The intent: for a running VM with groups, the next sequence number, the VM flagged
   * `pending`, its rule set and the driver call. A host whose driver cannot apply rule sets is
   * recorded as a failure here (nothing to call).
   */
  private async prepare(tx: Transaction, vmId: string): Promise<PreparedApply | 'skipped' | { readonly unsupported: string; readonly seq: number }> {
    const vm = await tx.repo('vms').get(vmId);
    if (vm === undefined || vm.state !== 'Running' || vm.hostId === undefined) return 'skipped';
    if ((await tx.repo('securityGroupMembers').count({ vmId })) === 0) return 'skipped';
    const seq = await this.nextSeq(tx, vmId);
    const host = await tx.repo('hosts').get(vm.hostId);
    const driver = host === undefined ? undefined : this.hypervisors.get(host.hypervisorType);
    if (host === undefined || driver === undefined || !driver.capabilities.has(SECURITY_GROUP_APPLY) || driver.applySecurityGroupRules === undefined) {
      const reason = `the ${host?.hypervisorType ?? 'unknown'} driver of host ${host?.name ?? vm.hostId} cannot apply security group rules (${SECURITY_GROUP_APPLY})`;
      await this.recordFailure(tx, vm, seq, reason);
      return { unsupported: reason, seq };
    }
    const nic = await tx.repo('nics').findOne({ vmId, isDefault: true });
    const rules = await buildSecurityGroupRuleSet(tx, vmId, seq);
    return {
      vm,
      driver,
      request: {
        host: addressOf(host),
        vmName: vm.instanceName,
        ...(nic?.ipAddress === undefined ? {} : { vmIp: nic.ipAddress }),
        ...(nic === undefined ? {} : { macAddress: nic.macAddress }),
        rules,
      },
      timeoutMs: (await this.config.number('wait', {}, tx)) * 1000,
    };
  }

  /** Claims the VM's next sequence number and flags it pending (creating its sync row, race-safe). */
  private async nextSeq(tx: Transaction, vmId: string): Promise<number> {
    const repo = tx.repo('securityGroupVmSyncs');
    const now = isoNow(this.clock);
    let sync = await repo.findOne({ vmId });
    if (sync === undefined) {
      try {
        return (await repo.insert({ id: this.random.uuid(), vmId, seq: 1, pending: true, updatedAt: now })).seq;
      } catch (error) {
        // Another server created the row first; take the next number after its.
        if (!isCloudError(error, ErrorCode.PARAM_ERROR)) throw error;
        sync = await repo.findOne({ vmId });
        if (sync === undefined) throw error;
      }
    }
    return (await repo.update({ ...sync, seq: sync.seq + 1, pending: true, updatedAt: now })).seq;
  }

  /** Records a failed apply: the VM stays pending with the error (when no newer set superseded it), and an ERROR event. */
  private async recordFailure(tx: Transaction, vm: VirtualMachine, seq: number, reason: string): Promise<void> {
    const sync = await tx.repo('securityGroupVmSyncs').findOne({ vmId: vm.id });
    if (sync !== undefined && sync.seq === seq) {
      await tx.repo('securityGroupVmSyncs').update({ ...sync, pending: true, lastError: reason, updatedAt: isoNow(this.clock) });
    }
    await this.events.record(tx, SYSTEM, {
      type: 'SG.APPLY',
      level: 'ERROR',
      description: `Failed to apply the security group rules of VM ${vm.name}; they are applied again at its next change or retry: ${reason}`,
      resourceType: 'VirtualMachine',
      resourceId: vm.id,
      accountId: vm.accountId,
      domainId: vm.domainId,
    });
  }

  private logFailure(vmId: string, seq: number, reason: string): void {
    this.logger.error('security group rules not applied; the VM stays pending', { vmId, seq, reason });
  }

  private serialised<T>(vmId: string, fn: () => Promise<T>): Promise<T> {
    let lock = this.locks.get(vmId);
    if (lock === undefined) {
      lock = new AsyncMutex();
      this.locks.set(vmId, lock);
    }
    const held = lock;
    return held.run(fn).finally(() => {
      if (held.pending === 0 && this.locks.get(vmId) === held) this.locks.delete(vmId);
    });
  }
}
