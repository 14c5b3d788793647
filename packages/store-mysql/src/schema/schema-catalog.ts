import { AGGREGATE_NAMES, AGGREGATE_SPECS, CloudError, ErrorCode, type AggregateName } from '@cloudstack-sdk/core';
import type { SqlRunner } from '../connection-pool.js';
import { tableName, uniqueKeyName, type ColumnType } from './table-layout.js';

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
    catalog.set(aggregate, { aggregate, table, columns, uniqueKeys });
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
