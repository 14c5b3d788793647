import { describe, expect, it } from 'vitest';
import { ROOT_ADMIN_LOGIN_BACKOFF_MS, md5Hex } from '../../src/index.js';
import { refused, tenantCloud } from './tenants.js';

describe('authentication', () => {
  it('accepts the password or its MD5 hex, with the domain path in any of the login forms', async () => {
    const t = await tenantCloud();
    const auth = t.cloud.system.authentication;
    for (const domainPath of ['Comp1', '/Comp1', '/Comp1/', 'comp1']) {
      const login = await auth.authenticate({ domainPath, username: 'alice', password: 'alice-pw-1' });
      expect(login.caller).toEqual({ ...t.as.alice, origin: 'login' });
      expect(login.domain.path).toBe('/Comp1/');
    }
    const viaMd5 = await auth.authenticate({ domainPath: '/Comp1/sales/', username: 'sam', password: md5Hex('sam-pw-1') });
    expect(viaMd5.user.username).toBe('sam');
    const viaMd5Upper = await auth.authenticate({ domainPath: 'Comp1/sales', username: 'sam', password: md5Hex('sam-pw-1').toUpperCase() });
    expect(viaMd5Upper.account.id).toBe(t.accounts.sam.account.id);
    const byId = await auth.authenticate({ domainId: t.domains.comp2.id, username: 'bob', password: 'bob-pw-1' });
    expect(byId.caller.accountId).toBe(t.accounts.bob.account.id);
    expect(byId.user).not.toHaveProperty('passwordHash');
  });

  it('fails with 531 and CloudStack\'s message for a wrong password, user, domain or the SYSTEM user', async () => {
    const t = await tenantCloud();
    const auth = t.cloud.system.authentication;
    const wrong = await refused(() => auth.authenticate({ domainPath: '/Comp1/', username: 'alice', password: 'nope' }), 531);
    expect(wrong.message).toBe('Failed to authenticate user alice in domain /Comp1/; please provide valid credentials');
    await refused(() => auth.authenticate({ domainPath: '/Comp2/', username: 'alice', password: 'alice-pw-1' }), 531);
    await refused(() => auth.authenticate({ domainPath: '/Nowhere/', username: 'alice', password: 'alice-pw-1' }), 531);
    await refused(() => auth.authenticate({ username: 'nobody', password: 'x' }), 531);
    await refused(() => auth.authenticate({ username: 'system', password: '' }), 431, 'password');
    await refused(() => auth.authenticate({ username: 'system', password: 'anything' }), 531);
    // md5 of the md5 is not a password
    await refused(() => auth.authenticate({ domainPath: 'Comp1', username: 'alice', password: md5Hex(md5Hex('alice-pw-1')) }), 531);
  });

  it('refuses disabled or locked users and accounts even with the right password', async () => {
    const t = await tenantCloud();
    const auth = t.cloud.system.authentication;
    const login = () => auth.authenticate({ domainPath: 'Comp1', username: 'alice', password: 'alice-pw-1' });
    await t.cloud.as(t.as.admin1).accounts.lock({ id: t.accounts.alice.account.id });
    expect((await refused(login, 531)).message).toMatch(/disabled or locked/);
    await t.cloud.as(t.as.admin1).accounts.enable({ id: t.accounts.alice.account.id });
    await expect(login()).resolves.toBeDefined();
    await t.cloud.as(t.as.admin1).accounts.disable({ id: t.accounts.alice.account.id });
    await refused(login, 531);
    await t.cloud.as(t.as.admin1).accounts.enable({ id: t.accounts.alice.account.id });
    await t.cloud.as(t.as.admin1).users.disable({ id: t.accounts.alice.user.id });
    await refused(login, 531);
    await t.cloud.as(t.as.admin1).users.enable({ id: t.accounts.alice.user.id });
    await expect(login()).resolves.toBeDefined();
  });

  it('disables a user after incorrect.login.attempts.allowed consecutive failures; a success resets the count', async () => {
    const t = await tenantCloud({ config: { 'incorrect.login.attempts.allowed': 3 } });
    const auth = t.cloud.system.authentication;
    const attempt = (password: string) => auth.authenticate({ domainPath: 'Comp2', username: 'bob', password });
    await refused(() => attempt('bad'), 531);
    await refused(() => attempt('bad'), 531);
    await attempt('bob-pw-1');
    await refused(() => attempt('bad'), 531);
    await refused(() => attempt('bad'), 531);
    const bobNow = await t.cloud.as(t.as.admin2).users.get(t.accounts.bob.user.id);
    expect(bobNow.state).toBe('enabled');
    await refused(() => attempt('bad'), 531);
    expect((await t.cloud.as(t.as.admin2).users.get(t.accounts.bob.user.id)).state).toBe('disabled');
    await refused(() => attempt('bob-pw-1'), 531);
    const events = await t.cloud.as(t.as.admin2).events.list({ listAll: true, type: 'USER.DISABLE' });
    expect(events.items).toHaveLength(1);
    await t.cloud.as(t.as.admin2).users.enable({ id: t.accounts.bob.user.id });
    await expect(attempt('bob-pw-1')).resolves.toBeDefined();
  });

  it('throttles a root admin instead of disabling it, until the back-off has passed', async () => {
    const t = await tenantCloud({ config: { 'incorrect.login.attempts.allowed': 2 } });
    const auth = t.cloud.system.authentication;
    const attempt = (password: string) => auth.authenticate({ username: 'root2', password });
    await refused(() => attempt('bad'), 531);
    await refused(() => attempt('bad'), 531);
    // Even the right password is refused during the back-off.
    await refused(() => attempt('root2-pw-1'), 531);
    t.cloud.clock.advance(ROOT_ADMIN_LOGIN_BACKOFF_MS);
    const login = await attempt('root2-pw-1');
    expect(login.user.state).toBe('enabled');
    await refused(() => attempt('bad'), 531);
    await expect(attempt('root2-pw-1')).resolves.toBeDefined();
  });

  it('only a root admin (the API layer as SYSTEM) may authenticate or look up API keys', async () => {
    const t = await tenantCloud();
    await refused(() => t.cloud.as(t.as.admin1).authentication.authenticate({ domainPath: 'Comp1', username: 'alice', password: 'alice-pw-1' }), 531);
    await refused(() => t.cloud.as(t.as.alice).authentication.byApiKey('x'), 531);
  });

  it('finds the owner of an API key with its opened secret, and refuses unknown keys and disabled users', async () => {
    const t = await tenantCloud();
    const keys = await t.cloud.as(t.as.alice).users.registerKeys({ id: t.accounts.alice.user.id });
    const owner = await t.cloud.system.authentication.byApiKey(keys.apiKey);
    expect(owner.secretKey).toBe(keys.secretKey);
    expect(owner.caller).toEqual({ ...t.as.alice, origin: 'api-key' });
    await refused(() => t.cloud.system.authentication.byApiKey(`${keys.apiKey}x`), 531);
    await refused(() => t.cloud.system.authentication.byApiKey(''), 531);
    await t.cloud.as(t.as.admin1).accounts.disable({ id: t.accounts.alice.account.id });
    await refused(() => t.cloud.system.authentication.byApiKey(keys.apiKey), 531);
    // A new pair replaces the old one.
    await t.cloud.as(t.as.admin1).accounts.enable({ id: t.accounts.alice.account.id });
    const renewed = await t.cloud.as(t.as.admin1).users.registerKeys({ id: t.accounts.alice.user.id });
    await refused(() => t.cloud.system.authentication.byApiKey(keys.apiKey), 531);
    expect((await t.cloud.system.authentication.byApiKey(renewed.apiKey)).secretKey).toBe(renewed.secretKey);
  });
});
