import { describe, expect, it } from 'vitest';
import { refused } from '../accounts/tenants.js';
import { deployInput, networkCloud, networkFootprint, routerConfigOf } from './network-fixtures.js';

describe('isolated guest networks', () => {
  it("a VM deployed without networkids gets the account's default isolated network, implemented with a VLAN, a source NAT IP and a running router", async () => {
    const t = await networkCloud();
    const alice = t.cloud.as(t.as.alice);
    const vm = await alice.vms.deploy(deployInput(t, { name: 'web1' }));
    expect(vm.state).toBe('Running');
    const [network] = (await alice.networks.list({})).items;
    expect(network).toMatchObject({ guestType: 'Isolated', state: 'Implemented', accountId: vm.accountId, cidr: '10.1.1.0/24', gateway: '10.1.1.1' });
    expect(Number(network?.vlan)).toBeGreaterThanOrEqual(100);
    const nic = vm.nics[0];
    expect(nic).toMatchObject({ ipAddress: '10.1.1.2', gateway: '10.1.1.1', netmask: '255.255.255.0', isDefault: true });
    const router = await t.cloud.store.transaction((tx) => tx.repo('routers').findOne({ networkId: network?.id ?? '' }));
    expect(router).toMatchObject({ state: 'Running', guestIp: '10.1.1.1' });
    expect(router?.publicIp).toMatch(/^203\.0\.113\./);
    const config = await routerConfigOf(t, network?.id ?? '');
    expect(config?.sourceNatIp).toBe(router?.publicIp);
    expect(config?.dhcp).toEqual([{ macAddress: nic?.macAddress, ipAddress: '10.1.1.2', hostName: 'web1', isDefault: true }]);
    expect(config?.egress.defaultPolicy).toBe('deny');
  });

  it('a second VM joins the same network and the router learns its DHCP entry', async () => {
    const t = await networkCloud();
    const alice = t.cloud.as(t.as.alice);
    await alice.vms.deploy(deployInput(t, { name: 'web1' }));
    const vm2 = await alice.vms.deploy(deployInput(t, { name: 'web2' }));
    const networks = (await alice.networks.list({})).items;
    expect(networks).toHaveLength(1);
    const config = await routerConfigOf(t, networks[0]?.id ?? '');
    expect(config?.dhcp.map((d) => d.hostName)).toEqual(['web1', 'web2']);
    expect(vm2.nics[0]?.ipAddress).toBe('10.1.1.3');
  });

  it('the garbage collector shuts an idle network down after network.gc.wait, giving the VLAN back; the next start implements it again', async () => {
    const t = await networkCloud();
    const alice = t.cloud.as(t.as.alice);
    const vm = await alice.vms.deploy(deployInput(t, { name: 'web1' }));
    await alice.vms.stop({ id: vm.id });
    const { NetworkImplementer } = await import('../../src/index.js');
    const gc = t.cloud.container.resolve(NetworkImplementer);
    expect(await gc.collectGarbage()).toBe(0);
    t.cloud.clock.advance(3600 * 1000);
    expect(await gc.collectGarbage()).toBe(1);
    const [network] = (await alice.networks.list({})).items;
    expect(network?.state).toBe('Allocated');
    expect(network?.vlan).toBeUndefined();
    expect(await t.cloud.store.transaction((tx) => tx.repo('routers').count())).toBe(0);
    const started = await alice.vms.start({ id: vm.id });
    expect(started.state).toBe('Running');
    expect((await alice.networks.get({ id: network?.id ?? '' })).state).toBe('Implemented');
    expect((await routerConfigOf(t, network?.id ?? ''))?.dhcp).toHaveLength(1);
  });

  it('createNetwork refuses bad input and leaves nothing behind', async () => {
    const t = await networkCloud();
    const alice = t.cloud.as(t.as.alice);
    const before = await networkFootprint(t.cloud);
    await refused(() => alice.networks.create({ name: 'n', displayText: 'n', networkOfferingId: 'nope', zoneId: t.zone.id }), 431, 'networkofferingid');
    await refused(() => alice.networks.create({ name: 'n', displayText: 'n', networkOfferingId: t.isolatedOffering.id, zoneId: t.zone.id, gateway: '10.2.0.1' }), 431, 'netmask');
    await refused(() => alice.networks.create({ name: 'n', displayText: 'n', networkOfferingId: t.isolatedOffering.id, zoneId: t.zone.id, gateway: '10.2.0.0', netmask: '255.255.255.0' }), 431, 'gateway');
    await refused(() => alice.networks.create({ name: 'n', displayText: 'n', networkOfferingId: t.isolatedOffering.id, zoneId: t.zone.id, vlan: '105' }), 531, 'vlan');
    expect(await networkFootprint(t.cloud)).toBe(before);
  });

  it("another tenant cannot see, use or delete alice's network", async () => {
    const t = await networkCloud();
    const alice = t.cloud.as(t.as.alice);
    const bob = t.cloud.as(t.as.bob);
    const network = await alice.networks.create({ name: 'n1', displayText: 'n1', networkOfferingId: t.isolatedOffering.id, zoneId: t.zone.id });
    expect((await bob.networks.list({})).items).toHaveLength(0);
    await refused(() => bob.networks.get({ id: network.id }), 431, 'id');
    await refused(() => bob.networks.delete({ id: network.id }), 431, 'id');
    await refused(() => bob.vms.deploy(deployInput(t, { name: 'x', networkIds: [network.id] })), 431, 'networkids');
  });

  it('delete refuses a network a VM uses, and once the VM is gone gives back the VLAN, source NAT IP, router and network count', async () => {
    const t = await networkCloud();
    const alice = t.cloud.as(t.as.alice);
    const before = await networkFootprint(t.cloud);
    const vm = await alice.vms.deploy(deployInput(t, { name: 'web1' }));
    const [network] = (await alice.networks.list({})).items;
    await refused(() => alice.networks.delete({ id: network?.id ?? "" }), 536, 'id');
    await alice.vms.destroy({ id: vm.id });
    await t.cloud.system.vms.expunge({ id: vm.id });
    await alice.networks.delete({ id: network?.id ?? '' });
    expect((await alice.networks.list({})).items).toHaveLength(0);
    const after = JSON.parse(await networkFootprint(t.cloud)) as { networks: unknown[]; publicIps: unknown[]; routers: unknown[] };
    expect(after.networks).toEqual([]);
    expect(after.publicIps).toEqual([]);
    expect(after.routers).toEqual([]);
    expect(before).toBeDefined();
  });
});

describe('deleting an account with networks', () => {
  it('expunges its running VMs and deletes its networks with their router, VLAN and public IPs', async () => {
    const t = await networkCloud();
    const alice = t.cloud.as(t.as.alice);
    await alice.vms.deploy(deployInput(t, { name: 'web1' }));
    await alice.vms.deploy(deployInput(t, { name: 'web2' }));
    const [network] = (await alice.networks.list({})).items;
    expect(network?.state).toBe('Implemented');
    const { JobRunner } = await import('../../src/index.js');
    await t.cloud.system.accounts.delete({ id: network?.accountId ?? '' });
    await t.cloud.container.resolve(JobRunner).drain();
    const left = await t.cloud.store.transaction(async (tx) => ({
      vms: await tx.repo('vms').count(),
      networks: await tx.repo('networks').count({ accountId: network?.accountId ?? '' }),
      ips: await tx.repo('publicIps').count(),
      routers: await tx.repo('routers').count(),
      vlansHeld: (await tx.pools.stats(`guestvlan:${t.physical.id}`)).total - (await tx.pools.stats(`guestvlan:${t.physical.id}`)).free,
    }));
    expect(left).toEqual({ vms: 0, networks: 0, ips: 0, routers: 0, vlansHeld: 0 });
  });
});
