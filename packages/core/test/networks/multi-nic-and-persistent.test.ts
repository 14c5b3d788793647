import { describe, expect, it } from 'vitest';
import { refused } from '../accounts/tenants.js';
import { NetworkImplementer } from '../../src/index.js';
import { deployInput, networkCloud, networkFootprint, routerConfigOf, type NetworkCloud } from './network-fixtures.js';

async function twoNetworks(t: NetworkCloud) {
  const alice = t.cloud.as(t.as.alice);
  const n1 = await alice.networks.create({ name: 'front', displayText: 'front', networkOfferingId: t.isolatedOffering.id, zoneId: t.zone.id });
  const n2 = await alice.networks.create({ name: 'back', displayText: 'back', networkOfferingId: t.isolatedOffering.id, zoneId: t.zone.id, gateway: '10.2.0.1', netmask: '255.255.255.0' });
  return { alice, n1, n2 };
}

describe('several guest networks per VM (guide 13.6)', () => {
  it('deploys on two networks with exactly one default NIC; each router serves its NIC', async () => {
    const t = await networkCloud();
    const { alice, n1, n2 } = await twoNetworks(t);
    const vm = await alice.vms.deploy(deployInput(t, { name: 'web1', networkIds: [n1.id, n2.id] }));
    expect(vm.nics.map((n) => [n.networkId, n.ipAddress, n.isDefault])).toEqual([
      [n1.id, '10.1.1.2', true],
      [n2.id, '10.2.0.2', false],
    ]);
    expect((await routerConfigOf(t, n1.id))?.dhcp).toEqual([expect.objectContaining({ ipAddress: '10.1.1.2', isDefault: true })]);
    expect((await routerConfigOf(t, n2.id))?.dhcp).toEqual([expect.objectContaining({ ipAddress: '10.2.0.2', isDefault: false })]);
  });

  it('adds a NIC to a running VM (hot-plugged), moves the default, and removes the old default once it is not default', async () => {
    const t = await networkCloud();
    const { alice, n1, n2 } = await twoNetworks(t);
    const vm = await alice.vms.deploy(deployInput(t, { name: 'web1', networkIds: [n1.id] }));
    const added = await alice.vmNics.add({ virtualMachineId: vm.id, networkId: n2.id, ipAddress: '10.2.0.50' });
    const second = added.nics.find((n) => n.networkId === n2.id);
    expect(second).toMatchObject({ ipAddress: '10.2.0.50', isDefault: false, deviceId: 1 });
    expect(t.sim.lab.vmSpec(vm.instanceName)?.nics.map((n) => n.ipAddress)).toEqual(['10.1.1.2', '10.2.0.50']);
    expect((await routerConfigOf(t, n2.id))?.dhcp.map((d) => d.ipAddress)).toEqual(['10.2.0.50']);
    const first = added.nics.find((n) => n.networkId === n1.id);
    await refused(() => alice.vmNics.remove({ virtualMachineId: vm.id, nicId: first?.id ?? '' }), 431, 'nicid');
    const moved = await alice.vmNics.makeDefault({ virtualMachineId: vm.id, nicId: second?.id ?? '' });
    expect(moved.nics.filter((n) => n.isDefault).map((n) => n.id)).toEqual([second?.id]);
    expect((await routerConfigOf(t, n2.id))?.dhcp[0]?.isDefault).toBe(true);
    const removed = await alice.vmNics.remove({ virtualMachineId: vm.id, nicId: first?.id ?? '' });
    expect(removed.nics.map((n) => n.networkId)).toEqual([n2.id]);
    expect(t.sim.lab.vmSpec(vm.instanceName)?.nics.map((n) => n.ipAddress)).toEqual(['10.2.0.50']);
    expect((await routerConfigOf(t, n1.id))?.dhcp).toEqual([]);
  });

  it('refuses a second NIC on the same network, a network of another account, and a taken address, leaving nothing behind', async () => {
    const t = await networkCloud();
    const { alice, n1, n2 } = await twoNetworks(t);
    const vm = await alice.vms.deploy(deployInput(t, { name: 'web1', networkIds: [n1.id] }));
    const bobNet = await t.cloud.as(t.as.bob).networks.create({ name: 'bobnet', displayText: 'b', networkOfferingId: t.isolatedOffering.id, zoneId: t.zone.id });
    const before = await networkFootprint(t.cloud);
    await refused(() => alice.vmNics.add({ virtualMachineId: vm.id, networkId: n1.id }), 431, 'networkid');
    await refused(() => alice.vmNics.add({ virtualMachineId: vm.id, networkId: bobNet.id }), 431, 'networkid');
    await refused(() => alice.vmNics.add({ virtualMachineId: vm.id, networkId: n2.id, ipAddress: '10.2.0.1' }), 431, 'ipaddress');
    await refused(() => t.cloud.as(t.as.bob).vmNics.add({ virtualMachineId: vm.id, networkId: bobNet.id }), 431, 'virtualmachineid');
    expect(await networkFootprint(t.cloud)).toBe(before);
  });

  it('a NIC added to a stopped VM reaches the host at its next start', async () => {
    const t = await networkCloud();
    const { alice, n1, n2 } = await twoNetworks(t);
    const vm = await alice.vms.deploy(deployInput(t, { name: 'web1', networkIds: [n1.id] }));
    await alice.vms.stop({ id: vm.id });
    await alice.vmNics.add({ virtualMachineId: vm.id, networkId: n2.id });
    expect((await alice.networks.get({ id: n2.id })).state).toBe('Allocated');
    await alice.vms.start({ id: vm.id });
    expect((await alice.networks.get({ id: n2.id })).state).toBe('Implemented');
    expect(t.sim.lab.vmSpec(vm.instanceName)?.nics.map((n) => n.ipAddress)).toEqual(['10.1.1.2', '10.2.0.2']);
  });

  it('an expunged VM leaves its networks: its DHCP entry goes from the router', async () => {
    const t = await networkCloud();
    const alice = t.cloud.as(t.as.alice);
    const a = await alice.vms.deploy(deployInput(t, { name: 'web1' }));
    await alice.vms.deploy(deployInput(t, { name: 'web2' }));
    const [network] = (await alice.networks.list({})).items;
    await alice.vms.destroy({ id: a.id });
    await t.cloud.system.vms.expunge({ id: a.id });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await routerConfigOf(t, network?.id ?? ''))?.dhcp.map((d) => d.hostName)).toEqual(['web2']);
  });
});

describe('persistent networks (guide 13.20)', () => {
  async function persistentOffering(t: NetworkCloud) {
    const offering = await t.cloud.system.networkOfferings.create({
      name: 'persistent',
      displayText: 'persistent isolated',
      guestIpType: 'Isolated',
      supportedServices: ['Dhcp', 'Dns', 'UserData', 'SourceNat', 'StaticNat', 'PortForwarding', 'Firewall'],
      isPersistent: true,
    });
    await t.cloud.system.networkOfferings.update({ id: offering.id, state: 'Enabled' });
    return offering;
  }

  it('a network of a persistent offering is implemented at creation without any VM, and the garbage collector leaves it', async () => {
    const t = await networkCloud();
    const offering = await persistentOffering(t);
    const alice = t.cloud.as(t.as.alice);
    const network = await alice.networks.create({ name: 'p', displayText: 'p', networkOfferingId: offering.id, zoneId: t.zone.id });
    expect(network).toMatchObject({ state: 'Implemented', isPersistent: true });
    expect(network.vlan).toBeDefined();
    expect((await t.cloud.system.routers.list({ networkId: network.id })).items[0]?.state).toBe('Running');
    t.cloud.clock.advance(24 * 3600 * 1000);
    const gc = t.cloud.container.resolve(NetworkImplementer);
    await gc.collectGarbage();
    t.cloud.clock.advance(24 * 3600 * 1000);
    expect(await gc.collectGarbage()).toBe(0);
    expect((await alice.networks.get({ id: network.id })).state).toBe('Implemented');
  });

  it('changing a network to a persistent offering implements it; changing back lets the garbage collector shut it down', async () => {
    const t = await networkCloud();
    const persistent = await persistentOffering(t);
    const alice = t.cloud.as(t.as.alice);
    const network = await alice.networks.create({ name: 'n', displayText: 'n', networkOfferingId: t.isolatedOffering.id, zoneId: t.zone.id });
    expect(network.state).toBe('Allocated');
    const changed = await alice.networks.update({ id: network.id, networkOfferingId: persistent.id });
    expect(changed).toMatchObject({ state: 'Implemented', isPersistent: true });
    const back = await alice.networks.update({ id: network.id, networkOfferingId: t.isolatedOffering.id });
    expect(back.isPersistent).toBe(false);
    const gc = t.cloud.container.resolve(NetworkImplementer);
    await gc.collectGarbage();
    t.cloud.clock.advance(24 * 3600 * 1000);
    expect(await gc.collectGarbage()).toBe(1);
    expect((await alice.networks.get({ id: network.id })).state).toBe('Allocated');
  });
});
