import { afterAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { AGGREGATE_NAMES, AGGREGATE_SPECS, CloudError, ErrorCode } from '@cloudstack-sdk/core';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, MysqlStore, RESERVED_TABLES, fieldColumn, tableName, uniqueKeyName } from '../src/index.js';
import { adminConnection, createTestDatabase, mariadbReachable, type TestDatabase } from './support/mariadb.js';

const reachable = await mariadbReachable();

async function withDatabase<R>(fn: (db: TestDatabase, admin: mysql.Connection) => Promise<R>): Promise<R> {
  const db = await createTestDatabase();
  const admin = await adminConnection(db.name);
  try {
    return await fn(db, admin);
  } finally {
    await admin.end();
    await db.drop();
  }
}

async function rows(admin: mysql.Connection, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const [result] = await admin.query<mysql.RowDataPacket[]>(sql, params);
  return result;
}

async function failure(promise: Promise<unknown>): Promise<CloudError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CloudError);
  return error as CloudError;
}

describe('migration list', () => {
  it('numbers migrations 1, 2, 3 … without gaps, with distinct names', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(new Set(MIGRATIONS.map((m) => m.name)).size).toBe(MIGRATIONS.length);
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('gives no aggregate a table name the store keeps for itself', () => {
    for (const name of AGGREGATE_NAMES) expect(RESERVED_TABLES).not.toContain(tableName(name));
  });
});

describe.skipIf(!reachable)('migrations on MariaDB', () => {
  const stores: MysqlStore[] = [];
  const open = (url: string) => {
    const store = new MysqlStore({ url, connectionLimit: 2 });
    stores.push(store);
    return store;
  };
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
  });

  it('migrates a fresh database to the latest version, recording each migration', async () => {
    await withDatabase(async (db, admin) => {
      const store = open(db.url);
      await store.init();
      expect(store.migrationOutcome).toEqual({ applied: MIGRATIONS.map((m) => m.version), version: LATEST_SCHEMA_VERSION });
      const recorded = await rows(admin, 'SELECT version, name FROM schema_migrations ORDER BY version');
      expect(recorded).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    });
  });

  it('gives every aggregate of core a table, a typed column per indexed or unique field, and its unique keys', async () => {
    await withDatabase(async (db, admin) => {
      await open(db.url).init();
      const columns = await rows(admin, 'SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()');
      const uniques = await rows(
        admin,
        'SELECT DISTINCT TABLE_NAME AS t, INDEX_NAME AS i FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND NON_UNIQUE = 0',
      );
      const has = new Set(columns.map((row) => `${String(row.t)}.${String(row.c)}`));
      const unique = new Set(uniques.map((row) => `${String(row.t)}.${String(row.i)}`));
      const missing: string[] = [];
      for (const name of AGGREGATE_NAMES) {
        const table = tableName(name);
        if (!has.has(`${table}.data`)) {
          missing.push(`${name}: no table ${table}`);
          continue;
        }
        const spec = AGGREGATE_SPECS[name] as { indexed?: readonly string[]; unique?: readonly (readonly string[])[] };
        const fields = new Set([...(spec.indexed ?? []), ...(spec.unique ?? []).flat()]);
        for (const field of fields) if (!has.has(`${table}.${fieldColumn(field)}`)) missing.push(`${name}: no column for ${field}`);
        for (const group of spec.unique ?? []) {
          if (!unique.has(`${table}.${uniqueKeyName(group)}`)) missing.push(`${name}: no unique key (${group.join(', ')})`);
        }
      }
      // An aggregate added to core without its migration in src/migrations fails here.
      expect(missing).toEqual([]);
    });
  });

  it('is idempotent: a second init, and a second server, find nothing to do', async () => {
    await withDatabase(async (db, admin) => {
      const first = open(db.url);
      await first.init();
      await first.init();
      const second = open(db.url);
      await second.init();
      expect(second.migrationOutcome).toEqual({ applied: [], version: LATEST_SCHEMA_VERSION });
      expect(await rows(admin, 'SELECT COUNT(*) AS n FROM schema_migrations')).toEqual([{ n: MIGRATIONS.length }]);
    });
  });

  it('migrates once when two servers start together on a fresh database', async () => {
    await withDatabase(async (db, admin) => {
      const a = open(db.url);
      const b = open(db.url);
      await Promise.all([a.init(), b.init()]);
      const applied = [a.migrationOutcome?.applied ?? [], b.migrationOutcome?.applied ?? []].sort((x, y) => y.length - x.length);
      expect(applied).toEqual([MIGRATIONS.map((m) => m.version), []]);
      expect(await rows(admin, 'SELECT COUNT(*) AS n FROM schema_migrations')).toEqual([{ n: MIGRATIONS.length }]);
      await a.transaction((tx) => tx.counters.set('shared', 1));
      expect(await b.transaction((tx) => tx.counters.get('shared'))).toBe(1);
    });
  });

  it('finishes a migration that a crashed server left half-applied', async () => {
    await withDatabase(async (db, admin) => {
      await open(db.url).init();
      // As if the server died after the last migration's DDL but before recording it.
      await admin.query('DELETE FROM schema_migrations WHERE version = ?', [LATEST_SCHEMA_VERSION]);
      const restarted = open(db.url);
      await restarted.init();
      expect(restarted.migrationOutcome).toEqual({ applied: [LATEST_SCHEMA_VERSION], version: LATEST_SCHEMA_VERSION });
    });
  });

  it('refuses to start on a schema newer than the code, saying why', async () => {
    await withDatabase(async (db, admin) => {
      await open(db.url).init();
      await admin.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from-the-future', UTC_TIMESTAMP(3))", [
        LATEST_SCHEMA_VERSION + 1,
      ]);
      const older = open(db.url);
      const error = await failure(older.init());
      expect(error.code).toBe(ErrorCode.INTERNAL_ERROR);
      expect(error.message).toContain(`schema version ${LATEST_SCHEMA_VERSION + 1}, newer than the ${LATEST_SCHEMA_VERSION}`);
      expect(error.message).toMatch(/Refusing to start/);
      await expect(older.transaction(async () => 'never')).rejects.toThrow(/call init\(\)/);
    });
  });

  it('refuses to start when an aggregate has no table, naming it', async () => {
    await withDatabase(async (db, admin) => {
      await open(db.url).init();
      const victim = AGGREGATE_NAMES[AGGREGATE_NAMES.length - 1]!;
      await admin.query(`DROP TABLE \`${tableName(victim)}\``);
      const error = await failure(open(db.url).init());
      expect(error.message).toContain(`aggregate '${victim}' has no table`);
      expect(error.message).toMatch(/Add a migration/);
    });
  });
});
