import { createAggregateTable } from './aggregate-ddl.js';
import type { Migration } from './migration.js';

/** Tables of the accounts area: accounts, users, SSH key pairs and resource limits. */
export const accountAggregates: Migration = {
  version: 4,
  name: 'account-aggregates',
  statements: [
    ...createAggregateTable('accounts', {
      columns: { domainId: 'string', name: 'string', state: 'string' },
      unique: [['domainId', 'name']],
    }),
    ...createAggregateTable('users', {
      columns: { accountId: 'string', domainId: 'string', username: 'string', apiKey: 'string' },
      unique: [['domainId', 'username'], ['apiKey']],
    }),
    ...createAggregateTable('sshKeyPairs', {
      columns: { accountId: 'string', domainId: 'string', name: 'string', fingerprint: 'string' },
      unique: [['accountId', 'name']],
    }),
    ...createAggregateTable('resourceLimits', {
      columns: { ownerType: 'string', ownerId: 'string', resourceType: 'string' },
      unique: [['ownerType', 'ownerId', 'resourceType']],
    }),
  ],
};
