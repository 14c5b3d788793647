import type { PoolConnection } from 'mysql2/promise';
import {
  internalError,
  isCloudError,
  type AggregateName,
  type Aggregates,
  type ClaimPools,
  type Entity,
  type Repository,
  type Transaction,
} from '@cloudstack-sdk/core';
import { runnerOf, type SqlRow, type SqlRunner } from './connection-pool.js';
import { MysqlCounters } from './mysql-counters.js';
import { MysqlPools } from './mysql-pools.js';
import { MysqlRepository } from './mysql-repository.js';
import { lockConflictError } from './retry.js';
import type { AggregateTable } from './schema/schema-catalog.js';
import type { CounterDeferral } from './counter-policy.js';
import type { ServerFence } from './server-fence.js';
import { isLockConflict } from './sql-errors.js';

/**
 * One InnoDB transaction on one pooled connection. Every statement goes through `rows`/`exec`,
 * which refuse to run once the transaction has ended, and which remember a deadlock or lock wait
 * timeout: the server has then rolled the work back, so the transaction is doomed and the store
 * reruns it, whatever the caller's function did with the error.
 */
export class MysqlTransaction implements Transaction, SqlRunner {
  /** False once committed or rolled back. */
  open = true;
  /** The lock conflict that doomed this transaction, if one did. */
  conflict: unknown;
  /** Statements sent; none means the server never opened the transaction. */
  statements = 0;
  /** Statements sent that may change rows (`exec`); a transaction without any needs no fence check. */
  writes = 0;
  /** Hooks to run after the commit. */
  readonly commitHooks: (() => void)[] = [];
  /** The claim pools, in this transaction. */
  readonly pools: ClaimPools;
  /** The counters, in this transaction (deferred or locking, as the store chose for this run). */
  readonly counters: MysqlCounters;
  private readonly sql: SqlRunner;
  private readonly repos = new Map<AggregateName, Repository<Entity>>();

  constructor(
    connection: PoolConnection,
    private readonly catalog: ReadonlyMap<AggregateName, AggregateTable>,
    private readonly fence?: ServerFence,
    deferCounters?: CounterDeferral,
  ) {
    this.sql = runnerOf(connection);
    this.pools = new MysqlPools(this);
    this.counters = new MysqlCounters(this, deferCounters);
  }

  /**
   * The last statements before COMMIT: the deferred counter adjustments (which may throw
   * `CounterRaceLost`), then the split-brain guard when this transaction wrote anything.
   */
  async prepareCommit(): Promise<void> {
    await this.counters.flush();
    if (this.writes > 0 && this.conflict === undefined) await this.fence?.verify(this);
  }

  /** The repository of one aggregate, in this transaction. */
  repo<K extends AggregateName>(name: K): Repository<Aggregates[K]> {
    let repo = this.repos.get(name);
    if (repo === undefined) {
      const table = this.catalog.get(name);
      if (table === undefined) throw internalError(`Unknown aggregate ${name}`);
      repo = new MysqlRepository<Entity>(this, table);
      this.repos.set(name, repo);
    }
    return repo as unknown as Repository<Aggregates[K]>;
  }

  /** Runs `fn` right after the commit; never when the transaction rolls back or is rerun. */
  afterCommit(fn: () => void): void {
    this.guard();
    this.commitHooks.push(fn);
  }

  /** Throws when the transaction has ended: a handle kept past its transaction must not write. */
  guard(): void {
    if (!this.open) throw internalError('This transaction has already ended; open a new one');
  }

  /** Runs a statement that returns rows, in this transaction. */
  async rows(sql: string, params?: readonly unknown[]): Promise<SqlRow[]> {
    return this.run(() => this.sql.rows(sql, params));
  }

  /** Runs a statement that changes rows, in this transaction; refused at once when the store's server was fenced. */
  async exec(sql: string, params?: readonly unknown[]): Promise<{ readonly affectedRows: number }> {
    this.fence?.assertWritable();
    return this.run(() => {
      this.writes += 1;
      return this.sql.exec(sql, params);
    });
  }

  private async run<R>(statement: () => Promise<R>): Promise<R> {
    this.guard();
    if (this.conflict !== undefined) throw lockConflictError(this.conflict);
    this.statements += 1;
    try {
      return await statement();
    } catch (error) {
      if (isLockConflict(error)) {
        this.conflict ??= error;
        throw lockConflictError(error);
      }
      throw error;
    }
  }
}

/** Any error from a statement as a CloudError: store errors pass, SQL errors become a 530 naming what failed. */
export function asStoreError(error: unknown, what: string): Error {
  if (isCloudError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return internalError(`${what}: ${message}`, error);
}
