import { createHash } from 'node:crypto';
import { CloudError, ErrorCode } from '@cloudstack-sdk/core';
import type { SqlRunner } from '../connection-pool.js';
import type { Migration } from './migration.js';

/** What `migrate` found and did. */
export interface MigrationOutcome {
  /** The versions this call applied, in order (empty when the schema was current). */
  readonly applied: readonly number[];
  /** The schema version afterwards. */
  readonly version: number;
}

/** MySQL limits lock names to 64 characters; one lock per database. */
function lockName(database: string): string {
  const name = `cssdk.migrate.${database}`;
  return name.length <= 64 ? name : `cssdk.migrate.${createHash('sha1').update(database).digest('hex')}`;
}

const CREATE_VERSION_TABLE = `CREATE TABLE IF NOT EXISTS \`schema_migrations\` (
  \`version\` INT NOT NULL,
  \`name\` VARCHAR(255) NOT NULL,
  \`applied_at\` DATETIME(3) NOT NULL,
  PRIMARY KEY (\`version\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;

/** 530: the database was migrated by newer code than this. */
export function schemaTooNew(database: string, found: number, known: number): CloudError {
  return new CloudError(
    ErrorCode.INTERNAL_ERROR,
    `Database ${database} has schema version ${found}, newer than the ${known} this @cloudstack-sdk/store-mysql knows. ` +
      'Refusing to start: upgrade this server to the version that migrated the database (migrations only go forward).',
    { details: { database, schemaVersion: found, knownVersion: known } },
  );
}

/**
 * Brings the schema up to the last of `migrations`, under the database's named lock
 * (`GET_LOCK`), so servers starting together migrate once: the first applies what is missing,
 * the others wait, then find nothing left to do. Refuses (530) a schema newer than the code.
 */
export async function migrate(
  sql: SqlRunner,
  database: string,
  migrations: readonly Migration[],
  lockTimeoutSeconds: number,
): Promise<MigrationOutcome> {
  const lock = lockName(database);
  const [granted] = await sql.rows('SELECT GET_LOCK(?, ?) AS granted', [lock, lockTimeoutSeconds]);
  if (Number(granted?.granted) !== 1) {
    throw new CloudError(ErrorCode.INTERNAL_ERROR, `Timed out after ${lockTimeoutSeconds}s waiting for another server to finish migrating database ${database}`);
  }
  try {
    await sql.exec(CREATE_VERSION_TABLE);
    const rows = await sql.rows('SELECT `version` FROM `schema_migrations`');
    const done = new Set(rows.map((row) => Number(row.version)));
    const known = migrations[migrations.length - 1]?.version ?? 0;
    const newest = Math.max(0, ...done);
    if (newest > known) throw schemaTooNew(database, newest, known);
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements) await sql.exec(statement);
      await sql.exec('INSERT INTO `schema_migrations` (`version`, `name`, `applied_at`) VALUES (?, ?, UTC_TIMESTAMP(3))', [
        migration.version,
        migration.name,
      ]);
      // Committed before the lock is released, so the next server to take it sees the version.
      await sql.exec('COMMIT');
      applied.push(migration.version);
    }
    return { applied, version: Math.max(newest, ...applied) };
  } finally {
    await sql.rows('SELECT RELEASE_LOCK(?) AS released', [lock]);
  }
}
