import type { AggregateSpec } from './aggregates.js';
import type { Domain } from './domain.js';

/**
 * The aggregates of the accounts area (domains, accounts, users, SSH key pairs, resource
 * limits). Merged into the store's aggregate list by `aggregates.ts`.
 */
export interface AccountAggregates {
  /** Domains. */
  domains: Domain;
}

/** Index and uniqueness facts of the accounts area's aggregates. */
export const ACCOUNT_AGGREGATE_SPECS: { readonly [K in keyof AccountAggregates]: AggregateSpec<AccountAggregates[K]> } = {
  domains: { unique: [['path']], indexed: ['parentId'] },
};
