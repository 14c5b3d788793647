import { createAggregateTable } from './aggregate-ddl.js';
import type { Migration } from './migration.js';

/**
 * Tables of the remote-access VPN area: VPNs (unique by public IP and by network, so two
 * servers enabling a VPN on one address at once keep one) and VPN users (unique by account and
 * username).
 */
export const vpn: Migration = {
  version: 15,
  name: 'vpn',
  statements: [
    ...createAggregateTable('remoteAccessVpns', {
      columns: { publicIpId: 'string', networkId: 'string', accountId: 'string', domainId: 'string', state: 'string' },
      unique: [['publicIpId'], ['networkId']],
    }),
    ...createAggregateTable('vpnUsers', {
      columns: { accountId: 'string', username: 'string', domainId: 'string', state: 'string' },
      unique: [['accountId', 'username']],
    }),
  ],
};
