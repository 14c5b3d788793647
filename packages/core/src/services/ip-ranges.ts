import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { requireRootAdmin } from '../context/authorize.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notFound } from '../errors.js';
import { cidrContains, cidrOf, formatCidr, isIpv4, parseCidr, parseIpv4, parseRange, rangeSize, type Ipv4Range } from '../net/ipv4.js';
import type { PhysicalNetwork } from '../model/physical-network.js';
import { IpRangePurpose, UNTAGGED_VLAN, ipRangePoolKey, type VlanIpRange } from '../model/vlan-ip-range.js';
import type { Zone } from '../model/zone.js';
import { TOKENS } from '../tokens.js';
import { assertAddressesFree } from './address-space.js';
import { EventRecorder } from './event-recorder.js';
import { physicalNetworkOrFail, podOrFail, zoneOrFail } from './infrastructure-lookups.js';
import { materialiseAddresses } from './ip-materialise.js';
import { validate } from './validate.js';
import { MAX_VLAN_ID } from './vlan-ranges.js';

const Ip = z.string().refine(isIpv4, 'must be an IPv4 address');
const Vlan = z
  .union([z.number().int(), z.string()])
  .transform((v) => String(v).trim().toLowerCase().replace(/^vlan:\/\//, ''))
  .refine((v) => v === UNTAGGED_VLAN || (/^\d{1,4}$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_VLAN_ID), `must be ${UNTAGGED_VLAN} or a VLAN id 1-${MAX_VLAN_ID}`);

/** The most addresses one range may hold: a /16. Bigger blocks are added as several ranges. */
export const MAX_RANGE_ADDRESSES = 65_536;

/** Input of {@link IpRangeService.createVlanIpRange}. */
export const CreateVlanIpRangeInput = z.object({
  zoneId: z.string().min(1),
  /** The pod of a direct (basic-zone guest) range. */
  podId: z.string().min(1).optional(),
  /** True for a public range; false for a direct guest range of a basic zone's pod. */
  forVirtualNetwork: z.boolean().default(true),
  /** The physical network carrying the range; the zone's network for its traffic when absent. */
  physicalNetworkId: z.string().min(1).optional(),
  vlan: Vlan.default(UNTAGGED_VLAN),
  gateway: Ip,
  netmask: Ip,
  startIp: Ip,
  /** Last address; `startIp` alone is a one-address range. */
  endIp: Ip.optional(),
  /** Dedicates a public range to this account (by name, in `domainId`), as `createVlanIpRange account=`. */
  account: z.string().trim().min(1).optional(),
  /** The domain of `account`. */
  domainId: z.string().min(1).optional(),
});
/** Input of {@link IpRangeService.createVlanIpRange}. */
export type CreateVlanIpRangeInput = z.input<typeof CreateVlanIpRangeInput>;

/** Input of {@link IpRangeService.createStorageNetworkIpRange}. */
export const CreateStorageNetworkIpRangeInput = z.object({
  podId: z.string().min(1),
  vlan: Vlan.default(UNTAGGED_VLAN),
  gateway: Ip,
  netmask: Ip,
  startIp: Ip,
  endIp: Ip.optional(),
});
/** Input of {@link IpRangeService.createStorageNetworkIpRange}. */
export type CreateStorageNetworkIpRangeInput = z.input<typeof CreateStorageNetworkIpRangeInput>;

/** Filters of {@link IpRangeService.list}. */
export const ListIpRangesInput = z.object({
  zoneId: z.string().optional(),
  podId: z.string().optional(),
  purpose: IpRangePurpose.optional(),
  physicalNetworkId: z.string().optional(),
});
/** Filters of {@link IpRangeService.list}. */
export type ListIpRangesInput = z.input<typeof ListIpRangesInput>;

interface RangeShape {
  readonly gateway: string;
  readonly netmask: string;
  readonly startIp: string;
  readonly endIp: string;
}

/**
 * IP ranges (guide §6.3, §2.8): public ranges per zone, direct guest ranges per pod of a basic
 * zone (inside the pod's subnet), and storage network ranges per pod. No range overlaps another
 * range or a pod's reserved range anywhere. Every address is materialised in the range's claim
 * pool, in batches, in the same transaction that records the range: all or nothing.
 */
@injectable()
export class IpRangeService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Adds a public range, or a direct guest range of a basic zone's pod (root admin). */
  async createVlanIpRange(caller: CallContext, input: CreateVlanIpRangeInput): Promise<VlanIpRange> {
    requireRootAdmin(caller, 'add an IP range');
    const spec = validate(CreateVlanIpRangeInput, input);
    const shape = { ...spec, endIp: spec.endIp ?? spec.startIp };
    const range = checkShape(shape);
    const purpose: IpRangePurpose = spec.forVirtualNetwork ? 'Public' : 'DirectGuest';
    return this.store.transaction(async (tx) => {
      const zone = await zoneOrFail(tx, spec.zoneId);
      let podId: string | undefined;
      if (purpose === 'DirectGuest') {
        if (zone.networkType !== 'Basic') {
          throw invalidParameter('forvirtualnetwork', `direct guest ranges of advanced zone ${zone.name} belong to guest networks; add them with the network`);
        }
        if (spec.podId === undefined) throw invalidParameter('podid', 'a direct guest range of a basic zone belongs to a pod');
        const pod = await podOrFail(tx, spec.podId);
        if (pod.zoneId !== zone.id) throw invalidParameter('podid', `pod ${pod.name} is not in zone ${zone.name}`);
        const podCidr = parseCidr(pod.cidr);
        if (podCidr === undefined || !cidrContains(podCidr, range.start) || !cidrContains(podCidr, range.end)) {
          throw invalidParameter('startip', `the range must lie inside pod ${pod.name}'s subnet ${pod.cidr}`);
        }
        podId = pod.id;
      } else if (spec.podId !== undefined) {
        throw invalidParameter('podid', 'a public range belongs to the zone, not to a pod');
      }
      const owner = await this.dedicatedOwner(tx, purpose, spec.account, spec.domainId);
      const network = await this.carrier(tx, zone, spec.physicalNetworkId, purpose === 'Public' ? 'Public' : 'Guest');
      if (spec.vlan !== UNTAGGED_VLAN && network.vlanRanges.some((r) => r.start <= Number(spec.vlan) && Number(spec.vlan) <= r.end)) {
        throw invalidParameter('vlan', `VLAN ${spec.vlan} is in the guest VLAN range of physical network ${network.name}`);
      }
      return this.insertRange(tx, caller, { zoneId: zone.id, podId, physicalNetworkId: network.id, purpose, vlan: spec.vlan, shape, range, owner }, 'VLAN.IP.RANGE.CREATE');
    });
  }

  /**
   * The account a new range is dedicated to, when `account` is given: only public ranges can
   * be, `account` needs its `domainId`, and the account must exist there.
   */
  private async dedicatedOwner(
    tx: Transaction,
    purpose: IpRangePurpose,
    account: string | undefined,
    domainId: string | undefined,
  ): Promise<{ accountId: string; domainId: string } | undefined> {
    if (account === undefined) {
      if (domainId !== undefined) throw invalidParameter('account', 'a range is dedicated to an account: give account together with domainid');
      return undefined;
    }
    if (purpose !== 'Public') throw invalidParameter('account', 'only public ranges can be dedicated to an account');
    if (domainId === undefined) throw invalidParameter('domainid', 'account needs the domain it belongs to');
    const found = await tx.repo('accounts').findOne({ domainId, name: account });
    if (found === undefined) throw invalidParameter('account', `there is no account ${account} in domain ${domainId}`);
    return { accountId: found.id, domainId };
  }

  /** Adds a storage network range to a pod (root admin). */
  async createStorageNetworkIpRange(caller: CallContext, input: CreateStorageNetworkIpRangeInput): Promise<VlanIpRange> {
    requireRootAdmin(caller, 'add a storage network IP range');
    const spec = validate(CreateStorageNetworkIpRangeInput, input);
    const shape = { ...spec, endIp: spec.endIp ?? spec.startIp };
    const range = checkShape(shape);
    return this.store.transaction(async (tx) => {
      const pod = await podOrFail(tx, spec.podId);
      const zone = await zoneOrFail(tx, pod.zoneId);
      const network = await this.carrier(tx, zone, undefined, 'Storage');
      return this.insertRange(tx, caller, { zoneId: zone.id, podId: pod.id, physicalNetworkId: network.id, purpose: 'Storage', vlan: spec.vlan, shape, range }, 'STORAGE.IP.RANGE.CREATE');
    });
  }

  /** Deletes a range none of whose addresses is in use (root admin); 536 otherwise. */
  async deleteVlanIpRange(caller: CallContext, input: { id: string }): Promise<void> {
    requireRootAdmin(caller, 'delete an IP range');
    const { id } = validate(z.object({ id: z.string().min(1) }), input);
    await this.store.transaction(async (tx) => {
      const range = await tx.repo('vlanIpRanges').get(id);
      if (range === undefined) throw notFound('IP range', 'id', id);
      await tx.pools.remove(ipRangePoolKey(range));
      await tx.repo('vlanIpRanges').delete(id, range.version);
      await this.events.record(tx, caller, {
        type: range.purpose === 'Storage' ? 'STORAGE.IP.RANGE.DELETE' : 'VLAN.IP.RANGE.DELETE',
        description: `Deleted ${range.purpose} range ${range.startIp}-${range.endIp}`,
        resourceType: 'VlanIpRange',
        resourceId: id,
      });
    });
  }

  /** Ranges (root admin). */
  async list(caller: CallContext, input: ListIpRangesInput = {}): Promise<VlanIpRange[]> {
    requireRootAdmin(caller, 'list IP ranges');
    const q = validate(ListIpRangesInput, input);
    return this.store.transaction(async (tx) =>
      (await tx.repo('vlanIpRanges').find({
        where: {
          ...(q.zoneId === undefined ? {} : { zoneId: q.zoneId }),
          ...(q.podId === undefined ? {} : { podId: q.podId }),
          ...(q.purpose === undefined ? {} : { purpose: q.purpose }),
          ...(q.physicalNetworkId === undefined ? {} : { physicalNetworkId: q.physicalNetworkId }),
        },
      })).items,
    );
  }

  /** The physical network of the zone carrying `traffic`: the named one (which must carry it) or the only one that does. */
  private async carrier(tx: Transaction, zone: Zone, physicalNetworkId: string | undefined, traffic: 'Public' | 'Guest' | 'Storage'): Promise<PhysicalNetwork> {
    if (physicalNetworkId !== undefined) {
      const network = await physicalNetworkOrFail(tx, physicalNetworkId);
      if (network.zoneId !== zone.id) throw invalidParameter('physicalnetworkid', `physical network ${network.name} is not in zone ${zone.name}`);
      const carries = await tx.repo('physicalNetworkTrafficTypes').findOne({ physicalNetworkId, trafficType: traffic });
      if (carries === undefined) throw invalidParameter('physicalnetworkid', `physical network ${network.name} carries no ${traffic} traffic`);
      return network;
    }
    const carrying = await tx.repo('physicalNetworkTrafficTypes').findOne({ zoneId: zone.id, trafficType: traffic });
    if (carrying === undefined) {
      throw invalidParameter(traffic === 'Storage' ? 'podid' : 'zoneid', `no physical network of zone ${zone.name} carries ${traffic} traffic`);
    }
    return physicalNetworkOrFail(tx, carrying.physicalNetworkId);
  }

  private async insertRange(
    tx: Transaction,
    caller: CallContext,
    what: {
      zoneId: string;
      podId: string | undefined;
      physicalNetworkId: string;
      purpose: IpRangePurpose;
      vlan: string;
      shape: RangeShape;
      range: Ipv4Range;
      owner?: { accountId: string; domainId: string } | undefined;
    },
    eventType: string,
  ): Promise<VlanIpRange> {
    await assertAddressesFree(tx, what.range, 'startip');
    const created = await tx.repo('vlanIpRanges').insert({
      id: this.random.uuid(),
      zoneId: what.zoneId,
      ...(what.podId === undefined ? {} : { podId: what.podId }),
      physicalNetworkId: what.physicalNetworkId,
      purpose: what.purpose,
      vlan: what.vlan,
      gateway: what.shape.gateway,
      netmask: what.shape.netmask,
      startIp: what.shape.startIp,
      endIp: what.shape.endIp,
      size: rangeSize(what.range),
      ...(what.owner === undefined ? {} : { accountId: what.owner.accountId, domainId: what.owner.domainId }),
      createdAt: isoNow(this.clock),
    });
    await materialiseAddresses(tx, ipRangePoolKey(created), what.range);
    await this.events.record(tx, caller, {
      type: eventType,
      description: `Added ${what.purpose} range ${created.startIp}-${created.endIp} (VLAN ${created.vlan})${what.owner === undefined ? '' : `, dedicated to account ${what.owner.accountId}`}`,
      resourceType: 'VlanIpRange',
      resourceId: created.id,
    });
    return created;
  }
}

/** Checks a range's own shape: start ≤ end, both inside gateway/netmask, gateway outside, not too big. */
function checkShape(shape: RangeShape): Ipv4Range {
  const cidr = cidrOf(shape.gateway, shape.netmask);
  if (cidr === undefined) throw invalidParameter('netmask', `${shape.netmask} is not a valid netmask`);
  const range = parseRange(shape.startIp, shape.endIp);
  if (range === undefined) throw invalidParameter('endip', `${shape.endIp} comes before ${shape.startIp}`);
  if (!cidrContains(cidr, range.start)) throw invalidParameter('startip', `${shape.startIp} is outside ${formatCidr(cidr)}`);
  if (!cidrContains(cidr, range.end)) throw invalidParameter('endip', `${shape.endIp} is outside ${formatCidr(cidr)}`);
  const gateway = parseIpv4(shape.gateway) as number;
  if (gateway >= range.start && gateway <= range.end) throw invalidParameter('gateway', `the gateway ${shape.gateway} lies inside the range`);
  if (rangeSize(range) > MAX_RANGE_ADDRESSES) throw invalidParameter('endip', `a range holds at most ${MAX_RANGE_ADDRESSES} addresses (a /16)`);
  return range;
}
