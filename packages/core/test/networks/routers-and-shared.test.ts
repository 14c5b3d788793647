import { describe, expect, it } from 'vitest';
import { refused } from '../accounts/tenants.js';
import { CapacityKeys } from '../../src/index.js';
import { deployInput, networkCloud, networkFootprint, routerConfigOf, type NetworkCloud } from './network-fixtures.js';

async function hostVms(t: NetworkCloud) {
  return t.cloud.store.transaction(async (tx) => Promise.all(t.hosts.map((h) => tx.counters.get(CapacityKeys.hostVms(h.id)))));
}

describe('virtual routers', () => {
  it('a router holds host capacity, and stop / start / reboot / destroy work; a started router gets the rule set again', async () => {
    const t = await networkCloud();
    const alice = t.cloud.as(t.as.alice);
    await alice.vms.deploy(deployInput(t, { name: 'web1' }));
    const [router] = (await t.cloud.system.routers.list({})).items;
    expect(router?.state).toBe('Running');
    expect((await hostVms(t)).reduce((a, b) => a + b, 0)).toBe(2);
    const stopped = await t.cloud.system.routers.stop({ id: router?.id ?? '' });
    expect(stopped.state).toBe('Stopped');
    expect(stopped.hostId).toBeUndefined();
    expect((await hostVms(t)).reduce((a, b) => a + b, 0)).toBe(1);
    const started = await t.cloud.system.routers.start({ id: router?.id ?? '' });
    expect(started.state).toBe('Running');
    expect(t.sim.lab.routerConfig(started.name)?.dhcp.map((d) => d.hostName)).toEqual(['web1']);
    expect((await t.cloud.system.routers.reboot({ id: started.id })).state).toBe('Running');
    await t.cloud.system.routers.destroy({ id: started.id });
    expect((await t.cloud.system.routers.list({})).items).toEqual([]);
    expect(t.sim.lab.routerConfig(started.name)).toBeUndefined();
    const [network] = (await alice.networks.list({})).items;
    const restarted = await alice.networks.restart({ id: network?.id ?? '' });
    expect(restarted.state).toBe('Implemented');
    const [fresh] = (await t.cloud.system.routers.list({})).items;
    expect(fresh?.state).toBe('Running');
    expect(fresh?.name).not.toBe(started.name);
    expect((await routerConfigOf(t, network?.id ?? ''))?.dhcp).toHaveLength(1);
  });

  it('restartNetwork with cleanup replaces the router; without cleanup it re-applies the same rule set', async () => {
    const t = await networkCloud();
    const alice = t.cloud.as(t.as.alice);
    await alice.vms.deploy(deployInput(t, { name: 'web1' }));
    const [network] = (await alice.networks.list({})).items;
    const id = network?.id ?? '';
    const before = (await t.cloud.system.routers.list({})).items[0];
    await alice.networks.restart({ id });
    expect((await t.cloud.system.routers.list({})).items[0]?.name).toBe(before?.name);
    await alice.networks.restart({ id, cleanup: true });
    const after = (await t.cloud.system.routers.list({})).items[0];
    expect(after?.name).not.toBe(before?.name);
    expect(t.sim.lab.routerConfig(before?.name ?? '')).toBeUndefined();
    expect((await routerConfigOf(t, id))?.dhcp.map((d) => d.hostName)).toEqual(['web1']);
  });

  it('users cannot list or manage routers', async () => {
    const t = await networkCloud();
    const alice = t.cloud.as(t.as.alice);
    await alice.vms.deploy(deployInput(t, { name: 'web1' }));
    await refused(() => alice.routers.list({}), 531);
  });

  it('a router that cannot start fails the deployment: the VM is in Error holding nothing, and the VLAN, source NAT IP and router capacity go back', async () => {
    const t = await networkCloud();
    const alice = t.cloud.as(t.as.alice);
    const network = await alice.networks.create({ name: 'n1', displayText: 'n1', networkOfferingId: t.isolatedOffering.id, zoneId: t.zone.id });
    const before = await networkFootprint(t.cloud);
    t.sim.lab.faults.fail('startVm', undefined, 'no router for you');
    await refused(() => alice.vms.deploy(deployInput(t, { name: 'web1', networkIds: [network.id] })), 534);
    t.sim.lab.faults.clear();
    const stored = await alice.networks.get({ id: network.id });
    expect(stored.state).toBe('Allocated');
    expect(stored.vlan).toBeUndefined();
    const after = JSON.parse(await networkFootprint(t.cloud)) as { publicIps: unknown[]; nics: unknown[] };
    expect(after.publicIps).toEqual([]);
    expect(after.nics).toEqual([]);
    expect((await hostVms(t)).reduce((a, b) => a + b, 0)).toBe(0);
    const [vm] = (await alice.vms.list({})).items;
    expect(vm?.state).toBe('Error');
    expect(before).toBeDefined();
    // Once the fault is gone the network is implemented by the next deployment.
    const ok = await alice.vms.deploy(deployInput(t, { name: 'web2', networkIds: [network.id] }));
    expect(ok.state).toBe('Running');
  });
});

describe('shared networks', () => {
  it('a zone-wide shared network takes the admin VLAN, gateway and range; VMs of any account get addresses from the range and the router serves DHCP with egress open', async () => {
    const t = await networkCloud();
    const shared = (await t.cloud.system.networkOfferings.list({ name: 'DefaultSharedNetworkOffering' })).items[0];
    const network = await t.cloud.system.networks.create({ name: 'shared', displayText: 'shared', networkOfferingId: shared?.id ?? '', zoneId: t.zone.id, vlan: '300', gateway: '172.16.0.1', netmask: '255.255.255.0', startIp: '172.16.0.100', endIp: '172.16.0.102' });
    expect(network).toMatchObject({ guestType: 'Shared', aclType: 'Domain', vlan: '300', cidr: '172.16.0.0/24', startIp: '172.16.0.100', endIp: '172.16.0.102' });
    const alice = t.cloud.as(t.as.alice);
    const bob = t.cloud.as(t.as.bob);
    expect((await alice.networks.list({})).items.map((n) => n.id)).toContain(network.id);
    const a = await alice.vms.deploy(deployInput(t, { name: 'a1', networkIds: [network.id] }));
    const b = await bob.vms.deploy(deployInput(t, { name: 'b1', networkIds: [network.id] }));
    expect(a.nics[0]?.ipAddress).toBe('172.16.0.100');
    expect(b.nics[0]?.ipAddress).toBe('172.16.0.101');
    expect(a.nics[0]?.vlan).toBe('300');
    const config = await routerConfigOf(t, network.id);
    expect(config?.egress.defaultPolicy).toBe('allow');
    expect(config?.sourceNatIp).toBeUndefined();
    expect(config?.dhcp.map((d) => d.hostName)).toEqual(['a1', 'b1']);
    await alice.vms.deploy(deployInput(t, { name: 'a2', networkIds: [network.id] }));
    await refused(() => bob.vms.deploy(deployInput(t, { name: 'b2', networkIds: [network.id] })), 533);
  });

  it('shared network creation is for admins, needs VLAN, gateway, netmask and start IP, and refuses a range outside the CIDR or a VLAN in use', async () => {
    const t = await networkCloud();
    const shared = (await t.cloud.system.networkOfferings.list({ name: 'DefaultSharedNetworkOffering' })).items[0]?.id ?? '';
    const sys = t.cloud.system;
    const base = { name: 's', displayText: 's', networkOfferingId: shared, zoneId: t.zone.id };
    const before = await networkFootprint(t.cloud);
    await refused(() => t.cloud.as(t.as.alice).networks.create({ ...base, vlan: '300', gateway: '172.16.0.1', netmask: '255.255.255.0', startIp: '172.16.0.100' }), 531);
    await refused(() => sys.networks.create({ ...base, gateway: '172.16.0.1', netmask: '255.255.255.0', startIp: '172.16.0.100' }), 431, 'vlan');
    await refused(() => sys.networks.create({ ...base, vlan: '300', netmask: '255.255.255.0', startIp: '172.16.0.100' }), 431, 'gateway');
    await refused(() => sys.networks.create({ ...base, vlan: '300', gateway: '172.16.0.1', netmask: '255.255.255.0' }), 431, 'startip');
    await refused(() => sys.networks.create({ ...base, vlan: '300', gateway: '172.16.0.1', netmask: '255.255.255.0', startIp: '172.16.1.100' }), 431, 'startip');
    await refused(() => sys.networks.create({ ...base, vlan: '300', gateway: '172.16.0.150', netmask: '255.255.255.0', startIp: '172.16.0.100', endIp: '172.16.0.200' }), 431, 'gateway');
    expect(await networkFootprint(t.cloud)).toBe(before);
    await sys.networks.create({ ...base, vlan: '300', gateway: '172.16.0.1', netmask: '255.255.255.0', startIp: '172.16.0.100' });
    await refused(() => sys.networks.create({ ...base, name: 's2', vlan: '300', gateway: '172.17.0.1', netmask: '255.255.255.0', startIp: '172.17.0.100' }), 431, 'vlan');
  });
});
