import type { PoolClaim, PoolStats } from '../contracts/store.js';
import { resourceInUse } from '../errors.js';
import type { Undo } from './memory-table.js';

interface Pool {
  /** item → holder, or null when free. */
  readonly items: Map<string, string | null>;
  /** Free items; claiming takes the first, so items are handed out in the order they were added. */
  readonly free: Set<string>;
}

/**
 * Claim pools in memory. Claiming the first free item is O(1) however full the pool is, so a
 * nearly exhausted /16 hands out addresses as fast as an empty one.
 */
export class MemoryPools {
  private readonly pools = new Map<string, Pool>();
  /** holder → pool → items, for releasing everything a holder has. */
  private readonly byHolder = new Map<string, Map<string, Set<string>>>();

  add(pool: string, items: readonly string[]): { added: number; undo: Undo } {
    const existed = this.pools.has(pool);
    const target = this.pool(pool);
    const fresh: string[] = [];
    for (const item of items) {
      if (target.items.has(item)) continue;
      target.items.set(item, null);
      target.free.add(item);
      fresh.push(item);
    }
    return {
      added: fresh.length,
      undo: () => {
        for (const item of fresh) {
          target.items.delete(item);
          target.free.delete(item);
        }
        // A pool this add brought into being goes with it, as if it never was.
        if (!existed && target.items.size === 0 && this.pools.get(pool) === target) this.pools.delete(pool);
      },
    };
  }

  remove(pool: string, items: readonly string[] | undefined): { removed: number; undo: Undo } {
    const target = this.pools.get(pool);
    if (target === undefined) return { removed: 0, undo: () => undefined };
    const doomed = items ?? Array.from(target.items.keys());
    for (const item of doomed) {
      const holder = target.items.get(item);
      if (holder !== undefined && holder !== null) {
        throw resourceInUse(`Item ${item} of ${pool} is held by ${holder}`);
      }
    }
    const removed: string[] = [];
    for (const item of doomed) {
      if (!target.items.has(item)) continue;
      target.items.delete(item);
      target.free.delete(item);
      removed.push(item);
    }
    return {
      removed: removed.length,
      undo: () => {
        for (const item of removed) {
          target.items.set(item, null);
          target.free.add(item);
        }
      },
    };
  }

  claim(pool: string, holder: string, preferred: string | undefined, onlyPreferred: boolean): { item?: string; undo?: Undo } {
    const target = this.pools.get(pool);
    if (target === undefined) return {};
    let item: string | undefined;
    if (preferred !== undefined && target.free.has(preferred)) item = preferred;
    else if (!onlyPreferred) item = target.free.values().next().value;
    if (item === undefined) return {};
    this.hold(pool, target, item, holder);
    const claimed = item;
    return { item: claimed, undo: () => this.unhold(pool, target, claimed) };
  }

  release(pool: string, item: string, holder: string | undefined): Undo | undefined {
    const target = this.pools.get(pool);
    const current = target?.items.get(item);
    if (target === undefined || current === undefined || current === null) return undefined;
    if (holder !== undefined && current !== holder) return undefined;
    this.unhold(pool, target, item);
    return () => this.hold(pool, target, item, current);
  }

  releaseAll(holder: string, pool: string | undefined): { released: number; undo: Undo } {
    const undos: Undo[] = [];
    for (const claim of this.heldBy(holder, pool)) {
      const undo = this.release(claim.pool, claim.item, holder);
      if (undo !== undefined) undos.push(undo);
    }
    return { released: undos.length, undo: () => undos.reverse().forEach((u) => u()) };
  }

  holderOf(pool: string, item: string): string | null | undefined {
    return this.pools.get(pool)?.items.get(item);
  }

  heldBy(holder: string, pool: string | undefined): PoolClaim[] {
    const pools = this.byHolder.get(holder);
    if (pools === undefined) return [];
    const claims: PoolClaim[] = [];
    for (const [name, items] of pools) {
      if (pool !== undefined && name !== pool) continue;
      for (const item of items) claims.push({ pool: name, item, holder });
    }
    return claims;
  }

  stats(pool: string): PoolStats {
    const target = this.pools.get(pool);
    return { total: target?.items.size ?? 0, free: target?.free.size ?? 0 };
  }

  /** Every pool with its items and holders, for raw dumps. */
  snapshot(): Record<string, Record<string, string | null>> {
    const out: Record<string, Record<string, string | null>> = {};
    for (const [name, pool] of this.pools) out[name] = Object.fromEntries(pool.items);
    return out;
  }

  private pool(name: string): Pool {
    let pool = this.pools.get(name);
    if (pool === undefined) {
      pool = { items: new Map(), free: new Set() };
      this.pools.set(name, pool);
    }
    return pool;
  }

  private hold(poolName: string, pool: Pool, item: string, holder: string): void {
    pool.items.set(item, holder);
    pool.free.delete(item);
    let pools = this.byHolder.get(holder);
    if (pools === undefined) this.byHolder.set(holder, (pools = new Map()));
    let items = pools.get(poolName);
    if (items === undefined) pools.set(poolName, (items = new Set()));
    items.add(item);
  }

  private unhold(poolName: string, pool: Pool, item: string): void {
    const holder = pool.items.get(item);
    pool.items.set(item, null);
    pool.free.add(item);
    if (holder === null || holder === undefined) return;
    const pools = this.byHolder.get(holder);
    const items = pools?.get(poolName);
    items?.delete(item);
    if (items !== undefined && items.size === 0) pools?.delete(poolName);
    if (pools !== undefined && pools.size === 0) this.byHolder.delete(holder);
  }
}
