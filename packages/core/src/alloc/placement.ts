/** What a placement holds on its host and pool. */
export interface ReservedAmounts {
  /** CPU MHz on the host (cores × speed). */
  readonly cpuMhz: number;
  /** Memory bytes on the host. */
  readonly memoryBytes: number;
  /** Bytes allocated on the pool. */
  readonly diskBytes: number;
}

/** Where a reservation is claimed: a host, optionally a pool, optionally the owning account. */
export interface ReservationTarget {
  /** The host whose CPU, memory and VM count are claimed. */
  readonly hostId: string;
  /** The primary storage pool whose bytes are claimed. */
  readonly poolId?: string;
  /** The VM's owner: its per-host VM counter is kept for the user-dispersing allocator. */
  readonly accountId?: string;
}

/**
 * A claimed placement: the host and pool the planner chose and what was reserved on them.
 * Give it back with `CapacityReservations.release` (in the transaction that records the VM's
 * failure or removal).
 */
export interface Placement extends ReservationTarget {
  /** The host's zone. */
  readonly zoneId: string;
  /** The host's pod. */
  readonly podId: string;
  /** The host's cluster. */
  readonly clusterId: string;
  /** The host. */
  readonly hostId: string;
  /** The chosen primary storage pool. */
  readonly poolId: string;
  /** What was reserved. */
  readonly amounts: ReservedAmounts;
}

/** MB to bytes. */
export function mbToBytes(mb: number): number {
  return mb * 1024 * 1024;
}
