import { describe, expect, it } from 'vitest';
import { footprint } from '../../core/test/infrastructure/fixtures.js';
import { call, callAsync, coreApi } from './support/core-api.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/;

describe('account commands over a real core cloud', () => {
  it('creates a domain and an account with its first user, in 4.1 field names', async () => {
    const f = await coreApi();
    const domain = await call(f.api, f.admin, { command: 'createDomain', name: 'sales', networkdomain: 'sales.internal' });
    const domainid = String((domain.body.domain as { id: string }).id);
    expect(domain.json).toEqual({ createdomainresponse: { domain: { id: domainid, name: 'sales', level: 1, parentdomainid: expect.stringMatching(UUID), parentdomainname: 'ROOT', haschild: false, networkdomain: 'sales.internal', path: 'ROOT/sales' } } });

    const created = await call(f.api, f.admin, { command: 'createAccount', accounttype: '0', account: 'bob-account', domainid, username: 'bob', password: 'bob-secret', firstname: 'Bob', lastname: 'B', email: 'bob@example.org' });
    expect(created.status).toBe(200);
    const account = created.body.account as Record<string, unknown>;
    expect(account).toMatchObject({ id: expect.stringMatching(UUID), name: 'bob-account', accounttype: 0, domainid, domain: 'sales', state: 'enabled', vmlimit: expect.any(String), vmtotal: 0 });
    const [user] = account.user as Record<string, unknown>[];
    expect(user).toMatchObject({ id: expect.stringMatching(UUID), username: 'bob', firstname: 'Bob', lastname: 'B', email: 'bob@example.org', state: 'enabled', account: 'bob-account', accounttype: 0, domainid, domain: 'sales', accountid: account.id });
    expect(String(user?.created)).toMatch(DATE);
    expect(user).not.toHaveProperty('password');
  });

  it('registers user keys as {userkeys:{apikey,secretkey}} and the new keys sign requests', async () => {
    const f = await coreApi();
    const reply = await call(f.api, f.admin, { command: 'registerUserKeys', id: f.user.caller.userId });
    expect(reply.json).toEqual({ registeruserkeysresponse: { userkeys: { apikey: expect.any(String), secretkey: expect.any(String) } } });
    const keys = reply.body.userkeys as { apikey: string; secretkey: string };
    const asUser = { ...f.user, apiKey: keys.apikey, secretKey: keys.secretkey };
    const mine = await call(f.api, asUser, { command: 'listAccounts' });
    expect(mine.body).toMatchObject({ count: 1, account: [{ name: 'alice-account' }] });
    expect((await call(f.api, f.user, { command: 'listAccounts' })).status).toBe(401);
  });

  it('scopes lists: a user sees its own account, an admin its own unless listall', async () => {
    const f = await coreApi();
    const own = await call(f.api, f.admin, { command: 'listAccounts' });
    expect(own.body).toMatchObject({ count: 1, account: [{ name: 'admin' }] });
    const all = await call(f.api, f.admin, { command: 'listAccounts', listall: 'true' });
    expect((all.body.account as { name: string }[]).map((a) => a.name).sort()).toEqual(expect.arrayContaining(['admin', 'alice-account', 'dave-account']));
    const domainAdminView = await call(f.api, f.domainAdmin, { command: 'listAccounts', listall: 'true' });
    expect((domainAdminView.body.account as { name: string }[]).map((a) => a.name).sort()).toEqual(['alice-account', 'dave-account']);
    expect((await call(f.api, f.user, { command: 'listUsers' })).status).toBe(432);
    const users = await call(f.api, f.domainAdmin, { command: 'listUsers', username: 'alice', listall: 'true' });
    expect(users.body).toMatchObject({ count: 1, user: [{ username: 'alice', account: 'alice-account', domain: 'child' }] });
    expect((await call(f.api, f.user, { command: 'createAccount', accounttype: '0', username: 'x', password: 'x', firstname: 'x', lastname: 'x', email: 'x@example.org' })).status).toBe(432);
  });

  it('refuses a bad parameter with 431 naming it and creates nothing', async () => {
    const f = await coreApi();
    const before = await footprint(f.cloud);
    const bad = await call(f.api, f.admin, { command: 'createAccount', accounttype: 'zero', username: 'x', password: 'x', firstname: 'x', lastname: 'x', email: 'x@example.org' });
    expect(bad.status).toBe(431);
    expect(String(bad.body.errortext)).toContain('accounttype');
    const badEmail = await call(f.api, f.admin, { command: 'createAccount', accounttype: '0', username: 'x', password: 'x', firstname: 'x', lastname: 'x', email: 'not-mail' });
    expect(badEmail.status).toBe(431);
    expect(await footprint(f.cloud)).toBe(before);
  });

  it('disables and deletes accounts, and disables users, as jobs; enables and locks synchronously', async () => {
    const f = await coreApi();
    const accountid = f.user.caller.accountId;
    const disabled = await callAsync(f, f.admin, { command: 'disableAccount', id: accountid, lock: 'false' });
    expect(disabled.accepted).toEqual({ jobid: expect.stringMatching(UUID) });
    expect(disabled.result).toMatchObject({ cmd: 'disableAccount', jobstatus: 1, jobresulttype: 'object', jobresult: { account: { id: accountid, state: 'disabled' } } });
    expect((await call(f.api, f.user, { command: 'listAccounts' })).status).toBe(401);
    const enabled = await call(f.api, f.admin, { command: 'enableAccount', id: accountid });
    expect(enabled.body.account).toMatchObject({ id: accountid, state: 'enabled' });
    const locked = await call(f.api, f.admin, { command: 'lockAccount', account: 'alice-account', domainid: f.user.caller.domainId });
    expect(locked.body.account).toMatchObject({ state: 'locked' });
    await call(f.api, f.admin, { command: 'enableAccount', id: accountid });

    const userOff = await callAsync(f, f.admin, { command: 'disableUser', id: f.user.caller.userId });
    expect(userOff.result).toMatchObject({ jobstatus: 1, jobresult: { user: { id: f.user.caller.userId, state: 'disabled' } } });
    expect((await call(f.api, f.admin, { command: 'enableUser', id: f.user.caller.userId })).body.user).toMatchObject({ state: 'enabled' });

    const deleted = await callAsync(f, f.admin, { command: 'deleteAccount', id: accountid });
    expect(deleted.result).toMatchObject({ cmd: 'deleteAccount', jobstatus: 1, jobresult: { success: true } });
    expect((await call(f.api, f.admin, { command: 'listAccounts', id: accountid })).json).toEqual({ listaccountsresponse: {} });

    const domain = await call(f.api, f.admin, { command: 'createDomain', name: 'empty' });
    const removed = await callAsync(f, f.admin, { command: 'deleteDomain', id: String((domain.body.domain as { id: string }).id) });
    expect(removed.result).toMatchObject({ cmd: 'deleteDomain', jobstatus: 1, jobresult: { success: true } });
  });

  it('creates, lists and deletes SSH key pairs as Libcloud reads them', async () => {
    const f = await coreApi();
    const created = await call(f.api, f.user, { command: 'createSSHKeyPair', name: 'k1' });
    expect(created.json).toEqual({ createsshkeypairresponse: { keypair: { name: 'k1', fingerprint: expect.stringMatching(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/), privatekey: expect.stringContaining('PRIVATE KEY') } } });
    const listed = await call(f.api, f.user, { command: 'listSSHKeyPairs' });
    expect(listed.json).toEqual({ listsshkeypairsresponse: { count: 1, sshkeypair: [{ name: 'k1', fingerprint: (created.body.keypair as { fingerprint: string }).fingerprint }] } });
    expect((await call(f.api, f.admin, { command: 'listSSHKeyPairs' })).json).toEqual({ listsshkeypairsresponse: {} });
    expect((await call(f.api, f.user, { command: 'deleteSSHKeyPair', name: 'k1' })).json).toEqual({ deletesshkeypairresponse: { success: 'true' } });
    expect((await call(f.api, f.user, { command: 'listSSHKeyPairs' })).json).toEqual({ listsshkeypairsresponse: {} });
  });

  it('lists and updates resource limits', async () => {
    const f = await coreApi();
    const limits = await call(f.api, f.user, { command: 'listResourceLimits', resourcetype: '0' });
    expect(limits.body).toMatchObject({ count: 1, resourcelimit: [{ account: 'alice-account', domainid: f.user.caller.domainId, domain: 'child', resourcetype: '0', max: expect.any(Number) }] });
    const updated = await call(f.api, f.admin, { command: 'updateResourceLimit', resourcetype: '0', max: '5', account: 'alice-account', domainid: f.user.caller.domainId });
    expect(updated.json).toEqual({ updateresourcelimitresponse: { resourcelimit: { account: 'alice-account', domainid: f.user.caller.domainId, domain: 'child', resourcetype: '0', max: 5 } } });
    expect((await call(f.api, f.user, { command: 'updateResourceLimit', resourcetype: '0', max: '50' })).status).toBe(432);
    expect((await call(f.api, f.user, { command: 'listResourceLimits', resourcetype: '42' })).status).toBe(431);
  });
});
