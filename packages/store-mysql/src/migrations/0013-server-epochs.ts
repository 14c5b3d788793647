import { EXACT_COLLATION } from '../schema/table-layout.js';
import type { Migration } from './migration.js';

/**
 * Fencing of management servers: every registration of a server gets an epoch from
 * `management_server_epochs` (auto-increment, so never handed out twice, even after the
 * server's row was forgotten) and its heartbeat row records the epoch it holds. A server whose
 * row no longer carries its epoch, untaken, was taken over or replaced, and the store refuses
 * its writes (`MysqlStore`, `ServerFence`).
 */
export const serverEpochs: Migration = {
  version: 13,
  name: 'server-epochs',
  statements: [
    `CREATE TABLE IF NOT EXISTS \`management_server_epochs\` (
  \`epoch\` BIGINT NOT NULL AUTO_INCREMENT,
  \`server_id\` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE ${EXACT_COLLATION} NOT NULL,
  \`registered_at\` DATETIME(3) NOT NULL,
  PRIMARY KEY (\`epoch\`),
  INDEX \`ix_server\` (\`server_id\`, \`epoch\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    'ALTER TABLE `management_servers` ADD COLUMN IF NOT EXISTS `epoch` BIGINT NULL',
  ],
};
