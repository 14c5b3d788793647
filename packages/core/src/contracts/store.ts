import type { AggregateName, Aggregates } from '../model/aggregates.js';

/** What every stored aggregate has: a UUID and a version that each update increments. */
export interface Entity {
  /** Lower-case UUID. */
  readonly id: string;
  /** Starts at 1; an update must present the version it read, and gets version + 1. */
  readonly version: number;
}

/** An entity as handed to `insert`: the store assigns version 1. */
export type NewEntity<T extends Entity> = Omit<T, 'version'> & { readonly version?: never };

/** A value a filter may compare a field with. */
export type Scalar = string | number | boolean | null;

/**
 * A condition on one field. A plain value in a {@link Filter} means `eq`; `null` matches a
 * field that is null or absent.
 */
export interface FieldCondition<V> {
  /** Equal to. */
  readonly eq?: V | null;
  /** Not equal to (an absent field is not equal to any value). */
  readonly ne?: V | null;
  /** Equal to one of. */
  readonly in?: readonly V[];
  /** Equal to none of. */
  readonly nin?: readonly V[];
  /** Greater than. */
  readonly gt?: V;
  /** Greater than or equal to. */
  readonly gte?: V;
  /** Less than. */
  readonly lt?: V;
  /** Less than or equal to. */
  readonly lte?: V;
  /** Case-insensitive substring match, as CloudStack's `keyword` does. */
  readonly like?: string;
  /** True: the field is set (not null or absent); false: it is not. */
  readonly exists?: boolean;
}

/**
 * Which entities a query selects: every named field must match (AND); `$or` adds alternatives
 * that must match at least once. Only top-level scalar fields can be filtered on.
 */
export type Filter<T> = {
  readonly [K in keyof T]?: T[K] | null | FieldCondition<T[K]>;
} & {
  /** At least one of these filters must match. */
  readonly $or?: readonly Filter<T>[];
};

/** A sort key. */
export interface OrderBy<T> {
  /** The field to sort on. */
  readonly field: keyof T & string;
  /** Ascending unless `desc`. */
  readonly direction?: 'asc' | 'desc';
}

/** A query: a filter, an order and a window. Without `orderBy` rows come in insertion order. */
export interface Query<T> {
  /** Which rows; all when absent. */
  readonly where?: Filter<T>;
  /** Sort keys, first one most significant. */
  readonly orderBy?: readonly OrderBy<T>[];
  /** Rows to skip. */
  readonly offset?: number;
  /** Rows to return at most; all when absent. */
  readonly limit?: number;
}

/** One page of a query: the rows in the window and the total number of matches. */
export interface Page<T> {
  /** The rows inside the window. */
  readonly items: T[];
  /** How many rows matched before the window was applied. */
  readonly total: number;
}

/** Typed access to one aggregate inside a transaction. */
export interface Repository<T extends Entity> {
  /** The entity with this id, or undefined. */
  get(id: string): Promise<T | undefined>;
  /** The rows a query selects, with the total count before paging. */
  find(query?: Query<T>): Promise<Page<T>>;
  /** The first row a filter selects, or undefined. */
  findOne(where: Filter<T>): Promise<T | undefined>;
  /** How many rows a filter selects. */
  count(where?: Filter<T>): Promise<number>;
  /**
   * Adds an entity with version 1. Fails with 431 naming the field when a unique constraint of
   * the aggregate would be broken, and with 530 when the id is taken.
   */
  insert(entity: NewEntity<T>): Promise<T>;
  /**
   * Replaces an entity. `entity.version` must be the stored version, or the update is refused
   * with a concurrent-modification error (530, cserrorcode 4300). Returns it with version + 1.
   */
  update(entity: T): Promise<T>;
  /**
   * Removes an entity; when `expectedVersion` is given it must match, as for `update`.
   * Returns false when there was nothing to remove.
   */
  delete(id: string, expectedVersion?: number): Promise<boolean>;
}

/** Free and total items of a claim pool. */
export interface PoolStats {
  /** All items of the pool. */
  readonly total: number;
  /** Items nobody holds. */
  readonly free: number;
}

/** Where a claimed item is: its pool, the item and who holds it. */
export interface PoolClaim {
  /** The pool's key. */
  readonly pool: string;
  /** The item (an address, a VLAN number, a MAC). */
  readonly item: string;
  /** The holder given when it was claimed. */
  readonly holder: string;
}

/**
 * Pools of scarce, individually claimable items — public and guest IPs, VLANs, MACs. Every
 * method is atomic in the store: two transactions never hold the same item, however they race,
 * in one process (memory store) or across processes (MySQL store).
 */
export interface ClaimPools {
  /** Adds items to a pool as free; items already in the pool are left as they are. Returns how many were new. */
  add(pool: string, items: readonly string[]): Promise<number>;
  /**
   * Removes items (all of the pool's when `items` is absent). Refused with 536 when any of them
   * is held; then nothing is removed. Returns how many were removed.
   */
  remove(pool: string, items?: readonly string[]): Promise<number>;
  /**
   * Claims one free item for `holder`: `preferred` when given and free, otherwise the
   * pool's first free item. Returns undefined when no item (or not the preferred one) is free.
   */
  claim(pool: string, holder: string, options?: { readonly preferred?: string; readonly onlyPreferred?: boolean }): Promise<string | undefined>;
  /** Releases an item; with `holder`, only if that holder has it. Returns whether it was released. */
  release(pool: string, item: string, holder?: string): Promise<boolean>;
  /** Releases everything `holder` holds (in one pool, or in all). Returns how many items. */
  releaseAll(holder: string, pool?: string): Promise<number>;
  /** Who holds an item: a holder, null when free, undefined when the pool has no such item. */
  holderOf(pool: string, item: string): Promise<string | null | undefined>;
  /** Everything a holder holds (in one pool, or in all). */
  heldBy(holder: string, pool?: string): Promise<PoolClaim[]>;
  /** Total and free items of a pool (zero and zero for an unknown pool). */
  stats(pool: string): Promise<PoolStats>;
}

/** Bounds a counter must stay within for an adjustment to apply. */
export interface CounterBounds {
  /** The counter may not go below this. */
  readonly min?: number;
  /** The counter may not go above this. */
  readonly max?: number;
}

/** The outcome of a bounded adjustment. */
export interface CounterAdjustment {
  /** Whether the adjustment applied. */
  readonly ok: boolean;
  /** The counter's value afterwards (unchanged when not ok). */
  readonly value: number;
}

/**
 * Named integer counters for capacity reservations and resource-limit usage, adjusted
 * atomically so that a limit is never overrun by racing transactions.
 */
export interface Counters {
  /** The counter's value; 0 when it was never set. */
  get(key: string): Promise<number>;
  /** The values of every counter whose key starts with `prefix`. */
  list(prefix: string): Promise<Map<string, number>>;
  /** Adds `delta` only if the result stays within `bounds`. */
  adjust(key: string, delta: number, bounds?: CounterBounds): Promise<CounterAdjustment>;
  /** Sets a counter. */
  set(key: string, value: number): Promise<void>;
  /** Removes a counter (it then reads as 0). */
  delete(key: string): Promise<void>;
}

/** One all-or-nothing unit of work against the store. */
export interface Transaction {
  /** The repository of one aggregate. */
  repo<K extends AggregateName>(name: K): Repository<Aggregates[K]>;
  /** The claim pools. */
  readonly pools: ClaimPools;
  /** The counters. */
  readonly counters: Counters;
  /**
   * Runs `fn` right after the transaction commits, before `transaction` resolves; never when it
   * rolls back. `fn` must not throw: the commit cannot be undone, so a throw is raised
   * asynchronously as an uncaught error.
   */
  afterCommit(fn: () => void): void;
}

/**
 * Where the cloud keeps its state. `transaction` runs `fn` with all-or-nothing semantics:
 * when `fn` throws, every write it made is undone and the error is rethrown; concurrent
 * transactions never see each other's uncommitted writes. A call made while a transaction of
 * the same store is running in the same async context joins that transaction.
 *
 * `fn` may run more than once: a store that loses a deadlock or a lock wait (MySQL) undoes
 * the attempt and runs `fn` again, a bounded number of times. So `fn` must have no effect
 * outside the store — device calls belong outside transactions (rule 3 of the house), and
 * work to do once the data is durable goes in `afterCommit`.
 *
 * Entities are plain JSON data: strings, numbers, booleans, null, arrays and objects. A key
 * whose value is `undefined` is not stored, and a `Date` does not come back as a `Date`.
 */
export interface Store {
  /** Prepares the store (schema, built-in rows); safe to call more than once. */
  init(): Promise<void>;
  /** Runs `fn` in a transaction and returns its result. */
  transaction<R>(fn: (tx: Transaction) => Promise<R>): Promise<R>;
  /** Releases connections and timers. */
  close(): Promise<void>;
}
