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
} as const;
