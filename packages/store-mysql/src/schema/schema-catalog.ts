import { AGGREGATE_NAMES, AGGREGATE_SPECS, CloudError, ErrorCode, type AggregateName } from '@cloudstack-sdk/core';
import type { SqlRunner } from '../connection-pool.js';
import { tableName, uniqueKeyName, type ColumnType } from './table-layout.js';

/** A foreign key between two aggregate tables: `aggregate.field` names an `id` of `references`. */
export interface ForeignKey {
  /** The constraint's name (`fk_<table>_<field>`), as MySQL's errors give it. */
  readonly constraint: string;
  /** The aggregate whose rows hold the reference. */
  readonly aggregate: AggregateName;
  /** The referencing field. */
  readonly field: string;
  /** The aggregate whose `id` it names. */
  readonly references: AggregateName;
}

/** What the store knows of one aggregate's table, read from the live schema. */
export interface AggregateTable {
  /** The aggregate (repository name). */
  readonly aggregate: AggregateName;
  /** The table. */
  readonly table: string;
  /** Field → SQL column and type, for every field with a typed column (`id` and `version` included). */
  readonly columns: ReadonlyMap<string, { readonly column: string; readonly type: ColumnType }>;
  /** Unique key name → its fields, for naming the field in a duplicate-key error. */
  readonly uniqueKeys: ReadonlyMap<string, readonly string[]>;
  /** Constraint name → the foreign keys of this table's rows (a refused insert or update names one). */
  readonly foreignKeys: ReadonlyMap<string, ForeignKey>;
  /** Constraint name → the foreign keys of other tables naming this one (a refused delete names one). */
  readonly referencedBy: ReadonlyMap<string, ForeignKey>;
}

const SQL_TYPES: Readonly<Record<string, ColumnType>> = { varchar: 'string', double: 'number', tinyint: 'boolean' };

/**
 * Reads the live schema and maps every aggregate of core's `AGGREGATE_SPECS` to its table.
 * Refuses (530) when an aggregate has no table or lacks one of its unique keys: the store could
 * not keep the contract, and the fix is a migration, not a runtime workaround.
 */
export async function readCatalog(sql: SqlRunner): Promise<ReadonlyMap<AggregateName, AggregateTable>> {
  const columnRows = await sql.rows(
    'SELECT `TABLE_NAME` AS t, `COLUMN_NAME` AS c, `DATA_TYPE` AS d FROM information_schema.COLUMNS WHERE `TABLE_SCHEMA` = DATABASE()',
  );
  const indexRows = await sql.rows(
    'SELECT DISTINCT `TABLE_NAME` AS t, `INDEX_NAME` AS i FROM information_schema.STATISTICS WHERE `TABLE_SCHEMA` = DATABASE() AND `NON_UNIQUE` = 0',
  );
  const columnsByTable = new Map<string, Map<string, string>>();
  for (const row of columnRows) {
    const table = String(row.t);
    let columns = columnsByTable.get(table);
    if (columns === undefined) columnsByTable.set(table, (columns = new Map()));
    columns.set(String(row.c), String(row.d).toLowerCase());
  }
  const uniqueIndexes = new Set(indexRows.map((row) => `${String(row.t)}.${String(row.i)}`));
  const keys = await readForeignKeys(sql);

  const catalog = new Map<AggregateName, AggregateTable>();
  const problems: string[] = [];
  for (const aggregate of AGGREGATE_NAMES) {
    const table = tableName(aggregate);
    const live = columnsByTable.get(table);
    if (live === undefined) {
      problems.push(`aggregate '${aggregate}' has no table ${table}`);
      continue;
    }
    const columns = new Map<string, { column: string; type: ColumnType }>([
      ['id', { column: 'id', type: 'string' }],
      ['version', { column: 'version', type: 'number' }],
    ]);
    for (const [column, dataType] of live) {
      const type = SQL_TYPES[dataType];
      if (column.startsWith('f_') && type !== undefined) columns.set(column.slice(2), { column, type });
    }
    const uniqueKeys = new Map<string, readonly string[]>();
    const spec = AGGREGATE_SPECS[aggregate] as { readonly unique?: readonly (readonly string[])[] };
    for (const fields of spec.unique ?? []) {
      const key = uniqueKeyName(fields);
      if (!uniqueIndexes.has(`${table}.${key}`)) problems.push(`aggregate '${aggregate}' lacks unique key ${key} (${fields.join(', ')})`);
      uniqueKeys.set(key, fields);
    }
    const foreignKeys = new Map(keys.filter((key) => key.aggregate === aggregate).map((key) => [key.constraint, key]));
    const referencedBy = new Map(keys.filter((key) => key.references === aggregate).map((key) => [key.constraint, key]));
    catalog.set(aggregate, { aggregate, table, columns, uniqueKeys, foreignKeys, referencedBy });
  }
  if (problems.length > 0) {
    throw new CloudError(
      ErrorCode.INTERNAL_ERROR,
      `The MySQL schema does not cover core's aggregates: ${problems.join('; ')}. ` +
        'Add a migration for them to @cloudstack-sdk/store-mysql (src/migrations).',
      { details: { problems } },
    );
  }
  return catalog;
}

/** The foreign keys between aggregate tables (those from or to other tables are not the store's). */
async function readForeignKeys(sql: SqlRunner): Promise<ForeignKey[]> {
  const aggregateOf = new Map<string, AggregateName>(AGGREGATE_NAMES.map((aggregate) => [tableName(aggregate), aggregate]));
  const rows = await sql.rows(
    'SELECT `CONSTRAINT_NAME` AS k, `TABLE_NAME` AS t, `COLUMN_NAME` AS c, `REFERENCED_TABLE_NAME` AS r FROM information_schema.KEY_COLUMN_USAGE ' +
      'WHERE `TABLE_SCHEMA` = DATABASE() AND `REFERENCED_TABLE_SCHEMA` = DATABASE() AND `REFERENCED_TABLE_NAME` IS NOT NULL',
  );
  const keys: ForeignKey[] = [];
  for (const row of rows) {
    const aggregate = aggregateOf.get(String(row.t));
    const references = aggregateOf.get(String(row.r));
    const column = String(row.c);
    if (aggregate === undefined || references === undefined || !column.startsWith('f_')) continue;
    keys.push({ constraint: String(row.k), aggregate, field: column.slice(2), references });
  }
  return keys;
}
