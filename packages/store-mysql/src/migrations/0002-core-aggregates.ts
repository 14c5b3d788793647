import { createAggregateTable } from './aggregate-ddl.js';
import type { Migration } from './migration.js';

/** Tables of core's own aggregates: events, jobs and configuration values. */
export const coreAggregates: Migration = {
  version: 2,
  name: 'core-aggregates',
  statements: [
    ...createAggregateTable('events', {
      columns: { accountId: 'string', domainId: 'string', type: 'string', resourceId: 'string' },
    }),
    ...createAggregateTable('jobs', {
      columns: { accountId: 'string', status: 'number', ownerServerId: 'string', instanceId: 'string' },
    }),
    ...createAggregateTable('configValues', {
      columns: { scope: 'string', scopeId: 'string', name: 'string' },
      unique: [['scope', 'scopeId', 'name']],
    }),
  ],
};
