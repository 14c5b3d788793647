import type { OrderBy } from '@cloudstack-sdk/core';
import { quoteId } from '../schema/table-layout.js';
import type { FilterColumn } from './filter-sql.js';

/**
 * `ORDER BY` for sort keys that all have typed columns, ending with `seq` so ties keep
 * insertion order (as the memory store's stable sort does). NULLs sort first ascending and last
 * descending in MySQL, as absent values do in core's `comparatorFor`. Undefined when a key has
 * no column: the store then sorts in process.
 */
export function orderToSql<T>(orderBy: readonly OrderBy<T>[] | undefined, columns: ReadonlyMap<string, FilterColumn>): string | undefined {
  const keys: string[] = [];
  for (const key of orderBy ?? []) {
    const column = columns.get(key.field);
    if (column === undefined) return undefined;
    keys.push(`${quoteId(column.column)} ${key.direction === 'desc' ? 'DESC' : 'ASC'}`);
  }
  keys.push('`seq` ASC');
  return `ORDER BY ${keys.join(', ')}`;
}
