/**
 * Which counters a {@link MysqlStore} adjusts at commit rather than where the adjustment is
 * made (`MysqlStoreOptions.deferCounters`). Deferring is right for an accumulator — a counter
 * whose adjustments only need their bounds kept, whatever order racing transactions commit in —
 * and wrong for a sequence, whose adjusted value callers use as a unique number: two deferred
 * adjustments could both read the same value.
 */
export type CounterDeferral = (key: string) => boolean;

/**
 * Core's accumulators: resource-limit usage (`usageCounterKey`: `limits:<owner>:<id>:<type>`),
 * host capacity and placements (`CapacityKeys.hostCpuMhz`, `hostMemoryBytes`, `hostVms`,
 * `hostAccountVms`), pool bytes (`poolAllocatedBytes`) and a zone's guest VLANs held
 * (`zoneGuestVlans`). Every deployment of an account adjusts its limit counters and every
 * placement its host's, so these are the hot rows. Anything else — the VM, router and MAC
 * sequences, a cluster's host places, keys this store does not know — is adjusted where it is
 * made, under its row lock, as a sequence needs.
 */
export const ACCUMULATOR_COUNTERS: CounterDeferral = (key) =>
  key.startsWith('limits:') ||
  /^host:[^:]+:(cpu|memory|vms)$/.test(key) ||
  /^host:[^:]+:account:[^:]+:vms$/.test(key) ||
  /^pool:[^:]+:allocated$/.test(key) ||
  /^zone:[^:]+:guestvlans$/.test(key);
