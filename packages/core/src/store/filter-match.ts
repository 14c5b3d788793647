import type { FieldCondition, Filter, OrderBy } from '../contracts/store.js';

const CONDITION_KEYS = new Set(['eq', 'ne', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'like', 'exists']);

/** True when a filter value is a {@link FieldCondition} rather than a plain value to compare with. */
export function isFieldCondition(value: unknown): value is FieldCondition<unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => CONDITION_KEYS.has(key));
}

function isAbsent(value: unknown): boolean {
  return value === null || value === undefined;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

function matchesCondition(actual: unknown, condition: FieldCondition<unknown>): boolean {
  if (condition.exists !== undefined && condition.exists === isAbsent(actual)) return false;
  if ('eq' in condition && !matchesValue(actual, condition.eq)) return false;
  if ('ne' in condition && matchesValue(actual, condition.ne)) return false;
  if (condition.in !== undefined && !condition.in.some((v) => matchesValue(actual, v))) return false;
  if (condition.nin !== undefined && condition.nin.some((v) => matchesValue(actual, v))) return false;
  if (condition.gt !== undefined && (isAbsent(actual) || compare(actual, condition.gt) <= 0)) return false;
  if (condition.gte !== undefined && (isAbsent(actual) || compare(actual, condition.gte) < 0)) return false;
  if (condition.lt !== undefined && (isAbsent(actual) || compare(actual, condition.lt) >= 0)) return false;
  if (condition.lte !== undefined && (isAbsent(actual) || compare(actual, condition.lte) > 0)) return false;
  if (condition.like !== undefined) {
    if (isAbsent(actual)) return false;
    if (!String(actual).toLowerCase().includes(condition.like.toLowerCase())) return false;
  }
  return true;
}

function matchesValue(actual: unknown, expected: unknown): boolean {
  if (isAbsent(expected)) return isAbsent(actual);
  return actual === expected;
}

/**
 * Whether a row matches a {@link Filter}. Shared by every store that filters in process, so
 * they all read a filter the same way.
 */
export function matchesFilter<T>(row: T, filter: Filter<T> | undefined): boolean {
  if (filter === undefined) return true;
  const record = row as Record<string, unknown>;
  for (const [field, expected] of Object.entries(filter)) {
    if (field === '$or') continue;
    if (expected === undefined) continue;
    const actual = record[field];
    if (isFieldCondition(expected)) {
      if (!matchesCondition(actual, expected)) return false;
    } else if (!matchesValue(actual, expected)) {
      return false;
    }
  }
  const alternatives = filter.$or;
  if (alternatives !== undefined && !alternatives.some((alt) => matchesFilter(row, alt))) return false;
  return true;
}

/** A comparator for `orderBy` keys; absent values sort first, as NULLs do in MySQL. */
export function comparatorFor<T>(orderBy: readonly OrderBy<T>[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of orderBy) {
      const left = (a as Record<string, unknown>)[key.field];
      const right = (b as Record<string, unknown>)[key.field];
      let result: number;
      if (isAbsent(left) || isAbsent(right)) result = isAbsent(left) ? (isAbsent(right) ? 0 : -1) : 1;
      else result = compare(left, right);
      if (result !== 0) return key.direction === 'desc' ? -result : result;
    }
    return 0;
  };
}
