import { EXACT_COLLATION } from '../schema/table-layout.js';
import type { Migration } from './migration.js';

/**
 * Who took over a dead management server's work, and when: the compare-and-set column of
 * `MysqlServerRegistry.claimTakeover`, so exactly one survivor takes each dead server over.
 */
export const serverTakeover: Migration = {
  version: 9,
  name: 'server-takeover',
  statements: [
    `ALTER TABLE \`management_servers\` ADD COLUMN IF NOT EXISTS \`taken_over_by\` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE ${EXACT_COLLATION} NULL`,
    'ALTER TABLE `management_servers` ADD COLUMN IF NOT EXISTS `taken_over_at` DATETIME(3) NULL',
  ],
};
