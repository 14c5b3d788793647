import { inject, injectable } from 'tsyringe';
import { GuestIpAllocator, guestNetworkIpPoolKey } from '../alloc/guest-ip-allocator.js';
import type { CallContext } from '../context/call-context.js';
import type { RandomSource } from '../contracts/random.js';
import type { Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notFound } from '../errors.js';
import { BUILTIN_IDS } from '../context/call-context.js';
import { UNTAGGED_VLAN } from '../model/vlan-ip-range.js';
import { cidrOf, formatCidr } from '../net/ipv4.js';
import type { Account } from '../model/account.js';
import type { Network } from '../model/network.js';
import type { Nic } from '../model/nic.js';
import type { Zone } from '../model/zone.js';
import { TOKENS } from '../tokens.js';
import { NetworkAccess } from './network-access.js';
import { NetworkImplementer } from './network-implementer.js';
import { NetworkRuleSync } from './network-rule-sync.js';
import { GuestNetworkService } from './networks.js';
import { VmReservations } from './vm-reservations.js';

/** What a deployment asks of the VM's networks. */
export interface VmNetworkRequest {
  /** The networks, default first; the owner's default network when absent. */
  readonly networkIds?: readonly string[];
  /** The default NIC's address. */
  readonly ipAddress?: string;
}

/**
 * The NICs of a new VM and the networks behind them. In a basic zone a VM has one NIC on the
 * zone's direct network, its address claimed from the pod at each start. In an advanced zone it
 * has one NIC per guest network it is deployed into (the first is the default), each with a MAC
 * and a guest address claimed from the network at deployment and kept until the VM is expunged;
 * without `networkIds` the owner's isolated network in the zone is used, or — for its first VM
 * there — one is created from the `Required` offering, as CloudStack does. Before a VM starts,
 * its networks are implemented and their providers told about it.
 */
@injectable()
export class VmNetworks {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(NetworkAccess) private readonly access: NetworkAccess,
    @inject(GuestIpAllocator) private readonly guestIps: GuestIpAllocator,
    @inject(GuestNetworkService) private readonly networks: GuestNetworkService,
    @inject(NetworkImplementer) private readonly implementer: NetworkImplementer,
    @inject(NetworkRuleSync) private readonly ruleSync: NetworkRuleSync,
    @inject(VmReservations) private readonly reservations: VmReservations,
  ) {}

  /** Creates the NICs of a new VM in `tx` (claiming MACs, and guest addresses in an advanced zone). */
  async createNics(tx: Transaction, caller: CallContext, vm: { readonly id: string; readonly name: string }, owner: Account, zone: Zone, request: VmNetworkRequest, now: string): Promise<Nic[]> {
    if (zone.networkType === 'Basic') {
      if (request.networkIds !== undefined) throw invalidParameter('networkids', `zone ${zone.name} is a Basic zone: its VMs use the zone's direct network`);
      if (request.ipAddress !== undefined) throw invalidParameter('ipaddress', `zone ${zone.name} is a Basic zone: addresses come from the pod at start`);
      const basic = await this.basicNetwork(tx, zone, now);
      const nicId = this.random.uuid();
      return [
        await tx.repo('nics').insert({ id: nicId, vmId: vm.id, zoneId: zone.id, deviceId: 0, macAddress: await this.reservations.allocateMac(tx, zone.id, nicId), networkId: basic.id, trafficType: 'Guest', type: 'Shared', isDefault: true, createdAt: now }),
      ];
    }
    const networks = await this.resolve(tx, caller, owner, zone, request.networkIds);
    const nics: Nic[] = [];
    for (const [deviceId, network] of networks.entries()) {
      nics.push(await this.attach(tx, { vmId: vm.id, zoneId: zone.id, deviceId, network, isDefault: deviceId === 0, ...(deviceId === 0 && request.ipAddress !== undefined ? { ipAddress: request.ipAddress } : {}), now }));
    }
    return nics;
  }

  /**
   * The basic zone's guest network: one per zone, zone-wide and shared, its guests addressed
   * from their pods' ranges and served by one virtual router per pod. Created with the zone's
   * first VM, from `DefaultSharedNetworkOfferingWithSGService` in a zone with security groups
   * and `DefaultSharedNetworkOffering` otherwise.
   */
  async basicNetwork(tx: Transaction, zone: Zone, now: string): Promise<Network> {
    const existing = (await tx.repo('networks').find({ where: { zoneId: zone.id, guestType: 'Shared' } })).items.find((n) => n.podAddressing === true);
    if (existing !== undefined) return existing;
    const offeringName = zone.securityGroupsEnabled ? 'DefaultSharedNetworkOfferingWithSGService' : 'DefaultSharedNetworkOffering';
    const offering = await tx.repo('networkOfferings').findOne({ name: offeringName });
    if (offering === undefined) throw notFound('network offering', 'networkofferingid', offeringName);
    const range = (await tx.repo('vlanIpRanges').find({ where: { zoneId: zone.id, purpose: 'DirectGuest' }, orderBy: [{ field: 'createdAt' }, { field: 'id' }] })).items[0];
    const physical = (await tx.repo('physicalNetworkTrafficTypes').findOne({ zoneId: zone.id, trafficType: 'Guest' }))?.physicalNetworkId ?? (await tx.repo('physicalNetworks').findOne({ zoneId: zone.id }))?.id;
    if (physical === undefined) throw invalidParameter('zoneid', `zone ${zone.name} has no physical network for guest traffic`);
    const cidr = range === undefined ? undefined : cidrOf(range.gateway, range.netmask);
    return tx.repo('networks').insert({
      id: this.random.uuid(),
      name: `${zone.name}-guest`,
      displayText: `Guest network of basic zone ${zone.name}`,
      zoneId: zone.id,
      physicalNetworkId: physical,
      networkOfferingId: offering.id,
      guestType: 'Shared',
      aclType: 'Domain',
      domainId: BUILTIN_IDS.rootDomain,
      subdomainAccess: true,
      cidr: cidr === undefined ? '0.0.0.0/0' : formatCidr(cidr),
      gateway: range?.gateway ?? '0.0.0.0',
      netmask: range?.netmask ?? '0.0.0.0',
      vlan: range?.vlan ?? UNTAGGED_VLAN,
      networkDomain: zone.networkDomain ?? 'cloud.internal',
      podAddressing: true,
      state: 'Implemented',
      isPersistent: false,
      restartRequired: false,
      createdAt: now,
      updatedAt: now,
    });
  }

  /**
   * After a VM started: on a basic zone's network the router of the VM's pod is started if it
   * is not, and the pod routers learn the VM's address (it was claimed from the pod at this start).
   */
  async afterStart(vmId: string): Promise<void> {
    const target = await this.store.transaction(async (tx) => {
      const vm = await tx.repo('vms').get(vmId);
      if (vm?.podId === undefined) return undefined;
      const networks: string[] = [];
      for (const id of await this.networkIdsOf(tx, vmId)) if ((await tx.repo('networks').get(id))?.podAddressing === true) networks.push(id);
      return { podId: vm.podId, networks };
    });
    if (target === undefined) return;
    for (const id of target.networks) {
      const before = await this.store.transaction(async (tx) => (await this.implementer.podRouterRunning(tx, id, target.podId)));
      await this.implementer.ensurePodRouter(id, target.podId);
      if (before) await this.ruleSync.sync(id);
    }
  }

  /** Whether any of a VM's networks is implemented before it starts (all but a basic zone's). */
  async needsImplementing(tx: Transaction, vmId: string): Promise<boolean> {
    for (const id of await this.networkIdsOf(tx, vmId)) if ((await tx.repo('networks').get(id))?.podAddressing !== true) return true;
    return false;
  }

  /**
   * Records a NIC of a VM on a guest network in `tx`: its MAC, and its address claimed from the
   * network (the requested one when given: 431 when it is not free) for as long as the NIC lives.
   */
  async attach(tx: Transaction, nic: { readonly vmId: string; readonly zoneId: string; readonly deviceId: number; readonly network: Network; readonly isDefault: boolean; readonly ipAddress?: string; readonly now: string }): Promise<Nic> {
    const id = this.random.uuid();
    const { network } = nic;
    const address = await this.guestIps.allocate(tx, network.id, id, nic.ipAddress);
    return tx.repo('nics').insert({
      id,
      vmId: nic.vmId,
      zoneId: nic.zoneId,
      deviceId: nic.deviceId,
      macAddress: await this.reservations.allocateMac(tx, nic.zoneId, id),
      networkId: network.id,
      ipAddress: address,
      ipPool: guestNetworkIpPoolKey(network.id),
      netmask: network.netmask,
      gateway: network.gateway,
      ...(network.vlan === undefined ? {} : { vlan: network.vlan }),
      trafficType: 'Guest',
      type: network.guestType,
      isDefault: nic.isDefault,
      createdAt: nic.now,
    });
  }

  /** Ids of the guest networks a VM has NICs on. */
  async networkIdsOf(tx: Transaction, vmId: string): Promise<string[]> {
    const ids = (await tx.repo('nics').find({ where: { vmId }, orderBy: [{ field: 'deviceId' }] })).items.map((n) => n.networkId).filter((id): id is string => id !== undefined);
    return [...new Set(ids)];
  }

  /**
   * Gets a VM's networks ready for it to start: each is implemented if it is not (VLAN, source
   * NAT, router), and — with `announce`, for a VM new to them — its providers get the rule set
   * with the VM's DHCP, DNS and metadata entries.
   */
  async prepare(vmId: string, announce: boolean): Promise<void> {
    const ids = await this.store.transaction((tx) => this.networkIdsOf(tx, vmId));
    for (const id of ids) {
      const network = await this.store.transaction(async (tx) => tx.repo('networks').get(id));
      // A basic zone's pod router is started once the VM's pod is known (afterStart).
      if (network?.podAddressing === true) continue;
      const before = network?.state;
      await this.implementer.implement(id);
      if (announce && before === 'Implemented') await this.ruleSync.sync(id);
    }
  }

  /** The networks of a deployment, checked for the owner. */
  private async resolve(tx: Transaction, caller: CallContext, owner: Account, zone: Zone, ids: readonly string[] | undefined): Promise<Network[]> {
    if (ids !== undefined) {
      if (new Set(ids).size !== ids.length) throw invalidParameter('networkids', 'a network is named twice');
      const networks: Network[] = [];
      for (const id of ids) {
        const network = await this.access.usableBy(tx, caller, id, { accountId: owner.id, domainId: owner.domainId });
        if (network.zoneId !== zone.id) throw invalidParameter('networkids', `network ${network.name} is not in zone ${zone.name}`);
        if (network.state === 'Destroy') throw invalidParameter('networkids', `network ${network.name} is being deleted`);
        networks.push(network);
      }
      return networks;
    }
    const own = (await tx.repo('networks').find({ where: { zoneId: zone.id, accountId: owner.id, guestType: 'Isolated' }, orderBy: [{ field: 'createdAt' }, { field: 'id' }] })).items.filter((n) => n.state !== 'Destroy' && n.vpcId === undefined);
    if (own[0] !== undefined) return [own[0]];
    const required = (await tx.repo('networkOfferings').find({ where: { guestIpType: 'Isolated', state: 'Enabled' } })).items.find((o) => o.availability === 'Required' && !o.forVpc);
    if (required === undefined) throw invalidParameter('networkids', `account ${owner.name} has no network in zone ${zone.name} and no Required network offering is enabled to create one; give networkids`);
    const created = await this.networks.insert(tx, caller, {
      name: `${owner.name}-network`,
      displayText: `${owner.name}-network`,
      networkOfferingId: required.id,
      zoneId: zone.id,
      account: owner.name,
      domainId: owner.domainId,
    });
    return [created];
  }
}
