import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudError, CsErrorCode, type CloudEvent } from '@cloudstack-sdk/core';
import { MysqlStore } from '../src/index.js';
import { createTestDatabase, mariadbReachable, type TestDatabase } from './support/mariadb.js';

const reachable = await mariadbReachable();

function event(): Omit<CloudEvent, 'version'> {
  return {
    id: randomUUID(),
    type: 'TEST.EVENT',
    level: 'INFO',
    state: 'Completed',
    description: 'contended',
    accountId: 'acct',
    domainId: 'dom',
    userId: 'user',
    createdAt: '2013-05-28T12:00:00.000Z',
  };
}

/**
 * Two store instances with pools of their own on one database: to the database they are two
 * management servers, exactly as two processes would be.
 */
describe.skipIf(!reachable)('two stores on one database (as two management servers)', () => {
  let db: TestDatabase;
  let a: MysqlStore;
  let b: MysqlStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    a = new MysqlStore({ url: db.url, connectionLimit: 4 });
    b = new MysqlStore({ url: `${db.url}?connectionLimit=4` });
    await Promise.all([a.init(), b.init()]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await db?.drop();
  });

  it('never hands one item to claimers of both stores', async () => {
    const pool = `public-ips-${randomUUID()}`;
    const size = 300;
    await a.transaction((tx) => tx.pools.add(pool, Array.from({ length: size }, (_, i) => `203.0.113.${i}`)));
    const claimers = [a, b].flatMap((store, s) =>
      Array.from({ length: 250 }, (_, i) => store.transaction((tx) => tx.pools.claim(pool, `store${s}-claimer${i}`))),
    );
    const results = await Promise.all(claimers);
    const won = results.filter((item): item is string => item !== undefined);
    expect(won).toHaveLength(size);
    expect(new Set(won).size).toBe(size);
    expect(await b.transaction((tx) => tx.pools.stats(pool))).toEqual({ total: size, free: 0 });
    const holders = await a.transaction(async (tx) => Promise.all(won.map((item) => tx.pools.holderOf(pool, item))));
    expect(new Set(holders).size).toBe(size);
    // Both servers won some: the race really was between them.
    expect(holders.some((h) => h?.startsWith('store0-'))).toBe(true);
    expect(holders.some((h) => h?.startsWith('store1-'))).toBe(true);
  });

  it('keeps each claim with the transaction that made it when the other store claims and rolls back', async () => {
    const pool = `vlans-${randomUUID()}`;
    await a.transaction((tx) => tx.pools.add(pool, ['100', '101', '102']));
    const rolledBack = b
      .transaction(async (tx) => {
        await tx.pools.claim(pool, 'doomed');
        await tx.pools.claim(pool, 'doomed');
        throw new Error('deployment failed');
      })
      .catch((error: unknown) => error);
    const kept = await a.transaction((tx) => tx.pools.claim(pool, 'survivor'));
    expect(await rolledBack).toBeInstanceOf(Error);
    expect(kept).toBeDefined();
    expect(await a.transaction((tx) => tx.pools.heldBy('doomed'))).toEqual([]);
    expect(await b.transaction((tx) => tx.pools.stats(pool))).toEqual({ total: 3, free: 2 });
  });

  it('never lets a bounded counter pass its limit when both stores adjust it', async () => {
    const key = `limit-${randomUUID()}`;
    const results = await Promise.all(
      [a, b].flatMap((store) => Array.from({ length: 150 }, () => store.transaction((tx) => tx.counters.adjust(key, 1, { max: 100 })))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(100);
    expect(await b.transaction((tx) => tx.counters.get(key))).toBe(100);
  });

  it('lets exactly one of two servers update a row from the same version', async () => {
    const row = event();
    await a.transaction((tx) => tx.repo('events').insert(row));
    for (let round = 0; round < 10; round += 1) {
      const [seenByA, seenByB] = await Promise.all([a, b].map((store) => store.transaction((tx) => tx.repo('events').get(row.id))));
      const outcomes = await Promise.allSettled([
        a.transaction((tx) => tx.repo('events').update({ ...seenByA!, description: `a${round}` })),
        b.transaction((tx) => tx.repo('events').update({ ...seenByB!, description: `b${round}` })),
      ]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost[0]?.reason).toBeInstanceOf(CloudError);
      expect((lost[0]?.reason as CloudError).csErrorCode).toBe(CsErrorCode.CONCURRENT_OPERATION);
    }
    expect((await b.transaction((tx) => tx.repo('events').get(row.id)))?.version).toBe(11);
  });
});
