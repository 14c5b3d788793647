import { EXACT_COLLATION } from '../schema/table-layout.js';
import type { Migration } from './migration.js';

const key = (name: string, nullable = false) =>
  `\`${name}\` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE ${EXACT_COLLATION} ${nullable ? 'NULL' : 'NOT NULL'}`;

/**
 * The store's own tables: claim pool items (one row per claimable item), counters, and the
 * heartbeat rows of the management servers sharing the database.
 */
export const foundation: Migration = {
  version: 1,
  name: 'foundation',
  statements: [
    // `free_order` is NULL while the item is held; when free, the time (µs) it became free, so
    // claims hand out items in the order they were added and a released item goes to the back.
    `CREATE TABLE IF NOT EXISTS \`claim_pool_items\` (
  \`seq\` BIGINT NOT NULL AUTO_INCREMENT,
  ${key('pool')},
  ${key('item')},
  ${key('holder', true)},
  \`free_order\` BIGINT NULL,
  PRIMARY KEY (\`seq\`),
  UNIQUE INDEX \`uq_pool_item\` (\`pool\`, \`item\`),
  INDEX \`ix_free\` (\`pool\`, \`free_order\`, \`seq\`),
  INDEX \`ix_holder\` (\`holder\`, \`pool\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    // DOUBLE holds every JavaScript number exactly and adds as JavaScript does.
    `CREATE TABLE IF NOT EXISTS \`counters\` (
  ${key('name')},
  \`value\` DOUBLE NOT NULL,
  PRIMARY KEY (\`name\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    `CREATE TABLE IF NOT EXISTS \`management_servers\` (
  ${key('server_id')},
  \`started_at\` DATETIME(3) NOT NULL,
  \`last_heartbeat\` DATETIME(3) NOT NULL,
  PRIMARY KEY (\`server_id\`),
  INDEX \`ix_last_heartbeat\` (\`last_heartbeat\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  ],
};
