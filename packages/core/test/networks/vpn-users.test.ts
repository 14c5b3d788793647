import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/index.js';
import { refused } from '../accounts/tenants.js';
import { eventsOf } from './addresses-fixtures.js';
import { routerConfigOf } from './network-fixtures.js';
import { aliceSecondNetwork, aliceWithSourceNat, routerVpn, settledVpnFootprint, vpnFootprint, vpnRows } from './vpn-fixtures.js';

/** alice with a VPN on each of two networks. */
async function aliceWithTwoVpns() {
  const first = await aliceWithSourceNat();
  const second = await aliceSecondNetwork(first.t);
  await first.alice.remoteAccessVpns.create({ publicIpId: first.sourceNat.id });
  // The first network's VPN is the older one: user changes reach its router first.
  first.t.cloud.clock.advance(1000);
  await first.alice.remoteAccessVpns.create({ publicIpId: second.sourceNat.id, ipRange: '10.9.9.1-10.9.9.20' });
  return { ...first, second };
}

describe('VPN users (guide 13.17: per account, shared by all the account\'s VPNs)', () => {
  it('a user reaches every VPN of the account, and leaves every one of them', async () => {
    const { t, alice, network, second } = await aliceWithTwoVpns();
    const user = await alice.vpnUsers.add({ username: 'roadwarrior', password: 'p@ss+word=1' });
    expect(user).toMatchObject({ username: 'roadwarrior', accountId: t.accounts.alice.account.id, accountName: 'alice', domainId: t.domains.comp1.id, domainName: 'Comp1', state: 'Active' });
    expect(user).not.toHaveProperty('password');
    await alice.vpnUsers.add({ username: 'admin.home', password: 'another-1' });
    const users = [{ username: 'admin.home', password: 'another-1' }, { username: 'roadwarrior', password: 'p@ss+word=1' }];
    expect((await routerVpn(t, network.id))?.users).toEqual(users);
    expect((await routerVpn(t, second.network.id))?.users).toEqual(users);
    expect((await routerVpn(t, second.network.id))?.ipRange).toBe('10.9.9.2-10.9.9.20');
    expect((await alice.vpnUsers.list({})).items.map((u) => u.username)).toEqual(['admin.home', 'roadwarrior']);
    expect((await alice.vpnUsers.list({ username: 'roadwarrior' })).items).toEqual([user]);
    expect((await alice.vpnUsers.list({ keyword: 'HOME' })).items.map((u) => u.username)).toEqual(['admin.home']);
    expect((await eventsOf(t, 'VPN.USER.ADD')).map((e) => e.description).sort()).toEqual(['Added VPN user admin.home', 'Added VPN user roadwarrior']);

    await alice.vpnUsers.remove({ username: 'roadwarrior' });
    expect((await routerVpn(t, network.id))?.users).toEqual([users[0]]);
    expect((await routerVpn(t, second.network.id))?.users).toEqual([users[0]]);
    expect((await alice.vpnUsers.list({})).items.map((u) => u.username)).toEqual(['admin.home']);
    expect((await vpnRows(t)).users.map((u) => [u.username, u.state])).toEqual([['admin.home', 'Active']]);
    expect((await eventsOf(t, 'VPN.USER.REMOVE')).map((e) => e.resourceId)).toEqual([user.id]);
  });

  it('users added before any VPN go to the VPN enabled later; disabling one VPN leaves the other with them', async () => {
    const { t, alice, network, sourceNat } = await aliceWithSourceNat();
    const user = await alice.vpnUsers.add({ username: 'early', password: 'early-pw' });
    expect(user.state).toBe('Active');
    await alice.remoteAccessVpns.create({ publicIpId: sourceNat.id });
    expect((await routerVpn(t, network.id))?.users).toEqual([{ username: 'early', password: 'early-pw' }]);
    const second = await aliceSecondNetwork(t);
    await alice.remoteAccessVpns.create({ publicIpId: second.sourceNat.id, ipRange: '10.9.9.1-10.9.9.20' });
    await alice.remoteAccessVpns.delete({ publicIpId: sourceNat.id });
    expect(await routerVpn(t, network.id)).toBeUndefined();
    expect((await routerVpn(t, second.network.id))?.users).toEqual([{ username: 'early', password: 'early-pw' }]);
    // Without VPNs, users come and go without touching a router.
    await alice.remoteAccessVpns.delete({ publicIpId: second.sourceNat.id });
    await alice.vpnUsers.remove({ username: 'EARLY' });
    expect((await vpnRows(t)).users).toEqual([]);
  });

  it('at most remote.access.vpn.user.limit users per account; a removed user frees its place', async () => {
    const { t, alice, network } = await aliceWithTwoVpns();
    await t.cloud.system.config.update({ name: 'remote.access.vpn.user.limit', value: 2 });
    await alice.vpnUsers.add({ username: 'one', password: 'one-pw' });
    await alice.vpnUsers.add({ username: 'two', password: 'two-pw' });
    const before = await vpnFootprint(t);
    const config = await routerConfigOf(t, network.id);
    const over = await refused(() => alice.vpnUsers.add({ username: 'three', password: 'three-pw' }), 431, 'username');
    expect(over.message).toMatch(/remote\.access\.vpn\.user\.limit/);
    expect(await vpnFootprint(t)).toBe(before);
    expect(await routerConfigOf(t, network.id)).toEqual(config);
    // Another account has its own allowance.
    const sam = t.cloud.as(t.as.sam);
    await sam.vpnUsers.add({ username: 'one', password: 'one-pw' });
    await alice.vpnUsers.remove({ username: 'one' });
    await alice.vpnUsers.add({ username: 'three', password: 'three-pw' });
    expect((await routerVpn(t, network.id))?.users.map((u) => u.username)).toEqual(['three', 'two']);
  });

  it('refuses names and passwords CloudStack refuses, and a name the account has, changing nothing', async () => {
    const { t, alice } = await aliceWithTwoVpns();
    await alice.vpnUsers.add({ username: 'taken', password: 'taken-pw' });
    const before = await vpnFootprint(t);
    for (const username of ['ab', '-leading', 'has space', 'x'.repeat(65), 'semi;colon']) {
      await refused(() => alice.vpnUsers.add({ username, password: 'good-pw' }), 431, 'username');
    }
    for (const password of ['pw', '#leading', 'has space', 'p'.repeat(33), 'bad!char']) {
      await refused(() => alice.vpnUsers.add({ username: 'gooduser', password }), 431, 'password');
    }
    const duplicate = await refused(() => alice.vpnUsers.add({ username: 'TAKEN', password: 'other-pw' }), 431, 'username');
    expect(duplicate.message).toMatch(/already exists/);
    await refused(() => alice.vpnUsers.remove({ username: 'nobody' }), 431, 'username');
    expect(await vpnFootprint(t)).toBe(before);
    // The longest accepted forms.
    await alice.vpnUsers.add({ username: `a${'b'.repeat(63)}`, password: `P${'@#+=._-'.repeat(4)}xyz` });
  });

  it('passwords rest sealed', async () => {
    const { t, alice } = await aliceWithTwoVpns();
    await alice.vpnUsers.add({ username: 'roadwarrior', password: 'Clear-Text-Pw1' });
    const [row] = (await vpnRows(t)).users;
    expect(row?.passwordSealed).toMatch(/^sealed:v1:/);
    expect(JSON.stringify(row)).not.toContain('Clear-Text-Pw1');
    if (t.cloud.store instanceof MemoryStore) expect(t.cloud.store.rawContent()).not.toContain('Clear-Text-Pw1');
  });

  it('a router that refuses undoes the change: the user is not kept (or stays), and the routers already told are told again', async () => {
    const { t, alice, network, second } = await aliceWithTwoVpns();
    await alice.vpnUsers.add({ username: 'kept', password: 'kept-pw' });
    const first = await routerConfigOf(t, network.id);
    const other = await routerConfigOf(t, second.network.id);
    const before = await settledVpnFootprint(t);
    const secondRouter = await t.cloud.store.transaction((tx) => tx.repo('routers').findOne({ networkId: second.network.id }));
    // The second network's router refuses: the first one already had the new user, and is told again without it.
    const fault = t.sim.lab.faults.fail('applyRouterConfig', secondRouter?.name, 'router unreachable');
    const generations = async () => t.cloud.store.transaction(async (tx) => [(await tx.repo('routers').findOne({ networkId: network.id }))?.configGeneration, (await tx.repo('routers').findOne({ networkId: second.network.id }))?.configGeneration]);
    const [firstGeneration, secondGeneration] = await generations();
    await refused(() => alice.vpnUsers.add({ username: 'newcomer', password: 'newcomer-pw' }), 534);
    expect(await settledVpnFootprint(t)).toEqual(before);
    // The first router took the set with the newcomer, then the set without it; the second took neither.
    expect(await generations()).toEqual([(firstGeneration ?? 0) + 2, secondGeneration]);
    expect(await routerConfigOf(t, network.id)).toEqual(first);
    expect(await routerConfigOf(t, second.network.id)).toEqual(other);
    expect((await alice.vpnUsers.list({})).items.map((u) => u.username)).toEqual(['kept']);
    expect(await eventsOf(t, 'VPN.USER.ADD')).toHaveLength(1);

    await refused(() => alice.vpnUsers.remove({ username: 'kept' }), 534);
    expect((await vpnRows(t)).users.map((u) => [u.username, u.state])).toEqual([['kept', 'Active']]);
    expect(await settledVpnFootprint(t)).toEqual(before);
    expect(await routerConfigOf(t, network.id)).toEqual(first);
    expect(await routerConfigOf(t, second.network.id)).toEqual(other);
    expect(await eventsOf(t, 'VPN.USER.REMOVE')).toEqual([]);
    fault.clear();
    await alice.vpnUsers.remove({ username: 'kept' });
    expect((await routerVpn(t, network.id))?.users).toEqual([]);
    expect((await routerVpn(t, second.network.id))?.users).toEqual([]);
  });

  it('tenants apart: bob neither sees nor removes alice\'s users, nor adds to her account; her domain admin may', async () => {
    const { t, alice, network } = await aliceWithTwoVpns();
    await alice.vpnUsers.add({ username: 'roadwarrior', password: 'secret-1' });
    const bob = t.cloud.as(t.as.bob);
    expect((await bob.vpnUsers.list({})).items).toEqual([]);
    expect((await bob.vpnUsers.list({ listAll: true })).items).toEqual([]);
    const before = await vpnFootprint(t);
    await refused(() => bob.vpnUsers.list({ account: 'alice', domainId: t.domains.comp1.id }), 431, 'domainid');
    await refused(() => bob.vpnUsers.remove({ username: 'roadwarrior' }), 431, 'username');
    await refused(() => bob.vpnUsers.remove({ username: 'roadwarrior', account: 'alice', domainId: t.domains.comp1.id }), 431, 'domainid');
    await refused(() => bob.vpnUsers.add({ username: 'intruder', password: 'intruder-pw', account: 'alice' }), 431, 'account');
    await refused(() => t.cloud.as(t.as.admin2).vpnUsers.add({ username: 'intruder', password: 'intruder-pw', account: 'alice', domainId: t.domains.comp1.id }), 431, 'domainid');
    expect(await vpnFootprint(t)).toBe(before);
    // bob's own user stays in bob's account and reaches none of alice's routers.
    await bob.vpnUsers.add({ username: 'roadwarrior', password: 'bobs-own-1' });
    expect((await routerVpn(t, network.id))?.users).toEqual([{ username: 'roadwarrior', password: 'secret-1' }]);
    const admin1 = t.cloud.as(t.as.admin1);
    await admin1.vpnUsers.add({ username: 'helpdesk', password: 'helpdesk-1', account: 'alice', domainId: t.domains.comp1.id });
    expect((await alice.vpnUsers.list({})).items.map((u) => u.username)).toEqual(['helpdesk', 'roadwarrior']);
    expect((await routerVpn(t, network.id))?.users.map((u) => u.username)).toEqual(['helpdesk', 'roadwarrior']);
    expect((await admin1.vpnUsers.list({ listAll: true })).items.map((u) => u.username)).toEqual(['helpdesk', 'roadwarrior']);
  });
});
