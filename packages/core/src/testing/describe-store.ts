import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store, Transaction } from '../contracts/store.js';
import { CloudError, CsErrorCode, ErrorCode } from '../errors.js';
import type { CloudEvent } from '../model/event.js';

/** A store under test and how to dispose of it. */
export interface StoreUnderTest {
  /** A fresh, initialised store. */
  readonly store: Store;
  /** Drops whatever the store made (a test database, files). */
  readonly dispose?: () => Promise<void>;
}

/** Options of {@link describeStore}. */
export interface DescribeStoreOptions {
  /** Concurrent claims in the exclusivity test; 1,000 by default. */
  readonly concurrentClaims?: number;
}

function eventRow(overrides: Partial<CloudEvent> = {}): Omit<CloudEvent, 'version'> {
  return {
    id: randomUUID(),
    type: 'TEST.EVENT',
    level: 'INFO',
    state: 'Completed',
    description: 'a test event',
    accountId: 'acct-a',
    domainId: 'dom-1',
    userId: 'user-1',
    createdAt: '2013-05-28T12:00:00.000Z',
    ...overrides,
  };
}

async function expectCloudError(promise: Promise<unknown>, code: number): Promise<CloudError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CloudError);
  expect((error as CloudError).code).toBe(code);
  return error as CloudError;
}

class Rollback extends Error {}

/**
 * The store conformance suite: what "a store works" means. Every store implementation runs it
 * against itself (the memory store in core, the MySQL store against MariaDB): transactions are
 * all-or-nothing and isolated, versions are checked, unique keys hold, queries filter, sort,
 * page and count, and pool claims and bounded counters stay exclusive under heavy concurrency.
 *
 * `makeStore` is called once; each test works in its own key space so tests do not interfere.
 */
export function describeStore(name: string, makeStore: () => Promise<StoreUnderTest>, options: DescribeStoreOptions = {}): void {
  describe(`Store conformance: ${name}`, () => {
    let subject: StoreUnderTest;
    const tx = <R>(fn: (t: Transaction) => Promise<R>) => subject.store.transaction(fn);

    beforeAll(async () => {
      subject = await makeStore();
      await subject.store.init();
    });
    afterAll(async () => {
      await subject.store.close();
      await subject.dispose?.();
    });

    describe('repositories', () => {
      it('inserts at version 1 and reads back an equal copy', async () => {
        const row = eventRow();
        const inserted = await tx((t) => t.repo('events').insert(row));
        expect(inserted).toEqual({ ...row, version: 1 });
        const read = await tx((t) => t.repo('events').get(row.id));
        expect(read).toEqual({ ...row, version: 1 });
      });

      it('hands out copies: mutating a returned row changes nothing stored', async () => {
        const row = eventRow();
        const inserted = await tx((t) => t.repo('events').insert(row));
        (inserted as { description: string }).description = 'mutated';
        const read = await tx((t) => t.repo('events').get(row.id));
        expect(read?.description).toBe('a test event');
      });

      it('updates with the version read and increments it', async () => {
        const row = eventRow();
        await tx((t) => t.repo('events').insert(row));
        const updated = await tx(async (t) => {
          const current = await t.repo('events').get(row.id);
          return t.repo('events').update({ ...current!, description: 'changed' });
        });
        expect(updated.version).toBe(2);
        expect((await tx((t) => t.repo('events').get(row.id)))?.description).toBe('changed');
      });

      it('refuses a stale version with a clear concurrent-modification error and keeps the newer row', async () => {
        const row = eventRow();
        const v1 = await tx((t) => t.repo('events').insert(row));
        await tx((t) => t.repo('events').update({ ...v1, description: 'first writer' }));
        const error = await expectCloudError(
          tx((t) => t.repo('events').update({ ...v1, description: 'second writer' })),
          ErrorCode.INTERNAL_ERROR,
        );
        expect(error.csErrorCode).toBe(CsErrorCode.CONCURRENT_OPERATION);
        expect(error.message).toMatch(/changed by another operation/);
        const stored = await tx((t) => t.repo('events').get(row.id));
        expect(stored).toMatchObject({ version: 2, description: 'first writer' });
      });

      it('refuses to update a row that was deleted', async () => {
        const row = eventRow();
        const v1 = await tx((t) => t.repo('events').insert(row));
        expect(await tx((t) => t.repo('events').delete(row.id))).toBe(true);
        await expectCloudError(tx((t) => t.repo('events').update(v1)), ErrorCode.INTERNAL_ERROR);
        expect(await tx((t) => t.repo('events').get(row.id))).toBeUndefined();
      });

      it('deletes only with the expected version when one is given', async () => {
        const row = eventRow();
        await tx((t) => t.repo('events').insert(row));
        await expectCloudError(tx((t) => t.repo('events').delete(row.id, 7)), ErrorCode.INTERNAL_ERROR);
        expect(await tx((t) => t.repo('events').get(row.id))).toBeDefined();
        expect(await tx((t) => t.repo('events').delete(row.id, 1))).toBe(true);
        expect(await tx((t) => t.repo('events').delete(row.id))).toBe(false);
      });

      it('refuses a second row with an existing id', async () => {
        const row = eventRow();
        await tx((t) => t.repo('events').insert(row));
        await expectCloudError(tx((t) => t.repo('events').insert({ ...row, description: 'dup' })), ErrorCode.INTERNAL_ERROR);
        expect((await tx((t) => t.repo('events').get(row.id)))?.description).toBe('a test event');
      });

      it('keeps unique keys, case-insensitively, naming the field in a 431', async () => {
        const scopeId = randomUUID();
        const value = { scope: 'zone' as const, scopeId, name: 'use.local.storage', value: 'true', updatedAt: 'now' };
        await tx((t) => t.repo('configValues').insert({ id: randomUUID(), ...value }));
        const error = await expectCloudError(
          tx((t) => t.repo('configValues').insert({ id: randomUUID(), ...value, scopeId: scopeId.toUpperCase() })),
          ErrorCode.PARAM_ERROR,
        );
        expect(error.param).toBe('name');
        expect(await tx((t) => t.repo('configValues').count({ scopeId }))).toBe(1);
      });
    });

    describe('transactions', () => {
      it('rolls back every write when the function throws: rows, updates, deletes, claims, counters', async () => {
        const keep = eventRow({ description: 'kept' });
        const doomed = eventRow({ description: 'doomed' });
        const pool = `rollback-${randomUUID()}`;
        const counter = `rollback-${randomUUID()}`;
        await tx(async (t) => {
          await t.repo('events').insert(keep);
          await t.repo('events').insert(doomed);
          await t.pools.add(pool, ['a', 'b']);
          await t.counters.set(counter, 5);
        });
        const failure = tx(async (t) => {
          await t.repo('events').insert(eventRow({ description: 'new in failed tx' }));
          const kept = await t.repo('events').get(keep.id);
          await t.repo('events').update({ ...kept!, description: 'changed in failed tx' });
          await t.repo('events').delete(doomed.id);
          expect(await t.pools.claim(pool, 'holder-x')).toBe('a');
          await t.pools.add(pool, ['c']);
          await t.counters.adjust(counter, 3);
          await t.counters.set(`${counter}-new`, 1);
          throw new Rollback('boom');
        });
        await expect(failure).rejects.toBeInstanceOf(Rollback);
        await tx(async (t) => {
          expect(await t.repo('events').count({ description: 'new in failed tx' })).toBe(0);
          expect(await t.repo('events').get(keep.id)).toMatchObject({ description: 'kept', version: 1 });
          expect(await t.repo('events').get(doomed.id)).toBeDefined();
          expect(await t.pools.stats(pool)).toEqual({ total: 2, free: 2 });
          expect(await t.pools.holderOf(pool, 'a')).toBeNull();
          expect(await t.pools.holderOf(pool, 'c')).toBeUndefined();
          expect(await t.counters.get(counter)).toBe(5);
          expect(await t.counters.get(`${counter}-new`)).toBe(0);
        });
      });

      it('hides uncommitted writes from concurrent transactions', async () => {
        const row = eventRow();
        let releaseWriter!: () => void;
        const writerMayCommit = new Promise<void>((resolve) => {
          releaseWriter = resolve;
        });
        let writerInserted!: () => void;
        const inserted = new Promise<void>((resolve) => {
          writerInserted = resolve;
        });
        const writer = tx(async (t) => {
          await t.repo('events').insert(row);
          writerInserted();
          await writerMayCommit;
        });
        await inserted;
        let readerSaw: unknown = 'not run';
        const reader = tx(async (t) => {
          readerSaw = await t.repo('events').get(row.id);
        }).then(() => readerSaw);
        // The reader either waits for the writer or reads the last committed state; it never sees the insert early.
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(readerSaw === 'not run' || readerSaw === undefined).toBe(true);
        releaseWriter();
        await writer;
        await reader;
        expect(await tx((t) => t.repo('events').get(row.id))).toBeDefined();
      });

      it('joins a transaction already open in the same async context', async () => {
        const row = eventRow();
        const outcome = tx(async () => {
          await subject.store.transaction((inner) => inner.repo('events').insert(row));
          throw new Rollback('outer fails after the inner call');
        });
        await expect(outcome).rejects.toBeInstanceOf(Rollback);
        expect(await tx((t) => t.repo('events').get(row.id))).toBeUndefined();
      });

      it('runs after-commit hooks only after a commit, and refuses a handle kept past its transaction', async () => {
        const ran: string[] = [];
        let kept!: Transaction;
        await tx(async (t) => {
          kept = t;
          t.afterCommit(() => ran.push('committed'));
        });
        await tx(async (t) => {
          t.afterCommit(() => ran.push('rolled back'));
          throw new Rollback('no');
        }).catch(() => undefined);
        expect(ran).toEqual(['committed']);
        await expect(kept.repo('events').get(randomUUID())).rejects.toThrow(/ended/);
      });
    });

    describe('queries', () => {
      const account = `q-${randomUUID()}`;
      beforeAll(async () => {
        await tx(async (t) => {
          for (let i = 0; i < 30; i += 1) {
            await t.repo('events').insert(
              eventRow({
                accountId: account,
                type: i % 3 === 0 ? 'VM.CREATE' : 'VM.START',
                level: i % 10 === 0 ? 'ERROR' : 'INFO',
                description: `Event number ${String(i).padStart(2, '0')}`,
                createdAt: `2013-05-28T12:00:${String(59 - i).padStart(2, '0')}.000Z`,
                ...(i % 2 === 0 ? { resourceId: `res-${i}` } : {}),
              }),
            );
          }
        });
      });

      it('filters by equality on indexed and plain fields, and counts', async () => {
        await tx(async (t) => {
          expect(await t.repo('events').count({ accountId: account })).toBe(30);
          expect(await t.repo('events').count({ accountId: account, type: 'VM.CREATE' })).toBe(10);
          expect(await t.repo('events').count({ accountId: account, level: 'ERROR' })).toBe(3);
        });
      });

      it('supports ne, in, nin, ranges, like, exists and null', async () => {
        await tx(async (t) => {
          const events = t.repo('events');
          expect(await events.count({ accountId: account, type: { ne: 'VM.CREATE' } })).toBe(20);
          expect(await events.count({ accountId: account, resourceId: { in: ['res-0', 'res-2', 'nope'] } })).toBe(2);
          expect(await events.count({ accountId: account, level: { nin: ['ERROR'] } })).toBe(27);
          expect(
            await events.count({ accountId: account, createdAt: { gte: '2013-05-28T12:00:50.000Z', lt: '2013-05-28T12:00:55.000Z' } }),
          ).toBe(5);
          expect(await events.count({ accountId: account, description: { like: 'NUMBER 1' } })).toBe(10);
          expect(await events.count({ accountId: account, resourceId: { exists: true } })).toBe(15);
          expect(await events.count({ accountId: account, resourceId: { exists: false } })).toBe(15);
          expect(await events.count({ accountId: account, resourceId: null })).toBe(15);
        });
      });

      it('supports $or alternatives', async () => {
        const n = await tx((t) =>
          t.repo('events').count({ accountId: account, $or: [{ level: 'ERROR' }, { type: 'VM.CREATE' }] }),
        );
        // ERROR: 0, 10, 20; VM.CREATE: every third; overlap: 0 and 20 are not both... 0 is both, 20 is not a multiple of 3.
        expect(n).toBe(12);
      });

      it('sorts on one or more keys in either direction', async () => {
        const { items } = await tx((t) =>
          t.repo('events').find({
            where: { accountId: account },
            orderBy: [
              { field: 'type', direction: 'asc' },
              { field: 'createdAt', direction: 'desc' },
            ],
          }),
        );
        expect(items.map((e) => e.type).slice(0, 10)).toEqual(Array(10).fill('VM.CREATE'));
        const created = items.slice(0, 10).map((e) => e.createdAt);
        expect([...created].sort().reverse()).toEqual(created);
      });

      it('pages with offset and limit and reports the total before paging', async () => {
        const page = await tx((t) =>
          t.repo('events').find({ where: { accountId: account }, orderBy: [{ field: 'description' }], offset: 10, limit: 7 }),
        );
        expect(page.total).toBe(30);
        expect(page.items.map((e) => e.description)).toEqual(
          Array.from({ length: 7 }, (_, i) => `Event number ${String(10 + i).padStart(2, '0')}`),
        );
        const beyond = await tx((t) => t.repo('events').find({ where: { accountId: account }, offset: 40, limit: 5 }));
        expect(beyond).toEqual({ items: [], total: 30 });
      });

      it('returns rows in insertion order when no order is given', async () => {
        const { items } = await tx((t) => t.repo('events').find({ where: { accountId: account } }));
        expect(items.map((e) => e.description)).toEqual(
          Array.from({ length: 30 }, (_, i) => `Event number ${String(i).padStart(2, '0')}`),
        );
      });

      it('keeps a row in its insertion place after it is updated', async () => {
        const owner = `order-${randomUUID()}`;
        const ids = await tx(async (t) => {
          const made: string[] = [];
          for (let i = 0; i < 4; i += 1) made.push((await t.repo('events').insert(eventRow({ accountId: owner, description: `row ${i}` }))).id);
          return made;
        });
        await tx(async (t) => {
          const second = await t.repo('events').get(ids[1]!);
          await t.repo('events').update({ ...second!, description: 'row 1 (updated)' });
        });
        const { items } = await tx((t) => t.repo('events').find({ where: { description: { like: 'row' }, accountId: owner } }));
        expect(items.map((e) => e.id)).toEqual(ids);
        const scanned = await tx((t) => t.repo('events').find({ where: { description: { like: 'row' } } }));
        expect(scanned.items.filter((e) => e.accountId === owner).map((e) => e.id)).toEqual(ids);
      });

      it('finds one row, or none', async () => {
        await tx(async (t) => {
          expect((await t.repo('events').findOne({ accountId: account, resourceId: 'res-4' }))?.description).toBe('Event number 04');
          expect(await t.repo('events').findOne({ accountId: account, resourceId: 'res-5' })).toBeUndefined();
        });
      });
    });

    describe('claim pools', () => {
      it('hands out items in the order they were added, honours a preferred item, and releases', async () => {
        const pool = `pool-${randomUUID()}`;
        await tx(async (t) => {
          expect(await t.pools.add(pool, ['10.0.0.1', '10.0.0.2', '10.0.0.3'])).toBe(3);
          expect(await t.pools.add(pool, ['10.0.0.3', '10.0.0.4'])).toBe(1);
          expect(await t.pools.claim(pool, 'vm-1')).toBe('10.0.0.1');
          expect(await t.pools.claim(pool, 'vm-2', { preferred: '10.0.0.3' })).toBe('10.0.0.3');
          expect(await t.pools.claim(pool, 'vm-3', { preferred: '10.0.0.3', onlyPreferred: true })).toBeUndefined();
          expect(await t.pools.claim(pool, 'vm-3', { preferred: '10.0.0.3' })).toBe('10.0.0.2');
          expect(await t.pools.stats(pool)).toEqual({ total: 4, free: 1 });
          expect(await t.pools.holderOf(pool, '10.0.0.3')).toBe('vm-2');
          expect(await t.pools.release(pool, '10.0.0.3', 'vm-1')).toBe(false);
          expect(await t.pools.release(pool, '10.0.0.3', 'vm-2')).toBe(true);
          expect(await t.pools.holderOf(pool, '10.0.0.3')).toBeNull();
          expect(await t.pools.holderOf(pool, '10.9.9.9')).toBeUndefined();
        });
      });

      it('lists and releases everything a holder has', async () => {
        const poolA = `pool-${randomUUID()}`;
        const poolB = `pool-${randomUUID()}`;
        const holder = `holder-${randomUUID()}`;
        await tx(async (t) => {
          await t.pools.add(poolA, ['1', '2']);
          await t.pools.add(poolB, ['x']);
          await t.pools.claim(poolA, holder);
          await t.pools.claim(poolA, holder);
          await t.pools.claim(poolB, holder);
          expect((await t.pools.heldBy(holder)).length).toBe(3);
          expect(await t.pools.heldBy(holder, poolB)).toEqual([{ pool: poolB, item: 'x', holder }]);
          expect(await t.pools.releaseAll(holder, poolA)).toBe(2);
          expect(await t.pools.releaseAll(holder)).toBe(1);
          expect(await t.pools.heldBy(holder)).toEqual([]);
        });
      });

      it('refuses to remove held items (536) and removes nothing then', async () => {
        const pool = `pool-${randomUUID()}`;
        await tx(async (t) => {
          await t.pools.add(pool, ['a', 'b', 'c']);
          await t.pools.claim(pool, 'someone', { preferred: 'b' });
        });
        await expectCloudError(tx((t) => t.pools.remove(pool)), ErrorCode.RESOURCE_IN_USE);
        expect(await tx((t) => t.pools.stats(pool))).toEqual({ total: 3, free: 2 });
        expect(await tx((t) => t.pools.remove(pool, ['a', 'c']))).toBe(2);
        expect(await tx((t) => t.pools.stats(pool))).toEqual({ total: 1, free: 0 });
      });

      it('never hands one item to two claimers, however many race', async () => {
        const pool = `race-${randomUUID()}`;
        const claimers = options.concurrentClaims ?? 1000;
        const size = Math.floor(claimers * 0.6);
        await tx((t) => t.pools.add(pool, Array.from({ length: size }, (_, i) => `item-${i}`)));
        const results = await Promise.all(
          Array.from({ length: claimers }, (_, i) => tx((t) => t.pools.claim(pool, `claimer-${i}`))),
        );
        const won = results.filter((r): r is string => r !== undefined);
        expect(won).toHaveLength(size);
        expect(new Set(won).size).toBe(size);
        expect(await tx((t) => t.pools.stats(pool))).toEqual({ total: size, free: 0 });
        for (let i = 0; i < claimers; i += 1) {
          const item = results[i];
          if (item !== undefined) expect(await tx((t) => t.pools.holderOf(pool, item))).toBe(`claimer-${i}`);
        }
      });

      it('claims as fast from a nearly exhausted pool as from a full one (first free item, no scan)', async () => {
        const pool = `big-${randomUUID()}`;
        await tx((t) => t.pools.add(pool, Array.from({ length: 5000 }, (_, i) => `ip-${i}`)));
        await tx(async (t) => {
          for (let i = 0; i < 4990; i += 1) await t.pools.claim(pool, 'bulk');
        });
        expect(await tx((t) => t.pools.claim(pool, 'late'))).toBe('ip-4990');
      });
    });

    describe('counters', () => {
      it('adjusts within bounds and refuses to cross them', async () => {
        const key = `counter-${randomUUID()}`;
        await tx(async (t) => {
          expect(await t.counters.get(key)).toBe(0);
          expect(await t.counters.adjust(key, 3, { max: 5 })).toEqual({ ok: true, value: 3 });
          expect(await t.counters.adjust(key, 3, { max: 5 })).toEqual({ ok: false, value: 3 });
          expect(await t.counters.adjust(key, -4, { min: 0 })).toEqual({ ok: false, value: 3 });
          expect(await t.counters.adjust(key, -3, { min: 0 })).toEqual({ ok: true, value: 0 });
          await t.counters.set(`${key}:b`, 9);
          expect(await t.counters.list(key)).toEqual(
            new Map([
              [key, 0],
              [`${key}:b`, 9],
            ]),
          );
          await t.counters.delete(`${key}:b`);
          expect(await t.counters.get(`${key}:b`)).toBe(0);
        });
      });

      it('never overruns a limit under concurrent adjustments', async () => {
        const key = `limit-${randomUUID()}`;
        const attempts = options.concurrentClaims ?? 1000;
        const limit = Math.floor(attempts / 4);
        const results = await Promise.all(
          Array.from({ length: attempts }, () => tx((t) => t.counters.adjust(key, 1, { max: limit }))),
        );
        expect(results.filter((r) => r.ok)).toHaveLength(limit);
        expect(await tx((t) => t.counters.get(key))).toBe(limit);
      });
    });
  });
}
