import { createAggregateTable } from './aggregate-ddl.js';
import type { Migration } from './migration.js';

/** Tables of the virtual-machine area: VMs and their NICs. */
export const vmAggregates: Migration = {
  version: 8,
  name: 'vm-aggregates',
  statements: [
    ...createAggregateTable('vms', {
      columns: { instanceName: 'string', name: 'string', accountId: 'string', domainId: 'string', hostId: 'string', state: 'string', zoneId: 'string' },
      unique: [['instanceName'], ['accountId', 'name']],
    }),
    ...createAggregateTable('nics', {
      columns: { vmId: 'string', zoneId: 'string', macAddress: 'string', ipAddress: 'string' },
      unique: [['zoneId', 'macAddress']],
    }),
  ],
};
