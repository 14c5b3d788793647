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

/**
 * `listall`, `isrecursive`, `domainid` and `account`, the account and domain scoping of 4.1's
 * `BaseListDomainResourcesCmd` (reference §2.5), passed to core's shared visibility rule.
 */
export const SCOPING_PARAMS = {
  listall: param.boolean('If set to false, list only resources belonging to the command\'s caller; if set to true, list resources that the caller is authorized to see'),
  isrecursive: param.boolean('defaults to false, but if true, lists all resources from the parent specified by the domainId till leaves'),
  domainid: param.uuid('list only resources belonging to the domain specified'),
  account: param.string('List resources by account. Must be used with the domainId parameter'),
} as const;

/** The scoping fields of a core list input from `listall`/`isrecursive`/`domainid`/`account`. */
export function scopingInput(params: { readonly listall?: boolean; readonly isrecursive?: boolean; readonly domainid?: string; readonly account?: string }): {
  listAll?: boolean;
  isRecursive?: boolean;
  domainId?: string;
  account?: string;
} {
  return {
    ...(params.listall === undefined ? {} : { listAll: params.listall }),
    ...(params.isrecursive === undefined ? {} : { isRecursive: params.isrecursive }),
    ...(params.domainid === undefined ? {} : { domainId: params.domainid }),
    ...(params.account === undefined ? {} : { account: params.account }),
  };
}
