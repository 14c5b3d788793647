import { createAggregateTable } from './aggregate-ddl.js';
import type { Migration } from './migration.js';

/**
 * Tables of the security-group area: groups (unique by account and name, so two servers
 * creating an account's `default` group at once keep one), their ingress and egress rules, VM
 * memberships (unique per group and VM), and each VM's rule sync state (unique per VM).
 */
export const securityGroups: Migration = {
  version: 14,
  name: 'security-groups',
  statements: [
    ...createAggregateTable('securityGroups', {
      columns: { accountId: 'string', name: 'string', domainId: 'string' },
      unique: [['accountId', 'name']],
    }),
    ...createAggregateTable('securityGroupRules', {
      columns: { securityGroupId: 'string', allowedGroupId: 'string', accountId: 'string' },
    }),
    ...createAggregateTable('securityGroupMembers', {
      columns: { groupId: 'string', vmId: 'string', accountId: 'string' },
      unique: [['groupId', 'vmId']],
    }),
    ...createAggregateTable('securityGroupVmSyncs', {
      columns: { vmId: 'string', pending: 'boolean' },
      unique: [['vmId']],
    }),
  ],
};
