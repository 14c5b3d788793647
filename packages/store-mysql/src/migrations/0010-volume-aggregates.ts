import { createAggregateTable } from './aggregate-ddl.js';
import type { Migration } from './migration.js';

/** Tables of the volumes area: volumes, snapshots, snapshot policies and usage records. */
export const volumeAggregates: Migration = {
  version: 10,
  name: 'volume-aggregates',
  statements: [
    ...createAggregateTable('volumes', {
      columns: {
        accountId: 'string',
        domainId: 'string',
        zoneId: 'string',
        virtualMachineId: 'string',
        deviceId: 'number',
        storageId: 'string',
        state: 'string',
        type: 'string',
      },
      unique: [['virtualMachineId', 'deviceId']],
    }),
    ...createAggregateTable('snapshots', {
      columns: { accountId: 'string', domainId: 'string', volumeId: 'string', policyId: 'string', state: 'string' },
    }),
    ...createAggregateTable('snapshotPolicies', {
      columns: { volumeId: 'string', intervalType: 'string', accountId: 'string', nextRunAt: 'string' },
      unique: [['volumeId', 'intervalType']],
    }),
    ...createAggregateTable('usageRecords', {
      columns: { accountId: 'string', type: 'string', resourceId: 'string', createdAt: 'string' },
    }),
  ],
};
