import { createAggregateTable } from './aggregate-ddl.js';
import type { Migration } from './migration.js';

/** URLs get the longest column an InnoDB index allows (768 characters of utf8mb4). */
const url = { type: 'string', length: 768 } as const;

/**
 * Tables of the infrastructure area: regions, zones, physical networks and their traffic types
 * and service providers, pods, VLAN IP ranges, clusters, hosts, primary and secondary storage.
 */
export const infrastructureAggregates: Migration = {
  version: 5,
  name: 'infrastructure-aggregates',
  statements: [
    ...createAggregateTable('regions', { columns: { name: 'string' }, unique: [['name']] }),
    ...createAggregateTable('zones', { columns: { name: 'string', domainId: 'string' }, unique: [['name']] }),
    ...createAggregateTable('physicalNetworks', {
      columns: { zoneId: 'string', name: 'string' },
      unique: [['zoneId', 'name']],
    }),
    ...createAggregateTable('physicalNetworkTrafficTypes', {
      columns: { physicalNetworkId: 'string', zoneId: 'string', trafficType: 'string' },
      unique: [['physicalNetworkId', 'trafficType']],
    }),
    ...createAggregateTable('networkServiceProviders', {
      columns: { physicalNetworkId: 'string', name: 'string' },
      unique: [['physicalNetworkId', 'name']],
    }),
    ...createAggregateTable('pods', { columns: { zoneId: 'string', name: 'string' }, unique: [['zoneId', 'name']] }),
    ...createAggregateTable('vlanIpRanges', { columns: { zoneId: 'string', podId: 'string', purpose: 'string' } }),
    ...createAggregateTable('clusters', {
      columns: { zoneId: 'string', podId: 'string', name: 'string' },
      unique: [['podId', 'name']],
    }),
    ...createAggregateTable('hosts', {
      columns: { zoneId: 'string', podId: 'string', clusterId: 'string', state: 'string', url, guid: 'string' },
      unique: [['url'], ['guid']],
    }),
    ...createAggregateTable('storagePools', {
      columns: { zoneId: 'string', podId: 'string', clusterId: 'string', name: 'string', url },
      unique: [
        ['clusterId', 'name'],
        ['clusterId', 'url'],
      ],
    }),
    ...createAggregateTable('imageStores', {
      columns: { zoneId: 'string', protocol: 'string', url },
      unique: [['url']],
    }),
  ],
};
