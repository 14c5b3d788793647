/**
 * Counter keys for what is allocated against hosts, clusters and pools. Allocations are kept
 * in store counters (adjusted atomically with bounds), never on the rows themselves, so that
 * several management servers can reserve capacity without lost updates. The VM and volume
 * issues adjust these; the capacity service and host deletion read them.
 */
export const CapacityKeys = {
  /** Hosts in a cluster (bounded by the hypervisor's per-cluster limit). */
  clusterHosts: (clusterId: string) => `cluster:${clusterId}:hosts`,
  /** VMs placed on a host (a host with VMs cannot be deleted). */
  hostVms: (hostId: string) => `host:${hostId}:vms`,
  /** CPU MHz allocated on a host. */
  hostCpuMhz: (hostId: string) => `host:${hostId}:cpu`,
  /** Memory bytes allocated on a host. */
  hostMemoryBytes: (hostId: string) => `host:${hostId}:memory`,
  /** Bytes allocated (volumes) on a primary storage pool. */
  poolAllocatedBytes: (poolId: string) => `pool:${poolId}:allocated`,
  /** VMs of one account placed on a host (the user-dispersing allocator spreads by it). */
  hostAccountVms: (hostId: string, accountId: string) => `host:${hostId}:account:${accountId}:vms`,
  /** Guest VLANs held in a zone (bounded by the zone's `guest.vlan.bits` maximum). */
  zoneGuestVlans: (zoneId: string) => `zone:${zoneId}:guestvlans`,
  /** The last MAC sequence number handed out in a zone (fresh MACs are `02:00` + this, as 32 bits). */
  zoneMacSequence: (zoneId: string) => `zone:${zoneId}:macseq`,
} as const;
