import { foundation } from './0001-foundation.js';
import { coreAggregates } from './0002-core-aggregates.js';
import { domains } from './0003-domains.js';
import { accountAggregates } from './0004-account-aggregates.js';
import { infrastructureAggregates } from './0005-infrastructure-aggregates.js';
import { offeringAggregates } from './0006-offering-aggregates.js';
import { templateAggregates } from './0007-template-aggregates.js';
import { vmAggregates } from './0008-vm-aggregates.js';
import { serverTakeover } from './0009-server-takeover.js';
import { volumeAggregates } from './0010-volume-aggregates.js';
import { networkAggregates } from './0011-network-aggregates.js';
import { foreignKeys } from './0012-foreign-keys.js';
import { serverEpochs } from './0013-server-epochs.js';
import { securityGroups } from './0014-security-groups.js';
import { vpn } from './0015-vpn.js';
import type { Migration } from './migration.js';

/**
 * Every migration, in version order. A new aggregate gets its table from a new file
 * (`NNNN-<aggregate>.ts` with one `createAggregateTable` call) appended here; a new indexed or
 * unique field of an existing aggregate, from one with `addAggregateColumns` or
 * `addAggregateUniqueKey`. Never edit a migration that has shipped.
 */
export const MIGRATIONS: readonly Migration[] = [
  foundation,
  coreAggregates,
  domains,
  accountAggregates,
  infrastructureAggregates,
  offeringAggregates,
  templateAggregates,
  vmAggregates,
  serverTakeover,
  volumeAggregates,
  networkAggregates,
  foreignKeys,
  serverEpochs,
  securityGroups,
  vpn,
];

/** The schema version this code knows: the last migration's. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
