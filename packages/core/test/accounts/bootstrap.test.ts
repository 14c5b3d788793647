import { describe, expect, it } from 'vitest';
import { BUILTIN_IDS, MemoryStore, Role, SYSTEM, type Logger } from '../../src/index.js';
import { createTestCloud, testKeyring } from '../support/test-cloud.js';
import { refused } from './tenants.js';

function recordingLogger() {
  const warnings: string[] = [];
  const logger: Logger = { warn: (m) => void warnings.push(m), info: () => undefined, error: () => undefined };
  return { logger, warnings };
}

describe('accounts bootstrap', () => {
  it('creates ROOT, SYSTEM and the first-boot admin flagged to change its password', async () => {
    const { logger, warnings } = recordingLogger();
    const cloud = await createTestCloud({ logger });
    const rows = await cloud.store.transaction(async (tx) => ({
      root: await tx.repo('domains').get(BUILTIN_IDS.rootDomain),
      system: await tx.repo('accounts').get(BUILTIN_IDS.systemAccount),
      systemUser: await tx.repo('users').get(BUILTIN_IDS.systemUser),
      admin: await tx.repo('users').findOne({ username: 'admin' }),
    }));
    expect(rows.root).toMatchObject({ path: '/', name: 'ROOT', level: 0 });
    expect(rows.root?.parentId).toBeUndefined();
    expect(rows.system).toMatchObject({ role: Role.RootAdmin, domainId: BUILTIN_IDS.rootDomain, state: 'enabled' });
    expect(rows.systemUser?.passwordHash).toBeUndefined();
    expect(rows.admin).toMatchObject({ domainId: BUILTIN_IDS.rootDomain, mustChangePassword: true, state: 'enabled' });
    expect(warnings.some((w) => /default password/.test(w))).toBe(true);

    const login = await cloud.system.authentication.authenticate({ username: 'admin', password: 'password' });
    expect(login.mustChangePassword).toBe(true);
    expect(login.caller).toMatchObject({ role: Role.RootAdmin, domainId: BUILTIN_IDS.rootDomain });
  });

  it('is idempotent on restart and does not bring back an admin that was removed', async () => {
    const store = new MemoryStore();
    const first = await createTestCloud({ store, secrets: testKeyring() });
    const admin = await first.system.authentication.authenticate({ username: 'admin', password: 'password' });
    const counts = async () =>
      store.transaction(async (tx) => ({
        domains: await tx.repo('domains').count(),
        accounts: await tx.repo('accounts').count(),
        users: await tx.repo('users').count(),
      }));
    const before = await counts();
    await createTestCloud({ store, secrets: testKeyring() });
    expect(await counts()).toEqual(before);

    const root2 = await first.system.accounts.create({
      role: Role.RootAdmin,
      username: 'ops',
      password: 'ops-pw',
      firstName: 'O',
      lastName: 'P',
      email: 'ops@example.com',
    });
    await first.as({ ...SYSTEM, userId: root2.user.id, accountId: root2.account.id }).accounts.delete({ id: admin.account.id });
    const restarted = await createTestCloud({ store, secrets: testKeyring() });
    await refused(() => restarted.system.authentication.authenticate({ username: 'admin', password: 'password' }), 531);
  });

  it('changing the default password clears the flag and the warning', async () => {
    const store = new MemoryStore();
    const cloud = await createTestCloud({ store, secrets: testKeyring() });
    const admin = await cloud.system.authentication.authenticate({ username: 'admin', password: 'password' });
    const changed = await cloud.as(admin.caller).users.update({ id: admin.user.id, password: 'n3w-s3cret' });
    expect(changed.mustChangePassword).toBe(false);
    const { logger, warnings } = recordingLogger();
    await createTestCloud({ store, secrets: testKeyring(), logger });
    expect(warnings).toEqual([]);
    await refused(() => cloud.system.authentication.authenticate({ username: 'admin', password: 'password' }), 531);
    const again = await cloud.system.authentication.authenticate({ username: 'admin', password: 'n3w-s3cret' });
    expect(again.mustChangePassword).toBe(false);
  });
});
