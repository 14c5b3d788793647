import { describe, expect, it } from 'vitest';
import { AccountCleanup, BUILTIN_IDS, ResourceLimitService, Role, SYSTEM } from '../../src/index.js';
import { refused, refusedUnchanged, tenantCloud } from './tenants.js';

const person = { firstName: 'New', lastName: 'Person', email: 'new@example.com' };

describe('accounts', () => {
  it('creates an account with its first user and records both events', async () => {
    const t = await tenantCloud();
    const created = await t.cloud.as(t.as.resadmin1).accounts.create({
      username: 'carol',
      password: 'carol-pw',
      domainId: t.domains.sales.id,
      networkDomain: 'sales.comp1.internal',
      ...person,
    });
    expect(created.account).toMatchObject({ name: 'carol', role: Role.User, domainId: t.domains.sales.id, state: 'enabled', networkDomain: 'sales.comp1.internal' });
    expect(created.user).toMatchObject({ username: 'carol', accountId: created.account.id, mustChangePassword: false });
    expect(created.user).not.toHaveProperty('passwordHash');
    const events = await t.cloud.as(t.as.root2).events.list({ listAll: true, resourceId: created.account.id });
    expect(events.items.map((e) => e.type)).toEqual(['ACCOUNT.CREATE']);
    expect(events.items[0]).toMatchObject({ accountId: created.account.id, domainId: t.domains.sales.id, userId: t.as.resadmin1.userId });
    const named = await t.cloud.system.accounts.create({ accountName: 'Team-X', username: 'xuser', password: 'pw', ...person });
    expect(named.account).toMatchObject({ name: 'Team-X', domainId: BUILTIN_IDS.rootDomain });
  });

  it('refuses bad input and unauthorised callers, leaving nothing behind', async () => {
    const t = await tenantCloud();
    const base = { username: 'dave', password: 'pw', ...person };
    const c = t.cloud;
    await refusedUnchanged(c, () => c.as(t.as.alice).accounts.create(base), 531);
    // createAccount is root and resource-domain admins only (bitmask 3).
    await refusedUnchanged(c, () => c.as(t.as.admin1).accounts.create(base), 531);
    await refusedUnchanged(c, () => c.as(t.as.resadmin1).accounts.create({ ...base, role: Role.RootAdmin }), 531, 'accounttype');
    await refusedUnchanged(c, () => c.as(t.as.resadmin1).accounts.create({ ...base, domainId: t.domains.comp2.id }), 431, 'domainid');
    await refusedUnchanged(c, () => c.system.accounts.create({ ...base, email: 'not-an-email' }), 431, 'email');
    await refusedUnchanged(c, () => c.system.accounts.create({ ...base, password: '' }), 431, 'password');
    await refusedUnchanged(c, () => c.system.accounts.create({ ...base, username: 'has space' }), 431, 'username');
    await refusedUnchanged(c, () => c.system.accounts.create({ ...base, networkDomain: 'bad_domain!' }), 431, 'networkdomain');
    await refusedUnchanged(c, () => c.system.accounts.create({ ...base, timezone: 'Mars/Olympus' }), 431, 'timezone');
    await refusedUnchanged(c, () => c.system.accounts.create({ ...base, domainId: t.domains.comp1.id, accountName: 'ALICE' }), 431, 'accountname');
    await refusedUnchanged(c, () => c.system.accounts.create({ ...base, domainId: t.domains.comp1.id, accountName: 'other', username: 'Alice' }), 431, 'username');
    const { firstName: _omitted, ...noFirstName } = base;
    await refusedUnchanged(c, () => c.system.accounts.create(noFirstName as typeof base), 431, 'firstname');
    // The same name in another domain is fine.
    await expect(c.system.accounts.create({ ...base, username: 'alice', domainId: t.domains.comp2.id })).resolves.toBeDefined();
  });

  it('renames an account and changes its network domain', async () => {
    const t = await tenantCloud();
    const renamed = await t.cloud.as(t.as.resadmin1).accounts.update({ id: t.accounts.alice.account.id, newName: 'alice-co', networkDomain: 'alice.internal' });
    expect(renamed).toMatchObject({ name: 'alice-co', networkDomain: 'alice.internal' });
    await refusedUnchanged(t.cloud, () => t.cloud.system.accounts.update({ id: t.accounts.alice.account.id, newName: 'resadmin1' }), 431, 'newname');
    await refusedUnchanged(t.cloud, () => t.cloud.system.accounts.update({ id: BUILTIN_IDS.systemAccount, newName: 'x' }), 431, 'id');
    await refusedUnchanged(t.cloud, () => t.cloud.as(t.as.admin1).accounts.update({ id: t.accounts.alice.account.id, newName: 'x' }), 531);
    await refusedUnchanged(t.cloud, () => t.cloud.as(t.as.resadmin1).accounts.update({ id: t.accounts.bob.account.id, newName: 'x' }), 431, 'id');
  });

  it('moves between enabled, disabled and locked as the state machine allows', async () => {
    const t = await tenantCloud();
    const id = t.accounts.alice.account.id;
    const admin = t.cloud.as(t.as.admin1).accounts;
    expect((await admin.lock({ id })).state).toBe('locked');
    expect((await admin.disable({ id })).state).toBe('disabled');
    await refusedUnchanged(t.cloud, () => admin.lock({ id }), 431, 'id');
    expect((await admin.disable({ id })).state).toBe('disabled');
    expect((await admin.enable({ id })).state).toBe('enabled');
    const types = (await t.cloud.as(t.as.admin1).events.list({ listAll: true, resourceId: id })).items.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['ACCOUNT.LOCK', 'ACCOUNT.DISABLE', 'ACCOUNT.ENABLE']));
    await refusedUnchanged(t.cloud, () => t.cloud.as(t.as.alice).accounts.disable({ id }), 531);
    await refusedUnchanged(t.cloud, () => admin.disable({ id: t.accounts.admin1.account.id }), 531, 'id');
    await refusedUnchanged(t.cloud, () => admin.disable({ id: t.accounts.bob.account.id }), 431, 'id');
    await refusedUnchanged(t.cloud, () => t.cloud.as(t.as.root2).accounts.disable({ id: BUILTIN_IDS.systemAccount }), 431, 'id');
    // A domain admin of ROOT cannot touch a root admin account.
    const rootDomainAdmin = await t.cloud.system.accounts.create({ role: Role.DomainAdmin, username: 'rda', password: 'pw', ...person });
    const rda = { userId: rootDomainAdmin.user.id, accountId: rootDomainAdmin.account.id, domainId: BUILTIN_IDS.rootDomain, role: Role.DomainAdmin };
    await refusedUnchanged(t.cloud, () => t.cloud.as(rda).accounts.disable({ id: t.accounts.root2.account.id }), 531, 'id');
    expect((await t.cloud.as(rda).accounts.disable({ id: t.accounts.bob.account.id })).state).toBe('disabled');
  });

  it('deleting an account runs every registered cleanup in the same transaction, then removes users, keys and limits', async () => {
    const t = await tenantCloud();
    const account = t.accounts.alice.account;
    const cleaned: string[] = [];
    t.cloud.container.resolve(AccountCleanup).register('test-area', async (tx, acc) => {
      cleaned.push(acc.name);
      expect(await tx.repo('accounts').get(acc.id)).toBeDefined();
    });
    const limits = t.cloud.as(t.as.admin1).resourceLimits;
    await limits.update({ accountId: account.id, resourceType: 'vpc', max: 3 });
    await t.cloud.as(t.as.alice).users.registerKeys({ id: t.accounts.alice.user.id });
    await t.cloud.as(t.as.alice).sshKeyPairs.register({ name: 'k', publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl' });
    await t.cloud.as(t.as.resadmin1).users.create({ accountId: account.id, username: 'alice2', password: 'pw', firstName: 'A', lastName: 'Two' });
    await t.cloud.store.transaction((tx) => t.cloud.container.resolve(ResourceLimitService).reserve(tx, account.id, 'vpc', 2));

    await t.cloud.as(t.as.resadmin1).accounts.delete({ id: account.id });
    expect(cleaned).toEqual(['alice']);
    const left = await t.cloud.store.transaction(async (tx) => ({
      account: await tx.repo('accounts').get(account.id),
      users: await tx.repo('users').count({ accountId: account.id }),
      keys: await tx.repo('sshKeyPairs').count({ accountId: account.id }),
      limits: await tx.repo('resourceLimits').count({ ownerId: account.id }),
      accountCounters: await tx.counters.list(`limits:account:${account.id}`),
      comp1Vpcs: await tx.counters.get(`limits:domain:${t.domains.comp1.id}:vpc`),
      rootVpcs: await tx.counters.get(`limits:domain:${BUILTIN_IDS.rootDomain}:vpc`),
    }));
    expect(left).toEqual({ account: undefined, users: 0, keys: 0, limits: 0, accountCounters: new Map(), comp1Vpcs: 0, rootVpcs: 0 });
    await refused(() => t.cloud.system.authentication.authenticate({ domainPath: 'Comp1', username: 'alice2', password: 'pw' }), 531);
    const deleted = await t.cloud.as(t.as.root2).events.list({ listAll: true, type: 'ACCOUNT.DELETE' });
    expect(deleted.items.map((e) => e.resourceId)).toEqual([account.id]);
  });

  it('a failing cleanup rolls the whole deletion back', async () => {
    const t = await tenantCloud();
    t.cloud.container.resolve(AccountCleanup).register('fails', async () => {
      throw new Error('device unreachable');
    });
    const before = await t.cloud.store.transaction(async (tx) => tx.repo('users').count());
    await expect(t.cloud.system.accounts.delete({ id: t.accounts.bob.account.id })).rejects.toThrow('device unreachable');
    expect(await t.cloud.store.transaction(async (tx) => tx.repo('users').count())).toBe(before);
    expect((await t.cloud.system.accounts.get(t.accounts.bob.account.id)).name).toBe('bob');
  });

  it('refuses deleting SYSTEM, oneself, or by a role that may not', async () => {
    const t = await tenantCloud();
    await refusedUnchanged(t.cloud, () => t.cloud.system.accounts.delete({ id: BUILTIN_IDS.systemAccount }), 431, 'id');
    await refusedUnchanged(t.cloud, () => t.cloud.as(t.as.root2).accounts.delete({ id: t.accounts.root2.account.id }), 531, 'id');
    await refusedUnchanged(t.cloud, () => t.cloud.as(t.as.admin1).accounts.delete({ id: t.accounts.alice.account.id }), 531);
    await refusedUnchanged(t.cloud, () => t.cloud.as(t.as.resadmin1).accounts.delete({ id: t.accounts.bob.account.id }), 431, 'id');
    await refusedUnchanged(t.cloud, () => t.cloud.as(SYSTEM).accounts.delete({ id: 'nope' }), 431, 'id');
    expect(() => t.cloud.container.resolve(AccountCleanup).register('ssh-key-pairs', async () => undefined)).toThrow(/already registered/);
  });
});
