import { columnSpec, fieldColumnSql, fieldIndexSql, uniqueColumnSql, uniqueIndexSql } from '../schema/column-ddl.js';
import {
  EXACT_COLLATION,
  ID_KEY_NAME,
  foreignKeyName,
  RESERVED_TABLES,
  fieldColumn,
  fieldIndexName,
  quoteId,
  tableName,
  uniqueColumn,
  uniqueKeyName,
  type ColumnSpec,
  type ColumnType,
} from '../schema/table-layout.js';

/** The typed columns and unique keys of one aggregate table, as a migration declares them. */
export interface AggregateTableSpec {
  /**
   * A typed, indexed column per field the aggregate's spec indexes or keeps unique, with its
   * type: `{ accountId: 'string', status: 'number' }`. Filters and sorts on these fields run in
   * SQL; on other fields they run in process.
   */
  readonly columns: Readonly<Record<string, ColumnSpec | ColumnType>>;
  /** Field groups whose lower-cased values are unique together; every field must be a column. */
  readonly unique?: readonly (readonly string[])[];
}

function checkUniqueFields(aggregate: string, spec: AggregateTableSpec): void {
  for (const group of spec.unique ?? []) {
    for (const field of group) {
      if (!(field in spec.columns)) throw new Error(`${aggregate}: unique field ${field} must be declared as a column`);
    }
  }
}

/**
 * The statement that creates an aggregate's table: `seq` (insertion order), `id` (unique,
 * compared exactly), `version`, the entity as `data` JSON, a typed generated column and index
 * per declared field, and a hash column with a unique index per unique group.
 */
export function createAggregateTable(aggregate: string, spec: AggregateTableSpec): string[] {
  const table = tableName(aggregate);
  if ((RESERVED_TABLES as readonly string[]).includes(table)) throw new Error(`${aggregate}: table name ${table} is reserved`);
  checkUniqueFields(aggregate, spec);
  const fields = Object.entries(spec.columns);
  const groups = spec.unique ?? [];
  const lines = [
    '`seq` BIGINT NOT NULL AUTO_INCREMENT',
    `\`id\` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE ${EXACT_COLLATION} NOT NULL`,
    '`version` INT NOT NULL',
    '`data` JSON NOT NULL',
    ...fields.map(([field, column]) => fieldColumnSql(field, columnSpec(column))),
    ...groups.map((group) => uniqueColumnSql(group)),
    'PRIMARY KEY (`seq`)',
    `UNIQUE INDEX ${quoteId(ID_KEY_NAME)} (\`id\`)`,
    ...fields.map(([field]) => fieldIndexSql(field)),
    ...groups.map((group) => uniqueIndexSql(group)),
  ];
  return [
    `CREATE TABLE IF NOT EXISTS ${quoteId(table)} (\n  ${lines.join(',\n  ')}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
  ];
}

/** Statements that add typed, indexed columns to an existing aggregate table (filled from `data`). */
export function addAggregateColumns(aggregate: string, columns: Readonly<Record<string, ColumnSpec | ColumnType>>): string[] {
  const table = quoteId(tableName(aggregate));
  return Object.entries(columns).flatMap(([field, column]) => [
    `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${fieldColumnSql(field, columnSpec(column))}`,
    `CREATE INDEX IF NOT EXISTS ${quoteId(fieldIndexName(field))} ON ${table} (${quoteId(fieldColumn(field))})`,
  ]);
}

/**
 * Statements that add a unique key to an existing aggregate table. Fails (and the migration
 * with it) when existing rows already break it, which is what an operator must then resolve.
 */
export function addAggregateUniqueKey(aggregate: string, fields: readonly string[]): string[] {
  const table = quoteId(tableName(aggregate));
  return [
    `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${uniqueColumnSql(fields)}`,
    `CREATE UNIQUE INDEX IF NOT EXISTS ${quoteId(uniqueKeyName(fields))} ON ${table} (${quoteId(uniqueColumn(fields))})`,
  ];
}

/**
 * The statement that makes typed columns of an aggregate foreign keys to the `id` of other
 * aggregates (`{ zoneId: 'zones', podId: 'pods' }`), all in one `ALTER TABLE` (one table
 * rebuild): a row may name only entries that exist, and an entry cannot be deleted while a row
 * names it (InnoDB checks each statement at once, so deletions must go children first). A row
 * whose field is absent (NULL) is not constrained. Idempotent (`IF NOT EXISTS`); fails, and the
 * migration with it, when existing rows already name missing entries — orphans an operator must
 * then resolve.
 */
export function addForeignKeys(aggregate: string, references: Readonly<Record<string, string>>): string {
  const clauses = Object.entries(references).map(
    ([field, parent]) =>
      `ADD CONSTRAINT ${quoteId(foreignKeyName(aggregate, field))} FOREIGN KEY IF NOT EXISTS (${quoteId(fieldColumn(field))}) ` +
      `REFERENCES ${quoteId(tableName(parent))} (\`id\`) ON DELETE RESTRICT ON UPDATE RESTRICT`,
  );
  if (clauses.length === 0) throw new Error(`${aggregate}: a foreign key statement needs at least one field`);
  return `ALTER TABLE ${quoteId(tableName(aggregate))} ${clauses.join(', ')}`;
}
