import type { HypervisorType } from '../contracts/hypervisor.js';
import type { StoragePool } from '../model/storage-pool.js';
import type { HostFacts } from './host-eligibility.js';
import type { Rejection } from './rejection.js';

/** The facts of a pool the eligibility rules look at. */
export type PoolFacts = Pick<StoragePool, 'id' | 'name' | 'clusterId' | 'protocol' | 'hypervisorType' | 'server' | 'tags' | 'state' | 'capacityBytes'>;

/** What the VM's root volume needs of a pool. */
export interface PoolNeeds {
  /** Tags the pool must all carry. */
  readonly storageTags: readonly string[];
  /** Host-local storage rather than shared. */
  readonly local: boolean;
  /** The cluster's hypervisor. */
  readonly hypervisorType: HypervisorType;
}

/**
 * Whether a pool is host-local storage: a `Filesystem` pool (the host's own disk, CloudStack's
 * `LocalStorage`/host scope). Every other protocol is shared by the cluster's hosts.
 */
export function isLocalPool(pool: Pick<StoragePool, 'protocol'>): boolean {
  return pool.protocol === 'Filesystem';
}

/**
 * Whether a local pool is on `host`. The pool row has no host column, so a local pool names its
 * host in `server` (the host's id, name or IP address), as the host reported it.
 */
export function isPoolOfHost(pool: Pick<StoragePool, 'server'>, host: Pick<HostFacts, 'id' | 'name'> & { readonly ipAddress?: string | undefined }): boolean {
  return pool.server !== undefined && (pool.server === host.id || pool.server === host.name || pool.server === host.ipAddress);
}

/**
 * Why a pool cannot hold the VM's root volume regardless of what is allocated on it, or
 * undefined when it can: Up, of the cluster's hypervisor, local or shared as asked (a local
 * pool must be the host's own), carrying every storage tag.
 */
export function poolRejection(pool: PoolFacts, host: Pick<HostFacts, 'id' | 'name'> & { readonly ipAddress?: string | undefined }, needs: PoolNeeds): Rejection | undefined {
  if (pool.state !== 'Up') return { kind: 'noPool', detail: `pool ${pool.name} is ${pool.state}` };
  if (pool.hypervisorType !== needs.hypervisorType) return { kind: 'noPool', detail: `pool ${pool.name} is for ${pool.hypervisorType}` };
  const local = isLocalPool(pool);
  if (local !== needs.local) return { kind: 'localStorage', detail: `pool ${pool.name} is ${local ? 'local' : 'shared'} storage, the VM needs ${needs.local ? 'local' : 'shared'}` };
  if (local && !isPoolOfHost(pool, host)) return { kind: 'localStorage', detail: `local pool ${pool.name} is not on host ${host.name}` };
  const missing = needs.storageTags.filter((t) => !pool.tags.includes(t));
  if (missing.length > 0) return { kind: 'storageTag', detail: `pool ${pool.name} lacks storage tag(s) ${missing.join(',')}` };
  return undefined;
}

/** The most bytes that may be allocated on a pool: its size × `storage.overprovisioning.factor`. */
export function poolByteLimit(pool: Pick<StoragePool, 'capacityBytes'>, factor: number): number {
  return Math.floor(pool.capacityBytes * factor);
}
