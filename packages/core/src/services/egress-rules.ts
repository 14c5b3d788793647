import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Filter, Page, Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notFound } from '../errors.js';
import type { Network } from '../model/network.js';
import type { NetworkRule } from '../model/network-rule.js';
import { providerOf } from '../model/network-offering.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { CreateEgressRuleInput, FirewallRuleIdInput, ListEgressRulesInput, ruleTrafficOf } from './firewall-inputs.js';
import { assertNoFirewallConflict } from './firewall-rule-conflicts.js';
import { firewallRuleViews, insertFirewallRule, stageRuleRemoval, type FirewallRuleView } from './firewall-rule-rows.js';
import { describeTraffic } from './firewall-rules.js';
import { NetworkAccess } from './network-access.js';
import { NetworkRuleSync } from './network-rule-sync.js';
import { pageWindow } from './paging.js';
import { validate } from './validate.js';
import { Visibility } from './visibility.js';

/**
 * Egress firewall rules of isolated guest networks (install guide 13.14.1): guests' outgoing
 * traffic is blocked by default; each rule allows a protocol (TCP, UDP, ICMP or all), a port
 * range or ICMP type and code, to a list of destination CIDRs (any by default). Removing the
 * last rule brings back the default block. Supported only where the virtual router provides
 * the network's Firewall; applied through the network rule engine like every rule.
 */
@injectable()
export class EgressRuleService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(NetworkAccess) private readonly networks: NetworkAccess,
    @inject(NetworkRuleSync) private readonly ruleSync: NetworkRuleSync,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /**
   * Allows traffic out of a network (`createEgressFirewallRule`). 431 for bad fields (naming
   * them) and for a network that is not isolated or whose Firewall is not the virtual router's;
   * 537 when the same rule exists; 534 when the router refuses it (the rule is then gone).
   */
  async create(caller: CallContext, input: CreateEgressRuleInput): Promise<FirewallRuleView> {
    const spec = validate(CreateEgressRuleInput, input);
    const traffic = ruleTrafficOf(spec);
    await this.store.transaction((tx) => this.egressNetwork(tx, caller, spec.networkId));
    const created = await this.ruleSync.change(spec.networkId, async (tx) => {
      const network = await this.egressNetwork(tx, caller, spec.networkId);
      const existing = (await tx.repo('networkRules').find({ where: { networkId: network.id, purpose: 'Firewall', trafficType: 'Egress' } })).items;
      assertNoFirewallConflict(existing, traffic, `network ${network.name}`);
      const rule = await insertFirewallRule(tx, { id: this.random.uuid(), trafficType: 'Egress', networkId: network.id, accountId: network.accountId as string, domainId: network.domainId, createdAt: isoNow(this.clock) }, traffic);
      return {
        value: rule,
        addedRuleIds: [rule.id],
        commit: async (outcome: Transaction) => {
          await this.events.record(outcome, caller, { accountId: rule.accountId, domainId: rule.domainId, type: 'FIREWALL.OPEN', resourceType: 'FirewallRule', resourceId: rule.id, description: `Allowed egress ${describeTraffic(rule)} from network ${network.name} to ${rule.cidrs.join(',')}` });
        },
      };
    });
    return this.view(caller, created.id);
  }

  /** Deletes an egress rule (`deleteEgressFirewallRule`); 534 when the router refuses (it stays `Active`). */
  async delete(caller: CallContext, input: FirewallRuleIdInput): Promise<void> {
    const { id } = validate(FirewallRuleIdInput, input);
    const networkId = await this.store.transaction(async (tx) => (await this.visible(tx, caller, id)).networkId);
    await this.ruleSync.change(networkId, async (tx, network) => {
      const rule = await this.visible(tx, caller, id);
      const revoked = await stageRuleRemoval(tx, rule);
      return {
        value: undefined,
        revokedRuleIds: revoked,
        commit: async (outcome: Transaction) => {
          await this.events.record(outcome, caller, { accountId: rule.accountId, domainId: rule.domainId, type: 'FIREWALL.CLOSE', resourceType: 'FirewallRule', resourceId: rule.id, description: `Removed egress ${describeTraffic(rule)} of network ${network.name}` });
        },
      };
    });
  }

  /** The egress rules `caller` may see (`listEgressFirewallRules`). */
  async list(caller: CallContext, input: ListEgressRulesInput = {}): Promise<Page<FirewallRuleView>> {
    const query = validate(ListEgressRulesInput, input);
    return this.store.transaction(async (tx) => {
      if (query.networkId !== undefined) await this.networks.visible(tx, caller, query.networkId, 'networkid');
      const scope = await this.visibility.scope(tx, caller, query);
      const where: Filter<NetworkRule> = {
        ...this.visibility.ownerFilter(scope),
        purpose: 'Firewall',
        trafficType: 'Egress',
        ...(query.id === undefined ? {} : { id: query.id }),
        ...(query.networkId === undefined ? {} : { networkId: query.networkId }),
      };
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      const page = await tx.repo('networkRules').find({ where, orderBy: [{ field: 'createdAt' }, { field: 'id' }], ...window });
      return { items: await firewallRuleViews(tx, page.items), total: page.total };
    });
  }

  /** A network `caller` may see that takes egress rules: isolated, not being deleted, Firewall by the virtual router. */
  private async egressNetwork(tx: Transaction, caller: CallContext, id: string): Promise<Network> {
    const network = await this.networks.visible(tx, caller, id, 'networkid');
    if (network.guestType !== 'Isolated' || network.accountId === undefined) throw invalidParameter('networkid', `network ${network.name} is ${network.guestType}; egress rules are for isolated networks`);
    if (network.vpcId !== undefined) throw invalidParameter('networkid', `network ${network.name} is a VPC tier; its egress is controlled by network ACLs`);
    if (network.state === 'Destroy') throw invalidParameter('networkid', `network ${network.name} is being deleted`);
    const offering = await tx.repo('networkOfferings').get(network.networkOfferingId);
    if (offering === undefined) throw notFound('network offering', 'networkofferingid', network.networkOfferingId);
    const provider = providerOf(offering, 'Firewall');
    if (provider === undefined) throw invalidParameter('networkid', `the offering of network ${network.name} does not provide Firewall`);
    if (provider !== 'VirtualRouter') throw invalidParameter('networkid', `the Firewall of network ${network.name} is provided by ${provider}; egress rules are supported only on virtual routers`);
    return network;
  }

  /** An egress rule `caller` may see; 431 naming `id` otherwise. */
  private async visible(tx: Transaction, caller: CallContext, id: string): Promise<NetworkRule> {
    const rule = await tx.repo('networkRules').get(id);
    if (rule === undefined || rule.purpose !== 'Firewall' || rule.trafficType !== 'Egress') throw notFound('egress firewall rule', 'id', id);
    await this.visibility.assertCanAccess(tx, caller, rule, 'egress firewall rule', 'id', id);
    return rule;
  }

  private view(caller: CallContext, id: string): Promise<FirewallRuleView> {
    return this.store.transaction(async (tx) => (await firewallRuleViews(tx, [await this.visible(tx, caller, id)]))[0] as FirewallRuleView);
  }
}
