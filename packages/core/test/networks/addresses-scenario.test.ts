import { describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/index.js';
import { aliceOnline, publicIpCount } from './addresses-fixtures.js';
import { routerConfigOf } from './network-fixtures.js';

describe("the guide's address flow (13.11–13.14) on one network", () => {
  it('acquire, open a port range, static NAT on a second address, egress, then release everything: the router matches after each step', async () => {
    const { t, alice, vms, network } = await aliceOnline({ vms: 2 });
    const web2Ip = vms[1]!.nics[0]!.ipAddress!;
    const initial = (await routerConfigOf(t, network.id))!;
    const sourceNat = initial.sourceNatIp!;
    expect(initial).toMatchObject({ publicIps: [sourceNat], firewall: [], staticNat: [], egress: { defaultPolicy: 'deny', rules: [] } });
    const config = async () => (await routerConfigOf(t, network.id))!;

    // 13.11: acquire a new IP.
    const first = await alice.publicIps.associate({ networkId: network.id });
    expect(await config()).toEqual({ ...initial, publicIps: [sourceNat, first.address].sort() });

    // 13.14: a firewall rule opens ports 33 through 44 on it.
    const range = await alice.firewallRules.create({ ipAddressId: first.id, protocol: 'tcp', startPort: 33, endPort: 44 });
    const rangeEntry = { id: range.id, publicIp: first.address, protocol: 'tcp', startPort: 33, endPort: 44, cidrs: ['0.0.0.0/0'] };
    expect(await config()).toEqual({ ...initial, publicIps: [sourceNat, first.address].sort(), firewall: [rangeEntry] });

    // 13.13: static NAT on a second address to web2, with its own firewall rule.
    t.cloud.clock.advance(1000);
    const second = await alice.publicIps.associate({ networkId: network.id });
    await alice.staticNat.enable({ ipAddressId: second.id, virtualMachineId: vms[1]!.id });
    const ssh = await alice.firewallRules.create({ ipAddressId: second.id, protocol: 'tcp', startPort: 22, cidrList: '198.51.100.0/24' });
    const all = [sourceNat, first.address, second.address].sort();
    const sshEntry = { id: ssh.id, publicIp: second.address, protocol: 'tcp', startPort: 22, endPort: 22, cidrs: ['198.51.100.0/24'] };
    expect(await config()).toEqual({ ...initial, publicIps: all, firewall: [rangeEntry, sshEntry], staticNat: [{ publicIp: second.address, privateIp: web2Ip }] });

    // 13.14.1: egress to the web.
    const egress = await alice.egressRules.create({ networkId: network.id, protocol: 'tcp', startPort: 80, endPort: 443 });
    const egressEntry = { id: egress.id, protocol: 'tcp', startPort: 80, endPort: 443, cidrs: ['0.0.0.0/0'] };
    expect(await config()).toEqual({ ...initial, publicIps: all, firewall: [rangeEntry, sshEntry], staticNat: [{ publicIp: second.address, privateIp: web2Ip }], egress: { defaultPolicy: 'deny', rules: [egressEntry] } });
    expect((await alice.publicIps.list({})).items.map((ip) => [ip.address, ip.purpose ?? null])).toEqual(
      expect.arrayContaining([[sourceNat, 'SourceNat'], [first.address, 'Firewall'], [second.address, 'StaticNat']]),
    );
    expect(await publicIpCount(t, t.accounts.alice.account.id)).toBe(3);

    // 13.12: release everything, last rule first.
    await alice.firewallRules.delete({ id: range.id });
    await alice.publicIps.disassociate({ id: first.id });
    expect(await config()).toEqual({ ...initial, publicIps: [sourceNat, second.address].sort(), firewall: [sshEntry], staticNat: [{ publicIp: second.address, privateIp: web2Ip }], egress: { defaultPolicy: 'deny', rules: [egressEntry] } });
    await alice.firewallRules.delete({ id: ssh.id });
    await alice.staticNat.disable({ ipAddressId: second.id });
    await alice.publicIps.disassociate({ id: second.id });
    await alice.egressRules.delete({ id: egress.id });
    expect(await config()).toEqual(initial);
    expect(await publicIpCount(t, t.accounts.alice.account.id)).toBe(1);
  });

  it("deleting the account releases its addresses and rules with its networks", async () => {
    const { t, alice, vms, network } = await aliceOnline();
    const ip = await alice.publicIps.associate({ networkId: network.id });
    await alice.staticNat.enable({ ipAddressId: ip.id, virtualMachineId: vms[0]!.id });
    await alice.firewallRules.create({ ipAddressId: ip.id, protocol: 'tcp', startPort: 22 });
    await alice.egressRules.create({ networkId: network.id, protocol: 'all' });
    const bob = t.cloud.as(t.as.bob);
    await bob.vms.deploy({ zoneId: t.zone.id, templateId: t.template.id, serviceOfferingId: t.offering.id, name: 'bobvm' });
    const bobNetwork = (await bob.networks.list({})).items[0]!;
    const bobIp = await bob.publicIps.associate({ networkId: bobNetwork.id });
    const bobRule = await bob.firewallRules.create({ ipAddressId: bobIp.id, protocol: 'tcp', startPort: 80 });

    // Her VM goes first: the VM area's and the network area's account-deletion jobs both expunge
    // a VM still there, and the second fails on the first's half-done expunge (reported).
    await alice.vms.destroy({ id: vms[0]!.id });
    await t.cloud.system.vms.expunge({ id: vms[0]!.id });
    await t.cloud.system.accounts.delete({ id: t.accounts.alice.account.id });
    await t.cloud.container.resolve(JobRunner).drain();
    const left = await t.cloud.store.transaction(async (tx) => ({
      ips: (await tx.repo('publicIps').find()).items,
      rules: (await tx.repo('networkRules').find()).items,
    }));
    expect(left.ips.map((i) => i.accountId)).toEqual([t.accounts.bob.account.id, t.accounts.bob.account.id]);
    expect(left.rules.map((r) => r.id)).toEqual([bobRule.id]);
    expect((await t.cloud.store.transaction((tx) => tx.repo('jobs').find({ where: { status: 2 } }))).items).toEqual([]);
    // Alice's addresses are back in the pool: bob can take the one she held.
    expect((await bob.publicIps.associate({ networkId: bobNetwork.id, ipAddress: ip.address })).address).toBe(ip.address);
  });
});
