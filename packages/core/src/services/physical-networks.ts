import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { ConfigReader } from '../config/config-reader.js';
import { requireRootAdmin } from '../context/authorize.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { NetworkElement } from '../contracts/network-element.js';
import type { RandomSource } from '../contracts/random.js';
import type { Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notFound, resourceInUse } from '../errors.js';
import { NETWORK_SERVICE_PROVIDER_TRANSITIONS, NetworkServiceProviderState, type NetworkServiceProvider } from '../model/network-service-provider.js';
import { TrafficType, type PhysicalNetworkTrafficType } from '../model/physical-network-traffic-type.js';
import { IsolationMethod, PHYSICAL_NETWORK_TRANSITIONS, PhysicalNetworkState, type PhysicalNetwork, type VlanRange } from '../model/physical-network.js';
import { assertTransition } from '../model/state-machine.js';
import { guestVlanPoolKey } from '../model/vlan-ip-range.js';
import type { Zone } from '../model/zone.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { physicalNetworkOrFail, tagList, zoneOrFail } from './infrastructure-lookups.js';
import { validate } from './validate.js';
import { formatVlanRange, maxZoneVlans, parseVlanRanges, vlanCount, vlanIds, vlanRangesOverlap } from './vlan-ranges.js';

/** Input of {@link PhysicalNetworkService.create}. */
export const CreatePhysicalNetworkInput = z.object({
  zoneId: z.string().min(1),
  name: z.string().min(1).max(255),
  /** Isolation methods; `VLAN` when absent. */
  isolationMethods: z.array(IsolationMethod).min(1).default(['VLAN']),
  /** Guest VLAN ranges, `500-599[,700-710]` (advanced zones). */
  vlan: z.string().min(1).optional(),
  broadcastDomainRange: z.enum(['ZONE', 'POD']).optional(),
  networkSpeed: z.string().min(1).optional(),
  tags: z.union([z.string(), z.array(z.string())]).optional(),
  domainId: z.string().min(1).optional(),
});
/** Input of {@link PhysicalNetworkService.create}. */
export type CreatePhysicalNetworkInput = z.input<typeof CreatePhysicalNetworkInput>;

/** Input of {@link PhysicalNetworkService.update}. */
export const UpdatePhysicalNetworkInput = z.object({
  id: z.string().min(1),
  state: PhysicalNetworkState.optional(),
  /** The complete new VLAN range list; ranges dropped must have no VLAN in use. */
  vlan: z.string().optional(),
  networkSpeed: z.string().min(1).optional(),
  tags: z.union([z.string(), z.array(z.string())]).optional(),
});
/** Input of {@link PhysicalNetworkService.update}. */
export type UpdatePhysicalNetworkInput = z.input<typeof UpdatePhysicalNetworkInput>;

const Label = z.string().min(1).max(255).optional();

/** Input of {@link PhysicalNetworkService.addTrafficType}. */
export const AddTrafficTypeInput = z.object({
  physicalNetworkId: z.string().min(1),
  trafficType: TrafficType,
  kvmNetworkLabel: Label,
  xenNetworkLabel: Label,
  vmwareNetworkLabel: Label,
  simulatorNetworkLabel: Label,
});
/** Input of {@link PhysicalNetworkService.addTrafficType}. */
export type AddTrafficTypeInput = z.input<typeof AddTrafficTypeInput>;

/** Input of {@link PhysicalNetworkService.updateTrafficType}. */
export const UpdateTrafficTypeInput = z.object({
  id: z.string().min(1),
  kvmNetworkLabel: Label,
  xenNetworkLabel: Label,
  vmwareNetworkLabel: Label,
  simulatorNetworkLabel: Label,
});
/** Input of {@link PhysicalNetworkService.updateTrafficType}. */
export type UpdateTrafficTypeInput = z.input<typeof UpdateTrafficTypeInput>;

/** Input of {@link PhysicalNetworkService.addServiceProvider}. */
export const AddServiceProviderInput = z.object({
  physicalNetworkId: z.string().min(1),
  name: z.string().min(1),
  /** Services to offer; the registered network element's services when absent. */
  services: z.array(z.string().min(1)).optional(),
  destinationPhysicalNetworkId: z.string().min(1).optional(),
});
/** Input of {@link PhysicalNetworkService.addServiceProvider}. */
export type AddServiceProviderInput = z.input<typeof AddServiceProviderInput>;

/** Input of {@link PhysicalNetworkService.updateServiceProvider}. */
export const UpdateServiceProviderInput = z.object({
  id: z.string().min(1),
  state: NetworkServiceProviderState.optional(),
  services: z.array(z.string().min(1)).optional(),
});
/** Input of {@link PhysicalNetworkService.updateServiceProvider}. */
export type UpdateServiceProviderInput = z.input<typeof UpdateServiceProviderInput>;

/** Providers every new physical network gets, disabled, as CloudStack adds them. */
export const DEFAULT_PROVIDERS: readonly { name: string; services: readonly string[] }[] = [
  { name: 'VirtualRouter', services: ['Dhcp', 'Dns', 'UserData', 'SourceNat', 'StaticNat', 'PortForwarding', 'Lb', 'Firewall', 'Vpn'] },
  { name: 'VpcVirtualRouter', services: ['Dhcp', 'Dns', 'UserData', 'SourceNat', 'StaticNat', 'PortForwarding', 'Lb', 'Vpn', 'NetworkACL'] },
  { name: 'SecurityGroupProvider', services: ['SecurityGroup'] },
];

/** Traffic types a zone may carry on one physical network only (guest traffic may span several). */
const SINGLE_NETWORK_TRAFFIC = new Set(['Management', 'Public', 'Storage']);

/**
 * Physical networks of a zone (guide §2.8, §6.3): isolation, guest VLAN ranges (no overlap in
 * the zone, no more than `guest.vlan.bits` allows), traffic types with per-hypervisor labels,
 * and network service providers. A basic zone has exactly one physical network.
 */
@injectable()
export class PhysicalNetworkService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(TOKENS.NetworkElements) private readonly elements: ReadonlyMap<string, NetworkElement>,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Creates a physical network with the default providers (root admin). */
  async create(caller: CallContext, input: CreatePhysicalNetworkInput): Promise<PhysicalNetwork> {
    requireRootAdmin(caller, 'create a physical network');
    const spec = validate(CreatePhysicalNetworkInput, input);
    const ranges = spec.vlan === undefined ? [] : parseVlanRanges(spec.vlan);
    return this.store.transaction(async (tx) => {
      const zone = await zoneOrFail(tx, spec.zoneId);
      if (zone.networkType === 'Basic') {
        if ((await tx.repo('physicalNetworks').count({ zoneId: zone.id })) > 0) {
          throw invalidParameter('zoneid', `Basic zone ${zone.name} already has its one physical network`);
        }
        if (ranges.length > 0) throw invalidParameter('vlan', 'a basic zone has no guest VLAN ranges');
      }
      if (spec.domainId !== undefined && (await tx.repo('domains').get(spec.domainId)) === undefined) {
        throw notFound('domain', 'domainid', spec.domainId);
      }
      await this.checkZoneVlans(tx, zone, undefined, ranges);
      const network = await tx.repo('physicalNetworks').insert({
        id: this.random.uuid(),
        zoneId: zone.id,
        name: spec.name,
        isolationMethods: spec.isolationMethods,
        vlanRanges: ranges,
        broadcastDomainRange: spec.broadcastDomainRange ?? (zone.networkType === 'Basic' ? 'POD' : 'ZONE'),
        ...(spec.networkSpeed === undefined ? {} : { networkSpeed: spec.networkSpeed }),
        tags: tagList(spec.tags),
        ...(spec.domainId === undefined ? {} : { domainId: spec.domainId }),
        state: 'Disabled',
        createdAt: isoNow(this.clock),
      });
      await tx.pools.add(guestVlanPoolKey(network.id), vlanIds(ranges));
      for (const provider of DEFAULT_PROVIDERS) {
        await tx.repo('networkServiceProviders').insert({
          id: this.random.uuid(),
          physicalNetworkId: network.id,
          zoneId: zone.id,
          name: provider.name,
          state: 'Disabled',
          services: [...provider.services],
          createdAt: isoNow(this.clock),
        });
      }
      await this.record(tx, caller, 'PHYSICAL.NETWORK.CREATE', network.id, `Created physical network ${network.name} in zone ${zone.name}`);
      return network;
    });
  }

  /** Changes state, VLAN ranges, speed or tags (root admin). */
  async update(caller: CallContext, input: UpdatePhysicalNetworkInput): Promise<PhysicalNetwork> {
    requireRootAdmin(caller, 'update a physical network');
    const change = validate(UpdatePhysicalNetworkInput, input);
    const ranges = change.vlan === undefined ? undefined : parseVlanRanges(change.vlan);
    return this.store.transaction(async (tx) => {
      const network = await physicalNetworkOrFail(tx, change.id, 'id');
      const zone = await zoneOrFail(tx, network.zoneId);
      if (change.state !== undefined) assertTransition(PHYSICAL_NETWORK_TRANSITIONS, `Physical network ${network.name}`, network.state, change.state, 'state');
      if (ranges !== undefined) {
        if (zone.networkType === 'Basic' && ranges.length > 0) throw invalidParameter('vlan', 'a basic zone has no guest VLAN ranges');
        await this.checkZoneVlans(tx, zone, network.id, ranges);
        const before = new Set(vlanIds(network.vlanRanges));
        const after = new Set(vlanIds(ranges));
        const dropped = [...before].filter((id) => !after.has(id));
        // Refused with 536 (and nothing changed) when any dropped VLAN is in use.
        await tx.pools.remove(guestVlanPoolKey(network.id), dropped);
        await tx.pools.add(guestVlanPoolKey(network.id), [...after].filter((id) => !before.has(id)));
      }
      const updated = await tx.repo('physicalNetworks').update({
        ...network,
        ...(change.state === undefined ? {} : { state: change.state }),
        ...(ranges === undefined ? {} : { vlanRanges: ranges }),
        ...(change.networkSpeed === undefined ? {} : { networkSpeed: change.networkSpeed }),
        ...(change.tags === undefined ? {} : { tags: tagList(change.tags) }),
      });
      await this.record(tx, caller, 'PHYSICAL.NETWORK.UPDATE', network.id, `Updated physical network ${network.name}`);
      return updated;
    });
  }

  /** Deletes a physical network with no guest VLAN in use and no IP range on it (root admin). */
  async delete(caller: CallContext, input: { id: string }): Promise<void> {
    requireRootAdmin(caller, 'delete a physical network');
    const { id } = validate(z.object({ id: z.string().min(1) }), input);
    await this.store.transaction(async (tx) => {
      const network = await physicalNetworkOrFail(tx, id, 'id');
      if ((await tx.repo('vlanIpRanges').count({ physicalNetworkId: id })) > 0) {
        throw resourceInUse(`Physical network ${network.name} still has IP ranges`, 'id');
      }
      await tx.pools.remove(guestVlanPoolKey(id));
      for (const t of (await tx.repo('physicalNetworkTrafficTypes').find({ where: { physicalNetworkId: id } })).items) {
        await tx.repo('physicalNetworkTrafficTypes').delete(t.id);
      }
      for (const p of (await tx.repo('networkServiceProviders').find({ where: { physicalNetworkId: id } })).items) {
        await tx.repo('networkServiceProviders').delete(p.id);
      }
      await tx.repo('physicalNetworks').delete(id, network.version);
      await this.record(tx, caller, 'PHYSICAL.NETWORK.DELETE', id, `Deleted physical network ${network.name}`);
    });
  }

  /** Physical networks, optionally of one zone (root admin). */
  async list(caller: CallContext, input: { zoneId?: string; name?: string } = {}): Promise<PhysicalNetwork[]> {
    requireRootAdmin(caller, 'list physical networks');
    const query = validate(z.object({ zoneId: z.string().optional(), name: z.string().optional() }), input);
    return this.store.transaction(async (tx) =>
      (await tx.repo('physicalNetworks').find({
        where: { ...(query.zoneId === undefined ? {} : { zoneId: query.zoneId }), ...(query.name === undefined ? {} : { name: query.name }) },
      })).items,
    );
  }

  /** Adds a traffic type with its hypervisor labels to a physical network (root admin). */
  async addTrafficType(caller: CallContext, input: AddTrafficTypeInput): Promise<PhysicalNetworkTrafficType> {
    requireRootAdmin(caller, 'add a traffic type');
    const spec = validate(AddTrafficTypeInput, input);
    return this.store.transaction(async (tx) => {
      const network = await physicalNetworkOrFail(tx, spec.physicalNetworkId);
      if (SINGLE_NETWORK_TRAFFIC.has(spec.trafficType)) {
        const elsewhere = await tx.repo('physicalNetworkTrafficTypes').findOne({ zoneId: network.zoneId, trafficType: spec.trafficType });
        if (elsewhere !== undefined && elsewhere.physicalNetworkId !== network.id) {
          throw invalidParameter('traffictype', `${spec.trafficType} traffic of the zone is already carried by physical network ${elsewhere.physicalNetworkId}`);
        }
      }
      const created = await tx.repo('physicalNetworkTrafficTypes').insert({
        id: this.random.uuid(),
        physicalNetworkId: network.id,
        zoneId: network.zoneId,
        trafficType: spec.trafficType,
        ...labels(spec),
        createdAt: isoNow(this.clock),
      });
      await this.record(tx, caller, 'TRAFFIC.TYPE.CREATE', created.id, `Added ${spec.trafficType} traffic to physical network ${network.name}`);
      return created;
    });
  }

  /** Changes the hypervisor labels of a traffic type (root admin). */
  async updateTrafficType(caller: CallContext, input: UpdateTrafficTypeInput): Promise<PhysicalNetworkTrafficType> {
    requireRootAdmin(caller, 'update a traffic type');
    const change = validate(UpdateTrafficTypeInput, input);
    return this.store.transaction(async (tx) => {
      const current = await tx.repo('physicalNetworkTrafficTypes').get(change.id);
      if (current === undefined) throw notFound('traffic type', 'id', change.id);
      const updated = await tx.repo('physicalNetworkTrafficTypes').update({ ...current, ...labels(change) });
      await this.record(tx, caller, 'TRAFFIC.TYPE.UPDATE', current.id, `Updated labels of ${current.trafficType} traffic`);
      return updated;
    });
  }

  /** Removes a traffic type from a physical network (root admin). */
  async deleteTrafficType(caller: CallContext, input: { id: string }): Promise<void> {
    requireRootAdmin(caller, 'delete a traffic type');
    const { id } = validate(z.object({ id: z.string().min(1) }), input);
    await this.store.transaction(async (tx) => {
      const current = await tx.repo('physicalNetworkTrafficTypes').get(id);
      if (current === undefined) throw notFound('traffic type', 'id', id);
      if (current.trafficType === 'Public' && (await tx.repo('vlanIpRanges').count({ physicalNetworkId: current.physicalNetworkId, purpose: 'Public' })) > 0) {
        throw resourceInUse('Public traffic still has public IP ranges on this physical network', 'id');
      }
      await tx.repo('physicalNetworkTrafficTypes').delete(id, current.version);
      await this.record(tx, caller, 'TRAFFIC.TYPE.DELETE', id, `Removed ${current.trafficType} traffic`);
    });
  }

  /** Traffic types of a physical network (root admin). */
  async listTrafficTypes(caller: CallContext, input: { physicalNetworkId: string }): Promise<PhysicalNetworkTrafficType[]> {
    requireRootAdmin(caller, 'list traffic types');
    const { physicalNetworkId } = validate(z.object({ physicalNetworkId: z.string().min(1) }), input);
    return this.store.transaction(async (tx) => (await tx.repo('physicalNetworkTrafficTypes').find({ where: { physicalNetworkId } })).items);
  }

  /** Adds a network service provider to a physical network, disabled (root admin). */
  async addServiceProvider(caller: CallContext, input: AddServiceProviderInput): Promise<NetworkServiceProvider> {
    requireRootAdmin(caller, 'add a network service provider');
    const spec = validate(AddServiceProviderInput, input);
    return this.store.transaction(async (tx) => {
      const network = await physicalNetworkOrFail(tx, spec.physicalNetworkId);
      if (spec.destinationPhysicalNetworkId !== undefined) await physicalNetworkOrFail(tx, spec.destinationPhysicalNetworkId, 'destinationphysicalnetworkid');
      const services = spec.services ?? this.servicesOf(spec.name);
      const created = await tx.repo('networkServiceProviders').insert({
        id: this.random.uuid(),
        physicalNetworkId: network.id,
        zoneId: network.zoneId,
        name: spec.name,
        state: 'Disabled',
        services,
        ...(spec.destinationPhysicalNetworkId === undefined ? {} : { destinationPhysicalNetworkId: spec.destinationPhysicalNetworkId }),
        createdAt: isoNow(this.clock),
      });
      await this.record(tx, caller, 'SERVICE.PROVIDER.CREATE', created.id, `Added provider ${spec.name} to physical network ${network.name}`);
      return created;
    });
  }

  /** Enables, disables or shuts down a provider, or changes its services (root admin). */
  async updateServiceProvider(caller: CallContext, input: UpdateServiceProviderInput): Promise<NetworkServiceProvider> {
    requireRootAdmin(caller, 'update a network service provider');
    const change = validate(UpdateServiceProviderInput, input);
    return this.store.transaction(async (tx) => {
      const provider = await tx.repo('networkServiceProviders').get(change.id);
      if (provider === undefined) throw notFound('network service provider', 'id', change.id);
      if (change.state !== undefined) assertTransition(NETWORK_SERVICE_PROVIDER_TRANSITIONS, `Provider ${provider.name}`, provider.state, change.state, 'state');
      const updated = await tx.repo('networkServiceProviders').update({
        ...provider,
        ...(change.state === undefined ? {} : { state: change.state }),
        ...(change.services === undefined ? {} : { services: change.services }),
      });
      await this.record(tx, caller, 'SERVICE.PROVIDER.UPDATE', provider.id, `Provider ${provider.name} is ${updated.state}`);
      return updated;
    });
  }

  /** Removes a provider (root admin). */
  async deleteServiceProvider(caller: CallContext, input: { id: string }): Promise<void> {
    requireRootAdmin(caller, 'delete a network service provider');
    const { id } = validate(z.object({ id: z.string().min(1) }), input);
    await this.store.transaction(async (tx) => {
      const provider = await tx.repo('networkServiceProviders').get(id);
      if (provider === undefined) throw notFound('network service provider', 'id', id);
      await tx.repo('networkServiceProviders').delete(id, provider.version);
      await this.record(tx, caller, 'SERVICE.PROVIDER.DELETE', id, `Removed provider ${provider.name}`);
    });
  }

  /** Providers of a physical network (root admin). */
  async listServiceProviders(caller: CallContext, input: { physicalNetworkId: string; name?: string; state?: string }): Promise<NetworkServiceProvider[]> {
    requireRootAdmin(caller, 'list network service providers');
    const query = validate(z.object({ physicalNetworkId: z.string().min(1), name: z.string().optional(), state: NetworkServiceProviderState.optional() }), input);
    return this.store.transaction(async (tx) =>
      (await tx.repo('networkServiceProviders').find({
        where: {
          physicalNetworkId: query.physicalNetworkId,
          ...(query.name === undefined ? {} : { name: query.name }),
          ...(query.state === undefined ? {} : { state: query.state }),
        },
      })).items,
    );
  }

  private servicesOf(provider: string): string[] {
    const element = this.elements.get(provider);
    if (element !== undefined) return [...element.services];
    return [...(DEFAULT_PROVIDERS.find((p) => p.name === provider)?.services ?? [])];
  }

  /** VLAN ranges must not overlap another physical network's in the zone, nor exceed the zone maximum. */
  private async checkZoneVlans(tx: Transaction, zone: Zone, selfId: string | undefined, ranges: readonly VlanRange[]): Promise<void> {
    if (ranges.length === 0) return;
    const others = (await tx.repo('physicalNetworks').find({ where: { zoneId: zone.id } })).items.filter((n) => n.id !== selfId);
    for (const other of others) {
      for (const theirs of other.vlanRanges) {
        const clash = ranges.find((mine) => vlanRangesOverlap(mine, theirs));
        if (clash !== undefined) {
          throw invalidParameter('vlan', `range ${formatVlanRange(clash)} overlaps ${formatVlanRange(theirs)} of physical network ${other.name} in zone ${zone.name}`);
        }
      }
    }
    const bits = await this.config.number('guest.vlan.bits', { zoneId: zone.id }, tx);
    const total = vlanCount(ranges) + others.reduce((sum, n) => sum + vlanCount(n.vlanRanges), 0);
    const max = maxZoneVlans(bits);
    if (total > max) throw invalidParameter('vlan', `zone ${zone.name} would have ${total} guest VLANs; guest.vlan.bits=${bits} allows ${max}`);
  }

  private async record(tx: Transaction, caller: CallContext, type: string, resourceId: string, description: string): Promise<void> {
    await this.events.record(tx, caller, { type, description, resourceType: 'PhysicalNetwork', resourceId });
  }
}

function labels(spec: { kvmNetworkLabel?: string | undefined; xenNetworkLabel?: string | undefined; vmwareNetworkLabel?: string | undefined; simulatorNetworkLabel?: string | undefined }) {
  return {
    ...(spec.kvmNetworkLabel === undefined ? {} : { kvmLabel: spec.kvmNetworkLabel }),
    ...(spec.xenNetworkLabel === undefined ? {} : { xenLabel: spec.xenNetworkLabel }),
    ...(spec.vmwareNetworkLabel === undefined ? {} : { vmwareLabel: spec.vmwareNetworkLabel }),
    ...(spec.simulatorNetworkLabel === undefined ? {} : { simulatorLabel: spec.simulatorNetworkLabel }),
  };
}
