import type { AggregateSpec } from './aggregates.js';
import type { Account } from './account.js';
import type { Domain } from './domain.js';
import type { ResourceLimit } from './resource-limit.js';
import type { SshKeyPair } from './ssh-key-pair.js';
import type { User } from './user.js';

/**
 * The aggregates of the accounts area (domains, accounts, users, SSH key pairs, resource
 * limits). Merged into the store's aggregate list by `aggregates.ts`.
 */
export interface AccountAggregates {
  /** Domains. */
  domains: Domain;
  /** Accounts. */
  accounts: Account;
  /** Users of accounts (with hashed passwords and sealed API secret keys). */
  users: User;
  /** SSH key pairs of accounts (public keys only). */
  sshKeyPairs: SshKeyPair;
  /** Explicitly set resource limits of accounts and domains. */
  resourceLimits: ResourceLimit;
}

/** Index and uniqueness facts of the accounts area's aggregates. */
export const ACCOUNT_AGGREGATE_SPECS: { readonly [K in keyof AccountAggregates]: AggregateSpec<AccountAggregates[K]> } = {
  domains: { unique: [['path']], indexed: ['parentId'] },
  accounts: { unique: [['domainId', 'name']], indexed: ['domainId', 'state'] },
  users: { unique: [['domainId', 'username'], ['apiKey']], indexed: ['accountId', 'domainId'] },
  sshKeyPairs: { unique: [['accountId', 'name']], indexed: ['accountId', 'domainId', 'fingerprint'] },
  resourceLimits: { unique: [['ownerType', 'ownerId', 'resourceType']], indexed: ['ownerId'] },
};
