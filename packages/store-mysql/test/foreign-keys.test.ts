import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudError, ErrorCode } from '@cloudstack-sdk/core';
import { MIGRATIONS, foreignKeyName } from '../src/index.js';
import { foreignKeys } from '../src/migrations/0012-foreign-keys.js';
import { adminConnection, mariadbReachable } from './support/mariadb.js';
import { createTestStore, type DisposableMysqlStore } from './support/mysql-test-store.js';

const reachable = await mariadbReachable();

async function failure(promise: Promise<unknown>): Promise<CloudError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CloudError);
  return error as CloudError;
}

/** Rows as the store keeps them; the store does not validate entities, so minimal ones do. */
const zone = (id = randomUUID()) => ({ id, name: `zone-${id}` }) as never;
const pod = (zoneId: string, id = randomUUID()) => ({ id, zoneId, name: `pod-${id}` }) as never;
const vm = (zoneId: string, fields: Record<string, unknown> = {}) => ({ id: randomUUID(), instanceName: `i-${randomUUID()}`, name: `vm-${randomUUID()}`, accountId: 'acc', domainId: 'dom', state: 'Stopped', zoneId, ...fields }) as never;

describe('foreign keys migration', () => {
  it('comes after the migrations of the tables it constrains', () => {
    expect(MIGRATIONS[11]).toBe(foreignKeys);
    expect(foreignKeys).toMatchObject({ version: 12, name: 'foreign-keys' });
  });
});

describe.skipIf(!reachable)('foreign keys between aggregate tables', () => {
  let store: DisposableMysqlStore;

  beforeAll(async () => {
    store = await createTestStore({ connectionLimit: 3 });
    await store.init();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('are declared in the database, restricting deletes, and a rerun of the migration adds none twice', async () => {
    const admin = await adminConnection(store.database);
    try {
      const list = async () =>
        (
          await admin.query<import('mysql2/promise').RowDataPacket[]>(
            'SELECT CONSTRAINT_NAME AS name, TABLE_NAME AS child, REFERENCED_TABLE_NAME AS parent, DELETE_RULE AS rule FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY CONSTRAINT_NAME',
          )
        )[0];
      const before = await list();
      expect(before).toContainEqual({ name: foreignKeyName('pods', 'zoneId'), child: 'pods', parent: 'zones', rule: 'RESTRICT' });
      expect(before).toContainEqual({ name: foreignKeyName('nics', 'vmId'), child: 'nics', parent: 'vms', rule: 'RESTRICT' });
      expect(before).toContainEqual({ name: foreignKeyName('users', 'accountId'), child: 'users', parent: 'accounts', rule: 'RESTRICT' });
      expect(before.every((row) => row.rule === 'RESTRICT')).toBe(true);
      // A server that died half-way through the migration runs it again from the start.
      for (const statement of foreignKeys.statements) await admin.query(statement);
      expect(await list()).toEqual(before);
    } finally {
      await admin.end();
    }
  });

  it('refuses a row naming an entry that does not exist with a 431 naming the field, and stores nothing', async () => {
    const missing = randomUUID();
    const orphan = pod(missing);
    const error = await failure(store.transaction((tx) => tx.repo('pods').insert(orphan)));
    expect(error.code).toBe(ErrorCode.PARAM_ERROR);
    expect(error.param).toBe('zoneid');
    expect(error.message).toBe(`pods: zoneId ${missing} names no entry of zones`);
    expect(error.details).toMatchObject({ aggregate: 'pods', field: 'zoneId', references: 'zones', value: missing });
    expect(await store.transaction((tx) => tx.repo('pods').get((orphan as { id: string }).id))).toBeUndefined();
  });

  it('refuses an update that would point a row at a missing entry, leaving the row as it was', async () => {
    const z = zone();
    const created = await store.transaction(async (tx) => {
      await tx.repo('zones').insert(z);
      return tx.repo('vms').insert(vm((z as { id: string }).id));
    });
    const ghostHost = randomUUID();
    const error = await failure(store.transaction((tx) => tx.repo('vms').update({ ...created, hostId: ghostHost, state: 'Running' })));
    expect(error.code).toBe(ErrorCode.PARAM_ERROR);
    expect(error.param).toBe('hostid');
    expect(error.details).toMatchObject({ aggregate: 'vms', field: 'hostId', references: 'hosts', value: ghostHost });
    expect(await store.transaction((tx) => tx.repo('vms').get(created.id))).toEqual(created);
  });

  it('refuses to delete an entry another still names with a 536, and lets children go first', async () => {
    const z = zone();
    const p = pod((z as { id: string }).id);
    await store.transaction(async (tx) => {
      await tx.repo('zones').insert(z);
      await tx.repo('pods').insert(p);
    });
    const zoneId = (z as { id: string }).id;
    const error = await failure(store.transaction((tx) => tx.repo('zones').delete(zoneId)));
    expect(error.code).toBe(ErrorCode.RESOURCE_IN_USE);
    expect(error.csErrorCode).toBe(4375);
    expect(error.param).toBe('id');
    expect(error.message).toBe(`zones ${zoneId} cannot be deleted: entries of pods (zoneId) still refer to it; remove them first`);
    expect(error.details).toMatchObject({ aggregate: 'zones', id: zoneId, referencedBy: 'pods', field: 'zoneId' });
    expect(await store.transaction((tx) => tx.repo('zones').get(zoneId))).toBeDefined();
    // Children first, in one transaction, as core deletes.
    await store.transaction(async (tx) => {
      expect(await tx.repo('pods').delete((p as { id: string }).id)).toBe(true);
      expect(await tx.repo('zones').delete(zoneId)).toBe(true);
    });
  });

  it('does not constrain a row whose field is absent', async () => {
    const root = { id: randomUUID(), name: 'ROOT', path: `/${randomUUID()}/`, level: 0, state: 'Active', createdAt: '2013-05-28T12:00:00.000Z' } as never;
    await store.transaction((tx) => tx.repo('domains').insert(root));
    const z = zone();
    await store.transaction(async (tx) => {
      await tx.repo('zones').insert(z);
      // No host: a Stopped VM.
      await tx.repo('vms').insert(vm((z as { id: string }).id));
    });
  });

  it('lets a transaction go on after a refused row, as with any refused write', async () => {
    const z = zone();
    const zoneId = (z as { id: string }).id;
    await store.transaction(async (tx) => {
      await tx.repo('zones').insert(z);
      await expect(tx.repo('pods').insert(pod(randomUUID()))).rejects.toMatchObject({ code: ErrorCode.PARAM_ERROR, param: 'zoneid' });
      await tx.repo('pods').insert(pod(zoneId));
    });
    expect(await store.transaction((tx) => tx.repo('pods').count({ zoneId }))).toBe(1);
  });
});
