import { createHash } from 'node:crypto';

/**
 * The SQL type a typed column of an aggregate table has: `string` is a VARCHAR compared byte for
 * byte (as JavaScript compares strings), `number` a DOUBLE (exactly a JavaScript number),
 * `boolean` a TINYINT(1).
 */
export type ColumnType = 'string' | 'number' | 'boolean';

/** A typed column as a migration declares it. */
export interface ColumnSpec {
  /** Its SQL type. */
  readonly type: ColumnType;
  /** For `string`: the longest value, in characters (255 unless given). */
  readonly length?: number;
}

/**
 * The collation of every key and typed string column: binary and without trailing-space padding,
 * so SQL equality and order are JavaScript's `===` and `<` on the stored strings.
 */
export const EXACT_COLLATION = 'utf8mb4_nopad_bin';

/** Default length of a typed string column. */
export const DEFAULT_STRING_LENGTH = 255;

/** Tables of the store's own machinery; no aggregate table may take these names. */
export const RESERVED_TABLES = ['schema_migrations', 'claim_pool_items', 'counters', 'management_servers', 'management_server_epochs'] as const;

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
const MAX_IDENTIFIER = 64;

function checkIdentifier(kind: string, name: string): void {
  if (!IDENTIFIER.test(name)) throw new Error(`${kind} ${JSON.stringify(name)} is not a plain identifier`);
}

/** Shortens a derived SQL identifier to MySQL's 64 characters, keeping it unique with a hash. */
function fitIdentifier(name: string): string {
  if (name.length <= MAX_IDENTIFIER) return name;
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 12);
  return `${name.slice(0, MAX_IDENTIFIER - 13)}_${hash}`;
}

/** The table of an aggregate: its repository name in snake case (`configValues` → `config_values`). */
export function tableName(aggregate: string): string {
  checkIdentifier('Aggregate name', aggregate);
  return fitIdentifier(aggregate.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase());
}

/** The typed column that mirrors an entity field (`accountId` → `f_accountId`). */
export function fieldColumn(field: string): string {
  checkIdentifier('Field name', field);
  return fitIdentifier(`f_${field}`);
}

/** The index over a typed column. */
export function fieldIndexName(field: string): string {
  return fitIdentifier(`ix_${field}`);
}

/** The hash column that carries one unique key of an aggregate. */
export function uniqueColumn(fields: readonly string[]): string {
  fields.forEach((field) => checkIdentifier('Field name', field));
  return fitIdentifier(`u_${fields.join('_')}`);
}

/** The unique index over {@link uniqueColumn}; duplicate-key errors name it. */
export function uniqueKeyName(fields: readonly string[]): string {
  fields.forEach((field) => checkIdentifier('Field name', field));
  return fitIdentifier(`uq_${fields.join('_')}`);
}

/**
 * The foreign key from an aggregate's typed column to another aggregate's `id`
 * (`fk_<table>_<field>`). Constraint names are unique per database, so the table is part of it.
 */
export function foreignKeyName(aggregate: string, field: string): string {
  checkIdentifier('Field name', field);
  return fitIdentifier(`fk_${tableName(aggregate)}_${field}`);
}

/** The unique index over the `id` column; duplicate-key errors name it. */
export const ID_KEY_NAME = 'uq_id';

/** Quotes an identifier that {@link tableName} or a column function produced. */
export function quoteId(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** SQL for a field's scalar value in a JSON document (`NULL` when absent, null, an object or an array). */
export function jsonValueSql(field: string, documentSql = '`data`'): string {
  checkIdentifier('Field name', field);
  return `JSON_VALUE(${documentSql}, '$."${field}"')`;
}
