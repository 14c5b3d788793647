import { addAggregateColumns, createAggregateTable } from './aggregate-ddl.js';
import type { Migration } from './migration.js';

/**
 * Tables of the guest-network area: network offerings, guest networks, public IPs, network
 * rules, stickiness policies and virtual routers; and the guest network of each NIC.
 */
export const networkAggregates: Migration = {
  version: 11,
  name: 'network-aggregates',
  statements: [
    ...createAggregateTable('networkOfferings', {
      columns: { name: 'string', guestIpType: 'string', state: 'string' },
      unique: [['name']],
    }),
    ...createAggregateTable('networks', {
      columns: { zoneId: 'string', accountId: 'string', domainId: 'string', state: 'string', networkOfferingId: 'string', physicalNetworkId: 'string', vpcId: 'string' },
    }),
    ...createAggregateTable('publicIps', {
      columns: { zoneId: 'string', address: 'string', accountId: 'string', domainId: 'string', networkId: 'string', state: 'string', staticNatVmId: 'string' },
      unique: [['zoneId', 'address']],
    }),
    ...createAggregateTable('networkRules', {
      columns: { networkId: 'string', ipAddressId: 'string', accountId: 'string', purpose: 'string', vmId: 'string', state: 'string' },
    }),
    ...createAggregateTable('lbStickinessPolicies', {
      columns: { ruleId: 'string', accountId: 'string' },
      unique: [['ruleId']],
    }),
    ...createAggregateTable('routers', {
      columns: { name: 'string', networkId: 'string', zoneId: 'string', hostId: 'string', state: 'string', accountId: 'string' },
      unique: [['name']],
    }),
    ...addAggregateColumns('nics', { networkId: 'string' }),
  ],
};
