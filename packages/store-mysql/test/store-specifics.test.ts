import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudError, ErrorCode, type Domain } from '@cloudstack-sdk/core';
import { MysqlStore } from '../src/index.js';
import { mariadbReachable } from './support/mariadb.js';
import { createTestStore, type DisposableMysqlStore } from './support/mysql-test-store.js';

const reachable = await mariadbReachable();

function domain(path: string): Omit<Domain, 'version'> {
  return { id: randomUUID(), name: path.split('/').at(-2) ?? 'ROOT', path, level: 1, state: 'Active', createdAt: '2013-05-28T12:00:00.000Z' };
}

async function failure(promise: Promise<unknown>): Promise<CloudError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CloudError);
  return error as CloudError;
}

describe.skipIf(!reachable)('MySQL store specifics', () => {
  let store: DisposableMysqlStore;

  beforeAll(async () => {
    store = await createTestStore({ connectionLimit: 3 });
    await store.init();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('leaves a row with a null unique field unconstrained, and keeps the key case-insensitive on update', async () => {
    const a = { id: randomUUID(), username: 'alice', accountId: 'acc', domainId: 'dom', apiKey: undefined };
    const b = { id: randomUUID(), username: 'bob', accountId: 'acc', domainId: 'dom' };
    await store.transaction(async (tx) => {
      // Users name their account and domain (foreign keys): those exist first.
      await tx.repo('domains').insert({ ...domain('/dom/'), id: 'dom' });
      await tx.repo('accounts').insert({ id: 'acc', name: 'acc', domainId: 'dom', state: 'enabled' } as never);
      await tx.repo('users').insert(a as never);
      await tx.repo('users').insert(b as never);
    });
    const bob = await store.transaction((tx) => tx.repo('users').get(b.id));
    const error = await failure(store.transaction((tx) => tx.repo('users').update({ ...bob!, username: 'ALICE' })));
    expect(error.code).toBe(ErrorCode.PARAM_ERROR);
    expect(error.param).toBe('username');
    expect(error.details).toMatchObject({ aggregate: 'users', fields: ['domainId', 'username'], existingId: a.id });
    expect(error.message).toBe('users: an entry with domainId=dom, username=ALICE already exists');
  });

  it('refuses a value too long for its indexed column with a 431 naming the field, and stores nothing', async () => {
    const row = domain(`/${'x'.repeat(300)}/`);
    const error = await failure(store.transaction((tx) => tx.repo('domains').insert(row)));
    expect(error.code).toBe(ErrorCode.PARAM_ERROR);
    expect(error.param).toBe('path');
    expect(await store.transaction((tx) => tx.repo('domains').get(row.id))).toBeUndefined();
  });

  it('lets a transaction go on after a refused insert, as the memory store does', async () => {
    const first = domain(`/keep-${randomUUID()}/`);
    const second = domain(`/other-${randomUUID()}/`);
    await store.transaction(async (tx) => {
      await tx.repo('domains').insert(first);
      await expect(tx.repo('domains').insert({ ...first, id: randomUUID(), path: first.path.toUpperCase() })).rejects.toThrow(/already exists/);
      await tx.repo('domains').insert(second);
    });
    expect(await store.transaction((tx) => tx.repo('domains').count({ id: { in: [first.id, second.id] } }))).toBe(2);
  });

  it('queues a released item behind the other free ones', async () => {
    const pool = `macs-${randomUUID()}`;
    await store.transaction(async (tx) => {
      await tx.pools.add(pool, ['02:00:00:00:00:01', '02:00:00:00:00:02', '02:00:00:00:00:03']);
      expect(await tx.pools.claim(pool, 'nic-1')).toBe('02:00:00:00:00:01');
      expect(await tx.pools.release(pool, '02:00:00:00:00:01')).toBe(true);
      expect(await tx.pools.claim(pool, 'nic-2')).toBe('02:00:00:00:00:02');
      expect(await tx.pools.claim(pool, 'nic-3')).toBe('02:00:00:00:00:03');
      expect(await tx.pools.claim(pool, 'nic-4')).toBe('02:00:00:00:00:01');
      expect(await tx.pools.claim(pool, 'nic-5')).toBeUndefined();
    });
  });

  it('lists counters by a prefix holding LIKE wildcards literally', async () => {
    const base = `cap_${randomUUID()}%`;
    await store.transaction(async (tx) => {
      await tx.counters.set(`${base}:cpu`, 2.5);
      await tx.counters.set(`${base}:mem`, 2 ** 40);
      await tx.counters.set(`${base.replace('%', 'X').replace('_', 'Y')}:cpu`, 1);
      expect(await tx.counters.list(base)).toEqual(
        new Map([
          [`${base}:cpu`, 2.5],
          [`${base}:mem`, 2 ** 40],
        ]),
      );
    });
  });

  it('does not create a counter for a refused adjustment', async () => {
    const key = `never-${randomUUID()}`;
    await store.transaction(async (tx) => {
      expect(await tx.counters.adjust(key, 5, { max: 4 })).toEqual({ ok: false, value: 0 });
      expect(await tx.counters.list(key)).toEqual(new Map());
      expect(await tx.counters.adjust(key, -1, { min: -1 })).toEqual({ ok: true, value: -1 });
    });
  });

  it('refuses a transaction before init with a clear message', async () => {
    const fresh = new MysqlStore({ url: 'mysql://root@127.0.0.1:3306/not_initialised' });
    await expect(fresh.transaction(async () => 1)).rejects.toThrow(/call init\(\) before the first transaction/);
    await fresh.close();
  });
});
