import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import type { Transaction } from '../contracts/store.js';
import { insufficientCapacity, notFound } from '../errors.js';
import type { Host } from '../model/host.js';
import type { StoragePool } from '../model/storage-pool.js';
import { CapacityKeys } from '../services/capacity-keys.js';
import { CapacityIndex } from './capacity-index.js';
import { hostCpuLimit, hostMemoryLimit } from './host-eligibility.js';
import type { ReservationTarget, ReservedAmounts } from './placement.js';
import { poolByteLimit } from './pool-eligibility.js';
import type { Rejection } from './rejection.js';

/** The over-provisioning factors that bound a host's and a pool's allocations. */
export interface OverprovisioningFactors {
  /** `cpu.overprovisioning.factor` of the host's cluster. */
  readonly cpu: number;
  /** `mem.overprovisioning.factor` of the host's cluster. */
  readonly memory: number;
  /** `storage.overprovisioning.factor` of the pool. */
  readonly storage: number;
}

/** Rows and factors read inside the claiming transaction, handed to {@link CapacityReservations.claim}. */
export interface ClaimSubject {
  readonly host: Host;
  readonly pool: StoragePool | undefined;
  readonly accountId: string | undefined;
  readonly factors: OverprovisioningFactors;
}

/** The outcome of a claim: done, or refused with what was short (nothing is left claimed). */
export type ClaimOutcome = { readonly ok: true } | { readonly ok: false; readonly rejection: Rejection };

/**
 * Host and pool capacity reservations, as bounded store counters (the keys of
 * `capacity-keys.ts`, which the capacity view and host deletion read). A claim adjusts CPU MHz
 * and memory bytes with `max` = total × the cluster's over-provisioning factor and pool bytes
 * with `max` = size × `storage.overprovisioning.factor`, each bound computed from rows read in
 * the same transaction: the store applies each adjustment atomically, so racing deployers —
 * in one process or several — can never take a host or pool past its bound.
 */
@injectable()
export class CapacityReservations {
  constructor(
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(CapacityIndex) private readonly index: CapacityIndex,
  ) {}

  /** The over-provisioning factors for a host's cluster and a pool, read in `tx`. */
  async factors(tx: Transaction, clusterId: string, poolId: string | undefined): Promise<OverprovisioningFactors> {
    return {
      cpu: await this.config.number('cpu.overprovisioning.factor', { clusterId }, tx),
      memory: await this.config.number('mem.overprovisioning.factor', { clusterId }, tx),
      storage: poolId === undefined ? 1 : await this.config.number('storage.overprovisioning.factor', { storagePoolId: poolId }, tx),
    };
  }

  /**
   * Reserves `amounts` on a host (and pool) in `tx`: 533 naming what was short (CPU, memory,
   * storage) when a bound would be passed, with nothing claimed. Call it in the transaction
   * that records the VM, so a rollback gives the capacity back.
   */
  async reserve(tx: Transaction, target: ReservationTarget, amounts: ReservedAmounts): Promise<void> {
    const host = await tx.repo('hosts').get(target.hostId);
    if (host === undefined) throw notFound('host', 'hostid', target.hostId);
    const pool = target.poolId === undefined ? undefined : await tx.repo('storagePools').get(target.poolId);
    if (target.poolId !== undefined && pool === undefined) throw notFound('storage pool', 'storageid', target.poolId);
    const factors = await this.factors(tx, host.clusterId, pool?.id);
    const outcome = await this.claim(tx, { host, pool, accountId: target.accountId, factors }, amounts);
    if (outcome.ok) {
      tx.afterCommit(() => {
        this.index.noteUsage(host.id, { cpuMhz: amounts.cpuMhz, memoryBytes: amounts.memoryBytes });
        if (pool !== undefined) this.index.notePoolUsage(pool.id, { bytes: amounts.diskBytes });
      });
    }
    if (!outcome.ok) throw insufficientCapacity(outcome.rejection.kind === 'storage' ? 'storage' : outcome.rejection.kind === 'cpu' ? 'CPU' : 'memory', outcome.rejection.detail);
  }

  /**
   * Claims in `tx` against rows the caller read in `tx`; on a shortfall every adjustment made
   * so far is undone and the rejection says what was short and how much was free.
   */
  async claim(tx: Transaction, subject: ClaimSubject, amounts: ReservedAmounts): Promise<ClaimOutcome> {
    const { host, pool, factors } = subject;
    const counters = tx.counters;
    const cpuKey = CapacityKeys.hostCpuMhz(host.id);
    const memKey = CapacityKeys.hostMemoryBytes(host.id);
    const cpuMax = hostCpuLimit(host, factors.cpu);
    const cpu = await counters.adjust(cpuKey, amounts.cpuMhz, { max: cpuMax });
    if (!cpu.ok) {
      return { ok: false, rejection: { kind: 'cpu', detail: `host ${host.name} has ${cpuMax - cpu.value} MHz free, the VM needs ${amounts.cpuMhz} MHz` } };
    }
    const memMax = hostMemoryLimit(host, factors.memory);
    const mem = await counters.adjust(memKey, amounts.memoryBytes, { max: memMax });
    if (!mem.ok) {
      await counters.adjust(cpuKey, -amounts.cpuMhz);
      return { ok: false, rejection: { kind: 'memory', detail: `host ${host.name} has ${mib(memMax - mem.value)} MB free, the VM needs ${mib(amounts.memoryBytes)} MB` } };
    }
    if (pool !== undefined) {
      const poolMax = poolByteLimit(pool, factors.storage);
      const bytes = await counters.adjust(CapacityKeys.poolAllocatedBytes(pool.id), amounts.diskBytes, { max: poolMax });
      if (!bytes.ok) {
        await counters.adjust(cpuKey, -amounts.cpuMhz);
        await counters.adjust(memKey, -amounts.memoryBytes);
        return { ok: false, rejection: { kind: 'storage', detail: `pool ${pool.name} has ${poolMax - bytes.value} bytes unallocated, the volume needs ${amounts.diskBytes}` } };
      }
    }
    await counters.adjust(CapacityKeys.hostVms(host.id), 1);
    if (subject.accountId !== undefined) await counters.adjust(CapacityKeys.hostAccountVms(host.id, subject.accountId), 1);
    return { ok: true };
  }

  /** Whether {@link claim} would succeed now, claiming nothing (for "where would this go"). */
  async fits(tx: Transaction, subject: ClaimSubject, amounts: ReservedAmounts): Promise<ClaimOutcome> {
    const { host, pool, factors } = subject;
    const cpuMax = hostCpuLimit(host, factors.cpu);
    const cpuUsed = await tx.counters.get(CapacityKeys.hostCpuMhz(host.id));
    if (cpuUsed + amounts.cpuMhz > cpuMax) {
      return { ok: false, rejection: { kind: 'cpu', detail: `host ${host.name} has ${cpuMax - cpuUsed} MHz free, the VM needs ${amounts.cpuMhz} MHz` } };
    }
    const memMax = hostMemoryLimit(host, factors.memory);
    const memUsed = await tx.counters.get(CapacityKeys.hostMemoryBytes(host.id));
    if (memUsed + amounts.memoryBytes > memMax) {
      return { ok: false, rejection: { kind: 'memory', detail: `host ${host.name} has ${mib(memMax - memUsed)} MB free, the VM needs ${mib(amounts.memoryBytes)} MB` } };
    }
    if (pool !== undefined) {
      const poolMax = poolByteLimit(pool, factors.storage);
      const allocated = await tx.counters.get(CapacityKeys.poolAllocatedBytes(pool.id));
      if (allocated + amounts.diskBytes > poolMax) {
        return { ok: false, rejection: { kind: 'storage', detail: `pool ${pool.name} has ${poolMax - allocated} bytes unallocated, the volume needs ${amounts.diskBytes}` } };
      }
    }
    return { ok: true };
  }

  /** Gives back what a reservation holds, in `tx`; counters never go below zero. */
  async release(tx: Transaction, target: ReservationTarget, amounts: ReservedAmounts): Promise<void> {
    await decrement(tx, CapacityKeys.hostCpuMhz(target.hostId), amounts.cpuMhz);
    await decrement(tx, CapacityKeys.hostMemoryBytes(target.hostId), amounts.memoryBytes);
    await decrement(tx, CapacityKeys.hostVms(target.hostId), 1);
    if (target.accountId !== undefined) {
      const key = CapacityKeys.hostAccountVms(target.hostId, target.accountId);
      await decrement(tx, key, 1);
      if ((await tx.counters.get(key)) === 0) await tx.counters.delete(key);
    }
    if (target.poolId !== undefined) await decrement(tx, CapacityKeys.poolAllocatedBytes(target.poolId), amounts.diskBytes);
    const poolId = target.poolId;
    tx.afterCommit(() => {
      this.index.noteUsage(target.hostId, { cpuMhz: -amounts.cpuMhz, memoryBytes: -amounts.memoryBytes });
      if (poolId !== undefined) this.index.notePoolUsage(poolId, { bytes: -amounts.diskBytes });
    });
  }
}

async function decrement(tx: Transaction, key: string, amount: number): Promise<void> {
  if (amount === 0) return;
  const outcome = await tx.counters.adjust(key, -amount, { min: 0 });
  if (!outcome.ok) await tx.counters.set(key, 0);
}

function mib(bytes: number): number {
  return Math.floor(bytes / (1024 * 1024));
}
