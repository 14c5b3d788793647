import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { CloudError, CsErrorCode, ErrorCode } from '@cloudstack-sdk/core';
import { DEFAULT_RETRY_POLICY, MysqlStore, backoffDelay } from '../src/index.js';
import { adminConnection, createTestDatabase, mariadbReachable, type TestDatabase } from './support/mariadb.js';

const reachable = await mariadbReachable();

/** A one-shot signal between two concurrent transactions. */
function signal(): { fire: () => void; fired: Promise<void> } {
  let fire!: () => void;
  const fired = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { fire, fired };
}

describe('backoff', () => {
  it('draws full jitter below a cap that doubles per rerun and stops at the maximum', () => {
    const policy = { attempts: 5, baseDelayMs: 10, maxDelayMs: 50 };
    expect(backoffDelay(1, policy, () => 0.999)).toBe(9);
    expect(backoffDelay(2, policy, () => 0.999)).toBe(19);
    expect(backoffDelay(3, policy, () => 0.999)).toBe(39);
    expect(backoffDelay(9, policy, () => 0.999)).toBe(49);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(DEFAULT_RETRY_POLICY.attempts).toBeGreaterThan(1);
  });
});

describe.skipIf(!reachable)('deadlocks and lock waits on MariaDB', () => {
  let db: TestDatabase;
  let store: MysqlStore;
  let admin: mysql.Connection;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Locking counters: each adjustment takes its row lock where it is made, which is what these
    // tests use to stage deadlocks and lock waits (deferred counters lock only at commit).
    store = new MysqlStore({ url: db.url, connectionLimit: 4, lockWaitTimeoutSeconds: 1, retry: { attempts: 3, baseDelayMs: 5 }, deferCounters: false });
    await store.init();
    admin = await adminConnection(db.name);
  });
  afterAll(async () => {
    await admin?.end();
    await store?.close();
    await db?.drop();
  });

  it('reruns the loser of a real deadlock, so both transactions complete', async () => {
    const [x, y] = [`x-${randomUUID()}`, `y-${randomUUID()}`];
    await store.transaction(async (tx) => {
      await tx.counters.set(x, 0);
      await tx.counters.set(y, 0);
    });
    const aHolds = signal();
    const bHolds = signal();
    let runs = 0;
    // Each locks one row, waits until the other has locked the other row, then reaches for it.
    const crosswise = (first: string, second: string, mine: typeof aHolds, theirs: typeof aHolds) =>
      store.transaction(async (tx) => {
        runs += 1;
        await tx.counters.adjust(first, 1);
        mine.fire();
        await theirs.fired;
        await tx.counters.adjust(second, 1);
      });
    await Promise.all([crosswise(x, y, aHolds, bHolds), crosswise(y, x, bHolds, aHolds)]);
    expect(runs).toBe(3);
    expect(await store.transaction(async (tx) => [await tx.counters.get(x), await tx.counters.get(y)])).toEqual([2, 2]);
  });

  it('reruns a transaction whose function swallowed a lock conflict, since the server undid its work', async () => {
    const key = `held-${randomUUID()}`;
    await store.transaction((tx) => tx.counters.set(key, 0));
    await admin.query('START TRANSACTION');
    await admin.query('SELECT value FROM counters WHERE name = ? FOR UPDATE', [key]);
    const seen: unknown[] = [];
    const result = await store.transaction(async (tx) => {
      try {
        await tx.counters.adjust(key, 1);
        return 'adjusted';
      } catch (error) {
        seen.push(error);
        await admin.query('ROLLBACK');
        return 'swallowed';
      }
    });
    expect(result).toBe('adjusted');
    expect(seen).toHaveLength(1);
    expect((seen[0] as CloudError).csErrorCode).toBe(CsErrorCode.CONCURRENT_OPERATION);
    expect(await store.transaction((tx) => tx.counters.get(key))).toBe(1);
  });

  it('gives up after its attempts with a 530 / 4300 that says what happened', async () => {
    const key = `stuck-${randomUUID()}`;
    await store.transaction((tx) => tx.counters.set(key, 0));
    await admin.query('START TRANSACTION');
    await admin.query('SELECT value FROM counters WHERE name = ? FOR UPDATE', [key]);
    let runs = 0;
    try {
      const error = await store
        .transaction(async (tx) => {
          runs += 1;
          await tx.counters.adjust(key, 1);
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(CloudError);
      expect((error as CloudError).code).toBe(ErrorCode.INTERNAL_ERROR);
      expect((error as CloudError).csErrorCode).toBe(CsErrorCode.CONCURRENT_OPERATION);
      expect((error as CloudError).message).toMatch(/lock wait timeout.*gave up after 3 attempts/);
      expect(runs).toBe(3);
    } finally {
      await admin.query('ROLLBACK');
    }
    expect(await store.transaction((tx) => tx.counters.get(key))).toBe(0);
  });
});
