import type { Migration } from './migration.js';

/** Tables of the guest-network area: network offerings, networks, public IPs, rules and routers. */
export const networkAggregates: Migration = {
  version: 11,
  name: 'network-aggregates',
  statements: [],
};
