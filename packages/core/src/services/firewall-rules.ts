import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Filter, Page, Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notFound } from '../errors.js';
import type { NetworkRule } from '../model/network-rule.js';
import { providerOf } from '../model/network-offering.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { CreateFirewallRuleInput, FirewallRuleIdInput, ListFirewallRulesInput, ruleTrafficOf } from './firewall-inputs.js';
import { assertNoFirewallConflict } from './firewall-rule-conflicts.js';
import { firewallRuleViews, insertFirewallRule, stageRuleRemoval, type FirewallRuleView } from './firewall-rule-rows.js';
import { rulesOnIp } from './ip-rule-conflicts.js';
import { NetworkAccess } from './network-access.js';
import { NetworkRuleSync } from './network-rule-sync.js';
import { pageWindow } from './paging.js';
import { PublicIpAccess } from './public-ip-access.js';
import { validate } from './validate.js';
import { Visibility } from './visibility.js';

/**
 * Ingress firewall rules on public IPs (install guide 13.14.2): all traffic to a public IP is
 * dropped unless a rule opens it — a protocol (TCP, UDP, ICMP or all), a port range or ICMP
 * type and code, from a list of source CIDRs (any by default). Only on networks whose offering
 * provides Firewall. Created and deleted through the network rule engine: a rule is `Active`
 * only once the providers enforce it, and a refused change leaves the rules as they were.
 */
@injectable()
export class FirewallRuleService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(NetworkAccess) private readonly networks: NetworkAccess,
    @inject(PublicIpAccess) private readonly access: PublicIpAccess,
    @inject(NetworkRuleSync) private readonly ruleSync: NetworkRuleSync,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /**
   * Opens traffic to a public IP (`createFirewallRule`). 431 for bad fields (naming them), an
   * address not usable for rules or whose network's offering has no Firewall; 537 when the
   * same rule (protocol, CIDRs, overlapping ports or ICMP type/code) exists; 534 when the
   * providers refuse it (the rule is then gone).
   */
  async create(caller: CallContext, input: CreateFirewallRuleInput): Promise<FirewallRuleView> {
    const spec = validate(CreateFirewallRuleInput, input);
    const traffic = ruleTrafficOf(spec);
    const networkId = await this.store.transaction(async (tx) => (await this.access.forRules(tx, caller, spec.ipAddressId)).network.id);
    const created = await this.ruleSync.change(networkId, async (tx) => {
      const { ip, network, offering } = await this.access.forRules(tx, caller, spec.ipAddressId);
      if (providerOf(offering, 'Firewall') === undefined) throw invalidParameter('ipaddressid', `the offering of network ${network.name} does not provide Firewall`);
      const existing = (await rulesOnIp(tx, ip.id, ['Firewall'])).filter((r) => r.trafficType === 'Ingress');
      assertNoFirewallConflict(existing, traffic, `public IP ${ip.address}`);
      const rule = await insertFirewallRule(tx, { id: this.random.uuid(), trafficType: 'Ingress', networkId: network.id, ipAddressId: ip.id, accountId: ip.accountId, domainId: ip.domainId, createdAt: isoNow(this.clock) }, traffic);
      return {
        value: rule,
        addedRuleIds: [rule.id],
        commit: async (outcome: Transaction) => {
          await this.events.record(outcome, caller, { accountId: ip.accountId, domainId: ip.domainId, type: 'FIREWALL.OPEN', resourceType: 'FirewallRule', resourceId: rule.id, description: `Opened ${describeTraffic(rule)} on ${ip.address} from ${rule.cidrs.join(',')}` });
        },
      };
    });
    return this.view(caller, created.id);
  }

  /** Deletes an ingress firewall rule (`deleteFirewallRule`); 534 when the providers refuse (it stays `Active`). */
  async delete(caller: CallContext, input: FirewallRuleIdInput): Promise<void> {
    const { id } = validate(FirewallRuleIdInput, input);
    const networkId = await this.store.transaction(async (tx) => (await this.visible(tx, caller, id)).networkId);
    await this.ruleSync.change(networkId, async (tx) => {
      const rule = await this.visible(tx, caller, id);
      const revoked = await stageRuleRemoval(tx, rule);
      const address = rule.ipAddressId === undefined ? undefined : (await tx.repo('publicIps').get(rule.ipAddressId))?.address;
      return {
        value: undefined,
        revokedRuleIds: revoked,
        commit: async (outcome: Transaction) => {
          await this.events.record(outcome, caller, { accountId: rule.accountId, domainId: rule.domainId, type: 'FIREWALL.CLOSE', resourceType: 'FirewallRule', resourceId: rule.id, description: `Closed ${describeTraffic(rule)} on ${address ?? rule.ipAddressId ?? ''}` });
        },
      };
    });
  }

  /** The ingress firewall rules `caller` may see (`listFirewallRules`). */
  async list(caller: CallContext, input: ListFirewallRulesInput = {}): Promise<Page<FirewallRuleView>> {
    const query = validate(ListFirewallRulesInput, input);
    return this.store.transaction(async (tx) => {
      if (query.ipAddressId !== undefined) await this.access.visible(tx, caller, query.ipAddressId, 'ipaddressid');
      if (query.networkId !== undefined) await this.networks.visible(tx, caller, query.networkId, 'networkid');
      const scope = await this.visibility.scope(tx, caller, query);
      const where: Filter<NetworkRule> = {
        ...this.visibility.ownerFilter(scope),
        purpose: 'Firewall',
        trafficType: 'Ingress',
        ...(query.id === undefined ? {} : { id: query.id }),
        ...(query.ipAddressId === undefined ? {} : { ipAddressId: query.ipAddressId }),
        ...(query.networkId === undefined ? {} : { networkId: query.networkId }),
      };
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      const page = await tx.repo('networkRules').find({ where, orderBy: [{ field: 'createdAt' }, { field: 'id' }], ...window });
      return { items: await firewallRuleViews(tx, page.items), total: page.total };
    });
  }

  /** An ingress firewall rule `caller` may see; 431 naming `id` otherwise. */
  private async visible(tx: Transaction, caller: CallContext, id: string): Promise<NetworkRule> {
    const rule = await tx.repo('networkRules').get(id);
    if (rule === undefined || rule.purpose !== 'Firewall' || rule.trafficType !== 'Ingress') throw notFound('firewall rule', 'id', id);
    await this.visibility.assertCanAccess(tx, caller, rule, 'firewall rule', 'id', id);
    return rule;
  }

  private view(caller: CallContext, id: string): Promise<FirewallRuleView> {
    return this.store.transaction(async (tx) => (await firewallRuleViews(tx, [await this.visible(tx, caller, id)]))[0] as FirewallRuleView);
  }
}

/** `tcp 22-22`, `icmp 8/0`, `all` — for event descriptions. */
export function describeTraffic(rule: Pick<NetworkRule, 'protocol' | 'startPort' | 'endPort' | 'icmpType' | 'icmpCode'>): string {
  if (rule.protocol === 'icmp') return `icmp ${rule.icmpType ?? -1}/${rule.icmpCode ?? -1}`;
  if (rule.protocol === 'all') return 'all traffic';
  return rule.startPort === undefined ? `${rule.protocol} all ports` : `${rule.protocol} ${rule.startPort}-${rule.endPort ?? rule.startPort}`;
}
