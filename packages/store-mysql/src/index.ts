/**
 * `@cloudstack-sdk/store-mysql`: the MySQL/MariaDB store of cloudstack-sdk. Start with
 * {@link MysqlStore}.
 *
 * @packageDocumentation
 */
export { MysqlStore } from './mysql-store.js';
export type { MysqlStoreStatistics } from './transaction-stats.js';
export { ACCUMULATOR_COUNTERS, type CounterDeferral } from './counter-policy.js';
export { ServerFence, type ServerIncarnation } from './server-fence.js';
export { resolveOptions, type MysqlStoreOptions, type ResolvedMysqlStoreOptions } from './mysql-store-options.js';
export { parseConnectionUrl, type MysqlConnectionSettings, type MysqlTlsSettings } from './connection-url.js';
export { DEFAULT_RETRY_POLICY, backoffDelay, type RetryPolicy } from './retry.js';
export type { ManagementServerBeat } from './management-servers.js';
export { MysqlServerRegistry, type ServerBeat } from './mysql-server-registry.js';
export type { Migration } from './migrations/migration.js';
export type { MigrationOutcome } from './migrations/migration-runner.js';
export { MIGRATIONS, LATEST_SCHEMA_VERSION } from './migrations/index.js';
export { createAggregateTable, addAggregateColumns, addAggregateUniqueKey, addForeignKeys, type AggregateTableSpec } from './migrations/aggregate-ddl.js';
export { tableName, fieldColumn, uniqueKeyName, foreignKeyName, RESERVED_TABLES, type ColumnSpec, type ColumnType } from './schema/table-layout.js';
