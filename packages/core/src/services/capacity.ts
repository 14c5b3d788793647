import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { ConfigReader } from '../config/config-reader.js';
import type { CallContext } from '../context/call-context.js';
import type { Store, Transaction } from '../contracts/store.js';
import { guestVlanPoolKey, ipRangePoolKey, podIpPoolKey } from '../model/vlan-ip-range.js';
import type { Zone } from '../model/zone.js';
import { TOKENS } from '../tokens.js';
import { CapacityKeys } from './capacity-keys.js';
import { requireInfrastructureReader } from './infrastructure-lookups.js';
import { validate } from './validate.js';

/** CloudStack's capacity type numbers (`Capacity.CAPACITY_TYPE_*`), as `listCapacity` reports them. */
export const CapacityType = {
  Memory: 0,
  Cpu: 1,
  Storage: 2,
  StorageAllocated: 3,
  PublicIp: 4,
  PrivateIp: 5,
  SecondaryStorage: 6,
  Vlan: 7,
  DirectAttachedPublicIp: 8,
} as const;
/** One of the {@link CapacityType} numbers. */
export type CapacityType = (typeof CapacityType)[keyof typeof CapacityType];

/** One line of `listCapacity`: a type's use and total in a zone, narrowed to a pod or cluster when asked. */
export interface CapacityEntry {
  /** The capacity type number. */
  readonly type: CapacityType;
  readonly zoneId: string;
  readonly zoneName: string;
  /** Set when the query named a pod (or a cluster, whose pod it is). */
  readonly podId?: string;
  /** Set when the query named a cluster. */
  readonly clusterId?: string;
  /** Used: MHz, bytes, addresses or VLANs. */
  readonly capacityUsed: number;
  /** Total, with over-provisioning applied for CPU, memory and allocated storage. */
  readonly capacityTotal: number;
  /** `used / total` as a percentage string with two decimals, as CloudStack shows it. */
  readonly percentUsed: string;
}

/** Filters of {@link CapacityService.list}. */
export const ListCapacityInput = z.object({
  zoneId: z.string().optional(),
  podId: z.string().optional(),
  clusterId: z.string().optional(),
  type: z.number().int().min(0).max(8).optional(),
});
/** Filters of {@link CapacityService.list}. */
export type ListCapacityInput = z.input<typeof ListCapacityInput>;

interface Tally {
  used: number;
  total: number;
}

/**
 * Capacity per zone, pod and cluster (what `listCapacity` shows): CPU and memory of the hosts
 * (times the cluster's over-provisioning factors), primary storage (used as reported, allocated
 * against size times `storage.overprovisioning.factor`), secondary storage, public, direct and
 * private (reserved) IPs from the claim pools, and guest VLANs. Used values come from the pools
 * and the allocation counters that later issues adjust.
 */
@injectable()
export class CapacityService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(ConfigReader) private readonly config: ConfigReader,
  ) {}

  /** Capacity entries (root and resource-domain admins). */
  async list(caller: CallContext, input: ListCapacityInput = {}): Promise<CapacityEntry[]> {
    requireInfrastructureReader(caller, 'list capacity');
    const q = validate(ListCapacityInput, input);
    return this.store.transaction(async (tx) => {
      const zones = (await tx.repo('zones').find({ where: q.zoneId === undefined ? {} : { id: q.zoneId } })).items;
      const entries: CapacityEntry[] = [];
      for (const zone of zones) entries.push(...(await this.zoneEntries(tx, zone, q.podId, q.clusterId)));
      return q.type === undefined ? entries : entries.filter((e) => e.type === q.type);
    });
  }

  private async zoneEntries(tx: Transaction, zone: Zone, podId: string | undefined, clusterId: string | undefined): Promise<CapacityEntry[]> {
    const tallies = new Map<CapacityType, Tally>();
    const add = (type: CapacityType, used: number, total: number) => {
      const t = tallies.get(type) ?? { used: 0, total: 0 };
      t.used += used;
      t.total += total;
      tallies.set(type, t);
    };
    const clusters = (await tx.repo('clusters').find({ where: { zoneId: zone.id } })).items.filter(
      (c) => (podId === undefined || c.podId === podId) && (clusterId === undefined || c.id === clusterId),
    );
    for (const cluster of clusters) {
      const cpuFactor = await this.config.number('cpu.overprovisioning.factor', { clusterId: cluster.id }, tx);
      const memFactor = await this.config.number('mem.overprovisioning.factor', { clusterId: cluster.id }, tx);
      for (const host of (await tx.repo('hosts').find({ where: { clusterId: cluster.id } })).items) {
        add(CapacityType.Cpu, await tx.counters.get(CapacityKeys.hostCpuMhz(host.id)), host.cpuNumber * host.cpuSpeed * cpuFactor);
        add(CapacityType.Memory, await tx.counters.get(CapacityKeys.hostMemoryBytes(host.id)), host.memoryTotal * memFactor);
      }
      for (const pool of (await tx.repo('storagePools').find({ where: { clusterId: cluster.id } })).items) {
        const factor = await this.config.number('storage.overprovisioning.factor', { storagePoolId: pool.id }, tx);
        add(CapacityType.Storage, pool.usedBytes, pool.capacityBytes);
        add(CapacityType.StorageAllocated, await tx.counters.get(CapacityKeys.poolAllocatedBytes(pool.id)), pool.capacityBytes * factor);
      }
    }
    if (clusterId === undefined) {
      const pods = (await tx.repo('pods').find({ where: { zoneId: zone.id } })).items.filter((p) => podId === undefined || p.id === podId);
      for (const pod of pods) {
        const stats = await tx.pools.stats(podIpPoolKey(pod.id));
        add(CapacityType.PrivateIp, stats.total - stats.free, stats.total);
      }
      for (const range of (await tx.repo('vlanIpRanges').find({ where: { zoneId: zone.id } })).items) {
        if (range.purpose === 'Storage') continue;
        if (podId !== undefined && range.podId !== podId) continue;
        const stats = await tx.pools.stats(ipRangePoolKey(range));
        add(range.purpose === 'Public' ? CapacityType.PublicIp : CapacityType.DirectAttachedPublicIp, stats.total - stats.free, stats.total);
      }
      if (podId === undefined) {
        for (const store of (await tx.repo('imageStores').find({ where: { zoneId: zone.id } })).items) add(CapacityType.SecondaryStorage, store.usedBytes, store.capacityBytes);
        for (const network of (await tx.repo('physicalNetworks').find({ where: { zoneId: zone.id } })).items) {
          const stats = await tx.pools.stats(guestVlanPoolKey(network.id));
          add(CapacityType.Vlan, stats.total - stats.free, stats.total);
        }
      }
    }
    const scope = {
      ...(podId === undefined ? (clusterId === undefined ? {} : { podId: clusters[0]?.podId }) : { podId }),
      ...(clusterId === undefined ? {} : { clusterId }),
    };
    return [...tallies.entries()]
      .sort(([a], [b]) => a - b)
      .map(([type, t]) => ({
        type,
        zoneId: zone.id,
        zoneName: zone.name,
        ...(scope.podId === undefined ? {} : { podId: scope.podId }),
        ...(scope.clusterId === undefined ? {} : { clusterId: scope.clusterId }),
        capacityUsed: t.used,
        capacityTotal: t.total,
        percentUsed: t.total === 0 ? '0.00' : ((t.used / t.total) * 100).toFixed(2),
      }));
  }
}
