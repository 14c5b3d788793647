import { isFieldCondition, type FieldCondition, type Filter } from '@cloudstack-sdk/core';
import { jsonValueSql, quoteId, type ColumnType } from '../schema/table-layout.js';

/** A typed column a filter may be pushed to. */
export interface FilterColumn {
  /** The SQL column name. */
  readonly column: string;
  /** Its type. */
  readonly type: ColumnType;
}

/**
 * A filter translated to SQL. `sql` selects a superset of the matching rows (empty: every
 * row); when `exact` it selects exactly the rows core's `matchesFilter` accepts, and the
 * store can count and page in SQL. Otherwise the store re-checks every row in process.
 */
export interface SqlCondition {
  /** A boolean SQL expression, or '' for TRUE. */
  readonly sql: string;
  /** The values of its `?` placeholders. */
  readonly params: readonly unknown[];
  /** Whether `sql` is exactly the filter. */
  readonly exact: boolean;
}

const TRUE: SqlCondition = { sql: '', params: [], exact: true };
const FALSE: SqlCondition = { sql: 'FALSE', params: [], exact: true };
const UNKNOWN: SqlCondition = { sql: '', params: [], exact: false };
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function fits(type: ColumnType, value: unknown): boolean {
  if (type === 'string') return typeof value === 'string';
  if (type === 'number') return typeof value === 'number' && Number.isFinite(value);
  return typeof value === 'boolean';
}

function isAbsent(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

function and(parts: readonly SqlCondition[]): SqlCondition {
  const present = parts.filter((part) => part.sql !== '');
  if (present.some((part) => part.sql === 'FALSE' && part.exact)) return { sql: 'FALSE', params: [], exact: true };
  return {
    sql: present.map((part) => (present.length > 1 ? `(${part.sql})` : part.sql)).join(' AND '),
    params: present.flatMap((part) => part.params),
    exact: parts.every((part) => part.exact),
  };
}

/** `= value` (null: absent) on a typed column, as `matchesValue` reads it. */
function equals(ref: string, type: ColumnType, value: unknown): SqlCondition {
  if (isAbsent(value)) return { sql: `${ref} IS NULL`, params: [], exact: true };
  return fits(type, value) ? { sql: `${ref} = ?`, params: [value], exact: true } : UNKNOWN;
}

/** `IN (values)`; a null among them also matches an absent field. */
function oneOf(ref: string, type: ColumnType, values: readonly unknown[]): SqlCondition {
  const present = values.filter((value) => !isAbsent(value));
  if (!present.every((value) => fits(type, value))) return UNKNOWN;
  const nullable = present.length < values.length;
  if (present.length === 0) return nullable ? { sql: `${ref} IS NULL`, params: [], exact: true } : FALSE;
  const list = `${ref} IN (${present.map(() => '?').join(', ')})`;
  return { sql: nullable ? `(${list} OR ${ref} IS NULL)` : list, params: present, exact: true };
}

/** `NOT IN (values)`; an absent field is outside the list unless it holds a null. */
function noneOf(ref: string, type: ColumnType, values: readonly unknown[]): SqlCondition {
  const present = values.filter((value) => !isAbsent(value));
  if (!present.every((value) => fits(type, value))) return UNKNOWN;
  const nullable = present.length < values.length;
  if (present.length === 0) return nullable ? { sql: `${ref} IS NOT NULL`, params: [], exact: true } : TRUE;
  const list = `${ref} NOT IN (${present.map(() => '?').join(', ')})`;
  return { sql: nullable ? `${ref} IS NOT NULL AND ${list}` : `(${ref} IS NULL OR ${list})`, params: present, exact: true };
}

function range(ref: string, type: ColumnType, operator: string, value: unknown): SqlCondition {
  // An absent field fails every range test; a comparison with NULL is not true in SQL either.
  return fits(type, value) ? { sql: `${ref} ${operator} ?`, params: [value], exact: true } : UNKNOWN;
}

function condition(ref: string, type: ColumnType, expected: FieldCondition<unknown>): SqlCondition {
  const parts: SqlCondition[] = [];
  if (expected.exists !== undefined) parts.push({ sql: `${ref} IS ${expected.exists ? 'NOT ' : ''}NULL`, params: [], exact: true });
  if ('eq' in expected) parts.push(equals(ref, type, expected.eq));
  if ('ne' in expected) {
    const value = expected.ne;
    if (isAbsent(value)) parts.push({ sql: `${ref} IS NOT NULL`, params: [], exact: true });
    else parts.push(fits(type, value) ? { sql: `(${ref} IS NULL OR ${ref} <> ?)`, params: [value], exact: true } : UNKNOWN);
  }
  if (expected.in !== undefined) parts.push(Array.isArray(expected.in) ? oneOf(ref, type, expected.in) : UNKNOWN);
  if (expected.nin !== undefined) parts.push(Array.isArray(expected.nin) ? noneOf(ref, type, expected.nin) : UNKNOWN);
  if (expected.gt !== undefined) parts.push(range(ref, type, '>', expected.gt));
  if (expected.gte !== undefined) parts.push(range(ref, type, '>=', expected.gte));
  if (expected.lt !== undefined) parts.push(range(ref, type, '<', expected.lt));
  if (expected.lte !== undefined) parts.push(range(ref, type, '<=', expected.lte));
  // Case-insensitive substring: MySQL's case folding is not JavaScript's, so `like` is checked in process.
  if (expected.like !== undefined) parts.push(UNKNOWN);
  return and(parts);
}

/**
 * A superset test on a field without a typed column, from its JSON: a string the field must
 * equal. Never exact (the JSON value's collation folds case), but it keeps the rows fetched
 * for an in-process check few.
 */
function jsonPrefilter(field: string, expected: unknown): SqlCondition {
  if (!FIELD_NAME.test(field)) return UNKNOWN;
  let values: readonly unknown[] | undefined;
  if (typeof expected === 'string') values = [expected];
  else if (isFieldCondition(expected) && typeof expected.eq === 'string') values = [expected.eq];
  else if (isFieldCondition(expected) && Array.isArray(expected.in) && expected.in.length > 0 && expected.in.every((v) => typeof v === 'string')) {
    values = expected.in;
  }
  if (values === undefined) return UNKNOWN;
  return { sql: `${jsonValueSql(field)} IN (${values.map(() => '?').join(', ')})`, params: values, exact: false };
}

/**
 * Translates a {@link Filter} to SQL over an aggregate table's typed columns, reading it exactly
 * as core's `matchesFilter` does: a plain value or `eq` is equality and `null` matches a null or
 * absent field, `ne`/`nin` accept an absent field, ranges reject it, `$or` needs one alternative.
 * What cannot be said exactly in SQL (fields without a column, `like`, values of another type than
 * the column's) is left to the in-process check, and the result is then marked inexact.
 */
export function filterToSql<T>(filter: Filter<T> | undefined, columns: ReadonlyMap<string, FilterColumn>): SqlCondition {
  if (filter === undefined) return TRUE;
  const parts: SqlCondition[] = [];
  for (const [field, expected] of Object.entries(filter as Record<string, unknown>)) {
    if (field === '$or' || expected === undefined) continue;
    const column = columns.get(field);
    if (column === undefined) {
      parts.push(jsonPrefilter(field, expected));
      continue;
    }
    const ref = quoteId(column.column);
    if (isFieldCondition(expected)) parts.push(condition(ref, column.type, expected));
    else if (isAbsent(expected) || typeof expected !== 'object') parts.push(equals(ref, column.type, expected));
    else parts.push(UNKNOWN);
  }
  const alternatives = filter.$or;
  if (alternatives !== undefined) parts.push(anyOf(alternatives.map((alternative) => filterToSql(alternative, columns))));
  return and(parts);
}

function anyOf(alternatives: readonly SqlCondition[]): SqlCondition {
  if (alternatives.length === 0) return FALSE;
  const exact = alternatives.every((alternative) => alternative.exact);
  // An alternative that selects every row makes the whole disjunction select every row.
  if (alternatives.some((alternative) => alternative.sql === '')) return { sql: '', params: [], exact };
  return {
    sql: alternatives.map((alternative) => `(${alternative.sql})`).join(' OR '),
    params: alternatives.flatMap((alternative) => alternative.params),
    exact,
  };
}
