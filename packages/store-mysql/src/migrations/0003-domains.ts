import { createAggregateTable } from './aggregate-ddl.js';
import type { Migration } from './migration.js';

/** The domains table. */
export const domains: Migration = {
  version: 3,
  name: 'domains',
  statements: createAggregateTable('domains', {
    columns: { path: 'string', parentId: 'string' },
    unique: [['path']],
  }),
};
