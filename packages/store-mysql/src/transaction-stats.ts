import { SqlErrno, sqlErrno } from './sql-errors.js';

/** What a {@link MysqlStore}'s transactions have done since it was made: for operators and benchmarks. */
export interface MysqlStoreStatistics {
  /** Transactions run to the end (committed, or rolled back by their own error). */
  readonly transactions: number;
  /** Statements those transactions sent (reruns included). */
  readonly statements: number;
  /** Runs that lost a deadlock or a lock wait and were run again. */
  readonly reruns: number;
  /** Of those, deadlocks. */
  readonly deadlocks: number;
  /** Of those, lock wait timeouts. */
  readonly lockWaitTimeouts: number;
  /** Runs whose deferred counter adjustments no longer fit at commit, run again with locking counters. */
  readonly counterRaces: number;
  /** Transactions that gave up after their last attempt. */
  readonly gaveUp: number;
  /** Milliseconds spent waiting for a pooled connection, summed over all runs. */
  readonly connectionWaitMs: number;
  /** Milliseconds spent sleeping between reruns (backoff), summed. */
  readonly backoffMs: number;
}

/** Counts what {@link MysqlStoreStatistics} reports. */
export class TransactionStats {
  private counts = { transactions: 0, statements: 0, counterRaces: 0, reruns: 0, deadlocks: 0, lockWaitTimeouts: 0, gaveUp: 0, connectionWaitMs: 0, backoffMs: 0 };

  /** A copy of the counts. */
  snapshot(): MysqlStoreStatistics {
    return { ...this.counts };
  }

  /** A transaction ran to the end. */
  finished(): void {
    this.counts.transactions += 1;
  }

  /** A run (finished or not) sent `count` statements. */
  sent(count: number): void {
    this.counts.statements += count;
  }

  /** A run lost a lock conflict; `rerun` false when it was the last attempt. */
  conflict(cause: unknown, rerun: boolean): void {
    if (sqlErrno(cause) === SqlErrno.DEADLOCK) this.counts.deadlocks += 1;
    else this.counts.lockWaitTimeouts += 1;
    if (rerun) this.counts.reruns += 1;
    else this.counts.gaveUp += 1;
  }

  /** A run lost a counter race (rerun with locking counters). */
  counterRace(): void {
    this.counts.counterRaces += 1;
  }

  /** Time waited for a connection. */
  waitedForConnection(ms: number): void {
    this.counts.connectionWaitMs += ms;
  }

  /** Time slept before a rerun. */
  backedOff(ms: number): void {
    this.counts.backoffMs += ms;
  }
}
