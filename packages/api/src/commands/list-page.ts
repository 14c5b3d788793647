import { pageWindow } from '@cloudstack-sdk/core';
import type { ApiObject } from '../response/api-value.js';
import type { CommandContext, ListOutcome } from './command.js';
import { pagingInput } from './list-params.js';

/** The paging and keyword parameters a list command received. */
export interface PageParams {
  readonly keyword?: string;
  readonly page?: number;
  readonly pagesize?: number;
}

/**
 * Pages a complete list from a core service that returns every match: the `keyword` (a
 * case-insensitive substring of `keywordOf(item)`, as 4.1's LIKE match on names), then the
 * `page`/`pagesize` window with 4.1's rules; `count` is the total before paging.
 */
export async function pageOf<T>(
  context: CommandContext,
  params: PageParams,
  items: readonly T[],
  keywordOf: (item: T) => readonly (string | undefined)[],
  view: (item: T) => ApiObject | Promise<ApiObject>,
): Promise<ListOutcome> {
  const keyword = params.keyword?.toLowerCase();
  const matches = keyword === undefined || keyword === '' ? items : items.filter((item) => keywordOf(item).some((text) => text?.toLowerCase().includes(keyword) === true));
  const window = pageWindow(pagingInput(params), await context.config.number('default.page.size'));
  const page = matches.slice(window.offset, window.limit === undefined ? undefined : window.offset + window.limit);
  const rows: ApiObject[] = [];
  for (const item of page) rows.push(await view(item));
  return { items: rows, count: matches.length };
}
