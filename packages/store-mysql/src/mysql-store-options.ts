import { invalidParameter } from '@cloudstack-sdk/core';
import { parseConnectionUrl, type MysqlConnectionSettings, type MysqlTlsSettings } from './connection-url.js';
import { ACCUMULATOR_COUNTERS, type CounterDeferral } from './counter-policy.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';

/** How a {@link MysqlStore} connects and behaves. Fields given explicitly override the URL's. */
export interface MysqlStoreOptions {
  /** `mysql://user:pass@host:port/database?connectionLimit=..&ssl=..` (see `parseConnectionUrl`). */
  readonly url?: string;
  /** Server host; `localhost` unless given. */
  readonly host?: string;
  /** TCP port; 3306 unless given. */
  readonly port?: number;
  /** User name. */
  readonly user?: string;
  /** Password. */
  readonly password?: string;
  /** The database the store lives in; it must exist. */
  readonly database?: string;
  /** Connections the pool opens at most; 10 unless given. Transactions beyond it wait their turn. */
  readonly connectionLimit?: number;
  /** TLS settings; a plain connection when absent. */
  readonly ssl?: MysqlTlsSettings;
  /** Milliseconds to wait for a connection to be established; 10,000 unless given. */
  readonly connectTimeout?: number;
  /** Reruns of transactions that lost a deadlock or lock wait. */
  readonly retry?: Partial<RetryPolicy>;
  /**
   * Seconds a statement waits for a row lock before it fails (and its transaction is rerun);
   * 10 unless given. Keep it short: transactions never wait on devices.
   */
  readonly lockWaitTimeoutSeconds?: number;
  /** Seconds `init()` waits for another server to finish migrating; 120 unless given. */
  readonly migrationLockTimeoutSeconds?: number;
  /**
   * Which counters a transaction adjusts at its commit rather than where each adjustment is made:
   * such a counter's row is locked for the last statements of a transaction only, so
   * transactions sharing a hot counter (an account's limits, a host's capacity) overlap instead
   * of queueing one whole transaction after another. Bounds are checked again at commit; a
   * transaction that lost the room meanwhile runs again with locking adjustments (see
   * `MysqlCounters`). Only for accumulators: a deferred adjustment's value is what the
   * transaction read plus its own delta, not a unique number. `ACCUMULATOR_COUNTERS` (core's
   * limit and capacity counters) unless given; `false` defers none, `true` every counter.
   */
  readonly deferCounters?: boolean | CounterDeferral;
}

/** Options with every default applied. */
export interface ResolvedMysqlStoreOptions {
  /** Where to connect. */
  readonly connection: MysqlConnectionSettings & { readonly connectionLimit: number; readonly connectTimeout: number };
  /** The retry policy. */
  readonly retry: RetryPolicy;
  /** Row lock wait, seconds. */
  readonly lockWaitTimeoutSeconds: number;
  /** Migration lock wait, seconds. */
  readonly migrationLockTimeoutSeconds: number;
  /** Which counters' adjustments are deferred to commit. */
  readonly deferCounters: CounterDeferral;
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function deferral(option: boolean | CounterDeferral | undefined): CounterDeferral {
  if (option === undefined) return ACCUMULATOR_COUNTERS;
  if (option === true) return () => true;
  if (option === false) return () => false;
  return option;
}

/** Applies defaults and the URL to {@link MysqlStoreOptions}; refuses what cannot work with a 431. */
export function resolveOptions(options: MysqlStoreOptions): ResolvedMysqlStoreOptions {
  const fromUrl: Partial<MysqlConnectionSettings> = options.url === undefined ? {} : parseConnectionUrl(options.url);
  const explicit = defined({
    host: options.host,
    port: options.port,
    user: options.user,
    password: options.password,
    database: options.database,
    connectionLimit: options.connectionLimit,
    ssl: options.ssl,
    connectTimeout: options.connectTimeout,
  });
  const merged = { host: 'localhost', port: 3306, user: 'root', password: '', connectionLimit: 10, connectTimeout: 10_000, ...fromUrl, ...explicit };
  if (merged.database === undefined || merged.database === '') throw invalidParameter('database', 'the MySQL store needs a database (in the URL path or as `database`)');
  if (!Number.isInteger(merged.connectionLimit) || merged.connectionLimit < 1) throw invalidParameter('connectionlimit', 'must be a positive integer');
  const retry = { ...DEFAULT_RETRY_POLICY, ...defined(options.retry ?? {}) };
  if (!Number.isInteger(retry.attempts) || retry.attempts < 1) throw invalidParameter('retry', 'attempts must be a positive integer');
  return {
    connection: { ...merged, database: merged.database },
    retry,
    lockWaitTimeoutSeconds: options.lockWaitTimeoutSeconds ?? 10,
    migrationLockTimeoutSeconds: options.migrationLockTimeoutSeconds ?? 120,
    deferCounters: deferral(options.deferCounters),
  };
}
