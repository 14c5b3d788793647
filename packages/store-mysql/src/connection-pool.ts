import mysql, { type Pool, type PoolConnection, type QueryValues, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import type { ResolvedMysqlStoreOptions } from './mysql-store-options.js';

/** A result row, by column name. */
export type SqlRow = Readonly<Record<string, unknown>>;

/** Runs statements on one connection. */
export interface SqlRunner {
  /** Runs a statement that returns rows. */
  rows(sql: string, params?: readonly unknown[]): Promise<SqlRow[]>;
  /** Runs a statement that changes rows; `affectedRows` counts the rows it matched. */
  exec(sql: string, params?: readonly unknown[]): Promise<{ readonly affectedRows: number }>;
}

/** A {@link SqlRunner} over a pooled connection. */
export function runnerOf(connection: PoolConnection): SqlRunner {
  return {
    async rows(sql, params = []) {
      const [rows] = await connection.query<RowDataPacket[]>(sql, [...params] as QueryValues);
      return rows;
    },
    async exec(sql, params = []) {
      const [result] = await connection.query<ResultSetHeader>(sql, [...params] as QueryValues);
      return { affectedRows: result.affectedRows };
    },
  };
}

// Strict, and nothing that changes how SQL text reads (no ANSI_QUOTES, no NO_BACKSLASH_ESCAPES).
const SQL_MODE = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ZERO_DATE,NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION';

/**
 * The store's connection pool. Every connection is set up once, when first handed out: READ
 * COMMITTED isolation, autocommit off, the store's lock wait timeout, strict SQL mode and UTC.
 * With autocommit off no statement ever runs outside a transaction: the first statement opens
 * one (no START TRANSACTION round trip), and COMMIT or ROLLBACK ends it. mysql2's default
 * FOUND_ROWS flag is kept, so `affectedRows` of an UPDATE counts matched rows, not changed ones.
 */
export class ConnectionPool {
  private readonly pool: Pool;
  private readonly prepared = new WeakSet<object>();

  constructor(private readonly options: ResolvedMysqlStoreOptions) {
    const { connection } = options;
    this.pool = mysql.createPool({
      host: connection.host,
      port: connection.port,
      user: connection.user,
      password: connection.password,
      database: connection.database,
      connectionLimit: connection.connectionLimit,
      connectTimeout: connection.connectTimeout,
      ...(connection.ssl === undefined ? {} : { ssl: { ...connection.ssl, ca: connection.ssl.ca as string | string[] | undefined } }),
      waitForConnections: true,
      queueLimit: 0,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: false,
      multipleStatements: false,
    });
  }

  /** The database the pool connects to. */
  get database(): string {
    return this.options.connection.database;
  }

  /** A set-up connection from the pool; give it back with `release()` (or `destroy()` when broken). */
  async acquire(): Promise<PoolConnection> {
    const connection = await this.pool.getConnection();
    if (!this.prepared.has(connection.connection)) {
      try {
        await connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
        await connection.query(`SET SESSION autocommit = 0, SESSION innodb_lock_wait_timeout = ?, SESSION sql_mode = ?, SESSION time_zone = '+00:00'`, [
          this.options.lockWaitTimeoutSeconds,
          SQL_MODE,
        ]);
      } catch (error) {
        connection.destroy();
        throw error;
      }
      this.prepared.add(connection.connection);
    }
    return connection;
  }

  /**
   * Runs `fn` on a connection of its own, outside the store's transactions, then commits what it
   * did (or rolls it back when it throws) and gives the connection back.
   */
  async withConnection<R>(fn: (sql: SqlRunner) => Promise<R>): Promise<R> {
    const connection = await this.acquire();
    let healthy = true;
    try {
      const result = await fn(runnerOf(connection));
      await connection.query('COMMIT');
      return result;
    } catch (error) {
      healthy = await connection.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      throw error;
    } finally {
      if (healthy) connection.release();
      else connection.destroy();
    }
  }

  /** Closes every connection. */
  async end(): Promise<void> {
    await this.pool.end();
  }
}
