import type { Store } from '@cloudstack-sdk/core';
import { MysqlStore, type MysqlStoreOptions } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from './mariadb.js';

/** A MySQL store on a database of its own, which `close()` drops. */
export class DisposableMysqlStore extends MysqlStore {
  constructor(
    private readonly testDatabase: TestDatabase,
    options: Omit<MysqlStoreOptions, 'url'> = {},
  ) {
    super({ ...options, url: testDatabase.url });
  }

  override async close(): Promise<void> {
    await super.close();
    await this.testDatabase.drop();
  }
}

/** A MySQL store on a fresh database (`cssdk_test_<pid>_<hex>`), not yet initialised. */
export async function createTestStore(options: Omit<MysqlStoreOptions, 'url'> = {}): Promise<DisposableMysqlStore> {
  return new DisposableMysqlStore(await createTestDatabase(), options);
}

/**
 * The factory core's service suites load through `CLOUD_TEST_STORE_MODULE`, so every suite
 * that runs on the memory store runs on MariaDB too:
 * `CLOUD_TEST_STORE_MODULE=…/packages/store-mysql/test/support/mysql-test-store.ts vitest run --project core`.
 */
export default async function makeMysqlTestStore(): Promise<Store> {
  return createTestStore();
}
