import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Page, Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notFound } from '../errors.js';
import type { LbStickinessPolicy, NetworkRule } from '../model/network-rule.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { LbRuleAccess } from './lb-rule-access.js';
import { CreateLbStickinessPolicyInput, LbStickinessPolicyIdInput, ListLbStickinessPoliciesInput } from './lb-stickiness-inputs.js';
import { stickinessMethodNamed, stickinessParams } from './lb-stickiness-params.js';
import { NetworkRuleSync } from './network-rule-sync.js';
import { pageWindow } from './paging.js';
import { validate } from './validate.js';
import { Visibility } from './visibility.js';

/**
 * Stickiness policies of load-balancing rules (install guide 13.9.2): a name, a method the
 * network's offering supports — load-balancer cookie, application cookie or source based — and
 * that method's parameters, checked as the virtual router's HAProxy declares them. One policy
 * per rule. Applied (and removed) through the network rule engine with the rule set.
 */
@injectable()
export class LbStickinessService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(LbRuleAccess) private readonly rules: LbRuleAccess,
    @inject(NetworkRuleSync) private readonly ruleSync: NetworkRuleSync,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Sets a rule's stickiness policy (`createLBStickinessPolicy`) and applies it. */
  async create(caller: CallContext, input: CreateLbStickinessPolicyInput): Promise<LbStickinessPolicy> {
    const spec = validate(CreateLbStickinessPolicyInput, input);
    const method = stickinessMethodNamed(spec.methodName);
    const params = stickinessParams(method, spec.params);
    const networkId = await this.store.transaction(async (tx) => (await this.rules.visible(tx, caller, spec.lbRuleId, 'lbruleid')).networkId);
    const policyId = await this.ruleSync.change(networkId, async (tx) => {
      const rule = await this.rules.visible(tx, caller, spec.lbRuleId, 'lbruleid');
      const offering = await this.rules.offeringOf(tx, rule);
      if (!offering.stickinessMethods.includes(method)) {
        throw invalidParameter('methodname', `stickiness method ${method} is not supported by the load balancer of rule ${rule.name ?? rule.id}; it supports ${offering.stickinessMethods.join(', ') || 'none'}`);
      }
      const existing = await tx.repo('lbStickinessPolicies').findOne({ ruleId: rule.id });
      if (existing !== undefined) throw invalidParameter('lbruleid', `load balancer rule ${rule.name ?? rule.id} already has stickiness policy ${existing.name}; a rule has one policy — delete it first`);
      const policy = await tx.repo('lbStickinessPolicies').insert({
        id: this.random.uuid(),
        ruleId: rule.id,
        accountId: rule.accountId,
        name: spec.name,
        ...(spec.description === undefined ? {} : { description: spec.description }),
        method,
        params,
        state: 'Add',
        createdAt: isoNow(this.clock),
      });
      return {
        value: policy.id,
        addedPolicyIds: [policy.id],
        commit: (done) => this.record(done, caller, rule, 'LB.STICKINESSPOLICY.CREATE', policy.id, `Created ${method} stickiness policy ${policy.name} on load balancer rule ${rule.name ?? rule.id}`),
      };
    });
    return this.store.transaction(async (tx) => (await this.policy(tx, caller, policyId)).policy);
  }

  /** Removes a stickiness policy (`deleteLBStickinessPolicy`) and applies the rule without it. */
  async delete(caller: CallContext, input: LbStickinessPolicyIdInput): Promise<void> {
    const { id } = validate(LbStickinessPolicyIdInput, input);
    const networkId = await this.store.transaction(async (tx) => (await this.policy(tx, caller, id)).rule.networkId);
    await this.ruleSync.change(networkId, async (tx) => {
      const { policy, rule } = await this.policy(tx, caller, id);
      // A Staged policy never reached a provider: it goes at once.
      if (policy.state === 'Staged') await tx.repo('lbStickinessPolicies').delete(policy.id);
      else await tx.repo('lbStickinessPolicies').update({ ...policy, state: 'Revoke' });
      return {
        value: undefined,
        revokedPolicyIds: policy.state === 'Staged' ? [] : [policy.id],
        commit: (done) => this.record(done, caller, rule, 'LB.STICKINESSPOLICY.DELETE', policy.id, `Deleted stickiness policy ${policy.name} of load balancer rule ${rule.name ?? rule.id}`),
      };
    });
  }

  /** The stickiness policy of a rule `caller` may see (`listLBStickinessPolicies`): none or one. */
  async list(caller: CallContext, input: ListLbStickinessPoliciesInput): Promise<Page<LbStickinessPolicy>> {
    const query = validate(ListLbStickinessPoliciesInput, input);
    return this.store.transaction(async (tx) => {
      const rule = await this.rules.visible(tx, caller, query.lbRuleId, 'lbruleid');
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      const policies = (await tx.repo('lbStickinessPolicies').find({ where: { ruleId: rule.id } })).items.filter((p) => p.state !== 'Revoke');
      return { items: policies.slice(window.offset, window.limit === undefined ? undefined : window.offset + window.limit), total: policies.length };
    });
  }

  /** A policy `caller` may see (through its rule's owner), with its rule; 431 naming `param` otherwise. */
  private async policy(tx: Transaction, caller: CallContext, id: string, param = 'id'): Promise<{ policy: LbStickinessPolicy; rule: NetworkRule }> {
    const policy = await tx.repo('lbStickinessPolicies').get(id);
    const rule = policy === undefined || policy.state === 'Revoke' ? undefined : await tx.repo('networkRules').get(policy.ruleId);
    if (policy === undefined || rule === undefined) throw notFound('stickiness policy', param, id);
    await this.visibility.assertCanAccess(tx, caller, rule, 'stickiness policy', param, id);
    return { policy, rule };
  }

  private async record(tx: Transaction, caller: CallContext, rule: NetworkRule, type: string, policyId: string, description: string): Promise<void> {
    await this.events.record(tx, caller, { type, resourceType: 'LBStickinessPolicy', resourceId: policyId, accountId: rule.accountId, domainId: rule.domainId, description });
  }
}
