import {
  DEFAULT_STRING_LENGTH,
  EXACT_COLLATION,
  fieldColumn,
  fieldIndexName,
  jsonValueSql,
  quoteId,
  uniqueColumn,
  uniqueKeyName,
  type ColumnSpec,
  type ColumnType,
} from './table-layout.js';

/** A column spec from a migration's short form (`'string'`) or long form (`{ type, length }`). */
export function columnSpec(spec: ColumnSpec | ColumnType): ColumnSpec {
  return typeof spec === 'string' ? { type: spec } : spec;
}

/** The SQL type of a typed column. */
function sqlType(spec: ColumnSpec): string {
  switch (spec.type) {
    case 'string':
      return `VARCHAR(${spec.length ?? DEFAULT_STRING_LENGTH}) CHARACTER SET utf8mb4 COLLATE ${EXACT_COLLATION}`;
    case 'number':
      return 'DOUBLE';
    case 'boolean':
      return 'TINYINT(1)';
  }
}

/**
 * A typed column generated from the entity's JSON, so it can never disagree with the document
 * and a column added later fills itself for every existing row.
 */
export function fieldColumnSql(field: string, spec: ColumnSpec): string {
  return `${quoteId(fieldColumn(field))} ${sqlType(spec)} AS (${jsonValueSql(field)}) STORED`;
}

/** The (non-unique) index over a typed column. */
export function fieldIndexSql(field: string): string {
  return `INDEX ${quoteId(fieldIndexName(field))} (${quoteId(fieldColumn(field))})`;
}

/**
 * SQL for the key of a unique field group in a JSON document: NULL when any field is null or
 * absent (such a row is not constrained, as SQL keys behave), otherwise a SHA-256 over the
 * lower-cased values, each prefixed by its length so no two different groups can encode alike.
 * Lower-casing makes the key case-insensitive, as the memory store's unique keys are.
 */
export function uniqueHashSql(fields: readonly string[], documentSql = '`data`'): string {
  const values = fields.map((field) => jsonValueSql(field, documentSql));
  const lowered = values.map((value) => `LOWER(${value})`);
  const encoded = lowered.map((value) => `CHAR_LENGTH(${value}), ':', ${value}`).join(', ');
  const anyNull = values.map((value) => `${value} IS NULL`).join(' OR ');
  return `IF(${anyNull}, NULL, UNHEX(SHA2(CONCAT(${encoded}), 256)))`;
}

/** The hash column of a unique field group. */
export function uniqueColumnSql(fields: readonly string[]): string {
  return `${quoteId(uniqueColumn(fields))} BINARY(32) AS (${uniqueHashSql(fields)}) STORED`;
}

/** The unique index over a group's hash column. */
export function uniqueIndexSql(fields: readonly string[]): string {
  return `UNIQUE INDEX ${quoteId(uniqueKeyName(fields))} (${quoteId(uniqueColumn(fields))})`;
}
