import { describe, expect, it } from 'vitest';
import { BUILTIN_IDS, Role } from '../../src/index.js';
import { refusedUnchanged, tenantCloud } from './tenants.js';

describe('users', () => {
  it('adds users to an account; each can log in', async () => {
    const t = await tenantCloud();
    const user = await t.cloud.as(t.as.resadmin1).users.create({
      account: 'alice',
      domainId: t.domains.comp1.id,
      username: 'alice-ops',
      password: 'ops-pw',
      firstName: 'Alice',
      lastName: 'Ops',
      timezone: 'Europe/Paris',
    });
    expect(user).toMatchObject({ accountId: t.accounts.alice.account.id, accountName: 'alice', role: Role.User, timezone: 'Europe/Paris' });
    const login = await t.cloud.system.authentication.authenticate({ domainPath: 'Comp1', username: 'alice-ops', password: 'ops-pw' });
    expect(login.caller.accountId).toBe(t.accounts.alice.account.id);
    const listed = await t.cloud.as(t.as.alice).users.list();
    expect(listed.items.map((u) => u.username)).toEqual(['alice', 'alice-ops']);
  });

  it('refuses bad or unauthorised user creation, leaving nothing behind', async () => {
    const t = await tenantCloud();
    const base = { accountId: t.accounts.alice.account.id, username: 'x1', password: 'pw', firstName: 'X', lastName: 'Y' };
    const c = t.cloud;
    await refusedUnchanged(c, () => c.as(t.as.alice).users.create(base), 531);
    await refusedUnchanged(c, () => c.as(t.as.admin1).users.create(base), 531);
    await refusedUnchanged(c, () => c.as(t.as.resadmin1).users.create({ ...base, accountId: t.accounts.bob.account.id }), 431, 'accountid');
    await refusedUnchanged(c, () => c.system.users.create({ ...base, username: 'ALICE' }), 431, 'username');
    const { accountId: _a, ...noAccount } = base;
    await refusedUnchanged(c, () => c.system.users.create(noAccount), 431, 'account');
    await refusedUnchanged(c, () => c.system.users.create({ ...base, accountId: BUILTIN_IDS.systemAccount }), 431, 'account');
  });

  it('changes a password: hashed, the old one stops working, the must-change flag and failures clear', async () => {
    const t = await tenantCloud();
    const auth = t.cloud.system.authentication;
    await expect(auth.authenticate({ domainPath: 'Comp2', username: 'bob', password: 'wrong' })).rejects.toMatchObject({ code: 531 });
    const updated = await t.cloud.as(t.as.bob).users.update({ id: t.accounts.bob.user.id, password: 'b0b-new', email: 'bob@new.example' });
    expect(updated).toMatchObject({ email: 'bob@new.example', mustChangePassword: false });
    await expect(auth.authenticate({ domainPath: 'Comp2', username: 'bob', password: 'bob-pw-1' })).rejects.toMatchObject({ code: 531 });
    const login = await auth.authenticate({ domainPath: 'Comp2', username: 'bob', password: 'b0b-new' });
    expect(login.user.email).toBe('bob@new.example');
    const stored = await t.cloud.store.transaction((tx) => tx.repo('users').get(t.accounts.bob.user.id));
    expect(stored?.loginAttempts).toBe(0);
    expect(stored?.passwordHash).toMatch(/^scrypt\$/);
    // An admin above may reset it too.
    await t.cloud.as(t.as.admin2).users.update({ id: t.accounts.bob.user.id, password: 'reset-by-admin' });
    await expect(auth.authenticate({ domainPath: 'Comp2', username: 'bob', password: 'reset-by-admin' })).resolves.toBeDefined();
  });

  it('only the user itself or an admin above it may update it', async () => {
    const t = await tenantCloud();
    const extra = await t.cloud.system.users.create({ accountId: t.accounts.alice.account.id, username: 'alice-b', password: 'pw', firstName: 'A', lastName: 'B' });
    const c = t.cloud;
    await refusedUnchanged(c, () => c.as(t.as.alice).users.update({ id: extra.id, password: 'hijack' }), 531, 'id');
    await refusedUnchanged(c, () => c.as(t.as.bob).users.update({ id: extra.id, password: 'hijack' }), 431, 'id');
    await refusedUnchanged(c, () => c.as(t.as.admin2).users.update({ id: extra.id, password: 'hijack' }), 431, 'id');
    await refusedUnchanged(c, () => c.as(t.as.admin1).users.update({ id: t.accounts.root2.user.id, password: 'hijack' }), 431, 'id');
    await refusedUnchanged(c, () => c.as(t.as.alice).users.update({ id: t.accounts.alice.user.id, username: 'ADMIN1' }), 431, 'username');
    await refusedUnchanged(c, () => c.system.users.update({ id: BUILTIN_IDS.systemUser, firstName: 'x' }), 431, 'id');
    await refusedUnchanged(c, () => c.as(t.as.alice).users.update({ id: t.accounts.alice.user.id, email: 'nope' }), 431, 'email');
    expect((await c.as(t.as.admin1).users.update({ id: extra.id, lastName: 'Renamed' })).lastName).toBe('Renamed');
  });

  it('disables, locks, enables and deletes users with the role rules', async () => {
    const t = await tenantCloud();
    const id = t.accounts.sam.user.id;
    const c = t.cloud;
    expect((await c.as(t.as.admin1).users.lock({ id })).state).toBe('locked');
    expect((await c.as(t.as.admin1).users.enable({ id })).state).toBe('enabled');
    expect((await c.as(t.as.admin1).users.disable({ id })).state).toBe('disabled');
    await refusedUnchanged(c, () => c.as(t.as.admin1).users.lock({ id }), 431, 'id');
    await refusedUnchanged(c, () => c.as(t.as.sam).users.enable({ id }), 531);
    await refusedUnchanged(c, () => c.as(t.as.admin1).users.disable({ id: t.accounts.admin1.user.id }), 531, 'id');
    await refusedUnchanged(c, () => c.as(t.as.admin2).users.enable({ id }), 431, 'id');
    await refusedUnchanged(c, () => c.as(t.as.admin1).users.delete({ id }), 531);
    await refusedUnchanged(c, () => c.as(t.as.resadmin1).users.delete({ id: t.accounts.resadmin1.user.id }), 531, 'id');
    await refusedUnchanged(c, () => c.system.users.delete({ id: BUILTIN_IDS.systemUser }), 431, 'id');
    await c.as(t.as.resadmin1).users.delete({ id });
    await expect(c.as(t.as.admin1).users.get(id)).rejects.toMatchObject({ code: 431, param: 'id' });
    const types = (await c.as(t.as.admin1).events.list({ listAll: true, resourceId: id })).items.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['USER.LOCK', 'USER.ENABLE', 'USER.DISABLE', 'USER.DELETE']));
  });

  it('registers API keys for oneself or as an admin above; the secret shows only to them', async () => {
    const t = await tenantCloud();
    const c = t.cloud;
    const extra = await c.system.users.create({ accountId: t.accounts.alice.account.id, username: 'alice-b', password: 'pw', firstName: 'A', lastName: 'B' });
    const own = await c.as(t.as.alice).users.registerKeys({ id: t.accounts.alice.user.id });
    expect(own.apiKey).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(own.secretKey).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(own.secretKey).not.toBe(own.apiKey);
    const byAdmin = await c.as(t.as.admin1).users.registerKeys({ id: extra.id });
    expect((await c.as(t.as.alice).users.get(t.accounts.alice.user.id)).secretKey).toBe(own.secretKey);
    expect((await c.as(t.as.admin1).users.get(t.accounts.alice.user.id)).secretKey).toBe(own.secretKey);
    expect((await c.as(t.as.root2).users.get(extra.id)).secretKey).toBe(byAdmin.secretKey);
    // Another user of the same account sees the API key but not the secret.
    const seenByPeer = await c.as(t.as.alice).users.get(extra.id);
    expect(seenByPeer.apiKey).toBe(byAdmin.apiKey);
    expect(seenByPeer.secretKey).toBeUndefined();
    const listedByPeer = (await c.as(t.as.alice).users.list()).items.find((u) => u.id === extra.id);
    expect(listedByPeer?.secretKey).toBeUndefined();
    const listedByAdmin = (await c.as(t.as.admin1).users.list({ listAll: true })).items.find((u) => u.id === extra.id);
    expect(listedByAdmin?.secretKey).toBe(byAdmin.secretKey);
    await refusedUnchanged(c, () => c.as(t.as.alice).users.registerKeys({ id: extra.id }), 531, 'id');
    await refusedUnchanged(c, () => c.as(t.as.admin2).users.registerKeys({ id: extra.id }), 431, 'id');
    await refusedUnchanged(c, () => c.system.users.registerKeys({ id: BUILTIN_IDS.systemUser }), 431, 'id');
  });

  it('lists users by the visibility rule and never shows SYSTEM', async () => {
    const t = await tenantCloud();
    const names = async (ctx: Parameters<typeof t.cloud.as>[0], listAll?: boolean) =>
      (await t.cloud.as(ctx).users.list(listAll === undefined ? {} : { listAll })).items.map((u) => u.username);
    expect(await names(t.as.sam, true)).toEqual(['sam']);
    expect(await names(t.as.admin2, true)).toEqual(['admin2', 'bob']);
    expect(await names(t.as.root2, true)).toEqual(['admin', 'admin1', 'admin2', 'alice', 'bob', 'resadmin1', 'root2', 'sam']);
    expect((await t.cloud.system.users.list({ listAll: true, keyword: 'adm' })).items.map((u) => u.username)).toEqual(['admin', 'admin1', 'admin2', 'resadmin1']);
    expect((await t.cloud.system.users.list({ id: BUILTIN_IDS.systemUser })).total).toBe(0);
    const page = await t.cloud.system.users.list({ listAll: true, page: 2, pageSize: 3 });
    expect(page).toMatchObject({ total: 8 });
    expect(page.items.map((u) => u.username)).toEqual(['alice', 'bob', 'resadmin1']);
  });
});
