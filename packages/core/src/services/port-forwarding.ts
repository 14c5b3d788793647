import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import { SYSTEM, type CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Page, Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notFound } from '../errors.js';
import type { Network } from '../model/network.js';
import { providerOf } from '../model/network-offering.js';
import type { NetworkRule } from '../model/network-rule.js';
import type { Nic } from '../model/nic.js';
import type { PublicIp } from '../model/public-ip.js';
import type { VirtualMachine } from '../model/vm.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { assertNoPortConflict, assertPurposeAllowed } from './ip-rule-conflicts.js';
import { NetworkRuleSync } from './network-rule-sync.js';
import { pageWindow } from './paging.js';
import { ANY_SOURCE, insertOpenedFirewallRule, stageRemovalWithOpening } from './port-forwarding-firewall.js';
import { CreatePortForwardingRuleInput, ListPortForwardingRulesInput, PortForwardingRuleIdInput } from './port-forwarding-inputs.js';
import { portForwardingViewOf, type PortForwardingRuleView } from './port-forwarding-view.js';
import { PublicIpAccess } from './public-ip-access.js';
import { validate } from './validate.js';
import { VmAccess } from './vm-access.js';
import { Visibility } from './visibility.js';

/** VM states a rule may point at (a destroyed VM takes no new rules). */
const TARGETABLE_VM_STATES = new Set<VirtualMachine['state']>(['Stopped', 'Starting', 'Running', 'Stopping', 'Migrating']);

/** A validated forwarding: the public and private port ranges, of equal length. */
interface ForwardedPorts {
  readonly publicStart: number;
  readonly publicEnd: number;
  readonly privateStart: number;
  readonly privateEnd: number;
}

/**
 * Port forwarding rules (install guide 13.14.3): a public IP's port range, for one protocol and
 * optionally only from some source CIDRs, forwarded to the same-length port range of a VM's
 * guest address. The VM is the IP owner's, and the IP's network is its default network (rules
 * work only there). An address with static NAT takes none; port forwarding and load balancing
 * share an address only in conserve mode; two rules never forward the same public port (537).
 * With `openFirewall` a firewall rule for the same ports and sources is added and removed with
 * the forwarding rule. Every change is applied through the network rule engine: Active once the
 * router took it, gone (or Active again) when it refused.
 */
@injectable()
export class PortForwardingService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(PublicIpAccess) private readonly ips: PublicIpAccess,
    @inject(VmAccess) private readonly vms: VmAccess,
    @inject(NetworkRuleSync) private readonly ruleSync: NetworkRuleSync,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Creates a port forwarding rule (`createPortForwardingRule`) and applies it. */
  async create(caller: CallContext, input: CreatePortForwardingRuleInput): Promise<PortForwardingRuleView> {
    const spec = validate(CreatePortForwardingRuleInput, input);
    const ports = forwardedPorts(spec);
    const networkId = await this.store.transaction(async (tx) => (await this.ips.forRules(tx, caller, spec.ipAddressId)).network.id);
    const ruleId = await this.ruleSync.change(networkId, async (tx, network) => {
      const { ip, offering } = await this.ips.forRules(tx, caller, spec.ipAddressId);
      if (ip.networkId !== network.id) throw invalidParameter('ipaddressid', `public IP ${ip.address} is no longer associated with network ${network.name}`);
      if (spec.networkId !== undefined && spec.networkId !== network.id) throw invalidParameter('networkid', `public IP ${ip.address} is associated with network ${network.name}, not ${spec.networkId}`);
      if (providerOf(offering, 'PortForwarding') === undefined) throw invalidParameter('ipaddressid', `network ${network.name} (offering ${offering.name}) does not provide PortForwarding`);
      const { vm, nic, guestIp } = await this.target(tx, caller, ip, network, spec);
      await assertPurposeAllowed(tx, ip, offering, 'PortForwarding');
      await assertNoPortConflict(tx, ip, spec.protocol, ports.publicStart, ports.publicEnd);
      const rule = await tx.repo('networkRules').insert({
        id: this.random.uuid(),
        purpose: 'PortForwarding',
        trafficType: 'Ingress',
        networkId: network.id,
        ipAddressId: ip.id,
        accountId: ip.accountId,
        domainId: ip.domainId,
        protocol: spec.protocol,
        startPort: ports.publicStart,
        endPort: ports.publicEnd,
        cidrs: spec.cidrList === undefined || spec.cidrList.length === 0 ? [ANY_SOURCE] : spec.cidrList,
        state: 'Add',
        vmId: vm.id,
        nicId: nic.id,
        vmGuestIp: guestIp,
        privateStartPort: ports.privateStart,
        privateEndPort: ports.privateEnd,
        createdAt: isoNow(this.clock),
      });
      const opened = spec.openFirewall && providerOf(offering, 'Firewall') !== undefined ? await insertOpenedFirewallRule(tx, rule) : undefined;
      return {
        value: rule.id,
        addedRuleIds: opened === undefined ? [rule.id] : [rule.id, opened.id],
        commit: async (done) => {
          await this.events.record(done, caller, {
            type: 'NET.RULEADD',
            resourceType: 'FirewallRule',
            resourceId: rule.id,
            accountId: rule.accountId,
            domainId: rule.domainId,
            description: `Port forwarding ${spec.protocol} ${ip.address}:${portText(ports.publicStart, ports.publicEnd)} → ${vm.name} ${guestIp}:${portText(ports.privateStart, ports.privateEnd)}`,
          });
        },
      };
    });
    return this.store.transaction(async (tx) => portForwardingViewOf(tx, await this.rule(tx, caller, ruleId)));
  }

  /** Deletes a port forwarding rule (`deletePortForwardingRule`), with the firewall rule it opened. */
  async delete(caller: CallContext, input: PortForwardingRuleIdInput): Promise<void> {
    const { id } = validate(PortForwardingRuleIdInput, input);
    const networkId = await this.store.transaction(async (tx) => (await this.rule(tx, caller, id)).networkId);
    await this.ruleSync.change(networkId, async (tx) => {
      const rule = await this.rule(tx, caller, id);
      const revoked = await stageRemovalWithOpening(tx, rule);
      return { value: undefined, revokedRuleIds: revoked, commit: (done) => this.recordDeleted(done, caller, rule) };
    });
  }

  /** One port forwarding rule `caller` may see (`listPortForwardingRules id=`). */
  async get(caller: CallContext, input: PortForwardingRuleIdInput): Promise<PortForwardingRuleView> {
    const { id } = validate(PortForwardingRuleIdInput, input);
    return this.store.transaction(async (tx) => portForwardingViewOf(tx, await this.rule(tx, caller, id)));
  }

  /** Lists the port forwarding rules `caller` may see (`listPortForwardingRules`), oldest first. */
  async list(caller: CallContext, input: ListPortForwardingRulesInput = {}): Promise<Page<PortForwardingRuleView>> {
    const query = validate(ListPortForwardingRulesInput, input);
    return this.store.transaction(async (tx) => {
      if (query.ipAddressId !== undefined) await this.ips.visible(tx, caller, query.ipAddressId, 'ipaddressid');
      const scope = await this.visibility.scope(tx, caller, query);
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      const page = await tx.repo('networkRules').find({
        where: {
          purpose: 'PortForwarding',
          ...this.visibility.ownerFilter(scope),
          ...(query.id === undefined ? {} : { id: query.id }),
          ...(query.ipAddressId === undefined ? {} : { ipAddressId: query.ipAddressId }),
          ...(query.virtualMachineId === undefined ? {} : { vmId: query.virtualMachineId }),
        },
        orderBy: [{ field: 'createdAt' }, { field: 'id' }],
        offset: window.offset,
        ...(window.limit === undefined ? {} : { limit: window.limit }),
      });
      const items: PortForwardingRuleView[] = [];
      for (const rule of page.items) items.push(await portForwardingViewOf(tx, rule));
      return { items, total: page.total };
    });
  }

  /**
   * Revokes every port forwarding rule to a VM (and the firewall rules they opened), one
   * network at a time through the rule engine — what CloudStack does when the VM goes. Not on
   * the caller-bound facade: the VM lifecycle calls it. Returns how many rules went; rejects
   * with a provider's error (that network's rules are then Active again).
   */
  async revokeForVm(vmId: string, caller: CallContext = SYSTEM): Promise<number> {
    const networkIds = await this.store.transaction(async (tx) => [...new Set((await this.rulesToVm(tx, vmId)).map((r) => r.networkId))]);
    let revoked = 0;
    for (const networkId of networkIds) {
      revoked += await this.ruleSync.change(networkId, async (tx) => {
        const rules = (await this.rulesToVm(tx, vmId)).filter((r) => r.networkId === networkId);
        const ids: string[] = [];
        for (const rule of rules) ids.push(...(await stageRemovalWithOpening(tx, rule)));
        return {
          value: rules.length,
          revokedRuleIds: ids,
          commit: async (done) => {
            for (const rule of rules) await this.recordDeleted(done, caller, rule);
          },
        };
      });
    }
    return revoked;
  }

  /** The port forwarding rule `id` if `caller` may see it; 431 naming `param` otherwise. */
  private async rule(tx: Transaction, caller: CallContext, id: string, param = 'id'): Promise<NetworkRule> {
    const rule = await tx.repo('networkRules').get(id);
    if (rule === undefined || rule.purpose !== 'PortForwarding' || rule.state === 'Revoke') throw notFound('port forwarding rule', param, id);
    await this.visibility.assertCanAccess(tx, caller, rule, 'port forwarding rule', param, id);
    return rule;
  }

  private async rulesToVm(tx: Transaction, vmId: string): Promise<NetworkRule[]> {
    return (await tx.repo('networkRules').find({ where: { vmId, purpose: 'PortForwarding' } })).items.filter((r) => r.state !== 'Revoke');
  }

  private async recordDeleted(tx: Transaction, caller: CallContext, rule: NetworkRule): Promise<void> {
    await this.events.record(tx, caller, {
      type: 'NET.RULEDELETE',
      resourceType: 'FirewallRule',
      resourceId: rule.id,
      accountId: rule.accountId,
      domainId: rule.domainId,
      description: `Deleted port forwarding rule ${rule.id} (${rule.protocol} ${portText(rule.startPort ?? 0, rule.endPort ?? rule.startPort ?? 0)} → ${rule.vmGuestIp ?? '?'})`,
    });
  }

  /**
   * The VM a rule forwards to, its NIC on the IP's network and that NIC's address: a live VM
   * `caller` may see, of the IP's owner, whose default NIC is on the network (guide 13.14.3:
   * rules work only on the default network); `vmGuestIp`, when given, must be that address.
   */
  private async target(tx: Transaction, caller: CallContext, ip: PublicIp, network: Network, spec: ReturnType<typeof CreatePortForwardingRuleInput.parse>): Promise<{ vm: VirtualMachine; nic: Nic; guestIp: string }> {
    const vm = await this.vms.visible(tx, caller, spec.virtualMachineId, 'virtualmachineid');
    if (!TARGETABLE_VM_STATES.has(vm.state)) throw invalidParameter('virtualmachineid', `VM ${vm.name} is ${vm.state}`);
    if (vm.accountId !== ip.accountId) throw invalidParameter('virtualmachineid', `VM ${vm.name} and public IP ${ip.address} belong to different accounts`);
    const nics = (await tx.repo('nics').find({ where: { vmId: vm.id, networkId: network.id } })).items;
    const nic = nics.find((n) => n.isDefault) ?? nics[0];
    if (nic === undefined) throw invalidParameter('virtualmachineid', `VM ${vm.name} has no NIC on network ${network.name} of public IP ${ip.address}`);
    if (!nic.isDefault) throw invalidParameter('virtualmachineid', `network ${network.name} is not the default network of VM ${vm.name}; port forwarding works only on a VM's default network`);
    if (nic.ipAddress === undefined) throw invalidParameter('virtualmachineid', `VM ${vm.name} has no guest address on network ${network.name}`);
    if (spec.vmGuestIp !== undefined && spec.vmGuestIp !== nic.ipAddress) throw invalidParameter('vmguestip', `${spec.vmGuestIp} is not the address of VM ${vm.name} on network ${network.name} (${nic.ipAddress})`);
    return { vm, nic, guestIp: nic.ipAddress };
  }
}

/** The public and private ranges of a forwarding: each ordered, both of one length (431 naming the end port otherwise). */
function forwardedPorts(spec: { publicPort: number; publicEndPort?: number | undefined; privatePort: number; privateEndPort?: number | undefined }): ForwardedPorts {
  const publicEnd = spec.publicEndPort ?? spec.publicPort;
  const privateEnd = spec.privateEndPort ?? spec.privatePort;
  if (publicEnd < spec.publicPort) throw invalidParameter('publicendport', `the public port range ${spec.publicPort}-${publicEnd} ends before it starts`);
  if (privateEnd < spec.privatePort) throw invalidParameter('privateendport', `the private port range ${spec.privatePort}-${privateEnd} ends before it starts`);
  if (publicEnd - spec.publicPort !== privateEnd - spec.privatePort) {
    throw invalidParameter('privateendport', `the private port range ${portText(spec.privatePort, privateEnd)} is not as long as the public port range ${portText(spec.publicPort, publicEnd)}`);
  }
  return { publicStart: spec.publicPort, publicEnd, privateStart: spec.privatePort, privateEnd };
}

function portText(start: number, end: number): string {
  return start === end ? String(start) : `${start}-${end}`;
}
