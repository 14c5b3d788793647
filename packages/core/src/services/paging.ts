import { z } from 'zod';
import { invalidParameter, parameterRefused } from '../errors.js';

/** Paging fields every list input accepts, as CloudStack's `page` and `pagesize`. */
export const PagingInput = z.object({
  /** 1-based page number; needs `pageSize`. */
  page: z.number().int().positive().optional(),
  /** Rows per page; -1 for no limit (then `page` is not allowed). */
  pageSize: z.number().int().min(-1).optional(),
});

/** Paging fields of a list input. */
export type PagingInput = z.input<typeof PagingInput>;

/** An offset/limit window. */
export interface PageWindow {
  /** Rows to skip. */
  readonly offset: number;
  /** Rows to return, or undefined for all. */
  readonly limit: number | undefined;
}

/**
 * Turns `page`/`pageSize` into a window with CloudStack's rules (reference §2.5): the two come
 * together; `pageSize` -1 means unlimited and takes no `page`; without them at most
 * `default.page.size` rows; a larger `pageSize` is refused.
 */
export function pageWindow(input: PagingInput, defaultPageSize: number): PageWindow {
  const { page, pageSize } = input;
  if (pageSize === -1) {
    if (page !== undefined) throw invalidParameter('page', '"page" is not allowed when "pagesize" is -1');
    return { offset: 0, limit: undefined };
  }
  if (page !== undefined && pageSize === undefined) {
    throw parameterRefused('pagesize', '"pagesize" parameter is required when "page" is specified');
  }
  if (pageSize !== undefined && page === undefined) {
    throw parameterRefused('page', '"page" parameter is required when "pagesize" is specified');
  }
  if (pageSize === 0) throw invalidParameter('pagesize', 'must be positive, or -1 for no limit');
  if (pageSize !== undefined && pageSize > defaultPageSize) {
    throw parameterRefused('pagesize', `Page size can't exceed max allowed page size value: ${defaultPageSize}`);
  }
  const size = pageSize ?? defaultPageSize;
  return { offset: ((page ?? 1) - 1) * size, limit: size };
}
