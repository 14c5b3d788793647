import { createAggregateTable } from './aggregate-ddl.js';
import type { Migration } from './migration.js';

/** Tables of the offerings area: service and disk offerings. */
export const offeringAggregates: Migration = {
  version: 6,
  name: 'offering-aggregates',
  statements: [
    ...createAggregateTable('serviceOfferings', { columns: { state: 'string', domainId: 'string', isSystem: 'boolean' } }),
    ...createAggregateTable('diskOfferings', { columns: { state: 'string', domainId: 'string' } }),
  ],
};
