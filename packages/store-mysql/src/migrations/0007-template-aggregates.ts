import { createAggregateTable } from './aggregate-ddl.js';
import type { Migration } from './migration.js';

/** Tables of the templates area: OS types, templates and ISOs, their per-store copies, launch permissions. */
export const templateAggregates: Migration = {
  version: 7,
  name: 'template-aggregates',
  statements: [
    ...createAggregateTable('osTypes', { columns: { description: 'string', category: 'string' }, unique: [['description']] }),
    ...createAggregateTable('templates', {
      columns: { accountId: 'string', domainId: 'string', format: 'string', state: 'string', isPublic: 'boolean' },
    }),
    ...createAggregateTable('templateCopies', {
      columns: { templateId: 'string', zoneId: 'string', imageStoreId: 'string', state: 'string' },
      unique: [['templateId', 'imageStoreId']],
    }),
    ...createAggregateTable('templatePermissions', {
      columns: { templateId: 'string', accountId: 'string' },
      unique: [['templateId', 'accountId']],
    }),
  ],
};
