import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore, type AggregateName, type Query, type Store } from '@cloudstack-sdk/core';
import { mariadbReachable } from './support/mariadb.js';
import { createTestStore, type DisposableMysqlStore } from './support/mysql-test-store.js';

const reachable = await mariadbReachable();

type Loose = Record<string, unknown> & { id: string };

const TYPES = ['VM.CREATE', 'VM.START', 'VM.STOP', 'vm.create'];
const events: Loose[] = Array.from({ length: 24 }, (_, i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  type: TYPES[i % 4],
  level: i % 5 === 0 ? 'ERROR' : 'INFO',
  state: 'Completed',
  description: i % 7 === 0 ? `Event ${i} ` : i % 2 === 0 ? `event ${i}` : `Event ${i}`,
  accountId: i % 3 === 0 ? 'acct-a' : 'acct-b',
  domainId: 'dom',
  userId: 'user',
  createdAt: `2013-05-28T12:${String((i * 7) % 60).padStart(2, '0')}:00.000Z`,
  ...(i % 4 === 1 ? {} : { resourceId: i % 6 === 0 ? 'r-1 ' : `r-${i % 3}` }),
}));
const jobs: Loose[] = Array.from({ length: 9 }, (_, i) => ({
  id: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  command: 'deployVirtualMachine',
  status: i % 3,
  progress: (i * 13) % 100,
  resultCode: 0,
  accountId: 'acct',
  domainId: 'dom',
  userId: 'user',
  instanceType: 'VirtualMachine',
  ...(i % 2 === 0 ? { instanceId: `vm-${i % 4}` } : {}),
  ownerServerId: 'ms-1',
  createdAt: 'c',
  updatedAt: 'u',
}));
const offerings: Loose[] = Array.from({ length: 6 }, (_, i) => ({
  id: `20000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  name: `offering ${i}`,
  state: i === 5 ? 'Inactive' : 'Active',
  isSystem: i % 2 === 0,
  ...(i < 3 ? { domainId: 'dom' } : {}),
}));

/** Queries whose answers must be the same on both stores, including the corners of the filter language. */
const QUERIES: [AggregateName, Query<Loose>][] = [
  ['events', {}],
  ['events', { where: { type: 'VM.CREATE' } }],
  ['events', { where: { type: 'vm.create' } }],
  ['events', { where: { type: 5 } }],
  ['events', { where: { description: 'event 2' } }],
  ['events', { where: { description: 'Event 7' } }],
  ['events', { where: { description: { eq: 'Event 7 ' } } }],
  ['events', { where: { resourceId: 'r-1' } }],
  ['events', { where: { resourceId: 'r-1 ' } }],
  ['events', { where: { resourceId: null } }],
  ['events', { where: { resourceId: { exists: true } } }],
  ['events', { where: { resourceId: { exists: false } } }],
  ['events', { where: { resourceId: { ne: 'r-1' } } }],
  ['events', { where: { resourceId: { ne: null } } }],
  ['events', { where: { resourceId: { in: ['r-1', null] } } }],
  ['events', { where: { resourceId: { in: ['r-1', 'r-2'] } } }],
  ['events', { where: { resourceId: { in: [] } } }],
  ['events', { where: { resourceId: { nin: ['r-1'] } } }],
  ['events', { where: { resourceId: { nin: ['r-1', null] } } }],
  ['events', { where: { resourceId: { nin: [] } } }],
  ['events', { where: { type: { gt: 'VM.CREATE' } } }],
  ['events', { where: { type: { gte: 'VM.START', lt: 'vm' } } }],
  ['events', { where: { level: { lte: 'ERROR' } } }],
  ['events', { where: { description: { like: 'EVENT 1' } } }],
  ['events', { where: { type: { like: 'create' }, accountId: 'acct-a' } }],
  ['events', { where: { accountId: 'acct-a', $or: [{ type: 'VM.STOP' }, { level: 'ERROR' }] } }],
  ['events', { where: { $or: [{ type: 'VM.STOP' }, { resourceId: { exists: false } }] } }],
  ['events', { where: { $or: [] } }],
  ['events', { where: { $or: [{}, { type: 'nothing' }] } }],
  ['events', { orderBy: [{ field: 'type' }, { field: 'resourceId', direction: 'desc' }] }],
  ['events', { orderBy: [{ field: 'resourceId' }] }],
  ['events', { orderBy: [{ field: 'resourceId', direction: 'desc' }], offset: 3, limit: 5 }],
  ['events', { orderBy: [{ field: 'createdAt', direction: 'desc' }], offset: 2, limit: 4 }],
  ['events', { where: { accountId: 'acct-b' }, orderBy: [{ field: 'description' }], limit: 6 }],
  ['events', { where: { accountId: 'acct-b' }, offset: 5 }],
  ['events', { where: { accountId: 'acct-b' }, offset: 50, limit: 5 }],
  ['events', { where: { accountId: 'acct-b' }, limit: 0 }],
  ['events', { where: { accountId: 'acct-b' }, offset: 14, limit: 3 }],
  ['jobs', { where: { status: 0 } }],
  ['jobs', { where: { status: '0' } }],
  ['jobs', { where: { status: { gte: 1 } }, orderBy: [{ field: 'status', direction: 'desc' }] }],
  ['jobs', { where: { status: { in: [0, 2] }, instanceId: { exists: true } } }],
  ['jobs', { where: { progress: { gt: 30 } }, orderBy: [{ field: 'progress' }] }],
  ['jobs', { orderBy: [{ field: 'instanceId' }, { field: 'status', direction: 'desc' }] }],
  ['serviceOfferings', { where: { isSystem: true } }],
  ['serviceOfferings', { where: { isSystem: { ne: true } } }],
  ['serviceOfferings', { where: { isSystem: 'true' } }],
  ['serviceOfferings', { where: { domainId: { nin: ['dom'] } }, orderBy: [{ field: 'isSystem', direction: 'desc' }] }],
];

async function load(store: Store): Promise<void> {
  await store.transaction(async (tx) => {
    for (const [name, rows] of [
      ['events', events],
      ['jobs', jobs],
      ['serviceOfferings', offerings],
    ] as const) {
      for (const row of rows) await tx.repo(name).insert(row as never);
    }
  });
}

async function answer(store: Store, name: AggregateName, query: Query<Loose>) {
  return store.transaction(async (tx) => {
    const repo = tx.repo(name) as unknown as { find(q: Query<Loose>): Promise<{ items: Loose[]; total: number }>; count(w?: unknown): Promise<number> };
    const page = await repo.find(query);
    return { ids: page.items.map((row) => row.id), total: page.total, count: await repo.count(query.where) };
  });
}

describe.skipIf(!reachable)('queries mean on MySQL exactly what they mean in the memory store', () => {
  const memory = new MemoryStore();
  let mysql: DisposableMysqlStore;

  beforeAll(async () => {
    mysql = await createTestStore();
    await mysql.init();
    await load(memory);
    await load(mysql);
  });
  afterAll(async () => {
    await mysql?.close();
  });

  it.each(QUERIES.map(([name, query]) => [`${name} ${JSON.stringify(query)}`, name, query] as const))('%s', async (_, name, query) => {
    const expected = await answer(memory, name, query);
    expect(await answer(mysql, name, query)).toEqual(expected);
  });

  it('keeps insertion order for rows that were updated (the contract), on the indexed path as the memory store does', async () => {
    const first = events[0]!;
    await mysql.transaction(async (tx) => {
      const row = await tx.repo('events').get(first.id);
      await tx.repo('events').update({ ...row!, description: 'changed' });
    });
    const page = await mysql.transaction((tx) => tx.repo('events').find({ where: { domainId: 'dom' } }));
    expect(page.items[0]?.id).toBe(first.id);
    const unfiltered = await mysql.transaction((tx) => tx.repo('events').find({ where: { level: { ne: 'WARN' } } }));
    expect(unfiltered.items[0]?.id).toBe(first.id);
  });
});
