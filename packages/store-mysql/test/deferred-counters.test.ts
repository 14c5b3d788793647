import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { CapacityKeys, ROUTER_SEQUENCE_COUNTER, VM_SEQUENCE_COUNTER, usageCounterKey } from '@cloudstack-sdk/core';
import { ACCUMULATOR_COUNTERS, MysqlStore } from '../src/index.js';
import { adminConnection, createTestDatabase, mariadbReachable, type TestDatabase } from './support/mariadb.js';

const reachable = await mariadbReachable();

function signal(): { fire: () => void; fired: Promise<void> } {
  let fire!: () => void;
  const fired = new Promise<void>((resolve) => (fire = resolve));
  return { fire, fired };
}

describe('which counters are deferred by default', () => {
  it("defers core's limit and capacity accumulators and never a sequence whose value is used", () => {
    for (const key of [
      usageCounterKey('account', 'a1', 'user_vm'),
      usageCounterKey('domain', 'd1', 'volume'),
      CapacityKeys.hostCpuMhz('h1'),
      CapacityKeys.hostMemoryBytes('h1'),
      CapacityKeys.hostVms('h1'),
      CapacityKeys.hostAccountVms('h1', 'a1'),
      CapacityKeys.poolAllocatedBytes('p1'),
      CapacityKeys.zoneGuestVlans('z1'),
    ]) {
      expect(ACCUMULATOR_COUNTERS(key), key).toBe(true);
    }
    for (const key of [VM_SEQUENCE_COUNTER, ROUTER_SEQUENCE_COUNTER, CapacityKeys.zoneMacSequence('z1'), CapacityKeys.clusterHosts('c1'), 'anything-else']) {
      expect(ACCUMULATOR_COUNTERS(key), key).toBe(false);
    }
  });
});

/**
 * Counter adjustments are applied at commit (deferred), so a hot counter row is locked only for
 * a transaction's last statements; bounds still hold across transactions.
 */
describe.skipIf(!reachable)('deferred counter adjustments', () => {
  let db: TestDatabase;
  let store: MysqlStore;
  let admin: mysql.Connection;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Every counter deferred, so these tests may use keys of their own.
    store = new MysqlStore({ url: db.url, connectionLimit: 4, deferCounters: true });
    await store.init();
    admin = await adminConnection(db.name);
  });
  afterAll(async () => {
    await admin?.end();
    await store?.close();
    await db?.drop();
  });

  const lockedByOthers = async (key: string): Promise<boolean> => {
    await admin.query('START TRANSACTION');
    try {
      await admin.query('SELECT `value` FROM `counters` WHERE `name` = ? FOR UPDATE NOWAIT', [key]);
      return false;
    } catch (error) {
      if ((error as { errno?: number }).errno === 1205 || /lock/i.test((error as Error).message)) return true;
      throw error;
    } finally {
      await admin.query('ROLLBACK');
    }
  };

  it('keeps adjusting a counter the policy does not defer under its row lock at once', async () => {
    const locking = new MysqlStore({ url: db.url, connectionLimit: 2, deferCounters: (key) => !key.startsWith('seq-') });
    try {
      await locking.init();
      const key = `seq-${randomUUID()}`;
      const adjusted = signal();
      const checked = signal();
      const done = locking.transaction(async (tx) => {
        expect(await tx.counters.adjust(key, 1)).toEqual({ ok: true, value: 1 });
        adjusted.fire();
        await checked.fired;
      });
      await adjusted.fired;
      expect(await lockedByOthers(key)).toBe(true);
      checked.fire();
      await done;
    } finally {
      await locking.close();
    }
  });

  it('leaves the row unlocked until the commit, and shows the transaction its own pending adjustments', async () => {
    const key = `hot-${randomUUID()}`;
    await store.transaction((tx) => tx.counters.set(key, 2));
    const adjusted = signal();
    const checked = signal();
    const done = store.transaction(async (tx) => {
      expect(await tx.counters.adjust(key, 3, { max: 10 })).toEqual({ ok: true, value: 5 });
      expect(await tx.counters.adjust(key, -1, { min: 0 })).toEqual({ ok: true, value: 4 });
      expect(await tx.counters.get(key)).toBe(4);
      expect(await tx.counters.list(key)).toEqual(new Map([[key, 4]]));
      adjusted.fire();
      await checked.fired;
    });
    await adjusted.fired;
    // Another server may adjust it meanwhile; the pending transaction has not locked it.
    expect(await lockedByOthers(key)).toBe(false);
    expect(await store.transaction((tx) => tx.counters.get(key))).toBe(2);
    checked.fire();
    await done;
    expect(await store.transaction((tx) => tx.counters.get(key))).toBe(4);
  });

  it('reruns a transaction whose room was taken at commit, which then sees the refusal', async () => {
    const key = `last-slot-${randomUUID()}`;
    await store.transaction((tx) => tx.counters.set(key, 0));
    const bothRead = { a: signal(), b: signal() };
    const aCommitted = signal();
    const outcomes: boolean[] = [];
    const before = store.statistics().counterRaces;
    const a = store.transaction(async (tx) => {
      const result = await tx.counters.adjust(key, 1, { max: 1 });
      bothRead.a.fire();
      await bothRead.b.fired;
      return result.ok;
    });
    const b = store.transaction(async (tx) => {
      const result = await tx.counters.adjust(key, 1, { max: 1 });
      outcomes.push(result.ok);
      bothRead.b.fire();
      await bothRead.a.fired;
      await aCommitted.fired;
      return result.ok;
    });
    expect(await a).toBe(true);
    aCommitted.fire();
    // b saw room (ok), lost it at commit, and ran again with locking counters: refused.
    expect(await b).toBe(false);
    expect(outcomes).toEqual([true, false]);
    expect(store.statistics().counterRaces).toBe(before + 1);
    expect(await store.transaction((tx) => tx.counters.get(key))).toBe(1);
  });

  it('lets set and delete override what the transaction adjusted before', async () => {
    const key = `reset-${randomUUID()}`;
    await store.transaction(async (tx) => {
      await tx.counters.adjust(key, 5);
      await tx.counters.set(key, 1);
      expect(await tx.counters.adjust(key, 2, { max: 3 })).toEqual({ ok: true, value: 3 });
      await tx.counters.adjust(`${key}:gone`, 4);
      await tx.counters.delete(`${key}:gone`);
    });
    expect(await store.transaction(async (tx) => [await tx.counters.get(key), await tx.counters.get(`${key}:gone`)])).toEqual([3, 0]);
  });

  it('forgets pending adjustments of a transaction that rolls back', async () => {
    const key = `undone-${randomUUID()}`;
    await expect(
      store.transaction(async (tx) => {
        await tx.counters.adjust(key, 7);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await store.transaction((tx) => tx.counters.list(key))).toEqual(new Map());
  });
});
