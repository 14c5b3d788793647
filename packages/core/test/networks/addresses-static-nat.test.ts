import { describe, expect, it, vi } from 'vitest';
import { refused } from '../accounts/tenants.js';
import { aliceOnline, eventsOf, ipRow, settledFootprint } from './addresses-fixtures.js';
import { deployInput, networkFootprint, routerConfigOf } from './network-fixtures.js';

describe('static NAT (enableStaticNat, disableStaticNat)', () => {
  it('maps an acquired address to a VM\'s guest address on the router, and unmaps it', async () => {
    const { t, alice, vms, network } = await aliceOnline();
    const vm = vms[0]!;
    const ip = await alice.publicIps.associate({ networkId: network.id });
    const enabled = await alice.staticNat.enable({ ipAddressId: ip.id, virtualMachineId: vm.id });
    expect(enabled).toMatchObject({ isStaticNat: true, purpose: 'StaticNat', staticNatVmId: vm.id, staticNatNicId: vm.nics[0]?.id, staticNatVmIp: '10.1.1.2', virtualMachineName: 'web1', virtualMachineDisplayName: vm.displayName });
    expect((await routerConfigOf(t, network.id))?.staticNat).toEqual([{ publicIp: ip.address, privateIp: '10.1.1.2' }]);
    expect((await alice.publicIps.list({ isStaticNat: true })).items.map((i) => i.id)).toEqual([ip.id]);
    expect((await eventsOf(t, 'STATICNAT.ENABLE')).map((e) => e.resourceId)).toEqual([ip.id]);

    const disabled = await alice.staticNat.disable({ ipAddressId: ip.id });
    expect(disabled).toMatchObject({ isStaticNat: false });
    expect(disabled.staticNatVmId).toBeUndefined();
    expect(disabled.purpose).toBeUndefined();
    expect((await routerConfigOf(t, network.id))?.staticNat).toEqual([]);
    expect((await eventsOf(t, 'STATICNAT.DISABLE')).map((e) => e.resourceId)).toEqual([ip.id]);
    await alice.publicIps.disassociate({ id: ip.id });
  });

  it('works only on the VM\'s default network (guide 13.13.1)', async () => {
    const { t, alice, network } = await aliceOnline();
    const second = await alice.networks.create({ name: 'n2', displayText: 'n2', networkOfferingId: t.isolatedOffering.id, zoneId: t.zone.id, gateway: '10.2.0.1', netmask: '255.255.255.0' });
    const vm = await alice.vms.deploy(deployInput(t, { name: 'multi', networkIds: [network.id, second.id] }));
    const onSecond = await alice.publicIps.associate({ networkId: second.id });
    const before = await networkFootprint(t.cloud);
    const error = await refused(() => alice.staticNat.enable({ ipAddressId: onSecond.id, virtualMachineId: vm.id }), 431, 'virtualmachineid');
    expect(error.message).toMatch(/default network/);
    expect(await networkFootprint(t.cloud)).toBe(before);
    const onDefault = await alice.publicIps.associate({ networkId: network.id });
    await alice.staticNat.enable({ ipAddressId: onDefault.id, virtualMachineId: vm.id });
    const guestIp = vm.nics.find((n) => n.isDefault)?.ipAddress;
    expect((await routerConfigOf(t, network.id))?.staticNat).toEqual([{ publicIp: onDefault.address, privateIp: guestIp }]);
    expect((await routerConfigOf(t, second.id))?.staticNat).toEqual([]);
  });

  it('refuses each case the guide and CloudStack name, with code and parameter, changing nothing', async () => {
    const { t, alice, vms, network } = await aliceOnline({ vms: 2 });
    const [web1, web2] = [vms[0]!, vms[1]!];
    const bob = t.cloud.as(t.as.bob);
    const bobVm = await bob.vms.deploy(deployInput(t, { name: 'bobvm' }));
    const sam = t.cloud.as(t.as.sam);
    const samVm = await sam.vms.deploy(deployInput(t, { name: 'samvm' }));
    const sourceNat = (await alice.publicIps.list({ isSourceNat: true })).items[0]!;
    const mapped = await alice.publicIps.associate({ networkId: network.id });
    await alice.staticNat.enable({ ipAddressId: mapped.id, virtualMachineId: web1.id });
    const free = await alice.publicIps.associate({ networkId: network.id });
    const forwarded = await alice.publicIps.associate({ networkId: network.id });
    // A port forwarding rule on `forwarded` (recorded as the port forwarding service would).
    await t.cloud.store.transaction((tx) =>
      tx.repo('networkRules').insert({ id: 'pf-1', purpose: 'PortForwarding', trafficType: 'Ingress', networkId: network.id, ipAddressId: forwarded.id, accountId: forwarded.accountId, domainId: forwarded.domainId, protocol: 'tcp', startPort: 22, endPort: 22, cidrs: ['0.0.0.0/0'], state: 'Active', vmId: web2.id, nicId: web2.nics[0]!.id, vmGuestIp: web2.nics[0]!.ipAddress!, privateStartPort: 22, privateEndPort: 22, createdAt: new Date(0).toISOString() }),
    );
    const other = await alice.networks.create({ name: 'n2', displayText: 'n2', networkOfferingId: t.isolatedOffering.id, zoneId: t.zone.id, gateway: '10.2.0.1', netmask: '255.255.255.0' });
    const elsewhere = await alice.vms.deploy(deployInput(t, { name: 'elsewhere', networkIds: [other.id] }));
    const destroyed = await alice.vms.deploy(deployInput(t, { name: 'gone' }));
    await alice.vms.destroy({ id: destroyed.id });
    const admin1 = t.cloud.as(t.as.admin1);

    const before = await networkFootprint(t.cloud);
    const config = await routerConfigOf(t, network.id);
    await refused(() => alice.staticNat.enable({ ipAddressId: sourceNat.id, virtualMachineId: web2.id }), 431, 'ipaddressid');
    const withPf = await refused(() => alice.staticNat.enable({ ipAddressId: forwarded.id, virtualMachineId: web2.id }), 431, 'ipaddressid');
    expect(withPf.message).toMatch(/port forwarding/);
    await refused(() => alice.staticNat.enable({ ipAddressId: mapped.id, virtualMachineId: web2.id }), 431, 'ipaddressid');
    await refused(() => alice.staticNat.enable({ ipAddressId: free.id, virtualMachineId: web1.id }), 431, 'virtualmachineid');
    await refused(() => alice.staticNat.enable({ ipAddressId: free.id, virtualMachineId: elsewhere.id }), 431, 'virtualmachineid');
    await refused(() => alice.staticNat.enable({ ipAddressId: free.id, virtualMachineId: 'nope' }), 431, 'virtualmachineid');
    await refused(() => alice.staticNat.enable({ ipAddressId: free.id, virtualMachineId: destroyed.id }), 431, 'virtualmachineid');
    await refused(() => t.cloud.system.staticNat.enable({ ipAddressId: free.id, virtualMachineId: destroyed.id }), 431, 'virtualmachineid');
    await refused(() => alice.staticNat.enable({ ipAddressId: free.id, virtualMachineId: web2.id, networkId: other.id }), 431, 'networkid');
    await refused(() => alice.staticNat.enable({ ipAddressId: 'nope', virtualMachineId: web2.id }), 431, 'ipaddressid');
    await refused(() => alice.staticNat.enable({ ipAddressId: free.id } as Parameters<typeof alice.staticNat.enable>[0]), 431, 'virtualmachineid');
    await refused(() => alice.staticNat.disable({ ipAddressId: free.id }), 431, 'ipaddressid');
    // Releasing an address with static NAT is refused too (disable it first).
    await refused(() => alice.publicIps.disassociate({ id: mapped.id }), 431, 'id');
    // Tenants: bob sees neither alice's address nor her VM; alice cannot map to bob's VM; an
    // admin over both accounts still cannot map one account's address to another's VM.
    await refused(() => bob.staticNat.enable({ ipAddressId: free.id, virtualMachineId: bobVm.id }), 431, 'ipaddressid');
    await refused(() => bob.staticNat.disable({ ipAddressId: mapped.id }), 431, 'ipaddressid');
    await refused(() => alice.staticNat.enable({ ipAddressId: free.id, virtualMachineId: bobVm.id }), 431, 'virtualmachineid');
    const crossAccount = await refused(() => admin1.staticNat.enable({ ipAddressId: free.id, virtualMachineId: samVm.id }), 431, 'virtualmachineid');
    expect(crossAccount.message).toMatch(/different accounts/);
    expect(await networkFootprint(t.cloud)).toBe(before);
    expect(await routerConfigOf(t, network.id)).toEqual(config);
  });

  it('a router that refuses the new set leaves the mapping as it was, enabling or disabling', async () => {
    const { t, alice, vms, network } = await aliceOnline({ vms: 2 });
    const mapped = await alice.publicIps.associate({ networkId: network.id });
    await alice.staticNat.enable({ ipAddressId: mapped.id, virtualMachineId: vms[0]!.id });
    const free = await alice.publicIps.associate({ networkId: network.id });
    const config = await routerConfigOf(t, network.id);
    const before = await settledFootprint(t);
    const fault = t.sim.lab.faults.fail('applyRouterConfig', undefined, 'router unreachable');
    await refused(() => alice.staticNat.enable({ ipAddressId: free.id, virtualMachineId: vms[1]!.id }), 534);
    expect((await ipRow(t, free.id))?.staticNatVmId).toBeUndefined();
    await refused(() => alice.staticNat.disable({ ipAddressId: mapped.id }), 534);
    expect(await ipRow(t, mapped.id)).toMatchObject({ staticNatVmId: vms[0]!.id, staticNatNicId: vms[0]!.nics[0]!.id, staticNatVmIp: '10.1.1.2' });
    expect(await settledFootprint(t)).toEqual(before);
    expect(await routerConfigOf(t, network.id)).toEqual(config);
    expect(await eventsOf(t, 'STATICNAT.DISABLE')).toEqual([]);
    fault.clear();
    await alice.staticNat.disable({ ipAddressId: mapped.id });
    expect((await routerConfigOf(t, network.id))?.staticNat).toEqual([]);
  });

  it('an expunged VM loses its static NAT; the address stays with the account', async () => {
    const { t, alice, vms, network } = await aliceOnline({ vms: 2 });
    const ip = await alice.publicIps.associate({ networkId: network.id });
    await alice.staticNat.enable({ ipAddressId: ip.id, virtualMachineId: vms[1]!.id });
    await alice.vms.destroy({ id: vms[1]!.id });
    await t.cloud.system.vms.expunge({ id: vms[1]!.id });
    const row = await ipRow(t, ip.id);
    expect(row).toMatchObject({ state: 'Allocated', accountId: t.accounts.alice.account.id });
    expect(row?.staticNatVmId).toBeUndefined();
    await vi.waitFor(async () => expect((await routerConfigOf(t, network.id))?.staticNat).toEqual([]));
    await alice.staticNat.enable({ ipAddressId: ip.id, virtualMachineId: vms[0]!.id });
    expect((await routerConfigOf(t, network.id))?.staticNat).toEqual([{ publicIp: ip.address, privateIp: '10.1.1.2' }]);
  });
});
