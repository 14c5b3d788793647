import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import { SYSTEM, type CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Page, Store, Transaction } from '../contracts/store.js';
import { invalidParameter, permissionDenied } from '../errors.js';
import { providerOf } from '../model/network-offering.js';
import type { NetworkRule } from '../model/network-rule.js';
import type { VirtualMachine } from '../model/vm.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { assertNoPortConflict, assertPurposeAllowed } from './ip-rule-conflicts.js';
import { LbRuleAccess } from './lb-rule-access.js';
import { loadBalancerViewOf, type LoadBalancerRuleView } from './lb-view.js';
import {
  CreateLoadBalancerRuleInput,
  ListLoadBalancerRuleInstancesInput,
  ListLoadBalancerRulesInput,
  LoadBalancerMembersInput,
  LoadBalancerRuleIdInput,
  UpdateLoadBalancerRuleInput,
} from './load-balancer-inputs.js';
import { NetworkRuleSync } from './network-rule-sync.js';
import { pageWindow } from './paging.js';
import { ANY_SOURCE, insertOpenedFirewallRule, stageRemovalWithOpening } from './port-forwarding-firewall.js';
import { PublicIpAccess } from './public-ip-access.js';
import { validate } from './validate.js';
import { VmAccess } from './vm-access.js';
import type { VmView } from './vm-view.js';
import { Visibility } from './visibility.js';

/** VM states that may be members (a destroyed VM is not assigned). */
const MEMBER_VM_STATES = new Set<VirtualMachine['state']>(['Stopped', 'Starting', 'Running', 'Stopping', 'Migrating']);

/** The port HAProxy on the virtual router serves its statistics on; no rule may balance it. */
export const HAPROXY_STATS_PORT = 8081;

/**
 * The fewest VMs a rule divides its load among once it does (install guide 13.9.1: "select two
 * or more VMs that will divide the load"). Members are assigned one call at a time in
 * CloudStack's API (and by clients such as Libcloud), so a rule passes through one member on its
 * way up; what is refused is a removal that leaves a balancing rule with a single member.
 */
export const MIN_BALANCED_MEMBERS = 2;

/** The fields `updateLoadBalancerRule` changes, kept to put back when the router refuses. */
type RuleText = Pick<NetworkRule, 'name' | 'description' | 'algorithm'>;

/**
 * Load-balancing rules (install guide 13.9 and 13.15): a public IP's port, balanced by an
 * algorithm the network's offering supports (round robin, least connections, source) over the
 * private port of member VMs — VMs of the IP's owner with a NIC on the IP's network. An address
 * with static NAT takes none; load balancing and port forwarding share an address only in
 * conserve mode; two rules never take the same public port (537). With `openFirewall` a
 * firewall rule for the port is added and removed with the rule. Every change — creation,
 * update, members, deletion — is applied through the network rule engine and rolled back when
 * the provider refuses it.
 */
@injectable()
export class LoadBalancerService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(PublicIpAccess) private readonly ips: PublicIpAccess,
    @inject(VmAccess) private readonly vms: VmAccess,
    @inject(LbRuleAccess) private readonly rules: LbRuleAccess,
    @inject(NetworkRuleSync) private readonly ruleSync: NetworkRuleSync,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Creates a load-balancing rule without members (`createLoadBalancerRule`) and applies it. */
  async create(caller: CallContext, input: CreateLoadBalancerRuleInput): Promise<LoadBalancerRuleView> {
    const spec = validate(CreateLoadBalancerRuleInput, input);
    const networkId = await this.store.transaction(async (tx) => (await this.ips.forRules(tx, caller, spec.publicIpId, 'publicipid')).network.id);
    const ruleId = await this.ruleSync.change(networkId, async (tx, network) => {
      const { ip, offering } = await this.ips.forRules(tx, caller, spec.publicIpId, 'publicipid');
      if (ip.networkId !== network.id) throw invalidParameter('publicipid', `public IP ${ip.address} is no longer associated with network ${network.name}`);
      if (spec.networkId !== undefined && spec.networkId !== network.id) throw invalidParameter('networkid', `public IP ${ip.address} is associated with network ${network.name}, not ${spec.networkId}`);
      const provider = providerOf(offering, 'Lb');
      if (provider === undefined) throw invalidParameter('publicipid', `network ${network.name} (offering ${offering.name}) does not provide Lb`);
      if (!offering.lbAlgorithms.includes(spec.algorithm)) {
        throw invalidParameter('algorithm', `${spec.algorithm} is not supported by network ${network.name}'s load balancer; it supports ${offering.lbAlgorithms.join(', ') || 'none'}`);
      }
      if (provider === 'VirtualRouter' && spec.publicPort === HAPROXY_STATS_PORT) {
        throw invalidParameter('publicport', `port ${HAPROXY_STATS_PORT} is where the virtual router's load balancer serves its statistics`);
      }
      await assertPurposeAllowed(tx, ip, offering, 'Lb', 'publicipid');
      await assertNoPortConflict(tx, ip, spec.protocol, spec.publicPort, spec.publicPort);
      const rule = await tx.repo('networkRules').insert({
        id: this.random.uuid(),
        purpose: 'Lb',
        trafficType: 'Ingress',
        networkId: network.id,
        ipAddressId: ip.id,
        accountId: ip.accountId,
        domainId: ip.domainId,
        protocol: spec.protocol,
        startPort: spec.publicPort,
        endPort: spec.publicPort,
        cidrs: spec.cidrList === undefined || spec.cidrList.length === 0 ? [ANY_SOURCE] : spec.cidrList,
        state: 'Add',
        privateStartPort: spec.privatePort,
        privateEndPort: spec.privatePort,
        name: spec.name,
        ...(spec.description === undefined ? {} : { description: spec.description }),
        algorithm: spec.algorithm,
        memberVmIds: [],
        createdAt: isoNow(this.clock),
      });
      const opened = spec.openFirewall && providerOf(offering, 'Firewall') !== undefined ? await insertOpenedFirewallRule(tx, rule) : undefined;
      return {
        value: rule.id,
        addedRuleIds: opened === undefined ? [rule.id] : [rule.id, opened.id],
        commit: (done) => this.record(done, caller, rule, 'LB.CREATE', `Created load balancer rule ${rule.name} (${spec.algorithm}) on ${ip.address}:${spec.publicPort} → port ${spec.privatePort}`),
      };
    });
    return this.get(caller, { id: ruleId });
  }

  /** Deletes a load-balancing rule (`deleteLoadBalancerRule`) with its members, stickiness policy and the firewall rule it opened. */
  async delete(caller: CallContext, input: LoadBalancerRuleIdInput): Promise<void> {
    const { id } = validate(LoadBalancerRuleIdInput, input);
    const networkId = await this.networkOf(caller, id);
    await this.ruleSync.change(networkId, async (tx) => {
      const rule = await this.rules.visible(tx, caller, id);
      const policy = await tx.repo('lbStickinessPolicies').findOne({ ruleId: rule.id });
      if (policy !== undefined && rule.state === 'Staged') await tx.repo('lbStickinessPolicies').delete(policy.id);
      return {
        value: undefined,
        revokedRuleIds: await stageRemovalWithOpening(tx, rule),
        commit: (done) => this.record(done, caller, rule, 'LB.DELETE', `Deleted load balancer rule ${rule.name ?? rule.id}`),
      };
    });
  }

  /** Changes a rule's name, description or algorithm (`updateLoadBalancerRule`) and applies it. */
  async update(caller: CallContext, input: UpdateLoadBalancerRuleInput): Promise<LoadBalancerRuleView> {
    const spec = validate(UpdateLoadBalancerRuleInput, input);
    const networkId = await this.networkOf(caller, spec.id);
    await this.ruleSync.change(networkId, async (tx) => {
      const rule = await this.rules.visible(tx, caller, spec.id);
      if (spec.algorithm !== undefined) {
        const offering = await this.rules.offeringOf(tx, rule);
        if (!offering.lbAlgorithms.includes(spec.algorithm)) throw invalidParameter('algorithm', `${spec.algorithm} is not supported by the rule's load balancer; it supports ${offering.lbAlgorithms.join(', ') || 'none'}`);
      }
      const before: RuleText = textOf(rule);
      const saved = await tx.repo('networkRules').update(
        withText(rule, {
          ...before,
          ...(spec.name === undefined ? {} : { name: spec.name }),
          ...(spec.description === undefined ? {} : { description: spec.description }),
          ...(spec.algorithm === undefined ? {} : { algorithm: spec.algorithm }),
        }),
      );
      return {
        value: undefined,
        undo: async (back) => {
          const current = await back.repo('networkRules').get(rule.id);
          if (current !== undefined) await back.repo('networkRules').update(withText(current, before));
        },
        commit: (done) => this.record(done, caller, saved, 'LB.UPDATE', `Updated load balancer rule ${saved.name ?? saved.id}`),
      };
    });
    return this.get(caller, { id: spec.id });
  }

  /**
   * Adds VMs to a rule (`assignToLoadBalancerRule`): each visible to `caller`, live, of the
   * rule's owner (531 otherwise, as CloudStack), with a NIC on the rule's network, and not a
   * member yet (431).
   */
  async assign(caller: CallContext, input: LoadBalancerMembersInput): Promise<LoadBalancerRuleView> {
    const spec = validate(LoadBalancerMembersInput, input);
    const wanted = [...new Set(spec.virtualMachineIds)];
    const networkId = await this.networkOf(caller, spec.id);
    await this.ruleSync.change(networkId, async (tx, network) => {
      const rule = await this.rules.visible(tx, caller, spec.id);
      const members = rule.memberVmIds ?? [];
      for (const vmId of wanted) {
        const vm = await this.vms.visible(tx, caller, vmId, 'virtualmachineids');
        if (!MEMBER_VM_STATES.has(vm.state)) throw invalidParameter('virtualmachineids', `VM ${vm.name} is ${vm.state}`);
        if (vm.accountId !== rule.accountId) throw permissionDenied(`VM ${vm.name} does not belong to the owner of load balancer rule ${rule.name ?? rule.id}; only the owner's VMs can be members`, 'virtualmachineids');
        if (members.includes(vm.id)) throw invalidParameter('virtualmachineids', `VM ${vm.name} is already assigned to load balancer rule ${rule.name ?? rule.id}`);
        const nic = (await tx.repo('nics').find({ where: { vmId: vm.id, networkId: network.id } })).items.find((n) => n.ipAddress !== undefined);
        if (nic === undefined) throw invalidParameter('virtualmachineids', `VM ${vm.name} has no NIC on network ${network.name} of load balancer rule ${rule.name ?? rule.id}`);
      }
      await tx.repo('networkRules').update({ ...rule, memberVmIds: [...members, ...wanted] });
      return {
        value: undefined,
        undo: (back) => this.restoreMembers(back, rule.id, members),
        commit: (done) => this.record(done, caller, rule, 'LB.ASSIGN.TO.RULE', `Assigned ${wanted.length} VM(s) to load balancer rule ${rule.name ?? rule.id}`),
      };
    });
    return this.get(caller, { id: spec.id });
  }

  /**
   * Removes VMs from a rule (`removeFromLoadBalancerRule`): each must be a member (431), and a
   * rule balancing among two or more VMs is not left with one (431, guide 13.9.1) — remove
   * them all or delete the rule.
   */
  async remove(caller: CallContext, input: LoadBalancerMembersInput): Promise<LoadBalancerRuleView> {
    const spec = validate(LoadBalancerMembersInput, input);
    const leaving = new Set(spec.virtualMachineIds);
    const networkId = await this.networkOf(caller, spec.id);
    await this.ruleSync.change(networkId, async (tx) => {
      const rule = await this.rules.visible(tx, caller, spec.id);
      const members = rule.memberVmIds ?? [];
      for (const vmId of leaving) {
        if (!members.includes(vmId)) throw invalidParameter('virtualmachineids', `VM ${vmId} is not assigned to load balancer rule ${rule.name ?? rule.id}`);
      }
      const remaining = members.filter((id) => !leaving.has(id));
      if (remaining.length > 0 && remaining.length < MIN_BALANCED_MEMBERS) {
        throw invalidParameter(
          'virtualmachineids',
          `removing ${leaving.size} VM(s) would leave load balancer rule ${rule.name ?? rule.id} with ${remaining.length} VM; a rule divides the load among ${MIN_BALANCED_MEMBERS} or more VMs — remove all of them or delete the rule`,
        );
      }
      await tx.repo('networkRules').update({ ...rule, memberVmIds: remaining });
      return {
        value: undefined,
        undo: (back) => this.restoreMembers(back, rule.id, members),
        commit: (done) => this.record(done, caller, rule, 'LB.REMOVE.FROM.RULE', `Removed ${leaving.size} VM(s) from load balancer rule ${rule.name ?? rule.id}`),
      };
    });
    return this.get(caller, { id: spec.id });
  }

  /** One load-balancing rule `caller` may see. */
  async get(caller: CallContext, input: LoadBalancerRuleIdInput): Promise<LoadBalancerRuleView> {
    const { id } = validate(LoadBalancerRuleIdInput, input);
    return this.store.transaction(async (tx) => loadBalancerViewOf(tx, await this.rules.visible(tx, caller, id)));
  }

  /** Lists the load-balancing rules `caller` may see (`listLoadBalancerRules`), oldest first. */
  async list(caller: CallContext, input: ListLoadBalancerRulesInput = {}): Promise<Page<LoadBalancerRuleView>> {
    const query = validate(ListLoadBalancerRulesInput, input);
    return this.store.transaction(async (tx) => {
      if (query.publicIpId !== undefined) await this.ips.visible(tx, caller, query.publicIpId, 'publicipid');
      if (query.virtualMachineId !== undefined) await this.vms.visible(tx, caller, query.virtualMachineId, 'virtualmachineid');
      const scope = await this.visibility.scope(tx, caller, query);
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      const rows = (
        await tx.repo('networkRules').find({
          where: {
            purpose: 'Lb',
            ...this.visibility.ownerFilter(scope),
            ...(query.id === undefined ? {} : { id: query.id }),
            ...(query.publicIpId === undefined ? {} : { ipAddressId: query.publicIpId }),
            ...(query.name === undefined ? {} : { name: query.name }),
          },
          orderBy: [{ field: 'createdAt' }, { field: 'id' }],
        })
      ).items;
      const keyword = query.keyword?.toLowerCase();
      const views: LoadBalancerRuleView[] = [];
      for (const rule of rows) {
        if (query.virtualMachineId !== undefined && !(rule.memberVmIds ?? []).includes(query.virtualMachineId)) continue;
        if (keyword !== undefined && !`${rule.name ?? ''} ${rule.description ?? ''}`.toLowerCase().includes(keyword)) continue;
        const view = await loadBalancerViewOf(tx, rule);
        if (query.zoneId !== undefined && view.zoneId !== query.zoneId) continue;
        views.push(view);
      }
      return { items: views.slice(window.offset, window.limit === undefined ? undefined : window.offset + window.limit), total: views.length };
    });
  }

  /**
   * The VMs of a rule (`listLoadBalancerRuleInstances`): its members (`applied`, the default),
   * or the VMs that could still be assigned — the owner's live VMs on the rule's network that
   * are not members.
   */
  async listInstances(caller: CallContext, input: ListLoadBalancerRuleInstancesInput): Promise<Page<VmView>> {
    const query = validate(ListLoadBalancerRuleInstancesInput, input);
    return this.store.transaction(async (tx) => {
      const rule = await this.rules.visible(tx, caller, query.id);
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      const members = rule.memberVmIds ?? [];
      const vms: VirtualMachine[] = [];
      if (query.applied) {
        for (const vmId of members) {
          const vm = await tx.repo('vms').get(vmId);
          if (vm !== undefined) vms.push(vm);
        }
      } else {
        const seen = new Set(members);
        for (const nic of (await tx.repo('nics').find({ where: { networkId: rule.networkId }, orderBy: [{ field: 'createdAt' }, { field: 'id' }] })).items) {
          if (seen.has(nic.vmId)) continue;
          seen.add(nic.vmId);
          const vm = await tx.repo('vms').get(nic.vmId);
          if (vm !== undefined && vm.accountId === rule.accountId && MEMBER_VM_STATES.has(vm.state)) vms.push(vm);
        }
      }
      const page = vms.slice(window.offset, window.limit === undefined ? undefined : window.offset + window.limit);
      const items: VmView[] = [];
      for (const vm of page) items.push(await this.vms.view(tx, vm));
      return { items, total: vms.length };
    });
  }

  /**
   * Takes a VM out of every load-balancing rule it is a member of, one network at a time through
   * the rule engine — what CloudStack does when the VM goes (the member minimum does not hold
   * here). Not on the caller-bound facade: the VM lifecycle calls it. Returns how many rules
   * changed; rejects with a provider's error (that network's memberships are then as before).
   */
  async removeVmEverywhere(vmId: string, caller: CallContext = SYSTEM): Promise<number> {
    const byNetwork = await this.store.transaction(async (tx) => {
      const rules = await this.rulesWithMember(tx, vmId);
      return [...new Set(rules.map((r) => r.networkId))];
    });
    let changed = 0;
    for (const networkId of byNetwork) {
      changed += await this.ruleSync.change(networkId, async (tx) => {
        const rules = (await this.rulesWithMember(tx, vmId)).filter((r) => r.networkId === networkId);
        for (const rule of rules) await tx.repo('networkRules').update({ ...rule, memberVmIds: (rule.memberVmIds ?? []).filter((id) => id !== vmId) });
        return {
          value: rules.length,
          undo: async (back) => {
            for (const rule of rules) await this.restoreMembers(back, rule.id, rule.memberVmIds ?? []);
          },
          commit: async (done) => {
            for (const rule of rules) await this.record(done, caller, rule, 'LB.REMOVE.FROM.RULE', `Removed VM ${vmId} from load balancer rule ${rule.name ?? rule.id} as the VM went away`);
          },
        };
      });
    }
    return changed;
  }

  /** The network of a rule `caller` may see (read before the change that locks it). */
  private async networkOf(caller: CallContext, id: string): Promise<string> {
    return this.store.transaction(async (tx) => (await this.rules.visible(tx, caller, id)).networkId);
  }

  /** Load-balancing rules with `vmId` among their members (the VM's account's, or every account's when the VM is gone). */
  private async rulesWithMember(tx: Transaction, vmId: string): Promise<NetworkRule[]> {
    const vm = await tx.repo('vms').get(vmId);
    const rules = (await tx.repo('networkRules').find({ where: { purpose: 'Lb', ...(vm === undefined ? {} : { accountId: vm.accountId }) } })).items;
    return rules.filter((r) => r.state !== 'Revoke' && (r.memberVmIds ?? []).includes(vmId));
  }

  private async restoreMembers(tx: Transaction, ruleId: string, members: readonly string[]): Promise<void> {
    const current = await tx.repo('networkRules').get(ruleId);
    if (current !== undefined) await tx.repo('networkRules').update({ ...current, memberVmIds: [...members] });
  }

  private async record(tx: Transaction, caller: CallContext, rule: NetworkRule, type: string, description: string): Promise<void> {
    await this.events.record(tx, caller, { type, resourceType: 'LoadBalancerRule', resourceId: rule.id, accountId: rule.accountId, domainId: rule.domainId, description });
  }
}

function textOf(rule: RuleText): RuleText {
  return {
    ...(rule.name === undefined ? {} : { name: rule.name }),
    ...(rule.description === undefined ? {} : { description: rule.description }),
    ...(rule.algorithm === undefined ? {} : { algorithm: rule.algorithm }),
  };
}

/** `rule` with exactly `text`'s name, description and algorithm (absent ones removed). */
function withText(rule: NetworkRule, text: RuleText): NetworkRule {
  const { name: _name, description: _description, algorithm: _algorithm, ...rest } = rule;
  return { ...rest, ...textOf(text) };
}
