import { param } from '../params/param-types.js';

/** `page`, `pagesize` and `keyword`, which every 4.1 list command (`BaseListCmd`) takes. */
export const PAGING_PARAMS = {
  keyword: param.string('List by keyword'),
  page: param.integer('The page to return (1-based); needs pagesize'),
  pagesize: param.integer('Rows per page; needs page; -1 for no limit'),
} as const;

/** The paging fields of a core list input from `page`/`pagesize`. */
export function pagingInput(params: { readonly page?: number; readonly pagesize?: number }): { page?: number; pageSize?: number } {
  return {
    ...(params.page === undefined ? {} : { page: params.page }),
    ...(params.pagesize === undefined ? {} : { pageSize: params.pagesize }),
  };
}
