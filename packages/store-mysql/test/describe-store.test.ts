import { describe, expect, it } from 'vitest';
import { describeStore } from '@cloudstack-sdk/core/testing';
import { mariadbReachable } from './support/mariadb.js';
import { createTestStore } from './support/mysql-test-store.js';

const reachable = await mariadbReachable();

describe.skipIf(!reachable)('MySQL store on MariaDB', () => {
  it('has a MariaDB to run the conformance suite against', () => {
    expect(reachable).toBe(true);
  });

  describeStore('MySQL store', async () => ({ store: await createTestStore() }));
});
