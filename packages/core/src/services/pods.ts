import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { requireRootAdmin } from '../context/authorize.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Store } from '../contracts/store.js';
import { invalidParameter, resourceInUse } from '../errors.js';
import {
  cidrContains,
  cidrOf,
  cidrRange,
  cidrsOverlap,
  formatCidr,
  formatIpv4,
  isIpv4,
  parseCidr,
  parseIpv4,
  parseRange,
  type Ipv4Cidr,
} from '../net/ipv4.js';
import { ALLOCATION_STATE_TRANSITIONS, AllocationState } from '../model/allocation-state.js';
import type { Pod } from '../model/pod.js';
import { assertTransition } from '../model/state-machine.js';
import { podIpPoolKey } from '../model/vlan-ip-range.js';
import { TOKENS } from '../tokens.js';
import { assertAddressesFree } from './address-space.js';
import { EventRecorder } from './event-recorder.js';
import { podOrFail, requireInfrastructureReader, zoneOrFail } from './infrastructure-lookups.js';
import { materialiseAddresses } from './ip-materialise.js';
import { validate } from './validate.js';

const Ip = z.string().refine(isIpv4, 'must be an IPv4 address');

/** Input of {@link PodService.create}. */
export const CreatePodInput = z.object({
  zoneId: z.string().min(1),
  name: z.string().min(1).max(255),
  /** Gateway of the pod's hosts. */
  gateway: Ip,
  /** Netmask of the pod's subnet (dotted, `255.255.255.0`). */
  netmask: Ip,
  /** First reserved system IP. */
  startIp: Ip,
  /** Last reserved system IP; the last host address of the subnet when absent. */
  endIp: Ip.optional(),
  allocationState: AllocationState.default('Enabled'),
});
/** Input of {@link PodService.create}. */
export type CreatePodInput = z.input<typeof CreatePodInput>;

/** Input of {@link PodService.update}. */
export const UpdatePodInput = z.object({
  id: z.string().min(1),
  name: z.string().min(1).max(255).optional(),
  allocationState: AllocationState.optional(),
});
/** Input of {@link PodService.update}. */
export type UpdatePodInput = z.input<typeof UpdatePodInput>;

/**
 * Pods (guide §6.4, §2.8.6): a subnet (gateway + netmask) and a reserved system IP range inside
 * it. Pod subnets and reserved ranges are unique across the cloud. The reserved addresses are
 * materialised in the pod's claim pool for system VMs.
 */
@injectable()
export class PodService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Creates a pod (root admin). */
  async create(caller: CallContext, input: CreatePodInput): Promise<Pod> {
    requireRootAdmin(caller, 'create a pod');
    const spec = validate(CreatePodInput, input);
    const cidr = cidrOf(spec.gateway, spec.netmask);
    if (cidr === undefined) throw invalidParameter('netmask', `${spec.netmask} is not a valid netmask`);
    if (cidr.prefix > 30) throw invalidParameter('netmask', 'a pod subnet needs at least a /30');
    const block = cidrRange(cidr);
    const endIp = spec.endIp ?? formatIpv4(block.end - 1);
    const reserved = parseRange(spec.startIp, endIp);
    if (reserved === undefined) throw invalidParameter('endip', `${endIp} comes before ${spec.startIp}`);
    checkInside(cidr, spec.startIp, 'startip');
    checkInside(cidr, endIp, 'endip');
    const gateway = parseIpv4(spec.gateway) as number;
    if (gateway >= reserved.start && gateway <= reserved.end) {
      throw invalidParameter('gateway', `the gateway ${spec.gateway} lies inside the reserved range ${spec.startIp}-${endIp}`);
    }
    return this.store.transaction(async (tx) => {
      await zoneOrFail(tx, spec.zoneId);
      for (const other of (await tx.repo('pods').find()).items) {
        const theirs = parseCidr(other.cidr);
        if (theirs !== undefined && cidrsOverlap(cidr, theirs)) {
          throw invalidParameter('netmask', `subnet ${formatCidr(cidr)} overlaps ${other.cidr} of pod ${other.name}`);
        }
      }
      await assertAddressesFree(tx, reserved, 'startip');
      const pod = await tx.repo('pods').insert({
        id: this.random.uuid(),
        zoneId: spec.zoneId,
        name: spec.name,
        gateway: spec.gateway,
        netmask: spec.netmask,
        cidr: formatCidr(cidr),
        startIp: spec.startIp,
        endIp,
        allocationState: spec.allocationState,
        createdAt: isoNow(this.clock),
      });
      await materialiseAddresses(tx, podIpPoolKey(pod.id), reserved);
      await this.events.record(tx, caller, { type: 'POD.CREATE', description: `Created pod ${pod.name} (${pod.cidr})`, resourceType: 'Pod', resourceId: pod.id });
      return pod;
    });
  }

  /** Renames a pod or changes its allocation state (root admin). */
  async update(caller: CallContext, input: UpdatePodInput): Promise<Pod> {
    requireRootAdmin(caller, 'update a pod');
    const change = validate(UpdatePodInput, input);
    return this.store.transaction(async (tx) => {
      const pod = await podOrFail(tx, change.id, 'id');
      if (change.allocationState !== undefined) assertTransition(ALLOCATION_STATE_TRANSITIONS, `Pod ${pod.name}`, pod.allocationState, change.allocationState, 'allocationstate');
      const updated = await tx.repo('pods').update({
        ...pod,
        ...(change.name === undefined ? {} : { name: change.name }),
        ...(change.allocationState === undefined ? {} : { allocationState: change.allocationState }),
      });
      await this.events.record(tx, caller, { type: 'POD.EDIT', description: `Updated pod ${updated.name}`, resourceType: 'Pod', resourceId: pod.id });
      return updated;
    });
  }

  /** Deletes a pod with no clusters, no IP ranges and no reserved IP in use (root admin). */
  async delete(caller: CallContext, input: { id: string }): Promise<void> {
    requireRootAdmin(caller, 'delete a pod');
    const { id } = validate(z.object({ id: z.string().min(1) }), input);
    await this.store.transaction(async (tx) => {
      const pod = await podOrFail(tx, id, 'id');
      if ((await tx.repo('clusters').count({ podId: id })) > 0) throw resourceInUse(`Pod ${pod.name} still has clusters`, 'id');
      if ((await tx.repo('vlanIpRanges').count({ podId: id })) > 0) throw resourceInUse(`Pod ${pod.name} still has IP ranges`, 'id');
      await tx.pools.remove(podIpPoolKey(id));
      await tx.repo('pods').delete(id, pod.version);
      await this.events.record(tx, caller, { type: 'POD.DELETE', description: `Deleted pod ${pod.name}`, resourceType: 'Pod', resourceId: id });
    });
  }

  /** Pods, optionally of one zone (admins). */
  async list(caller: CallContext, input: { zoneId?: string; name?: string } = {}): Promise<Pod[]> {
    requireInfrastructureReader(caller, 'list pods');
    const query = validate(z.object({ zoneId: z.string().optional(), name: z.string().optional() }), input);
    return this.store.transaction(async (tx) =>
      (await tx.repo('pods').find({
        where: { ...(query.zoneId === undefined ? {} : { zoneId: query.zoneId }), ...(query.name === undefined ? {} : { name: query.name }) },
      })).items,
    );
  }
}

function checkInside(cidr: Ipv4Cidr, address: string, param: string): void {
  if (!cidrContains(cidr, parseIpv4(address) as number)) throw invalidParameter(param, `${address} is outside the pod subnet ${formatCidr(cidr)}`);
}
