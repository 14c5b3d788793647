import { inject, injectable } from 'tsyringe';
import { GuestIpAllocator } from '../alloc/guest-ip-allocator.js';
import { ConfigReader } from '../config/config-reader.js';
import { isAdmin, isRootAdmin, BUILTIN_IDS, SYSTEM, type CallContext } from '../context/call-context.js';
import { requireAdmin } from '../context/authorize.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Page, Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notFound, permissionDenied, resourceInUse } from '../errors.js';
import type { Network } from '../model/network.js';
import type { NetworkOffering } from '../model/network-offering.js';
import { UNTAGGED_VLAN } from '../model/vlan-ip-range.js';
import { cidrContains, cidrOf, cidrRange, cidrsOverlap, formatCidr, formatIpv4, netmaskToPrefix, parseCidr, parseIpv4, prefixToNetmask, type Ipv4Cidr } from '../net/ipv4.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { NetworkAccess } from './network-access.js';
import { NetworkImplementer } from './network-implementer.js';
import { DEFAULT_GUEST_CIDR } from './zones.js';
import { CreateNetworkInput, ListNetworksInput, NetworkIdInput, RestartNetworkInput, UpdateNetworkInput } from './network-inputs.js';
import { NetworkRuleSync } from './network-rule-sync.js';
import { pageWindow } from './paging.js';
import { PublicIpRecords } from './public-ip-records.js';
import { ResourceLimitService } from './resource-limits.js';
import { validate } from './validate.js';
import { VirtualRouters } from './virtual-routers.js';
import { Visibility } from './visibility.js';

/** VM states whose NICs keep a network from being deleted. */
const LIVE_VM_STATES = new Set(['Stopped', 'Starting', 'Running', 'Stopping', 'Migrating', 'Error', 'Destroyed', 'Expunging']);

/**
 * Guest networks (install guide chapter 13): create isolated networks (account-owned, CIDR and
 * gateway of the zone's guest CIDR unless given, counted against the `network` limit) and
 * shared ones (admins: VLAN, gateway, netmask and range given, zone-wide, domain or account
 * scoped); list under the network visibility rule; update name, display text, network domain
 * and offering; restart (re-apply, or with cleanup a new router); delete once no VM uses it.
 * Networks of a persistent offering are implemented at creation.
 */
@injectable()
export class GuestNetworkService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(NetworkAccess) private readonly access: NetworkAccess,
    @inject(ResourceLimitService) private readonly limits: ResourceLimitService,
    @inject(GuestIpAllocator) private readonly guestIps: GuestIpAllocator,
    @inject(NetworkImplementer) private readonly implementer: NetworkImplementer,
    @inject(NetworkRuleSync) private readonly ruleSync: NetworkRuleSync,
    @inject(PublicIpRecords) private readonly publicIps: PublicIpRecords,
    @inject(EventRecorder) private readonly events: EventRecorder,
    @inject(VirtualRouters) private readonly routers: VirtualRouters,
  ) {}

  /** Creates a guest network (`createNetwork`); a persistent one is implemented at once. */
  async create(caller: CallContext, input: CreateNetworkInput): Promise<Network> {
    const spec = validate(CreateNetworkInput, input);
    const network = await this.store.transaction((tx) => this.insert(tx, caller, spec));
    if (network.isPersistent) return this.implementer.implement(network.id);
    return network;
  }

  /** Creates a network in `tx` (deploy uses it for an account's first VM in a zone without one). */
  async insert(tx: Transaction, caller: CallContext, spec: ReturnType<typeof CreateNetworkInput.parse>): Promise<Network> {
    const zone = await tx.repo('zones').get(spec.zoneId);
    if (zone === undefined) throw notFound('zone', 'zoneid', spec.zoneId);
    if (zone.networkType === 'Basic') throw invalidParameter('zoneid', `zone ${zone.name} is a Basic zone: its guests use the zone's direct network; guest networks are created in Advanced zones`);
    const offering = await this.offering(tx, caller, spec.networkOfferingId);
    const physical = await this.physicalNetwork(tx, zone.id, spec.physicalNetworkId);
    const shared = offering.guestIpType === 'Shared';
    if (shared) requireAdmin(caller, 'create a shared network');
    if (spec.vlan !== undefined && !isAdmin(caller)) throw permissionDenied('Only administrators may give a network its VLAN', 'vlan');
    if (offering.specifyVlan && spec.vlan === undefined) throw invalidParameter('vlan', `network offering ${offering.name} needs the VLAN given (specifyvlan)`);
    if (!offering.specifyVlan && spec.vlan !== undefined) throw invalidParameter('vlan', `network offering ${offering.name} does not take a VLAN (specifyvlan is false)`);
    const aclType = spec.aclType ?? (shared && spec.account === undefined ? 'Domain' : 'Account');
    if (!shared && aclType === 'Domain') throw invalidParameter('acltype', 'an isolated network is owned by an account (acltype Account)');
    let accountId: string | undefined;
    let domainId: string;
    if (aclType === 'Account') {
      const owner = await this.visibility.targetAccount(tx, caller, { ...(spec.account === undefined ? {} : { account: spec.account }), ...(spec.domainId === undefined ? {} : { domainId: spec.domainId }) });
      accountId = owner.id;
      domainId = owner.domainId;
    } else {
      if (spec.account !== undefined) throw invalidParameter('account', 'a Domain network has no owning account');
      domainId = spec.domainId === undefined ? BUILTIN_IDS.rootDomain : (await this.visibility.visibleDomain(tx, caller, spec.domainId)).id;
      if (domainId === BUILTIN_IDS.rootDomain && !isRootAdmin(caller)) throw permissionDenied('Only root administrators may create zone-wide networks', 'domainid');
    }
    const space = shared ? await this.sharedSpace(tx, zone.id, spec) : this.isolatedSpace(spec, zone.guestCidr);
    if (spec.vlan !== undefined) await this.assertVlanFree(tx, zone.id, spec.vlan);
    const id = this.random.uuid();
    if (accountId !== undefined && !shared) await this.limits.reserve(tx, accountId, 'network');
    const now = isoNow(this.clock);
    const network = await tx.repo('networks').insert({
      id,
      name: spec.name,
      displayText: spec.displayText,
      zoneId: zone.id,
      physicalNetworkId: physical,
      networkOfferingId: offering.id,
      guestType: offering.guestIpType,
      aclType,
      ...(accountId === undefined ? {} : { accountId }),
      domainId,
      ...(aclType === 'Domain' ? { subdomainAccess: spec.subdomainAccess ?? true } : {}),
      cidr: space.cidr,
      gateway: space.gateway,
      netmask: space.netmask,
      ...(space.startIp === undefined ? {} : { startIp: space.startIp, endIp: space.endIp }),
      ...(spec.vlan === undefined ? {} : { vlan: spec.vlan }),
      networkDomain: spec.networkDomain ?? zone.networkDomain ?? (await this.defaultDomain(tx, accountId ?? domainId)),
      state: 'Allocated',
      isPersistent: offering.isPersistent,
      restartRequired: false,
      createdAt: now,
      updatedAt: now,
    });
    await this.guestIps.materialise(tx, { networkId: id, cidr: space.cidr, gateway: space.gateway, reserved: space.reserved });
    await this.events.record(tx, caller, { accountId: accountId ?? caller.accountId, domainId, type: 'NETWORK.CREATE', resourceType: 'Network', resourceId: id, description: `Created ${offering.guestIpType.toLowerCase()} network ${spec.name} (${space.cidr})` });
    return network;
  }

  /** Lists the networks `caller` may see (`listNetworks`). */
  async list(caller: CallContext, input: ListNetworksInput = {}): Promise<Page<Network>> {
    const query = validate(ListNetworksInput, input);
    return this.store.transaction(async (tx) => {
      const where = {
        ...(query.id === undefined ? {} : { id: query.id }),
        ...(query.zoneId === undefined ? {} : { zoneId: query.zoneId }),
        ...(query.physicalNetworkId === undefined ? {} : { physicalNetworkId: query.physicalNetworkId }),
        ...(query.type === undefined ? {} : { guestType: query.type }),
        ...(query.aclType === undefined ? {} : { aclType: query.aclType }),
        ...(query.vpcId === undefined ? {} : { vpcId: query.vpcId }),
        ...(query.restartRequired === undefined ? {} : { restartRequired: query.restartRequired }),
      };
      if (query.isSystem === true || (query.trafficType !== undefined && query.trafficType.toLowerCase() !== 'guest')) return { items: [], total: 0 };
      const scope = await this.visibility.scope(tx, caller, query);
      const accountScoped = (await tx.repo('networks').find({ where: { ...where, ...this.visibility.ownerFilter(scope), aclType: 'Account' } })).items.filter((n) => query.aclType !== 'Domain');
      const domainScoped: Network[] = [];
      if (query.aclType !== 'Account' && query.account === undefined) {
        for (const network of (await tx.repo('networks').find({ where: { ...where, aclType: 'Domain' } })).items) {
          if (await this.access.canSee(tx, caller, network)) domainScoped.push(network);
        }
      }
      let all = [...accountScoped, ...domainScoped];
      if (query.canUseForDeploy === true) {
        const mine = { accountId: caller.accountId, domainId: caller.domainId };
        const usable: Network[] = [];
        for (const n of all) if (await this.access.mayUse(tx, n, mine)) usable.push(n);
        all = usable;
      }
      if (query.keyword !== undefined) {
        const k = query.keyword.toLowerCase();
        all = all.filter((n) => n.name.toLowerCase().includes(k) || n.displayText.toLowerCase().includes(k));
      }
      all.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      const start = window.offset;
      return { items: all.slice(start, window.limit === undefined ? undefined : start + window.limit), total: all.length };
    });
  }

  /** One network `caller` may see (431 otherwise). */
  async get(caller: CallContext, input: NetworkIdInput): Promise<Network> {
    const { id } = validate(NetworkIdInput, input);
    return this.store.transaction((tx) => this.access.visible(tx, caller, id));
  }

  /**
   * Updates a network (`updateNetwork`): name, display text, network domain (re-applied to the
   * router's DNS), offering (same guest type, enabled; when the providers change, the network
   * must have no running VM and is shut down so its next implementation uses the new ones;
   * a change to a persistent offering implements it). The CIDR is kept.
   */
  async update(caller: CallContext, input: UpdateNetworkInput): Promise<Network> {
    const spec = validate(UpdateNetworkInput, input);
    const outcome = await this.store.transaction(async (tx) => {
      const network = await this.manageable(tx, caller, spec.id);
      let next: Network = { ...network, ...(spec.name === undefined ? {} : { name: spec.name }), ...(spec.displayText === undefined ? {} : { displayText: spec.displayText }), ...(spec.networkDomain === undefined ? {} : { networkDomain: spec.networkDomain }), updatedAt: isoNow(this.clock) };
      let providersChanged = false;
      if (spec.networkOfferingId !== undefined && spec.networkOfferingId !== network.networkOfferingId) {
        const current = await tx.repo('networkOfferings').get(network.networkOfferingId);
        const offering = await this.offering(tx, caller, spec.networkOfferingId, 'networkofferingid');
        if (offering.guestIpType !== network.guestType) throw invalidParameter('networkofferingid', `network offering ${offering.name} is for ${offering.guestIpType} networks; network ${network.name} is ${network.guestType}`);
        if (offering.specifyVlan !== (current?.specifyVlan ?? false)) throw invalidParameter('networkofferingid', `network offering ${offering.name} differs from the current one in specifyvlan`);
        providersChanged = providerSet(offering) !== (current === undefined ? '' : providerSet(current));
        if (providersChanged && (await this.implementer.hasActiveVms(tx, network.id))) {
          throw invalidParameter('networkofferingid', `the new offering changes the providers of network ${network.name}: stop its VMs first`);
        }
        next = { ...next, networkOfferingId: offering.id, isPersistent: offering.isPersistent };
      }
      const saved = await tx.repo('networks').update(next);
      await this.events.record(tx, caller, { accountId: network.accountId ?? caller.accountId, domainId: network.domainId, type: 'NETWORK.UPDATE', resourceType: 'Network', resourceId: network.id, description: `Updated network ${saved.name}` });
      return { saved, providersChanged, domainChanged: spec.networkDomain !== undefined && spec.networkDomain !== network.networkDomain };
    });
    if (outcome.providersChanged) await this.implementer.shutdown(outcome.saved.id);
    else if (outcome.domainChanged && outcome.saved.state === 'Implemented') await this.ruleSync.sync(outcome.saved.id);
    if (outcome.saved.isPersistent) return this.implementer.implement(outcome.saved.id);
    return this.get(caller, { id: outcome.saved.id });
  }

  /**
   * Restarts a network (`restartNetwork`): only an implemented one (431 otherwise). Without
   * cleanup its rule set is applied again to the running router (started again when it is
   * not running); with cleanup the router is destroyed and a new one started and configured.
   */
  async restart(caller: CallContext, input: RestartNetworkInput): Promise<Network> {
    const spec = validate(RestartNetworkInput, input);
    const network = await this.store.transaction(async (tx) => {
      const found = await this.manageable(tx, caller, spec.id);
      if (found.state !== 'Implemented') throw invalidParameter('id', `network ${found.name} is not in the right state to be restarted (${found.state}); the correct state is Implemented`);
      await this.events.record(tx, caller, { accountId: found.accountId ?? caller.accountId, domainId: found.domainId, type: 'NETWORK.RESTART', resourceType: 'Network', resourceId: found.id, description: `Restarted network ${found.name}${spec.cleanup ? ' with cleanup' : ''}` });
      return found;
    });
    if (spec.cleanup) await this.restartRouter(network);
    await this.implementer.implement(network.id);
    await this.ruleSync.sync(network.id);
    return this.store.transaction(async (tx) => {
      const latest = await this.access.visible(tx, caller, network.id);
      return latest.restartRequired ? tx.repo('networks').update({ ...latest, restartRequired: false }) : latest;
    });
  }

  /**
   * Deletes a network (`deleteNetwork`) no VM uses (530 otherwise): its router is stopped and
   * removed, its elements cleared, its public IPs and their rules released, its VLAN, guest
   * address pool and `network` count given back.
   */
  async delete(caller: CallContext, input: NetworkIdInput): Promise<void> {
    const { id } = validate(NetworkIdInput, input);
    const intent = await this.ruleSync.serialised(id, () =>
      this.store.transaction(async (tx) => {
        const network = await this.manageable(tx, caller, id);
        for (const nic of (await tx.repo('nics').find({ where: { networkId: id } })).items) {
          const vm = await tx.repo('vms').get(nic.vmId);
          if (vm !== undefined && LIVE_VM_STATES.has(vm.state)) throw resourceInUse(`network ${network.name} is used by VM ${vm.name}; remove the VM (or its NIC) first`, 'id');
        }
        await tx.repo('networks').update({ ...network, state: 'Destroy', updatedAt: isoNow(this.clock) });
        return this.implementer.teardownIntent(tx, network);
      }),
    );
    try {
      await this.implementer.teardown(intent);
    } catch (error) {
      await this.store.transaction(async (tx) => {
        const network = await tx.repo('networks').get(id);
        if (network !== undefined) await tx.repo('networks').update({ ...network, state: intent.network.state });
      });
      throw error;
    }
    await this.store.transaction(async (tx) => {
      await this.implementer.released(tx, intent);
      const network = await tx.repo('networks').get(id);
      if (network === undefined) return;
      for (const rule of (await tx.repo('networkRules').find({ where: { networkId: id } })).items) {
        const policy = await tx.repo('lbStickinessPolicies').findOne({ ruleId: rule.id });
        if (policy !== undefined) await tx.repo('lbStickinessPolicies').delete(policy.id);
        await tx.repo('networkRules').delete(rule.id);
      }
      // Its remote-access VPN goes with its source NAT address (the account's VPN users stay: they are the account's).
      for (const vpn of (await tx.repo('remoteAccessVpns').find({ where: { networkId: id } })).items) await tx.repo('remoteAccessVpns').delete(vpn.id);
      for (const ip of (await tx.repo('publicIps').find({ where: { networkId: id } })).items) await this.publicIps.release(tx, ip);
      await this.guestIps.dematerialise(tx, id);
      if (network.accountId !== undefined && network.guestType === 'Isolated') await this.limits.release(tx, network.accountId, 'network');
      await tx.repo('networks').delete(id);
      await this.events.record(tx, caller, { accountId: network.accountId ?? caller.accountId, domainId: network.domainId, type: 'NETWORK.DELETE', resourceType: 'Network', resourceId: id, description: `Deleted network ${network.name}` });
    });
  }

  /** Ids of the VMs with a NIC on the network. */
  async vmIdsOn(networkId: string): Promise<string[]> {
    return this.store.transaction(async (tx) => [...new Set((await tx.repo('nics').find({ where: { networkId } })).items.map((n) => n.vmId))]);
  }

  /** Destroys the router of an implemented network; the implementation that follows starts a new one. */
  private async restartRouter(network: Network): Promise<void> {
    await this.ruleSync.serialised(network.id, async () => {
      const intent = await this.store.transaction(async (tx) => {
        const current = await this.access.visible(tx, SYSTEM, network.id);
        return (await tx.repo('routers').findOne({ networkId: network.id })) === undefined ? undefined : this.implementer.teardownIntent(tx, current);
      });
      if (intent === undefined) return;
      await this.implementer.teardown({ ...intent, elements: [] });
      await this.store.transaction(async (tx) => {
        const router = await tx.repo('routers').findOne({ networkId: network.id });
        if (router !== undefined) await this.routers.remove(tx, router);
      });
    });
  }

  /** A network the caller may change: its owner, an admin over it, or a root admin for domain networks. */
  private async manageable(tx: Transaction, caller: CallContext, id: string): Promise<Network> {
    const network = await this.access.visible(tx, caller, id);
    if (network.aclType === 'Domain' && !isAdmin(caller)) throw permissionDenied(`Only administrators may change shared network ${network.name}`, 'id');
    if (network.aclType === 'Account' && network.accountId !== undefined && !(await this.visibility.canAccess(tx, caller, { accountId: network.accountId, domainId: network.domainId }))) throw notFound('network', 'id', id);
    return network;
  }

  private async offering(tx: Transaction, caller: CallContext, id: string, param = 'networkofferingid'): Promise<NetworkOffering> {
    const offering = await tx.repo('networkOfferings').get(id);
    if (offering === undefined) throw notFound('network offering', param, id);
    if (offering.state !== 'Enabled') throw invalidParameter(param, `network offering ${offering.name} is ${offering.state}`);
    if (offering.forVpc) throw invalidParameter(param, `network offering ${offering.name} is for VPC tiers`);
    if (offering.guestIpType === 'Shared' && !isAdmin(caller)) throw permissionDenied(`Only administrators may use shared network offering ${offering.name}`, param);
    return offering;
  }

  private async physicalNetwork(tx: Transaction, zoneId: string, requested: string | undefined): Promise<string> {
    if (requested !== undefined) {
      const physical = await tx.repo('physicalNetworks').get(requested);
      if (physical === undefined || physical.zoneId !== zoneId) throw notFound('physical network', 'physicalnetworkid', requested);
      return physical.id;
    }
    const guest = await tx.repo('physicalNetworkTrafficTypes').findOne({ zoneId, trafficType: 'Guest' });
    if (guest !== undefined) return guest.physicalNetworkId;
    const any = await tx.repo('physicalNetworks').findOne({ zoneId });
    if (any === undefined) throw invalidParameter('zoneid', `zone ${zoneId} has no physical network for guest traffic`);
    return any.id;
  }

  private isolatedSpace(spec: ReturnType<typeof CreateNetworkInput.parse>, zoneCidr: string | undefined): AddressSpace {
    if (spec.startIp !== undefined || spec.endIp !== undefined) throw invalidParameter('startip', 'an isolated network takes its addresses from its CIDR; startip and endip are for shared networks');
    if ((spec.gateway === undefined) !== (spec.netmask === undefined)) throw invalidParameter(spec.gateway === undefined ? 'gateway' : 'netmask', 'gateway and netmask are given together');
    if (spec.gateway !== undefined && spec.netmask !== undefined) {
      const cidr = cidrOfGateway(spec.gateway, spec.netmask);
      return { cidr: formatCidr(cidr), gateway: spec.gateway, netmask: spec.netmask, reserved: [] };
    }
    const cidr = parseCidr(zoneCidr ?? DEFAULT_GUEST_CIDR) as Ipv4Cidr;
    return { cidr: formatCidr(cidr), gateway: formatIpv4(cidrRange(cidr).start + 1), netmask: prefixToNetmask(cidr.prefix), reserved: [] };
  }

  private async sharedSpace(tx: Transaction, zoneId: string, spec: ReturnType<typeof CreateNetworkInput.parse>): Promise<AddressSpace> {
    if (spec.gateway === undefined) throw invalidParameter('gateway', 'a shared network needs its gateway');
    if (spec.netmask === undefined) throw invalidParameter('netmask', 'a shared network needs its netmask');
    if (spec.startIp === undefined) throw invalidParameter('startip', 'a shared network needs the first address of its range');
    const cidr = cidrOfGateway(spec.gateway, spec.netmask);
    const start = parseIpv4(spec.startIp) as number;
    const endText = spec.endIp ?? spec.startIp;
    const end = parseIpv4(endText) as number;
    if (end < start) throw invalidParameter('endip', `${endText} comes before startip ${spec.startIp}`);
    if (!cidrContains(cidr, start) || !cidrContains(cidr, end)) throw invalidParameter('startip', `the range ${spec.startIp}-${endText} is not inside ${formatCidr(cidr)}`);
    const gateway = parseIpv4(spec.gateway) as number;
    if (gateway >= start && gateway <= end) throw invalidParameter('gateway', `the gateway ${spec.gateway} is inside the range ${spec.startIp}-${endText}`);
    for (const other of (await tx.repo('networks').find({ where: { zoneId, guestType: 'Shared' } })).items) {
      const otherCidr = parseCidr(other.cidr);
      if (other.vlan === (spec.vlan ?? UNTAGGED_VLAN) && otherCidr !== undefined && cidrsOverlap(otherCidr, cidr)) {
        throw invalidParameter('gateway', `the CIDR ${formatCidr(cidr)} overlaps shared network ${other.name} on the same VLAN`);
      }
    }
    const span = cidrRange(cidr);
    const reserved: string[] = [];
    if (start > span.start + 1) reserved.push(`${formatIpv4(span.start + 1)}-${formatIpv4(start - 1)}`);
    if (end < span.end - 1) reserved.push(`${formatIpv4(end + 1)}-${formatIpv4(span.end - 1)}`);
    return { cidr: formatCidr(cidr), gateway: spec.gateway, netmask: spec.netmask, startIp: spec.startIp, endIp: endText, reserved };
  }

  private async assertVlanFree(tx: Transaction, zoneId: string, vlan: string): Promise<void> {
    if (vlan === UNTAGGED_VLAN) return;
    const holder = await tx.repo('networks').findOne({ zoneId, vlan });
    if (holder !== undefined) throw invalidParameter('vlan', `VLAN ${vlan} is already used by network ${holder.name} in this zone`);
  }

  /** CloudStack's default network domain: `cs<owner hex>` + `guest.domain.suffix`. */
  private async defaultDomain(tx: Transaction, ownerId: string): Promise<string> {
    const suffix = (await this.config.string('guest.domain.suffix', {}, tx)) ?? 'cloud.internal';
    const hex = ownerId.replace(/[^0-9a-f]/gi, '').slice(0, 6) || '0';
    return `cs${hex.toLowerCase()}${suffix.startsWith('.') ? suffix : `.${suffix}`}`;
  }
}

/** The address space of a new network. */
interface AddressSpace {
  readonly cidr: string;
  readonly gateway: string;
  readonly netmask: string;
  readonly startIp?: string;
  readonly endIp?: string;
  readonly reserved: string[];
}

function cidrOfGateway(gateway: string, netmask: string): Ipv4Cidr {
  const prefix = netmaskToPrefix(netmask);
  if (prefix === undefined || prefix < 8 || prefix > 30) throw invalidParameter('netmask', `${netmask} is not a netmask of /8 to /30`);
  const cidr = cidrOf(gateway, netmask);
  if (cidr === undefined) throw invalidParameter('gateway', `${gateway} is not an IPv4 address`);
  const span = cidrRange(cidr);
  const value = parseIpv4(gateway) as number;
  if (value === span.start || value === span.end) throw invalidParameter('gateway', `${gateway} is the network or broadcast address of ${formatCidr(cidr)}`);
  return cidr;
}

function providerSet(offering: NetworkOffering): string {
  return [...new Set(offering.services.map((s) => s.provider))].sort().join(',');
}
