import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

/** The test server: `CLOUD_TEST_MYSQL_URL` (without a database), or root on 127.0.0.1:3306. */
export const SERVER_URL = (process.env.CLOUD_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');

const TEST_DATABASE = /^cssdk_test_(\d+)_[0-9a-f]+$/;

function serverOptions() {
  const url = new URL(SERVER_URL);
  return {
    host: url.hostname,
    port: url.port === '' ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    connectTimeout: 2_000,
  };
}

/** An administrative connection to the test server (no database selected). */
export async function adminConnection(database?: string): Promise<mysql.Connection> {
  return mysql.createConnection({ ...serverOptions(), ...(database === undefined ? {} : { database }) });
}

/** Whether the test server answers; test files skip themselves (which CI refuses) when it does not. */
export async function mariadbReachable(): Promise<boolean> {
  try {
    const connection = await adminConnection();
    await connection.end();
    return true;
  } catch {
    return false;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A database made for one test run. */
export interface TestDatabase {
  /** Its name: `cssdk_test_<pid>_<hex>`. */
  readonly name: string;
  /** The store URL for it. */
  readonly url: string;
  /** Drops it. */
  drop(): Promise<void>;
}

/**
 * Makes a fresh database with a random name. Databases of earlier runs whose process is gone
 * (a run that crashed before dropping its own) are dropped on the way.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `cssdk_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  const admin = await adminConnection();
  try {
    const [rows] = await admin.query<mysql.RowDataPacket[]>("SHOW DATABASES LIKE 'cssdk\\_test\\_%'");
    for (const row of rows) {
      const existing = String(Object.values(row)[0]);
      const pid = Number(TEST_DATABASE.exec(existing)?.[1]);
      if (Number.isInteger(pid) && !processAlive(pid)) await admin.query(`DROP DATABASE IF EXISTS \`${existing}\``);
    }
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: `${SERVER_URL}/${name}`,
    async drop() {
      const connection = await adminConnection();
      try {
        await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await connection.end();
      }
    },
  };
}
