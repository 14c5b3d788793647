import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { requireRootAdmin } from '../context/authorize.js';
import { isRootAdmin, type CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notFound, resourceInUse } from '../errors.js';
import { isIpv4, parseCidr } from '../net/ipv4.js';
import { ALLOCATION_STATE_TRANSITIONS, AllocationState } from '../model/allocation-state.js';
import { DEFAULT_REGION_ID } from '../model/region.js';
import { assertTransition } from '../model/state-machine.js';
import { NetworkType, type Zone } from '../model/zone.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { zoneOrFail } from './infrastructure-lookups.js';
import { validate } from './validate.js';

const Ip = z.string().refine(isIpv4, 'must be an IPv4 address');
const Cidr = z.string().refine((v) => parseCidr(v) !== undefined, 'must be a CIDR such as 10.1.1.0/24');

/** The guest CIDR an advanced zone gets when none is given (CloudStack's `guest.cidr` default). */
export const DEFAULT_GUEST_CIDR = '10.1.1.0/24';

/** Input of {@link ZoneService.create}. */
export const CreateZoneInput = z.object({
  name: z.string().min(1).max(255),
  description: z.string().optional(),
  networkType: NetworkType,
  dns1: Ip,
  dns2: Ip.optional(),
  internalDns1: Ip,
  internalDns2: Ip.optional(),
  /** Advanced zones only (API `guestcidraddress`). */
  guestCidrAddress: Cidr.optional(),
  networkDomain: z.string().min(1).optional(),
  /** Dedicate the zone to this domain; a public zone when absent. */
  domainId: z.string().min(1).optional(),
  /** `Disabled` by default, so the zone can be set up before anyone uses it. */
  allocationState: AllocationState.default('Disabled'),
  localStorageEnabled: z.boolean().default(false),
  securityGroupEnabled: z.boolean().default(false),
  regionId: z.union([z.number().int().positive(), z.string()]).transform(String).default(DEFAULT_REGION_ID),
});
/** Input of {@link ZoneService.create}. */
export type CreateZoneInput = z.input<typeof CreateZoneInput>;

/** Input of {@link ZoneService.update}. */
export const UpdateZoneInput = z.object({
  id: z.string().min(1),
  name: z.string().min(1).max(255).optional(),
  description: z.string().optional(),
  dns1: Ip.optional(),
  dns2: Ip.optional(),
  internalDns1: Ip.optional(),
  internalDns2: Ip.optional(),
  guestCidrAddress: Cidr.optional(),
  networkDomain: z.string().min(1).optional(),
  allocationState: AllocationState.optional(),
  localStorageEnabled: z.boolean().optional(),
  /** Make a dedicated zone public (`true`). */
  isPublic: z.boolean().optional(),
  domainId: z.string().min(1).optional(),
});
/** Input of {@link ZoneService.update}. */
export type UpdateZoneInput = z.input<typeof UpdateZoneInput>;

/** Filters of {@link ZoneService.list}. */
export const ListZonesInput = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  networkType: NetworkType.optional(),
  domainId: z.string().optional(),
});
/** Filters of {@link ZoneService.list}. */
export type ListZonesInput = z.input<typeof ListZonesInput>;

/**
 * Zones (guide §6.3): Basic or Advanced for the zone's life, DNS, guest CIDR, network domain,
 * public or dedicated to a domain, allocation state. Created `Disabled`; enabling checks the
 * zone's physical networks carry the traffic it needs.
 */
@injectable()
export class ZoneService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Creates a zone (root admin). */
  async create(caller: CallContext, input: CreateZoneInput): Promise<Zone> {
    requireRootAdmin(caller, 'create a zone');
    const spec = validate(CreateZoneInput, input);
    if (spec.networkType === 'Basic' && spec.guestCidrAddress !== undefined) {
      throw invalidParameter('guestcidraddress', 'a basic zone has no guest CIDR: guests get addresses from the pod ranges');
    }
    if (spec.allocationState === 'Enabled') {
      throw invalidParameter('allocationstate', 'a new zone starts Disabled; enable it once its physical network, pods and storage are set up');
    }
    return this.store.transaction(async (tx) => {
      if ((await tx.repo('regions').get(spec.regionId)) === undefined) throw notFound('region', 'regionid', spec.regionId);
      if (spec.domainId !== undefined && (await tx.repo('domains').get(spec.domainId)) === undefined) {
        throw notFound('domain', 'domainid', spec.domainId);
      }
      const zone = await tx.repo('zones').insert({
        id: this.random.uuid(),
        name: spec.name,
        ...(spec.description === undefined ? {} : { description: spec.description }),
        regionId: spec.regionId,
        networkType: spec.networkType,
        dns1: spec.dns1,
        ...(spec.dns2 === undefined ? {} : { dns2: spec.dns2 }),
        internalDns1: spec.internalDns1,
        ...(spec.internalDns2 === undefined ? {} : { internalDns2: spec.internalDns2 }),
        ...(spec.networkType === 'Advanced' ? { guestCidr: spec.guestCidrAddress ?? DEFAULT_GUEST_CIDR } : {}),
        ...(spec.networkDomain === undefined ? {} : { networkDomain: spec.networkDomain }),
        ...(spec.domainId === undefined ? {} : { domainId: spec.domainId }),
        allocationState: spec.allocationState,
        localStorageEnabled: spec.localStorageEnabled,
        securityGroupsEnabled: spec.securityGroupEnabled,
        createdAt: isoNow(this.clock),
      });
      await this.events.record(tx, caller, { type: 'ZONE.CREATE', description: `Created ${zone.networkType} zone ${zone.name}`, resourceType: 'Zone', resourceId: zone.id });
      return zone;
    });
  }

  /** Changes a zone (root admin); enabling checks the zone is set up. */
  async update(caller: CallContext, input: UpdateZoneInput): Promise<Zone> {
    requireRootAdmin(caller, 'update a zone');
    const change = validate(UpdateZoneInput, input);
    return this.store.transaction(async (tx) => {
      const zone = await zoneOrFail(tx, change.id, 'id');
      if (change.guestCidrAddress !== undefined && zone.networkType === 'Basic') {
        throw invalidParameter('guestcidraddress', 'a basic zone has no guest CIDR');
      }
      if (change.domainId !== undefined && (await tx.repo('domains').get(change.domainId)) === undefined) {
        throw notFound('domain', 'domainid', change.domainId);
      }
      if (change.allocationState !== undefined) {
        assertTransition(ALLOCATION_STATE_TRANSITIONS, `Zone ${zone.name}`, zone.allocationState, change.allocationState, 'allocationstate');
        if (change.allocationState === 'Enabled' && zone.allocationState !== 'Enabled') await this.checkReadyToEnable(tx, zone);
      }
      const { domainId: _dropped, ...rest } = zone;
      const domainId = change.isPublic === true ? undefined : (change.domainId ?? zone.domainId);
      const updated = await tx.repo('zones').update({
        ...rest,
        ...(domainId === undefined ? {} : { domainId }),
        ...(change.name === undefined ? {} : { name: change.name }),
        ...(change.description === undefined ? {} : { description: change.description }),
        ...(change.dns1 === undefined ? {} : { dns1: change.dns1 }),
        ...(change.dns2 === undefined ? {} : { dns2: change.dns2 }),
        ...(change.internalDns1 === undefined ? {} : { internalDns1: change.internalDns1 }),
        ...(change.internalDns2 === undefined ? {} : { internalDns2: change.internalDns2 }),
        ...(change.guestCidrAddress === undefined ? {} : { guestCidr: change.guestCidrAddress }),
        ...(change.networkDomain === undefined ? {} : { networkDomain: change.networkDomain }),
        ...(change.allocationState === undefined ? {} : { allocationState: change.allocationState }),
        ...(change.localStorageEnabled === undefined ? {} : { localStorageEnabled: change.localStorageEnabled }),
      });
      await this.events.record(tx, caller, { type: 'ZONE.EDIT', description: `Updated zone ${updated.name}`, resourceType: 'Zone', resourceId: zone.id });
      return updated;
    });
  }

  /** Deletes an empty zone (root admin): no pods, physical networks, IP ranges or secondary storage. */
  async delete(caller: CallContext, input: { id: string }): Promise<void> {
    requireRootAdmin(caller, 'delete a zone');
    const { id } = validate(z.object({ id: z.string().min(1) }), input);
    await this.store.transaction(async (tx) => {
      const zone = await zoneOrFail(tx, id, 'id');
      const dependants: [string, number][] = [
        ['pods', await tx.repo('pods').count({ zoneId: id })],
        ['physical networks', await tx.repo('physicalNetworks').count({ zoneId: id })],
        ['IP ranges', await tx.repo('vlanIpRanges').count({ zoneId: id })],
        ['secondary storage', await tx.repo('imageStores').count({ zoneId: id })],
      ];
      const busy = dependants.filter(([, count]) => count > 0).map(([what]) => what);
      if (busy.length > 0) throw resourceInUse(`Zone ${zone.name} still has ${busy.join(', ')}`, 'id');
      await tx.repo('zones').delete(id, zone.version);
      await this.events.record(tx, caller, { type: 'ZONE.DELETE', description: `Deleted zone ${zone.name}`, resourceType: 'Zone', resourceId: id });
    });
  }

  /**
   * Zones the caller may see: a root admin sees all; others see enabled zones that are public
   * or dedicated to their domain or one of its ancestors.
   */
  async list(caller: CallContext, input: ListZonesInput = {}): Promise<Zone[]> {
    const query = validate(ListZonesInput, input);
    return this.store.transaction(async (tx) => {
      const { items } = await tx.repo('zones').find({
        where: {
          ...(query.id === undefined ? {} : { id: query.id }),
          ...(query.name === undefined ? {} : { name: query.name }),
          ...(query.networkType === undefined ? {} : { networkType: query.networkType }),
          ...(query.domainId === undefined ? {} : { domainId: query.domainId }),
        },
        orderBy: [{ field: 'createdAt' }],
      });
      if (isRootAdmin(caller)) return items;
      const callerPath = (await tx.repo('domains').get(caller.domainId))?.path;
      const visible: Zone[] = [];
      for (const zone of items) {
        if (zone.allocationState !== 'Enabled') continue;
        if (zone.domainId === undefined) visible.push(zone);
        else {
          const zonePath = (await tx.repo('domains').get(zone.domainId))?.path;
          if (zonePath !== undefined && callerPath?.startsWith(zonePath) === true) visible.push(zone);
        }
      }
      return visible;
    });
  }

  /**
   * A zone can be enabled once its physical networks carry Guest and Management traffic (and
   * Public too in an advanced zone), as CloudStack checks before enabling.
   */
  private async checkReadyToEnable(tx: Transaction, zone: Zone): Promise<void> {
    const carried = new Set((await tx.repo('physicalNetworkTrafficTypes').find({ where: { zoneId: zone.id } })).items.map((t) => t.trafficType));
    const needed = zone.networkType === 'Advanced' ? ['Guest', 'Management', 'Public'] : ['Guest', 'Management'];
    const missing = needed.filter((t) => !carried.has(t as never));
    if (missing.length > 0) {
      throw invalidParameter('allocationstate', `Cannot enable zone ${zone.name}: no physical network carries ${missing.join(', ')} traffic`);
    }
    if ((await tx.repo('pods').count({ zoneId: zone.id })) === 0) {
      throw invalidParameter('allocationstate', `Cannot enable zone ${zone.name}: it has no pod`);
    }
  }
}
