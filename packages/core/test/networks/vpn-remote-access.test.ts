import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/index.js';
import { refused } from '../accounts/tenants.js';
import { eventsOf } from './addresses-fixtures.js';
import { deployInput, routerConfigOf } from './network-fixtures.js';
import { aliceWithSourceNat, routerVpn, vpnFootprint, vpnRows } from './vpn-fixtures.js';

const KEY = /^[A-Za-z0-9_-]+$/;

describe('remote-access VPN (guide 13.17, 13.17.1)', () => {
  it('enables a VPN on the source NAT address: the router serves it with the first address of the range, clients get the rest; disabling takes it away', async () => {
    const { t, alice, network, sourceNat } = await aliceWithSourceNat();
    const vpn = await alice.remoteAccessVpns.create({ publicIpId: sourceNat.id });
    expect(vpn).toMatchObject({
      publicIpId: sourceNat.id,
      publicIp: sourceNat.address,
      networkId: network.id,
      localIp: '10.1.2.1',
      ipRange: '10.1.2.2-10.1.2.8',
      accountId: t.accounts.alice.account.id,
      accountName: 'alice',
      domainId: t.domains.comp1.id,
      domainName: 'Comp1',
      state: 'Running',
    });
    // remote.access.vpn.psk.length defaults to 24.
    expect(vpn.presharedKey).toHaveLength(24);
    expect(vpn.presharedKey).toMatch(KEY);
    const config = await routerConfigOf(t, network.id);
    expect(config?.vpn).toEqual({ publicIp: sourceNat.address, localIp: '10.1.2.1', ipRange: '10.1.2.2-10.1.2.8', presharedKey: vpn.presharedKey, users: [] });
    // openfirewall (the default) opens IKE, L2TP and NAT-T on the address.
    expect(config?.firewall.filter((r) => r.publicIp === sourceNat.address).map((r) => [r.protocol, r.startPort, r.endPort, r.cidrs]).sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([
      ['udp', 500, 500, ['0.0.0.0/0']],
      ['udp', 1701, 1701, ['0.0.0.0/0']],
      ['udp', 4500, 4500, ['0.0.0.0/0']],
    ]);
    expect((await alice.remoteAccessVpns.list({})).items).toEqual([vpn]);
    expect(await alice.remoteAccessVpns.get({ publicIpId: sourceNat.id })).toEqual(vpn);
    expect((await eventsOf(t, 'VPN.REMOTE.ACCESS.CREATE')).map((e) => e.resourceId)).toEqual([vpn.id]);

    await alice.remoteAccessVpns.delete({ publicIpId: sourceNat.id });
    const after = await routerConfigOf(t, network.id);
    expect(after?.vpn).toBeUndefined();
    expect(after?.firewall).toEqual([]);
    expect((await alice.remoteAccessVpns.list({})).items).toEqual([]);
    expect(await vpnRows(t)).toEqual({ vpns: [], users: [] });
    expect(await t.cloud.store.transaction((tx) => tx.repo('networkRules').count({ networkId: network.id }))).toBe(0);
    expect((await eventsOf(t, 'VPN.REMOTE.ACCESS.DESTROY')).map((e) => e.resourceId)).toEqual([vpn.id]);
    // Enabled again, it gets a new key.
    const again = await alice.remoteAccessVpns.create({ publicIpId: sourceNat.id, openFirewall: false });
    expect(again.presharedKey).not.toBe(vpn.presharedKey);
    expect((await routerConfigOf(t, network.id))?.firewall).toEqual([]);
    expect((await routerVpn(t, network.id))?.presharedKey).toBe(again.presharedKey);
  });

  it('the key has remote.access.vpn.psk.length characters; the client range comes from iprange, else the configuration (account scope first)', async () => {
    const { t, alice, network, sourceNat } = await aliceWithSourceNat();
    await t.cloud.system.config.update({ name: 'remote.access.vpn.psk.length', value: 64 });
    await t.cloud.system.config.update({ name: 'remote.access.vpn.client.ip.range', value: '172.16.5.1-172.16.5.100' });
    const fromGlobal = await alice.remoteAccessVpns.create({ publicIpId: sourceNat.id });
    expect(fromGlobal.presharedKey).toHaveLength(64);
    expect(fromGlobal).toMatchObject({ localIp: '172.16.5.1', ipRange: '172.16.5.2-172.16.5.100' });
    await alice.remoteAccessVpns.delete({ publicIpId: sourceNat.id });

    await t.cloud.system.config.update({ name: 'remote.access.vpn.client.ip.range', value: '172.16.9.50-172.16.9.60', scope: 'account', scopeId: t.accounts.alice.account.id });
    await t.cloud.system.config.update({ name: 'remote.access.vpn.psk.length', value: 8 });
    const fromAccount = await alice.remoteAccessVpns.create({ publicIpId: sourceNat.id });
    expect(fromAccount.presharedKey).toHaveLength(8);
    expect(fromAccount).toMatchObject({ localIp: '172.16.9.50', ipRange: '172.16.9.51-172.16.9.60' });
    await alice.remoteAccessVpns.delete({ publicIpId: sourceNat.id });

    const given = await alice.remoteAccessVpns.create({ publicIpId: sourceNat.id, ipRange: '192.168.200.1-192.168.200.2' });
    expect(given).toMatchObject({ localIp: '192.168.200.1', ipRange: '192.168.200.2-192.168.200.2' });
    expect(await routerVpn(t, network.id)).toMatchObject({ localIp: '192.168.200.1', ipRange: '192.168.200.2-192.168.200.2' });
  });

  it('the pre-shared key rests sealed: the stored row holds only the sealed value', async () => {
    const { t, alice, sourceNat } = await aliceWithSourceNat();
    const vpn = await alice.remoteAccessVpns.create({ publicIpId: sourceNat.id });
    const key = vpn.presharedKey ?? '';
    expect(key).not.toBe('');
    const [row] = (await vpnRows(t)).vpns;
    expect(row?.presharedKeySealed).toMatch(/^sealed:v1:/);
    expect(JSON.stringify(row)).not.toContain(key);
    if (t.cloud.store instanceof MemoryStore) expect(t.cloud.store.rawContent()).not.toContain(key);
  });

  it('refuses each case with its code and parameter, changing nothing', async () => {
    const { t, alice, vms, network, sourceNat } = await aliceWithSourceNat();
    const sys = t.cloud.system;
    const other = await alice.publicIps.associate({ networkId: network.id });
    // A network whose offering has SourceNat but no Vpn.
    const noVpnOffering = await sys.networkOfferings.create({ name: 'NoVpn', displayText: 'No VPN', guestIpType: 'Isolated', supportedServices: ['Dhcp', 'Dns', 'UserData', 'SourceNat', 'Firewall', 'PortForwarding'] });
    await sys.networkOfferings.update({ id: noVpnOffering.id, state: 'Enabled' });
    const noVpn = await alice.networks.create({ name: 'novpn', displayText: 'novpn', networkOfferingId: noVpnOffering.id, zoneId: t.zone.id, gateway: '10.3.0.1', netmask: '255.255.255.0' });
    await alice.vms.deploy(deployInput(t, { name: 'novpnvm', networkIds: [noVpn.id] }));
    const noVpnSourceNat = (await alice.publicIps.list({ associatedNetworkId: noVpn.id, isSourceNat: true })).items[0];
    expect(noVpnSourceNat).toBeDefined();
    // A port forwarding rule holding UDP 4500 on a third network's source NAT address.
    const third = await alice.networks.create({ name: 'n3', displayText: 'n3', networkOfferingId: t.isolatedOffering.id, zoneId: t.zone.id, gateway: '10.4.0.1', netmask: '255.255.255.0' });
    const thirdVm = await alice.vms.deploy(deployInput(t, { name: 'thirdvm', networkIds: [third.id] }));
    const thirdSourceNat = (await alice.publicIps.list({ associatedNetworkId: third.id, isSourceNat: true })).items[0]!;
    await alice.portForwarding.create({ ipAddressId: thirdSourceNat.id, protocol: 'udp', publicPort: 4400, publicEndPort: 4600, privatePort: 4400, privateEndPort: 4600, virtualMachineId: thirdVm.id });
    await alice.remoteAccessVpns.create({ publicIpId: sourceNat.id });
    const bob = t.cloud.as(t.as.bob);
    const admin1 = t.cloud.as(t.as.admin1);
    expect(vms).toHaveLength(1);

    const before = await vpnFootprint(t);
    const config = await routerConfigOf(t, network.id);
    const notSourceNat = await refused(() => alice.remoteAccessVpns.create({ publicIpId: other.id }), 431, 'publicipid');
    expect(notSourceNat.message).toMatch(/source NAT/);
    const withoutVpn = await refused(() => alice.remoteAccessVpns.create({ publicIpId: noVpnSourceNat!.id }), 431, 'publicipid');
    expect(withoutVpn.message).toMatch(/does not provide the Vpn service/);
    const second = await refused(() => alice.remoteAccessVpns.create({ publicIpId: sourceNat.id }), 431, 'publicipid');
    expect(second.message).toMatch(/already exists/);
    await refused(() => alice.remoteAccessVpns.create({ publicIpId: 'nope' }), 431, 'publicipid');
    await refused(() => alice.remoteAccessVpns.create({} as Parameters<typeof alice.remoteAccessVpns.create>[0]), 431, 'publicipid');
    const conflict = await refused(() => alice.remoteAccessVpns.create({ publicIpId: thirdSourceNat.id }), 537);
    expect(conflict.message).toMatch(/4400-4600/);
    for (const ipRange of ['10.1.2.1', '10.1.2.9-10.1.2.1', '10.1.2.1-10.1.2.x', '10.1.2.1-10.1.2.2-10.1.2.3', '10.1.2.5-10.1.2.5', '10.4.0.200-10.4.0.210', '10.3.255.1-10.4.0.1']) {
      await refused(() => alice.remoteAccessVpns.create({ publicIpId: thirdSourceNat.id, ipRange }), 431, 'iprange');
    }
    // Tenants: bob cannot see alice's address; an admin naming another account than the owner is refused.
    await refused(() => bob.remoteAccessVpns.create({ publicIpId: thirdSourceNat.id }), 431, 'publicipid');
    await refused(() => bob.remoteAccessVpns.delete({ publicIpId: sourceNat.id }), 431, 'publicipid');
    await refused(() => bob.remoteAccessVpns.get({ publicIpId: sourceNat.id }), 431, 'publicipid');
    await refused(() => bob.remoteAccessVpns.list({ publicIpId: sourceNat.id }), 431, 'publicipid');
    await refused(() => admin1.remoteAccessVpns.create({ publicIpId: thirdSourceNat.id, account: 'admin1' }), 431, 'account');
    await refused(() => alice.remoteAccessVpns.create({ publicIpId: thirdSourceNat.id, account: 'bob', domainId: t.domains.comp2.id }), 431, 'domainid');
    await refused(() => alice.remoteAccessVpns.delete({ publicIpId: other.id }), 431, 'publicipid');
    expect(await vpnFootprint(t)).toBe(before);
    expect(await routerConfigOf(t, network.id)).toEqual(config);
  });

  it('is not available in VPC networks', async () => {
    const { t, alice, network, sourceNat } = await aliceWithSourceNat();
    // No VPC service exists yet: a tier is a network with vpcId.
    await t.cloud.store.transaction(async (tx) => {
      const row = await tx.repo('networks').get(network.id);
      if (row !== undefined) await tx.repo('networks').update({ ...row, vpcId: 'vpc-1' });
    });
    const before = await vpnFootprint(t);
    const error = await refused(() => alice.remoteAccessVpns.create({ publicIpId: sourceNat.id }), 431, 'publicipid');
    expect(error.message).toMatch(/VPC/);
    expect(await vpnFootprint(t)).toBe(before);
  });

  it('a router that refuses leaves no VPN behind on enable, and the VPN running on disable', async () => {
    const { t, alice, network, sourceNat } = await aliceWithSourceNat();
    const config = await routerConfigOf(t, network.id);
    const before = await vpnFootprint(t);
    const fault = t.sim.lab.faults.fail('applyRouterConfig', undefined, 'router unreachable');
    await refused(() => alice.remoteAccessVpns.create({ publicIpId: sourceNat.id }), 534);
    expect(await vpnRows(t)).toEqual({ vpns: [], users: [] });
    expect(await vpnFootprint(t)).toBe(before);
    expect(await routerConfigOf(t, network.id)).toEqual(config);
    expect(await eventsOf(t, 'VPN.REMOTE.ACCESS.CREATE')).toEqual([]);
    fault.clear();

    const vpn = await alice.remoteAccessVpns.create({ publicIpId: sourceNat.id });
    const running = await routerConfigOf(t, network.id);
    const again = t.sim.lab.faults.fail('applyRouterConfig', undefined, 'router unreachable');
    await refused(() => alice.remoteAccessVpns.delete({ publicIpId: sourceNat.id }), 534);
    expect(await alice.remoteAccessVpns.get({ publicIpId: sourceNat.id })).toEqual(vpn);
    expect(await routerConfigOf(t, network.id)).toEqual(running);
    expect((await routerConfigOf(t, network.id))?.firewall).toHaveLength(3);
    again.clear();
    await alice.remoteAccessVpns.delete({ publicIpId: sourceNat.id });
    expect(await routerVpn(t, network.id)).toBeUndefined();
  });

  it('tenants apart: bob sees none of alice\'s VPN; her domain admin sees it with its key', async () => {
    const { t, alice, sourceNat } = await aliceWithSourceNat();
    const vpn = await alice.remoteAccessVpns.create({ publicIpId: sourceNat.id });
    const bob = t.cloud.as(t.as.bob);
    expect((await bob.remoteAccessVpns.list({})).items).toEqual([]);
    expect((await bob.remoteAccessVpns.list({ listAll: true })).items).toEqual([]);
    await refused(() => bob.remoteAccessVpns.list({ id: vpn.id, account: 'alice', domainId: t.domains.comp1.id }), 431, 'domainid');
    const admin1 = t.cloud.as(t.as.admin1);
    expect((await admin1.remoteAccessVpns.list({ listAll: true })).items).toEqual([vpn]);
    expect((await t.cloud.as(t.as.admin2).remoteAccessVpns.list({ listAll: true })).items).toEqual([]);
  });

  it('survives a router rebuild: a network restarted with cleanup gives its new router the VPN from the store', async () => {
    const { t, alice, network, sourceNat } = await aliceWithSourceNat();
    const vpn = await alice.remoteAccessVpns.create({ publicIpId: sourceNat.id });
    await alice.vpnUsers.add({ username: 'roadwarrior', password: 'secret-1' });
    const oldRouter = await t.cloud.store.transaction((tx) => tx.repo('routers').findOne({ networkId: network.id }));
    await alice.networks.restart({ id: network.id, cleanup: true });
    const newRouter = await t.cloud.store.transaction((tx) => tx.repo('routers').findOne({ networkId: network.id }));
    expect(newRouter?.name).not.toBe(oldRouter?.name);
    expect(await routerVpn(t, network.id)).toEqual({ publicIp: sourceNat.address, localIp: vpn.localIp, ipRange: vpn.ipRange, presharedKey: vpn.presharedKey, users: [{ username: 'roadwarrior', password: 'secret-1' }] });
  });

  it('deleting the account removes its VPN users and VPNs', async () => {
    const { t, alice, sourceNat } = await aliceWithSourceNat();
    await alice.remoteAccessVpns.create({ publicIpId: sourceNat.id });
    await alice.vpnUsers.add({ username: 'roadwarrior', password: 'secret-1' });
    await t.cloud.system.accounts.delete({ id: t.accounts.alice.account.id });
    expect(await vpnRows(t)).toEqual({ vpns: [], users: [] });
    expect(await t.cloud.store.transaction((tx) => tx.counters.get(`vpn-users:${t.accounts.alice.account.id}`))).toBe(0);
  });
});
