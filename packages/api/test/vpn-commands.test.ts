import { describe, expect, it } from 'vitest';
import { routerConfigOf } from '../../core/test/networks/network-fixtures.js';
import { vpnFootprint } from '../../core/test/networks/vpn-fixtures.js';
import { call } from './support/core-api.js';
import { deployVm, job, networkApi, rows, type NetworkApiFixture, type Row } from './support/network-api.js';

/** alice's first VM implements her network; its source NAT address's id. */
async function aliceSourceNat(f: NetworkApiFixture): Promise<{ networkId: string; ipId: string; address: string }> {
  await deployVm(f, f.alice, { name: 'web1' });
  const [network] = (await f.t.cloud.as(f.t.as.alice).networks.list({})).items;
  if (network === undefined) throw new Error('alice has no network');
  const [ip] = (await rows(f, f.alice, { command: 'listPublicIpAddresses', issourcenat: 'true' })).items;
  return { networkId: network.id, ipId: String(ip?.id), address: String(ip?.ipaddress) };
}

describe('remote-access VPN commands over a real core cloud (advanced zone, simulator)', () => {
  it('createRemoteAccessVpn (async-create, id = the public IP\'s), listRemoteAccessVpns, deleteRemoteAccessVpn, with refusals at accept', async () => {
    const f = await networkApi();
    const { networkId, ipId, address } = await aliceSourceNat(f);
    const untouched = await vpnFootprint(f.t);
    for (const iprange of ['10.1.1.10-10.1.1.20', '10.1.2.8-10.1.2.1', 'ten-eleven']) {
      const reply = await call(f.api, f.alice, { command: 'createRemoteAccessVpn', publicipid: ipId, iprange });
      expect({ iprange, status: reply.status }).toEqual({ iprange, status: 431 });
      expect(String(reply.body.errortext)).toMatch(/iprange/);
    }
    expect(await vpnFootprint(f.t)).toBe(untouched);
    const { accepted, result } = await job(f, f.alice, { command: 'createRemoteAccessVpn', publicipid: ipId });
    expect(Object.keys(accepted)).toEqual(['id', 'jobid']);
    expect(accepted.id).toBe(ipId);
    expect(result).toMatchObject({ jobstatus: 1, jobresultcode: 0, cmd: 'createRemoteAccessVpn' });
    const vpn = (result.jobresult as { remoteaccessvpn: Row }).remoteaccessvpn;
    expect(vpn).toEqual({
      publicipid: ipId,
      publicip: address,
      iprange: '10.1.2.2-10.1.2.8',
      presharedkey: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/) as unknown,
      account: 'alice',
      domainid: f.t.domains.comp1.id,
      domain: 'Comp1',
      state: 'Running',
    });
    expect((await routerConfigOf(f.t, networkId))?.vpn).toEqual({ publicIp: address, localIp: '10.1.2.1', ipRange: '10.1.2.2-10.1.2.8', presharedKey: vpn.presharedkey, users: [] });
    const listed = await rows(f, f.alice, { command: 'listRemoteAccessVpns', publicipid: ipId });
    expect(listed).toMatchObject({ status: 200, count: 1 });
    expect(listed.items).toEqual([vpn]);
    expect((await rows(f, f.admin1, { command: 'listRemoteAccessVpns', publicipid: ipId, listall: 'true' })).items).toEqual([vpn]);

    // Refusals at accept leave nothing behind.
    const other = (await job(f, f.alice, { command: 'associateIpAddress', networkid: networkId })).result.jobresult as { ipaddress: Row };
    const before = await vpnFootprint(f.t);
    for (const [params, status, text] of [
      [{ publicipid: String(other.ipaddress.id) }, 431, /source NAT/],
      [{ publicipid: ipId }, 431, /already exists/],
      [{}, 431, /publicipid/],
    ] as const) {
      const reply = await call(f.api, f.alice, { command: 'createRemoteAccessVpn', ...params });
      expect({ params, status: reply.status }).toEqual({ params, status });
      expect(String(reply.body.errortext)).toMatch(text);
    }
    expect((await call(f.api, f.bob, { command: 'createRemoteAccessVpn', publicipid: ipId })).status).toBe(431);
    expect((await call(f.api, f.bob, { command: 'listRemoteAccessVpns', publicipid: ipId })).status).toBe(431);
    expect((await call(f.api, f.bob, { command: 'deleteRemoteAccessVpn', publicipid: ipId })).status).toBe(431);
    expect((await call(f.api, f.alice, { command: 'listRemoteAccessVpns' })).status).toBe(431);
    expect((await call(f.api, f.alice, { command: 'deleteRemoteAccessVpn', publicipid: String(other.ipaddress.id) })).status).toBe(431);
    expect(await vpnFootprint(f.t)).toBe(before);

    const deleted = await job(f, f.alice, { command: 'deleteRemoteAccessVpn', publicipid: ipId });
    expect(deleted.result).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    expect((await routerConfigOf(f.t, networkId))?.vpn).toBeUndefined();
    expect((await rows(f, f.alice, { command: 'listRemoteAccessVpns', publicipid: ipId })).count).toBeUndefined();
  });

  it('addVpnUser (async-create), listVpnUsers, removeVpnUser: users reach the router; refusals name the parameter', async () => {
    const f = await networkApi();
    const { networkId, ipId } = await aliceSourceNat(f);
    await job(f, f.alice, { command: 'createRemoteAccessVpn', publicipid: ipId });
    const { accepted, result } = await job(f, f.alice, { command: 'addVpnUser', username: 'roadwarrior', password: 'secret-1' });
    expect(Object.keys(accepted)).toEqual(['id', 'jobid']);
    const user = (result.jobresult as { vpnuser: Row }).vpnuser;
    expect(user).toEqual({ id: accepted.id, username: 'roadwarrior', account: 'alice', domainid: f.t.domains.comp1.id, domain: 'Comp1' });
    expect((await routerConfigOf(f.t, networkId))?.vpn?.users).toEqual([{ username: 'roadwarrior', password: 'secret-1' }]);
    expect((await rows(f, f.alice, { command: 'listVpnUsers' })).items).toEqual([user]);
    expect((await rows(f, f.alice, { command: 'listVpnUsers', username: 'roadwarrior' })).count).toBe(1);
    expect((await rows(f, f.bob, { command: 'listVpnUsers' })).body).toEqual({});
    // An admin adds to alice's account by name and domain.
    await job(f, f.admin1, { command: 'addVpnUser', username: 'helpdesk', password: 'helpdesk-1', account: 'alice', domainid: f.t.domains.comp1.id });
    expect((await rows(f, f.alice, { command: 'listVpnUsers' })).items.map((u) => u.username)).toEqual(['helpdesk', 'roadwarrior']);

    await f.t.cloud.system.config.update({ name: 'remote.access.vpn.user.limit', value: 2 });
    const before = await vpnFootprint(f.t);
    for (const [params, text] of [
      [{ username: 'ab', password: 'secret-1' }, /username/],
      [{ username: 'gooduser', password: 'bad password' }, /password/],
      [{ username: 'ROADWARRIOR', password: 'secret-1' }, /already exists/],
      [{ username: 'third', password: 'secret-3' }, /remote\.access\.vpn\.user\.limit/],
      [{ username: 'third' }, /password/],
    ] as const) {
      const reply = await call(f.api, f.alice, { command: 'addVpnUser', ...params });
      expect({ params, status: reply.status }).toEqual({ params, status: 431 });
      expect(String(reply.body.errortext)).toMatch(text);
    }
    expect((await call(f.api, f.alice, { command: 'removeVpnUser', username: 'nobody' })).status).toBe(431);
    expect((await call(f.api, f.bob, { command: 'removeVpnUser', username: 'roadwarrior' })).status).toBe(431);
    expect((await call(f.api, f.bob, { command: 'addVpnUser', username: 'intruder', password: 'intruder-1', account: 'alice', domainid: f.t.domains.comp1.id })).status).toBe(431);
    expect(await vpnFootprint(f.t)).toBe(before);

    const removed = await job(f, f.alice, { command: 'removeVpnUser', username: 'roadwarrior' });
    expect(removed.result).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    expect((await routerConfigOf(f.t, networkId))?.vpn?.users).toEqual([{ username: 'helpdesk', password: 'helpdesk-1' }]);
    expect((await rows(f, f.alice, { command: 'listVpnUsers' })).items.map((u) => u.username)).toEqual(['helpdesk']);
  });
});
