import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import { requireRootAdmin } from '../context/authorize.js';
import { isAdmin, isRootAdmin, type CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Filter, Page, Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notFound } from '../errors.js';
import { providerOf, type NetworkOffering } from '../model/network-offering.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { zoneOrFail } from './infrastructure-lookups.js';
import { networkServiceNamed } from './network-offering-capabilities.js';
import { DEFAULT_NETWORK_OFFERINGS } from './network-offering-defaults.js';
import {
  CreateNetworkOfferingInput,
  ListNetworkOfferingsInput,
  UpdateNetworkOfferingInput,
  type NetworkOfferingSpec,
} from './network-offering-inputs.js';
import { shapeOffering, type OfferingShape } from './network-offering-rules.js';
import { pageWindow } from './paging.js';
import { validate } from './validate.js';

/**
 * Network offerings (admin guide "Network Offerings"; API `createNetworkOffering` and friends):
 * the services a guest network gets and who provides each. Root admins create them (disabled,
 * as CloudStack does), enable, rename and delete them; everyone lists the enabled ones. The
 * defaults CloudStack 4.1 ships are created at start, enabled, and cannot be deleted.
 */
@injectable()
export class NetworkOfferingService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Creates the default offerings that are not there yet (by name), enabled. Safe to run at every start. */
  async seedDefaults(): Promise<void> {
    await this.store.transaction(async (tx) => {
      // Offerings whose services a virtual router gives name the router offering their routers run with.
      const routerOffering = await tx.repo('serviceOfferings').findOne({ isSystem: true, systemVmType: 'domainrouter', defaultUse: true });
      for (const input of DEFAULT_NETWORK_OFFERINGS) {
        if ((await tx.repo('networkOfferings').findOne({ name: input.name })) !== undefined) continue;
        const providers = (input.supportedServices ?? []).map((service) => (input.serviceProviderList ?? []).find((p) => p.service === service)?.provider ?? 'VirtualRouter');
        const usesRouter = providers.some((p) => p === 'VirtualRouter' || p === 'VpcVirtualRouter');
        const spec = validate(CreateNetworkOfferingInput, usesRouter && routerOffering !== undefined ? { ...input, serviceOfferingId: routerOffering.id } : input);
        await this.insert(tx, spec, shapeOffering(spec), { isDefault: true, state: 'Enabled' });
      }
    });
  }

  /**
   * Creates an offering (root admin), `Disabled` until enabled with {@link update}. Refusals
   * are 431 naming the parameter, with CloudStack 4.1's rules; nothing is written then.
   */
  async create(caller: CallContext, input: CreateNetworkOfferingInput): Promise<NetworkOffering> {
    requireRootAdmin(caller, 'create a network offering');
    const spec = validate(CreateNetworkOfferingInput, input);
    const shape = shapeOffering(spec);
    return this.store.transaction(async (tx) => {
      await this.requireFreeName(tx, spec.name);
      if (spec.availability === 'Required') await this.requireNoOtherRequired(tx, undefined);
      if (spec.serviceOfferingId !== undefined) await this.requireRouterOffering(tx, spec.serviceOfferingId);
      const offering = await this.insert(tx, spec, shape, { isDefault: false, state: 'Disabled' });
      await this.record(tx, caller, 'CREATE', offering);
      return offering;
    });
  }

  /**
   * Changes an offering's name, display text, availability or state (root admin). Its
   * services never change. A default offering keeps its name: it is how clients find it.
   */
  async update(caller: CallContext, input: UpdateNetworkOfferingInput): Promise<NetworkOffering> {
    requireRootAdmin(caller, 'update a network offering');
    const change = validate(UpdateNetworkOfferingInput, input);
    return this.store.transaction(async (tx) => {
      const current = await this.get(tx, change.id, 'id');
      if (change.name !== undefined && change.name !== current.name) {
        if (current.isDefault) throw invalidParameter('name', `default network offering ${current.name} cannot be renamed`);
        await this.requireFreeName(tx, change.name);
      }
      if (change.availability === 'Required' && current.availability !== 'Required') {
        if (!(current.guestIpType === 'Isolated' && providerOf(current, 'SourceNat') !== undefined)) {
          throw invalidParameter('availability', 'availability can be Required only for network offerings of type Isolated with SourceNat enabled');
        }
        await this.requireNoOtherRequired(tx, current.id);
      }
      const updated = await tx.repo('networkOfferings').update({
        ...current,
        ...(change.name === undefined ? {} : { name: change.name }),
        ...(change.displayText === undefined ? {} : { displayText: change.displayText }),
        ...(change.availability === undefined ? {} : { availability: change.availability }),
        ...(change.state === undefined ? {} : { state: change.state }),
      });
      await this.record(tx, caller, 'EDIT', updated);
      return updated;
    });
  }

  /**
   * Deletes an offering (root admin). Refused (431, as CloudStack) for a default offering and
   * for one that networks use; disabling it is how such an offering is withdrawn.
   */
  async delete(caller: CallContext, id: string): Promise<void> {
    requireRootAdmin(caller, 'delete a network offering');
    await this.store.transaction(async (tx) => {
      const offering = await this.get(tx, id, 'id');
      if (offering.isDefault) throw invalidParameter('id', `default network offering ${offering.name} can't be deleted`);
      const networks = await tx.repo('networks').count({ networkOfferingId: offering.id });
      if (networks > 0) {
        throw invalidParameter('id', `can't delete network offering ${offering.name} as it is used by ${networks} network(s); to make it unavailable, disable it`);
      }
      await tx.repo('networkOfferings').delete(offering.id, offering.version);
      await this.record(tx, caller, 'DELETE', offering);
    });
  }

  /**
   * The offerings the caller may see, in creation order, paged with `default.page.size` as the
   * maximum. Admins see every state, others only `Enabled` ones; as in CloudStack, only root
   * admins see offerings whose VLAN the admin gives (`specifyVlan`). With `zoneId`, only
   * offerings whose every service's provider is enabled in one of the zone's physical networks
   * (none in a basic zone, where guest networks are not created by hand).
   */
  async list(caller: CallContext, input: ListNetworkOfferingsInput = {}): Promise<Page<NetworkOffering>> {
    const query = validate(ListNetworkOfferingsInput, input);
    const wanted = (query.supportedServices ?? []).map((name) => {
      const service = networkServiceNamed(name);
      if (service === undefined) throw invalidParameter('supportedservices', `invalid service ${name}`);
      return service;
    });
    if (!isAdmin(caller) && query.state === 'Disabled') return { items: [], total: 0 };
    if (!isRootAdmin(caller) && query.specifyVlan === true) return { items: [], total: 0 };
    const where: Filter<NetworkOffering> = {
      ...(query.id === undefined ? {} : { id: query.id }),
      ...(query.name === undefined ? {} : { name: { like: query.name } }),
      ...(query.displayText === undefined ? {} : { displayText: { like: query.displayText } }),
      ...(query.keyword === undefined ? {} : { $or: [{ name: { like: query.keyword } }, { displayText: { like: query.keyword } }] }),
      ...(query.guestIpType === undefined ? {} : { guestIpType: query.guestIpType }),
      ...(query.trafficType === undefined ? {} : { trafficType: query.trafficType }),
      ...(query.availability === undefined ? {} : { availability: query.availability }),
      ...(query.isDefault === undefined ? {} : { isDefault: query.isDefault }),
      ...(query.specifyIpRanges === undefined ? {} : { specifyIpRanges: query.specifyIpRanges }),
      ...(query.forVpc === undefined ? {} : { forVpc: query.forVpc }),
      ...(query.tags === undefined ? {} : { tags: query.tags }),
      ...(query.isTagged === undefined ? {} : { tags: { exists: query.isTagged } }),
      ...(isAdmin(caller) ? (query.state === undefined ? {} : { state: query.state }) : { state: 'Enabled' }),
      ...(isRootAdmin(caller) ? (query.specifyVlan === undefined ? {} : { specifyVlan: query.specifyVlan }) : { specifyVlan: false }),
    };
    return this.store.transaction(async (tx) => {
      const enabledInZone = query.zoneId === undefined ? undefined : await this.enabledProviders(tx, query.zoneId);
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      const { items } = await tx.repo('networkOfferings').find({ where });
      const matching = items.filter(
        (offering) =>
          wanted.every((service) => providerOf(offering, service) !== undefined) &&
          (query.sourceNatSupported === undefined || (providerOf(offering, 'SourceNat') !== undefined) === query.sourceNatSupported) &&
          (enabledInZone === undefined || offering.services.every((s) => enabledInZone.has(`${s.provider}/${s.service}`))),
      );
      return { items: matching.slice(window.offset, window.limit === undefined ? undefined : window.offset + window.limit), total: matching.length };
    });
  }

  /** The offering with this id; 431 naming `param` when there is none. For other services. */
  async get(tx: Transaction, id: string, param = 'networkofferingid'): Promise<NetworkOffering> {
    const offering = await tx.repo('networkOfferings').get(id);
    if (offering === undefined) throw notFound('network offering', param, id);
    return offering;
  }

  /** An `Enabled` offering, for creating or changing a network with it; 431 naming `param` otherwise. */
  async requireUsable(tx: Transaction, id: string, param = 'networkofferingid'): Promise<NetworkOffering> {
    const offering = await this.get(tx, id, param);
    if (offering.state !== 'Enabled') throw invalidParameter(param, `network offering ${offering.name} is ${offering.state}; only an Enabled offering can be used`);
    return offering;
  }

  private async insert(tx: Transaction, spec: NetworkOfferingSpec, shape: OfferingShape, how: Pick<NetworkOffering, 'isDefault' | 'state'>): Promise<NetworkOffering> {
    const tags = cleanTags(spec.tags);
    return tx.repo('networkOfferings').insert({
      id: this.random.uuid(),
      name: spec.name,
      displayText: spec.displayText,
      guestIpType: spec.guestIpType,
      trafficType: spec.trafficType,
      ...shape,
      conserveMode: spec.conserveMode,
      isPersistent: spec.isPersistent,
      specifyVlan: spec.specifyVlan,
      specifyIpRanges: spec.specifyIpRanges,
      availability: spec.availability,
      state: how.state,
      isDefault: how.isDefault,
      ...(spec.serviceOfferingId === undefined ? {} : { serviceOfferingId: spec.serviceOfferingId }),
      ...(spec.networkRate === undefined ? {} : { networkRate: spec.networkRate }),
      ...(tags === undefined ? {} : { tags }),
      createdAt: isoNow(this.clock),
    });
  }

  private async requireFreeName(tx: Transaction, name: string): Promise<void> {
    if ((await tx.repo('networkOfferings').findOne({ name })) !== undefined) {
      throw invalidParameter('name', `there is already a network offering named ${name}`);
    }
  }

  /** Only one offering in the cloud may be `Required` (the one an account's first VM gets). */
  private async requireNoOtherRequired(tx: Transaction, selfId: string | undefined): Promise<void> {
    const required = await tx.repo('networkOfferings').findOne({ availability: 'Required', ...(selfId === undefined ? {} : { id: { ne: selfId } }) });
    if (required !== undefined) throw invalidParameter('availability', `the cloud already has network offering ${required.name} with availability Required`);
  }

  /** The virtual routers' system offering must be an active system offering for `domainrouter`. */
  private async requireRouterOffering(tx: Transaction, id: string): Promise<void> {
    const offering = await tx.repo('serviceOfferings').get(id);
    if (offering === undefined || offering.state !== 'Active') throw notFound('service offering', 'serviceofferingid', id);
    if (!offering.isSystem || offering.systemVmType !== 'domainrouter') {
      throw invalidParameter('serviceofferingid', `service offering ${offering.name} cannot be used by a virtual router; it must be a system offering of type domainrouter`);
    }
  }

  /** `provider/service` pairs enabled in the zone's physical networks; empty for a basic zone. */
  private async enabledProviders(tx: Transaction, zoneId: string): Promise<Set<string>> {
    const zone = await zoneOrFail(tx, zoneId);
    const pairs = new Set<string>();
    if (zone.networkType === 'Basic') return pairs;
    const { items } = await tx.repo('networkServiceProviders').find({ where: { zoneId, state: 'Enabled' } });
    for (const provider of items) for (const service of provider.services) pairs.add(`${provider.name}/${networkServiceNamed(service) ?? service}`);
    return pairs;
  }

  private async record(tx: Transaction, caller: CallContext, action: 'CREATE' | 'EDIT' | 'DELETE', offering: NetworkOffering): Promise<void> {
    const verb = { CREATE: 'Created', EDIT: 'Updated', DELETE: 'Deleted' }[action];
    await this.events.record(tx, caller, {
      type: `NETWORK.OFFERING.${action}`,
      description: `${verb} network offering ${offering.name}`,
      resourceType: 'NetworkOffering',
      resourceId: offering.id,
    });
  }
}

/** CloudStack's tag clean-up: trimmed, comma-joined, absent when empty. */
function cleanTags(tags: string | undefined): string | undefined {
  if (tags === undefined) return undefined;
  const parts = tags.split(',').map((t) => t.trim()).filter((t) => t !== '');
  return parts.length === 0 ? undefined : parts.join(',');
}

