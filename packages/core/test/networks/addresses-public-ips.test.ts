import { describe, expect, it } from 'vitest';
import { refused } from '../accounts/tenants.js';
import { aliceOnline, eventsOf, ipRow, publicIpCount, settledFootprint } from './addresses-fixtures.js';
import { deployInput, networkCloud, networkFootprint, routerConfigOf } from './network-fixtures.js';

describe('public IP addresses (associateIpAddress, disassociateIpAddress, listPublicIpAddresses)', () => {
  it('acquires an address for the network: Allocated, counted, known to the router, listed; released it goes back', async () => {
    const { t, alice, network } = await aliceOnline();
    const aliceId = t.accounts.alice.account.id;
    const sourceNat = (await alice.publicIps.list({ isSourceNat: true })).items[0];
    expect(sourceNat).toMatchObject({ isSourceNat: true, purpose: 'SourceNat', networkId: network.id, state: 'Allocated' });
    expect(await publicIpCount(t, aliceId)).toBe(1);

    const ip = await alice.publicIps.associate({ networkId: network.id });
    expect(ip).toMatchObject({ state: 'Allocated', isSourceNat: false, isStaticNat: false, networkId: network.id, accountId: aliceId, zoneId: t.zone.id, associatedNetworkName: network.name, zoneName: 'adv' });
    expect(ip.purpose).toBeUndefined();
    expect(ip.address).toMatch(/^203\.0\.113\./);
    expect(ip.address).not.toBe(sourceNat?.address);
    expect(await publicIpCount(t, aliceId)).toBe(2);
    expect((await routerConfigOf(t, network.id))?.publicIps).toEqual([sourceNat?.address, ip.address].sort());
    expect((await eventsOf(t, 'NET.IPASSIGN')).map((e) => e.resourceId)).toEqual([ip.id]);

    const listed = await alice.publicIps.list({ associatedNetworkId: network.id });
    expect(listed.total).toBe(2);
    expect((await alice.publicIps.list({ isSourceNat: false })).items.map((i) => i.id)).toEqual([ip.id]);
    expect((await alice.publicIps.list({ ipAddress: ip.address })).items.map((i) => i.id)).toEqual([ip.id]);
    expect((await alice.publicIps.list({ keyword: ip.address.split('.')[3] ?? '' })).items.map((i) => i.id)).toContain(ip.id);
    expect((await alice.publicIps.list({ vlanId: t.publicRange.id })).total).toBe(2);
    expect((await alice.publicIps.list({ forVirtualNetwork: false })).total).toBe(0);
    expect((await alice.publicIps.list({ isStaticNat: true })).total).toBe(0);
    expect((await alice.publicIps.list({ page: 1, pageSize: 1 })).items).toHaveLength(1);
    expect(await alice.publicIps.get({ id: ip.id })).toMatchObject({ id: ip.id, address: ip.address });

    await alice.publicIps.disassociate({ id: ip.id });
    expect(await ipRow(t, ip.id)).toBeUndefined();
    expect(await publicIpCount(t, aliceId)).toBe(1);
    expect((await routerConfigOf(t, network.id))?.publicIps).toEqual([sourceNat?.address]);
    expect((await eventsOf(t, 'NET.IPRELEASE')).map((e) => e.resourceId)).toEqual([ip.id]);
    // The address is free again: the next acquisition may take it.
    const again = await alice.publicIps.associate({ networkId: network.id, ipAddress: ip.address });
    expect(again.address).toBe(ip.address);
  });

  it('takes the owner\'s only isolated network of a zone when only the zone is named', async () => {
    const { t, alice, network } = await aliceOnline();
    const ip = await alice.publicIps.associate({ zoneId: t.zone.id });
    expect(ip.networkId).toBe(network.id);
  });

  it('an admin acquires for an account of its domain; the address is the network owner\'s', async () => {
    const { t, network } = await aliceOnline();
    const admin1 = t.cloud.as(t.as.admin1);
    const ip = await admin1.publicIps.associate({ networkId: network.id, account: 'alice', domainId: t.domains.comp1.id });
    expect(ip.accountId).toBe(t.accounts.alice.account.id);
    expect((await t.cloud.as(t.as.alice).publicIps.list({ id: ip.id })).total).toBe(1);
    // Without an account named, the address is the network owner's, as in CloudStack.
    expect((await admin1.publicIps.associate({ networkId: network.id })).accountId).toBe(t.accounts.alice.account.id);
    // Another account of the domain may not use alice's network.
    const before = await networkFootprint(t.cloud);
    await refused(() => admin1.publicIps.associate({ networkId: network.id, account: 'sam', domainId: t.domains.sales.id }), 531, 'networkid');
    expect(await networkFootprint(t.cloud)).toBe(before);
  });

  it('an address acquired for a network that is not implemented waits without a router and reaches it at implementation', async () => {
    const t = await networkCloud();
    const alice = t.cloud.as(t.as.alice);
    const network = await alice.networks.create({ name: 'n2', displayText: 'n2', networkOfferingId: t.isolatedOffering.id, zoneId: t.zone.id });
    const ip = await alice.publicIps.associate({ networkId: network.id });
    expect(ip.state).toBe('Allocated');
    expect(await routerConfigOf(t, network.id)).toBeUndefined();
    await alice.vms.deploy(deployInput(t, { name: 'w', networkIds: [network.id] }));
    expect((await routerConfigOf(t, network.id))?.publicIps).toContain(ip.address);
  });

  it('refuses bad requests with the code and parameter, and changes nothing', async () => {
    const { t, alice, network } = await aliceOnline();
    const bob = t.cloud.as(t.as.bob);
    const ip = await alice.publicIps.associate({ networkId: network.id });
    const sourceNat = (await alice.publicIps.list({ isSourceNat: true })).items[0];
    const shared = await t.cloud.system.networks.create({
      name: 'shared', displayText: 'shared', zoneId: t.zone.id, vlan: '300', gateway: '10.9.0.1', netmask: '255.255.255.0', startIp: '10.9.0.10', endIp: '10.9.0.20',
      networkOfferingId: (await t.cloud.system.networkOfferings.list({ name: 'DefaultSharedNetworkOffering' })).items[0]?.id ?? '',
    });
    await alice.firewallRules.create({ ipAddressId: ip.id, protocol: 'tcp', startPort: 22 });
    const before = await networkFootprint(t.cloud);
    await refused(() => alice.publicIps.associate({}), 431, 'networkid');
    await refused(() => alice.publicIps.associate({ networkId: 'nope' }), 431, 'networkid');
    await refused(() => alice.publicIps.associate({ networkId: network.id, zoneId: 'elsewhere' }), 431, 'zoneid');
    await refused(() => alice.publicIps.associate({ networkId: network.id, ipAddress: '198.51.100.7' }), 431, 'ipaddress');
    await refused(() => alice.publicIps.associate({ networkId: network.id, ipAddress: ip.address }), 431, 'ipaddress');
    await refused(() => alice.publicIps.associate({ networkId: network.id, ipAddress: 'not-an-ip' }), 431, 'ipaddress');
    await refused(() => t.cloud.system.publicIps.associate({ networkId: shared.id }), 431, 'networkid');
    await refused(() => alice.publicIps.disassociate({ id: sourceNat?.id ?? '' }), 431, 'id');
    const withRules = await refused(() => alice.publicIps.disassociate({ id: ip.id }), 431, 'id');
    expect(withRules.message).toMatch(/rule/);
    await refused(() => alice.publicIps.disassociate({ id: 'nope' }), 431, 'id');
    // Another tenant can neither use alice's network nor see or release her address.
    await refused(() => bob.publicIps.associate({ networkId: network.id }), 431, 'networkid');
    await refused(() => bob.publicIps.disassociate({ id: ip.id }), 431, 'id');
    await refused(() => bob.publicIps.get({ id: ip.id }), 431, 'id');
    expect((await bob.publicIps.list({})).total).toBe(0);
    await refused(() => bob.publicIps.list({ associatedNetworkId: network.id }), 431, 'associatednetworkid');
    // A user cannot acquire for someone else.
    await refused(() => bob.publicIps.associate({ networkId: network.id, account: 'alice', domainId: t.domains.comp1.id }), 431);
    expect(await networkFootprint(t.cloud)).toBe(before);
  });

  it('refuses 532 over the public_ip limit and 533 when the ranges are exhausted, keeping nothing', async () => {
    const { t, alice, network } = await aliceOnline({ publicAddresses: 3 });
    await t.cloud.system.resourceLimits.update({ accountId: t.accounts.alice.account.id, resourceType: 'public_ip', max: 2 });
    await alice.publicIps.associate({ networkId: network.id });
    let before = await networkFootprint(t.cloud);
    await refused(() => alice.publicIps.associate({ networkId: network.id }), 532);
    expect(await networkFootprint(t.cloud)).toBe(before);
    await t.cloud.system.resourceLimits.update({ accountId: t.accounts.alice.account.id, resourceType: 'public_ip', max: -1 });
    await alice.publicIps.associate({ networkId: network.id });
    before = await networkFootprint(t.cloud);
    await refused(() => alice.publicIps.associate({ networkId: network.id }), 533);
    expect(await networkFootprint(t.cloud)).toBe(before);
  });

  it('a router that refuses the new set: acquiring keeps nothing, releasing leaves the address Allocated; the router config is unchanged', async () => {
    const { t, alice, network } = await aliceOnline();
    const ip = await alice.publicIps.associate({ networkId: network.id });
    const config = await routerConfigOf(t, network.id);
    const before = await settledFootprint(t);
    const fault = t.sim.lab.faults.fail('applyRouterConfig', undefined, 'router unreachable');
    await refused(() => alice.publicIps.associate({ networkId: network.id }), 534);
    expect(await settledFootprint(t)).toEqual(before);
    await refused(() => alice.publicIps.disassociate({ id: ip.id }), 534);
    expect((await ipRow(t, ip.id))?.state).toBe('Allocated');
    expect(await settledFootprint(t)).toEqual(before);
    expect(await routerConfigOf(t, network.id)).toEqual(config);
    expect(await eventsOf(t, 'NET.IPRELEASE')).toEqual([]);
    fault.clear();
    await alice.publicIps.disassociate({ id: ip.id });
    expect(await ipRow(t, ip.id)).toBeUndefined();
  });
});
