import { AsyncLocalStorage } from 'node:async_hooks';
import type { PoolConnection } from 'mysql2/promise';
import { internalError, type AggregateName, type Store, type Transaction } from '@cloudstack-sdk/core';
import { ConnectionPool } from './connection-pool.js';
import { ManagementServers, type ManagementServerBeat } from './management-servers.js';
import { MIGRATIONS } from './migrations/index.js';
import { MysqlServerRegistry } from './mysql-server-registry.js';
import { migrate, type MigrationOutcome } from './migrations/migration-runner.js';
import { resolveOptions, type MysqlStoreOptions, type ResolvedMysqlStoreOptions } from './mysql-store-options.js';
import { CounterRaceLost } from './mysql-counters.js';
import { MysqlTransaction, asStoreError } from './mysql-transaction.js';
import { ServerFence } from './server-fence.js';
import { TransactionStats, type MysqlStoreStatistics } from './transaction-stats.js';
import { backoffDelay, lockConflictError, sleep } from './retry.js';
import { readCatalog, type AggregateTable } from './schema/schema-catalog.js';
import { isLockConflict } from './sql-errors.js';

type Attempt<R> = { readonly done: true; readonly value: R } | { readonly done: false; readonly conflict: unknown };

/** How a run of a transaction adjusts counters: accumulators deferred to its commit first, every counter locking after it lost a race for one. */
type CounterMode = 'deferred' | 'locking';

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

/** Rolls back; false when the connection is broken and must not go back to the pool. */
async function rollback(connection: PoolConnection, tx: MysqlTransaction): Promise<boolean> {
  if (tx.statements === 0) return true;
  try {
    await connection.query('ROLLBACK');
    return true;
  } catch {
    return false;
  }
}

/**
 * The MySQL/MariaDB store: a table per aggregate, claim pools and counters in tables of their
 * own, and the heartbeats of the management servers that share the database.
 *
 * Each transaction is one InnoDB transaction on one pooled connection, at READ COMMITTED:
 * every claim, counter adjustment and versioned update re-reads the latest committed row under
 * its row lock, so safety never rests on a snapshot, and READ COMMITTED takes no gap locks —
 * far fewer deadlocks between the many short transactions of concurrent allocations than
 * REPEATABLE READ. A call made inside a running transaction of this store (same async context)
 * joins it. A transaction that loses a deadlock or lock wait is rolled back and run again, a
 * bounded number of times with jittered backoff, then fails with a 530 (cserrorcode 4300) — so
 * transaction functions must be safe to rerun (they are, when they only touch the store).
 *
 * `init()` applies the migrations under a database lock and refuses to start on a schema newer
 * than this code, or one lacking a table for an aggregate core declares.
 *
 * Once its management server registers through {@link MysqlStore.serverRegistry} (as a
 * `ManagementServerMonitor` does), every transaction that wrote checks before COMMIT that the
 * server still owns its work ({@link ServerFence}); after a survivor took it over, the store
 * refuses writes for good.
 */
export class MysqlStore implements Store {
  private readonly options: ResolvedMysqlStoreOptions;
  private readonly pool: ConnectionPool;
  private readonly current = new AsyncLocalStorage<MysqlTransaction>();
  private readonly servers: ManagementServers;
  private readonly registry: MysqlServerRegistry;
  private readonly fence = new ServerFence();
  private readonly stats = new TransactionStats();
  private catalog: ReadonlyMap<AggregateName, AggregateTable> | undefined;
  private starting: Promise<void> | undefined;
  private outcome: MigrationOutcome | undefined;

  /** A store on the database a URL (`mysql://user:pass@host:port/db?…`) or options name; nothing connects before `init()`. */
  constructor(options: MysqlStoreOptions | string) {
    this.options = resolveOptions(typeof options === 'string' ? { url: options } : options);
    this.pool = new ConnectionPool(this.options);
    this.servers = new ManagementServers((fn) => this.pool.withConnection(fn));
    this.registry = new MysqlServerRegistry(this.servers, this.fence);
  }

  /**
   * Core's `ServerRegistry` on this database's heartbeat rows, for a `ManagementServerMonitor`:
   * `new ManagementServerMonitor(cloud, store.serverRegistry, { heartbeatMs, deadAfterMs })`.
   */
  get serverRegistry(): MysqlServerRegistry {
    return this.registry;
  }

  /** The database the store lives in. */
  get database(): string {
    return this.options.connection.database;
  }

  /**
   * Why this store refuses writes, once its management server was fenced (taken over by
   * another while it still ran); undefined while it may write. See {@link ServerFence}.
   */
  get fenced(): Error | undefined {
    return this.fence.fenced;
  }

  /** What `init()` migrated: the versions it applied and the schema version; undefined before `init()`. */
  get migrationOutcome(): MigrationOutcome | undefined {
    return this.outcome;
  }

  /**
   * Migrates the schema (under the database's lock) and reads it; refuses to start on a schema
   * newer than this code or one lacking an aggregate's table. Safe to call more than once.
   */
  async init(): Promise<void> {
    this.starting ??= this.start().catch((error: unknown) => {
      this.starting = undefined;
      throw asStoreError(error, `Preparing MySQL database ${this.database} failed`);
    });
    return this.starting;
  }

  /**
   * Runs `fn` in one InnoDB transaction (joining the running one of this store in the same async
   * context), rerunning it after a lost deadlock or lock wait as the retry policy allows.
   */
  async transaction<R>(fn: (tx: Transaction) => Promise<R>): Promise<R> {
    const outer = this.current.getStore();
    if (outer !== undefined && outer.open) return fn(outer);
    const catalog = this.catalog;
    if (catalog === undefined) throw internalError('The MySQL store is not ready: call init() before the first transaction');
    const { retry } = this.options;
    let counters: CounterMode = 'deferred';
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.attempt(catalog, fn, counters);
      if (outcome.done) return outcome.value;
      if (outcome.conflict instanceof CounterRaceLost) {
        // Lost the room on a counter to a concurrent transaction: run again holding counter
        // locks from the first adjustment, so this time the function sees the refusal.
        this.stats.counterRace();
        counters = 'locking';
        continue;
      }
      const rerun = attempt < retry.attempts;
      this.stats.conflict(outcome.conflict, rerun);
      if (!rerun) throw lockConflictError(outcome.conflict, attempt);
      const delay = backoffDelay(attempt, retry);
      this.stats.backedOff(delay);
      await sleep(delay);
    }
  }

  /** What this store's transactions have done so far: runs, reruns after lock conflicts, waits. */
  statistics(): MysqlStoreStatistics {
    return this.stats.snapshot();
  }

  /** Closes the connection pool. */
  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Records that management server `serverId` is alive (registering it on its first beat). */
  async heartbeat(serverId: string): Promise<void> {
    await this.servers.heartbeat(serverId);
  }

  /** Every registered management server, longest silent first. */
  async listServers(): Promise<ManagementServerBeat[]> {
    return this.servers.list();
  }

  /** The management servers whose heartbeat stopped more than `silentForMs` ago: candidates for takeover. */
  async findStaleServers(silentForMs: number): Promise<ManagementServerBeat[]> {
    return this.servers.findStale(silentForMs);
  }

  /** Removes a management server's heartbeat row; false when there was none. */
  async removeServer(serverId: string): Promise<boolean> {
    return this.servers.remove(serverId);
  }

  private async start(): Promise<void> {
    const { migrationLockTimeoutSeconds } = this.options;
    this.outcome = await this.pool.withConnection((sql) => migrate(sql, this.database, MIGRATIONS, migrationLockTimeoutSeconds));
    this.catalog = await this.pool.withConnection((sql) => readCatalog(sql));
  }

  /** One run of a transaction: its result, or the lock conflict that doomed it. */
  private async attempt<R>(catalog: ReadonlyMap<AggregateName, AggregateTable>, fn: (tx: Transaction) => Promise<R>, counters: CounterMode): Promise<Attempt<R>> {
    let connection: PoolConnection;
    const asked = performance.now();
    try {
      connection = await this.pool.acquire();
    } catch (error) {
      throw asStoreError(error, `Connecting to MySQL database ${this.database} failed`);
    }
    this.stats.waitedForConnection(performance.now() - asked);
    const tx = new MysqlTransaction(connection, catalog, this.fence, counters === 'deferred' ? this.options.deferCounters : undefined);
    let healthy = true;
    try {
      // Autocommit is off on the store's connections: the first statement opens the transaction.
      let value: R;
      try {
        value = await this.current.run(tx, () => fn(tx));
        // Deferred counter adjustments, then the split-brain guard (a registered server commits
        // only while it still owns its work).
        if (tx.conflict === undefined) await tx.prepareCommit();
      } catch (error) {
        tx.open = false;
        healthy = await rollback(connection, tx);
        if (tx.conflict !== undefined) return { done: false, conflict: tx.conflict };
        if (error instanceof CounterRaceLost) return { done: false, conflict: error };
        this.stats.finished();
        throw error;
      }
      tx.open = false;
      if (tx.conflict !== undefined) {
        // The function swallowed the conflict, but the server already undid its work.
        healthy = await rollback(connection, tx);
        return { done: false, conflict: tx.conflict };
      }
      try {
        if (tx.statements > 0) await connection.query('COMMIT');
      } catch (error) {
        healthy = await rollback(connection, tx);
        if (isLockConflict(error)) return { done: false, conflict: error };
        throw asStoreError(error, 'Committing the transaction failed');
      }
      this.stats.finished();
      for (const hook of tx.commitHooks) runHook(hook);
      return { done: true, value };
    } finally {
      this.stats.sent(tx.statements);
      if (healthy) connection.release();
      else connection.destroy();
    }
  }
}
