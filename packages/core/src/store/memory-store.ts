import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  ClaimPools,
  CounterAdjustment,
  CounterBounds,
  Counters,
  Entity,
  Filter,
  NewEntity,
  Page,
  PoolClaim,
  PoolStats,
  Query,
  Repository,
  Store,
  Transaction,
} from '../contracts/store.js';
import { AGGREGATE_NAMES, AGGREGATE_SPECS, type AggregateName, type Aggregates } from '../model/aggregates.js';
import { internalError } from '../errors.js';
import { AsyncMutex } from '../runtime/async-mutex.js';
import { copyPlain } from './copy-plain.js';
import { MemoryPools } from './memory-pools.js';
import { MemoryTable, type Undo } from './memory-table.js';

/** A transaction of the memory store: an undo log over state that only it may touch while open. */
class MemoryTransaction implements Transaction {
  readonly undos: Undo[] = [];
  readonly commitHooks: (() => void)[] = [];
  open = true;
  readonly pools: ClaimPools;
  readonly counters: Counters;
  private readonly repos = new Map<AggregateName, Repository<Entity>>();

  constructor(private readonly store: MemoryStore) {
    this.pools = new MemoryPoolsView(this, store.poolState);
    this.counters = new MemoryCountersView(this, store.counterState);
  }

  repo<K extends AggregateName>(name: K): Repository<Aggregates[K]> {
    let repo = this.repos.get(name);
    if (repo === undefined) {
      repo = new MemoryRepository(this, this.store.table(name) as unknown as MemoryTable<Entity>);
      this.repos.set(name, repo);
    }
    return repo as unknown as Repository<Aggregates[K]>;
  }

  afterCommit(fn: () => void): void {
    this.guard();
    this.commitHooks.push(fn);
  }

  /** Throws when the transaction has ended: a handle kept past its transaction must not write. */
  guard(): void {
    if (!this.open) throw internalError('This transaction has already ended; open a new one');
  }

  record(undo: Undo): void {
    this.undos.push(undo);
  }
}

class MemoryRepository<T extends Entity> implements Repository<T> {
  constructor(
    private readonly tx: MemoryTransaction,
    private readonly table: MemoryTable<T>,
  ) {}

  async get(id: string): Promise<T | undefined> {
    this.tx.guard();
    const row = this.table.peek(id);
    return row === undefined ? undefined : copyPlain(row);
  }

  async find(query: Query<T> = {}): Promise<Page<T>> {
    this.tx.guard();
    return this.table.find(query);
  }

  async findOne(where: Filter<T>): Promise<T | undefined> {
    this.tx.guard();
    return this.table.find({ where, limit: 1 }).items[0];
  }

  async count(where?: Filter<T>): Promise<number> {
    this.tx.guard();
    return this.table.find(where === undefined ? { limit: 0 } : { where, limit: 0 }).total;
  }

  async insert(entity: NewEntity<T>): Promise<T> {
    this.tx.guard();
    const row = { ...copyPlain(entity), version: 1 } as unknown as T;
    this.tx.record(this.table.insert(row));
    return copyPlain(row);
  }

  async update(entity: T): Promise<T> {
    this.tx.guard();
    const { stored, undo } = this.table.update(entity, entity.version + 1);
    this.tx.record(undo);
    return copyPlain(stored);
  }

  async delete(id: string, expectedVersion?: number): Promise<boolean> {
    this.tx.guard();
    const undo = this.table.delete(id, expectedVersion);
    if (undo === undefined) return false;
    this.tx.record(undo);
    return true;
  }
}

class MemoryPoolsView implements ClaimPools {
  constructor(
    private readonly tx: MemoryTransaction,
    private readonly state: MemoryPools,
  ) {}

  async add(pool: string, items: readonly string[]): Promise<number> {
    this.tx.guard();
    const { added, undo } = this.state.add(pool, items);
    this.tx.record(undo);
    return added;
  }

  async remove(pool: string, items?: readonly string[]): Promise<number> {
    this.tx.guard();
    const { removed, undo } = this.state.remove(pool, items);
    this.tx.record(undo);
    return removed;
  }

  async claim(
    pool: string,
    holder: string,
    options: { readonly preferred?: string; readonly onlyPreferred?: boolean } = {},
  ): Promise<string | undefined> {
    this.tx.guard();
    const { item, undo } = this.state.claim(pool, holder, options.preferred, options.onlyPreferred ?? false);
    if (undo !== undefined) this.tx.record(undo);
    return item;
  }

  async release(pool: string, item: string, holder?: string): Promise<boolean> {
    this.tx.guard();
    const undo = this.state.release(pool, item, holder);
    if (undo === undefined) return false;
    this.tx.record(undo);
    return true;
  }

  async releaseAll(holder: string, pool?: string): Promise<number> {
    this.tx.guard();
    const { released, undo } = this.state.releaseAll(holder, pool);
    this.tx.record(undo);
    return released;
  }

  async holderOf(pool: string, item: string): Promise<string | null | undefined> {
    this.tx.guard();
    return this.state.holderOf(pool, item);
  }

  async heldBy(holder: string, pool?: string): Promise<PoolClaim[]> {
    this.tx.guard();
    return this.state.heldBy(holder, pool);
  }

  async stats(pool: string): Promise<PoolStats> {
    this.tx.guard();
    return this.state.stats(pool);
  }
}

class MemoryCountersView implements Counters {
  constructor(
    private readonly tx: MemoryTransaction,
    private readonly state: Map<string, number>,
  ) {}

  async get(key: string): Promise<number> {
    this.tx.guard();
    return this.state.get(key) ?? 0;
  }

  async list(prefix: string): Promise<Map<string, number>> {
    this.tx.guard();
    const out = new Map<string, number>();
    for (const [key, value] of this.state) if (key.startsWith(prefix)) out.set(key, value);
    return out;
  }

  async adjust(key: string, delta: number, bounds: CounterBounds = {}): Promise<CounterAdjustment> {
    this.tx.guard();
    const current = this.state.get(key) ?? 0;
    const next = current + delta;
    if ((bounds.max !== undefined && next > bounds.max) || (bounds.min !== undefined && next < bounds.min)) {
      return { ok: false, value: current };
    }
    this.write(key, next);
    return { ok: true, value: next };
  }

  async set(key: string, value: number): Promise<void> {
    this.tx.guard();
    this.write(key, value);
  }

  async delete(key: string): Promise<void> {
    this.tx.guard();
    this.write(key, undefined);
  }

  private write(key: string, value: number | undefined): void {
    const had = this.state.has(key);
    const previous = this.state.get(key);
    if (value === undefined) this.state.delete(key);
    else this.state.set(key, value);
    this.tx.record(() => {
      if (had && previous !== undefined) this.state.set(key, previous);
      else this.state.delete(key);
    });
  }
}

/** Runs an after-commit hook; its failure cannot undo a committed transaction, so it is reported, not thrown. */
function runHook(hook: () => void): void {
  try {
    hook();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

/**
 * The embedded default store: everything in process memory, nothing on disk.
 *
 * Transactions run one at a time (first come, first served), so they are serializable: none
 * sees another's uncommitted writes and no item is ever claimed twice. Each transaction keeps
 * an undo log; when its function throws, the log is replayed backwards and the state is exactly
 * as before. Rows are copied in and out, so a caller can never change stored state by mutating
 * an object it was given. Keep transactions short: call drivers outside them, as the rules of
 * the house require.
 */
export class MemoryStore implements Store {
  /** @internal */
  readonly poolState = new MemoryPools();
  /** @internal */
  readonly counterState = new Map<string, number>();
  private readonly tables = new Map<AggregateName, MemoryTable<Entity>>();
  private readonly mutex = new AsyncMutex();
  private readonly current = new AsyncLocalStorage<MemoryTransaction>();

  constructor() {
    for (const name of AGGREGATE_NAMES) {
      this.tables.set(name, new MemoryTable<Entity>(name, AGGREGATE_SPECS[name] as never));
    }
  }

  /** @internal */
  table<K extends AggregateName>(name: K): MemoryTable<Aggregates[K]> {
    const table = this.tables.get(name);
    if (table === undefined) throw internalError(`Unknown aggregate ${name}`);
    return table as unknown as MemoryTable<Aggregates[K]>;
  }

  async init(): Promise<void> {
    // Nothing to prepare: tables exist from construction.
  }

  async close(): Promise<void> {
    // Nothing to release.
  }

  async transaction<R>(fn: (tx: Transaction) => Promise<R>): Promise<R> {
    const outer = this.current.getStore();
    if (outer !== undefined && outer.open) return fn(outer);
    return this.mutex.run(async () => {
      const tx = new MemoryTransaction(this);
      let result: R;
      try {
        result = await this.current.run(tx, () => fn(tx));
      } catch (error) {
        tx.open = false;
        for (let i = tx.undos.length - 1; i >= 0; i -= 1) tx.undos[i]?.();
        throw error;
      }
      tx.open = false;
      for (const hook of tx.commitHooks) runHook(hook);
      return result;
    });
  }

  /**
   * Everything the store holds, as one JSON string: every table, pool and counter. For tests
   * that check what rests in the store (no plain-text secret, nothing left behind).
   */
  rawContent(): string {
    const tables: Record<string, unknown[]> = {};
    for (const [name, table] of this.tables) tables[name] = Array.from(table.all());
    return JSON.stringify({
      tables,
      pools: this.poolState.snapshot(),
      counters: Object.fromEntries(this.counterState),
    });
  }
}
