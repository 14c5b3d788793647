import { inject, injectable } from 'tsyringe';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { GuestNetworkTO, NetworkElement, NetworkRuleSet } from '../contracts/network-element.js';
import type { Store, Transaction } from '../contracts/store.js';
import { ConfigReader } from '../config/config-reader.js';
import { notFound, resourceUnavailable } from '../errors.js';
import type { Network } from '../model/network.js';
import { AsyncMutex } from '../runtime/async-mutex.js';
import { TOKENS } from '../tokens.js';
import { callDriver } from './driver-call.js';
import { NetworkRuleSetBuilder } from './network-rule-set.js';
import { externalElementsOf } from './network-providers.js';
import { VirtualRouters, type PreparedRouterCall } from './virtual-routers.js';

/**
 * What one change to a network's rules staged in its transaction: rules and stickiness policies
 * it added (state `Add`) or is revoking (state `Revoke`), and what to do once the providers took
 * the new rule set (`commit`) or refused it (`undo`), each in the outcome transaction.
 */
export interface StagedRuleChange<T> {
  /** What the change returns. */
  readonly value: T;
  /** Rules added by this change, in state `Add`. */
  readonly addedRuleIds?: readonly string[];
  /** Rules this change revokes, in state `Revoke`. */
  readonly revokedRuleIds?: readonly string[];
  /** Stickiness policies added by this change, in state `Add`. */
  readonly addedPolicyIds?: readonly string[];
  /** Stickiness policies this change revokes, in state `Revoke`. */
  readonly revokedPolicyIds?: readonly string[];
  /** Work once the providers enforce the new set (or at once when the network is not implemented). */
  readonly commit?: (tx: Transaction) => Promise<void>;
  /** Puts back what the change altered besides rule states, when a provider refused the new set. */
  readonly undo?: (tx: Transaction) => Promise<void>;
}

/** Rules and policies recorded while a network was down, going into an apply. */
interface Resumed {
  readonly rules: readonly string[];
  readonly policies: readonly string[];
}

const NOTHING_RESUMED: Resumed = { rules: [], policies: [] };

/** The targets of one apply: the network, its rule set, the router call and the external elements. */
interface PreparedApply {
  readonly network: GuestNetworkTO;
  readonly rules: NetworkRuleSet;
  /** The routers to configure, each with its own rule set (a basic zone's pod router serves its pod's guests). */
  readonly routers: readonly { readonly call: PreparedRouterCall; readonly rules: NetworkRuleSet }[];
  readonly elements: readonly NetworkElement[];
  readonly timeoutMs: number;
}

/**
 * Applies rule changes to a guest network's providers by rule 3 and the rule states of
 * CloudStack: the change is staged in one transaction (new rules `Add`, removed ones `Revoke`);
 * the complete desired rule set is handed to the virtual router (through the hypervisor's
 * `RouterConfigurator`) and to every external element of the network's offering, outside any
 * transaction; then one transaction records the outcome — on success `Add` → `Active` and
 * `Revoke` rows go, on failure the added rules go and revoked ones are `Active` again, so the
 * store matches the providers' effective configuration, which a refused set leaves unchanged.
 * A network that is not implemented has no provider to tell: its new rules wait as `Staged` and
 * are applied when it is implemented. Changes to one network run one at a time.
 */
@injectable()
export class NetworkRuleSync {
  private readonly locks = new Map<string, AsyncMutex>();

  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.NetworkElements) private readonly elements: ReadonlyMap<string, NetworkElement>,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(NetworkRuleSetBuilder) private readonly builder: NetworkRuleSetBuilder,
    @inject(VirtualRouters) private readonly routers: VirtualRouters,
  ) {}

  /** Runs `fn` while holding the network's lock (changes and implementation of one network never interleave). */
  serialised<T>(networkId: string, fn: () => Promise<T>): Promise<T> {
    let lock = this.locks.get(networkId);
    if (lock === undefined) {
      lock = new AsyncMutex();
      this.locks.set(networkId, lock);
    }
    const held = lock;
    return held.run(fn).finally(() => {
      if (held.pending === 0 && this.locks.get(networkId) === held) this.locks.delete(networkId);
    });
  }

  /**
   * Stages a change with `stage` (in a transaction, given the network), applies the resulting
   * rule set, and records the outcome. Rejects with the provider's error after rolling back.
   */
  async change<T>(networkId: string, stage: (tx: Transaction, network: Network) => Promise<StagedRuleChange<T>>): Promise<T> {
    return this.serialised(networkId, async () => {
      const staged = await this.store.transaction(async (tx) => {
        const network = await tx.repo('networks').get(networkId);
        if (network === undefined) throw notFound('network', 'networkid', networkId);
        const change = await stage(tx, network);
        if (network.state !== 'Implemented') {
          await this.settleUnimplemented(tx, change);
          return { change, prepared: undefined };
        }
        // Rules and policies recorded while the network was down go into this apply: promoted before the set is built.
        const resumed = await this.promoteStaged(tx, network.id);
        return { change, prepared: await this.prepare(tx, network), resumed };
      });
      if (staged.prepared === undefined) return staged.change.value;
      try {
        await this.apply(staged.prepared);
      } catch (error) {
        await this.store.transaction(async (tx) => {
          await this.rollback(tx, staged.change, staged.resumed ?? NOTHING_RESUMED);
          await staged.change.undo?.(tx);
        });
        throw error;
      }
      await this.store.transaction(async (tx) => {
        await this.settle(tx, staged.change, staged.resumed ?? NOTHING_RESUMED);
        await staged.change.commit?.(tx);
        await this.bumpRouter(tx, networkId);
      });
      return staged.change.value;
    });
  }

  /**
   * Hands an implemented network's current rule set to its providers (after implementation, a
   * router restart, or a VM joining or leaving): `Staged` rules are applied too. Rejects with
   * the provider's error (the staged rules then wait again).
   */
  async sync(networkId: string): Promise<void> {
    await this.change(networkId, async () => ({ value: undefined }));
  }

  /** The rule set and targets of an implemented network, in `tx`. */
  async prepare(tx: Transaction, network: Network): Promise<PreparedApply> {
    const offering = await tx.repo('networkOfferings').get(network.networkOfferingId);
    if (offering === undefined) throw notFound('network offering', 'networkofferingid', network.networkOfferingId);
    const providers = new Set(offering.services.map((s) => s.provider));
    const routers: { call: PreparedRouterCall; rules: NetworkRuleSet }[] = [];
    if (providers.has('VirtualRouter') && network.podAddressing === true) {
      // A basic zone's network: every running pod router gets its pod's part.
      for (const row of await this.routers.allOf(tx, network.id)) {
        if (row.state !== 'Running') continue;
        const call = await this.routers.prepareOnHost(tx, row, 'router.configure');
        if (call !== undefined) routers.push({ call, rules: await this.builder.build(tx, network, row) });
      }
    } else if (providers.has('VirtualRouter')) {
      const row = await this.routers.of(tx, network.id);
      if (row === undefined || row.state !== 'Running') {
        throw resourceUnavailable(`the virtual router of network ${network.name} is not running (${row?.state ?? 'none'}); restart the network`, { param: 'networkid' });
      }
      const call = await this.routers.prepareOnHost(tx, row, 'router.configure');
      if (call === undefined) throw resourceUnavailable(`the virtual router of network ${network.name} has no host`, { param: 'networkid' });
      routers.push({ call, rules: await this.builder.build(tx, network) });
    }
    const elements = externalElementsOf(offering, this.elements);
    const timeoutMs = (await this.config.number('wait', {}, tx)) * 1000;
    return { network: await this.builder.networkTO(tx, network), rules: await this.builder.build(tx, network), routers, elements, timeoutMs };
  }

  /** Hands the prepared rule set to the router and every external element (outside any transaction). */
  async apply(prepared: PreparedApply): Promise<void> {
    for (const router of prepared.routers) await this.routers.configure(router.call, router.rules);
    // Remote-access VPN is the virtual router's alone: its pre-shared key and users' passwords never go to external devices.
    const { vpn: _vpn, ...external } = prepared.rules;
    for (const element of prepared.elements) {
      await callDriver({ operation: `apply the rules of network ${prepared.network.name} on ${element.provider}`, timeoutMs: prepared.timeoutMs, param: 'networkid' }, () => element.applyRules(prepared.network, external));
    }
  }

  /** `Staged` rules and policies of the network become `Add` (they go into this apply); returns their ids. */
  private async promoteStaged(tx: Transaction, networkId: string): Promise<Resumed> {
    const rules: string[] = [];
    const policies: string[] = [];
    for (const rule of (await tx.repo('networkRules').find({ where: { networkId } })).items) {
      if (rule.state === 'Staged') {
        await tx.repo('networkRules').update({ ...rule, state: 'Add' });
        rules.push(rule.id);
      }
      // A policy added to an active rule while the network was down waits Staged too.
      const policy = await tx.repo('lbStickinessPolicies').findOne({ ruleId: rule.id, state: 'Staged' });
      if (policy !== undefined) {
        await tx.repo('lbStickinessPolicies').update({ ...policy, state: 'Add' });
        policies.push(policy.id);
      }
    }
    return { rules, policies };
  }

  /** Without a provider to tell: added rules wait `Staged`, revoked ones go, the change commits. */
  private async settleUnimplemented(tx: Transaction, change: StagedRuleChange<unknown>): Promise<void> {
    for (const id of change.addedRuleIds ?? []) await this.setRuleState(tx, id, 'Staged');
    for (const id of change.addedPolicyIds ?? []) await this.setPolicyState(tx, id, 'Staged');
    for (const id of change.revokedRuleIds ?? []) await this.deleteRule(tx, id);
    for (const id of change.revokedPolicyIds ?? []) await tx.repo('lbStickinessPolicies').delete(id);
    await change.commit?.(tx);
  }

  private async settle(tx: Transaction, change: StagedRuleChange<unknown>, resumed: Resumed): Promise<void> {
    for (const id of [...(change.addedRuleIds ?? []), ...resumed.rules]) await this.setRuleState(tx, id, 'Active');
    for (const id of [...(change.addedPolicyIds ?? []), ...resumed.policies]) await this.setPolicyState(tx, id, 'Active');
    for (const id of change.revokedRuleIds ?? []) await this.deleteRule(tx, id);
    for (const id of change.revokedPolicyIds ?? []) await tx.repo('lbStickinessPolicies').delete(id);
  }

  private async rollback(tx: Transaction, change: StagedRuleChange<unknown>, resumed: Resumed): Promise<void> {
    for (const id of change.addedRuleIds ?? []) await this.deleteRule(tx, id);
    for (const id of change.addedPolicyIds ?? []) await tx.repo('lbStickinessPolicies').delete(id);
    for (const id of resumed.rules) await this.setRuleState(tx, id, 'Staged');
    for (const id of resumed.policies) await this.setPolicyState(tx, id, 'Staged');
    for (const id of change.revokedRuleIds ?? []) await this.setRuleState(tx, id, 'Active');
    for (const id of change.revokedPolicyIds ?? []) await this.setPolicyState(tx, id, 'Active');
  }

  private async setRuleState(tx: Transaction, id: string, state: 'Staged' | 'Active'): Promise<void> {
    const rule = await tx.repo('networkRules').get(id);
    if (rule !== undefined && rule.state !== state) await tx.repo('networkRules').update({ ...rule, state });
  }

  private async setPolicyState(tx: Transaction, id: string, state: 'Staged' | 'Active'): Promise<void> {
    const policy = await tx.repo('lbStickinessPolicies').get(id);
    if (policy !== undefined && policy.state !== state) await tx.repo('lbStickinessPolicies').update({ ...policy, state });
  }

  /** Deletes a rule and its stickiness policy. */
  private async deleteRule(tx: Transaction, id: string): Promise<void> {
    const policy = await tx.repo('lbStickinessPolicies').findOne({ ruleId: id });
    if (policy !== undefined) await tx.repo('lbStickinessPolicies').delete(policy.id);
    if ((await tx.repo('networkRules').get(id)) !== undefined) await tx.repo('networkRules').delete(id);
  }

  private async bumpRouter(tx: Transaction, networkId: string): Promise<void> {
    for (const router of await this.routers.allOf(tx, networkId)) {
      if (router.state === 'Running') await tx.repo('routers').update({ ...router, configGeneration: router.configGeneration + 1, updatedAt: isoNow(this.clock) });
    }
  }
}
