import { addForeignKeys } from './aggregate-ddl.js';
import type { Migration } from './migration.js';

/**
 * Foreign keys between aggregate tables, on their typed columns, where they protect integrity
 * without refusing anything core does: each is `ON DELETE RESTRICT`, and core removes the
 * children first in every deletion it makes (a zone only without pods, physical networks, IP
 * ranges and secondary storage; a pod only without clusters and ranges; a cluster only without
 * hosts and pools; a host only without VMs; a pool only with nothing allocated; a VM's NICs,
 * ROOT volume and snapshot policies before the VM; an account's users, key pairs, snapshot
 * policies and launch permissions before the account; a domain's accounts and sub-domains
 * before it; a template's copies and permissions before it).
 *
 * Left out on purpose, because core (like CloudStack) lets the parent go first, and neither
 * CASCADE (rows would vanish without core releasing what they hold) nor SET NULL (not possible
 * on a generated column) would be right:
 * - `accountId`/`domainId` of VMs, volumes, templates, snapshots, jobs and events: deleting an
 *   account deletes its row at once and expunges what it owned in jobs that run afterwards;
 *   jobs, events and usage records are history that outlives what they name;
 * - snapshots → volumes and snapshot policies: a snapshot outlives its volume (4.1 keeps it);
 * - template copies → image stores and zones: removing secondary storage keeps the copy rows;
 * - offerings' and dedicated zones' `domainId`: deleting a domain does not touch them;
 * - resource limits and configuration values: their owner or scope id names different tables.
 */
export const foreignKeys: Migration = {
  version: 12,
  name: 'foreign-keys',
  statements: [
    addForeignKeys('domains', { parentId: 'domains' }),
    addForeignKeys('accounts', { domainId: 'domains' }),
    addForeignKeys('users', { accountId: 'accounts', domainId: 'domains' }),
    addForeignKeys('sshKeyPairs', { accountId: 'accounts' }),
    addForeignKeys('physicalNetworks', { zoneId: 'zones' }),
    addForeignKeys('physicalNetworkTrafficTypes', { physicalNetworkId: 'physicalNetworks', zoneId: 'zones' }),
    addForeignKeys('networkServiceProviders', { physicalNetworkId: 'physicalNetworks' }),
    addForeignKeys('pods', { zoneId: 'zones' }),
    addForeignKeys('vlanIpRanges', { zoneId: 'zones', podId: 'pods' }),
    addForeignKeys('clusters', { zoneId: 'zones', podId: 'pods' }),
    addForeignKeys('hosts', { zoneId: 'zones', podId: 'pods', clusterId: 'clusters' }),
    addForeignKeys('storagePools', { zoneId: 'zones', podId: 'pods', clusterId: 'clusters' }),
    addForeignKeys('imageStores', { zoneId: 'zones' }),
    addForeignKeys('templateCopies', { templateId: 'templates' }),
    addForeignKeys('templatePermissions', { templateId: 'templates', accountId: 'accounts' }),
    addForeignKeys('vms', { zoneId: 'zones', hostId: 'hosts' }),
    addForeignKeys('nics', { vmId: 'vms' }),
    addForeignKeys('volumes', { zoneId: 'zones', virtualMachineId: 'vms', storageId: 'storagePools' }),
    addForeignKeys('snapshotPolicies', { volumeId: 'volumes', accountId: 'accounts' }),
  ],
};
