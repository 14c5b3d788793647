import { describe, expect, it } from 'vitest';
import { refused } from '../accounts/tenants.js';
import { aliceOnline, eventsOf, settledFootprint } from './addresses-fixtures.js';
import { deployInput, networkCloud, networkFootprint, routerConfigOf, type NetworkCloud } from './network-fixtures.js';

/** An enabled isolated offering with source NAT and load balancing but neither Firewall nor StaticNat. */
async function offeringWithoutFirewall(t: NetworkCloud) {
  const offering = await t.cloud.system.networkOfferings.create({ name: 'NoFirewall', displayText: 'No firewall', guestIpType: 'Isolated', supportedServices: ['Dhcp', 'Dns', 'UserData', 'SourceNat', 'Lb'] });
  return t.cloud.system.networkOfferings.update({ id: offering.id, state: 'Enabled' });
}

/** `items` in id order. */
function byId<T extends { id: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.id.localeCompare(b.id));
}

describe('ingress firewall rules (createFirewallRule, deleteFirewallRule, listFirewallRules)', () => {
  it('opens a port range, ICMP and all traffic on a public IP; the router enforces exactly the rules; deleting closes them', async () => {
    const { t, alice, network } = await aliceOnline();
    const ip = await alice.publicIps.associate({ networkId: network.id });
    expect((await routerConfigOf(t, network.id))?.firewall).toEqual([]);

    const range = await alice.firewallRules.create({ ipAddressId: ip.id, protocol: 'TCP', startPort: 33, endPort: 44 });
    expect(range).toMatchObject({ purpose: 'Firewall', trafficType: 'Ingress', state: 'Active', protocol: 'tcp', startPort: 33, endPort: 44, cidrs: ['0.0.0.0/0'], ipAddressId: ip.id, ipAddress: ip.address, networkId: network.id, accountId: ip.accountId });
    const ping = await alice.firewallRules.create({ ipAddressId: ip.id, protocol: 'icmp', cidrList: '192.168.0.5/24, 10.0.0.0/8' });
    expect(ping).toMatchObject({ protocol: 'icmp', icmpType: -1, icmpCode: -1, cidrs: ['192.168.0.0/24', '10.0.0.0/8'] });
    expect(ping.startPort).toBeUndefined();
    const everything = await alice.firewallRules.create({ ipAddressId: ip.id, protocol: 'all', cidrList: ['198.51.100.0/24'] });
    const anyTcpPort = await alice.firewallRules.create({ ipAddressId: ip.id, protocol: 'tcp', cidrList: ['203.0.113.0/24'] });
    const single = await alice.firewallRules.create({ ipAddressId: ip.id, protocol: 'udp', startPort: 53 });
    expect(single).toMatchObject({ startPort: 53, endPort: 53 });

    // Rules made in the same instant come in id order (the builder orders by creation, then id).
    expect((await routerConfigOf(t, network.id))?.firewall).toEqual(byId([
      { id: range.id, publicIp: ip.address, protocol: 'tcp', startPort: 33, endPort: 44, cidrs: ['0.0.0.0/0'] },
      { id: ping.id, publicIp: ip.address, protocol: 'icmp', icmpType: -1, icmpCode: -1, cidrs: ['192.168.0.0/24', '10.0.0.0/8'] },
      { id: everything.id, publicIp: ip.address, protocol: 'all', cidrs: ['198.51.100.0/24'] },
      { id: anyTcpPort.id, publicIp: ip.address, protocol: 'tcp', cidrs: ['203.0.113.0/24'] },
      { id: single.id, publicIp: ip.address, protocol: 'udp', startPort: 53, endPort: 53, cidrs: ['0.0.0.0/0'] },
    ]));
    expect((await eventsOf(t, 'FIREWALL.OPEN'))).toHaveLength(5);
    expect((await alice.publicIps.get({ id: ip.id })).purpose).toBe('Firewall');

    expect((await alice.firewallRules.list({ ipAddressId: ip.id })).total).toBe(5);
    expect((await alice.firewallRules.list({ networkId: network.id })).total).toBe(5);
    expect((await alice.firewallRules.list({ id: ping.id })).items.map((r) => r.id)).toEqual([ping.id]);
    const ids = byId([range, ping, everything, anyTcpPort, single]).map((r) => r.id);
    expect((await alice.firewallRules.list({ page: 2, pageSize: 2 })).items.map((r) => r.id)).toEqual(ids.slice(2, 4));
    expect((await t.cloud.as(t.as.bob).firewallRules.list({})).total).toBe(0);
    expect((await t.cloud.as(t.as.admin1).firewallRules.list({ listAll: true })).total).toBe(5);

    await alice.firewallRules.delete({ id: range.id });
    await alice.firewallRules.delete({ id: ping.id });
    expect((await routerConfigOf(t, network.id))?.firewall.map((r) => r.id)).toEqual(byId([everything, anyTcpPort, single]).map((r) => r.id));
    expect((await eventsOf(t, 'FIREWALL.CLOSE')).map((e) => e.resourceId).sort()).toEqual([range.id, ping.id].sort());
    for (const rule of [everything, anyTcpPort, single]) await alice.firewallRules.delete({ id: rule.id });
    expect((await routerConfigOf(t, network.id))?.firewall).toEqual([]);
    // The last rule gone, the address can be released (guide 13.12).
    await alice.publicIps.disassociate({ id: ip.id });
  });

  it('opens ports on the source NAT address too', async () => {
    const { t, alice, network } = await aliceOnline();
    const sourceNat = (await alice.publicIps.list({ isSourceNat: true })).items[0]!;
    const rule = await alice.firewallRules.create({ ipAddressId: sourceNat.id, protocol: 'tcp', startPort: 22 });
    expect((await routerConfigOf(t, network.id))?.firewall).toEqual([{ id: rule.id, publicIp: sourceNat.address, protocol: 'tcp', startPort: 22, endPort: 22, cidrs: ['0.0.0.0/0'] }]);
  });

  it('refuses bad fields, repeats (537) and other tenants with the code and parameter, changing nothing', async () => {
    const { t, alice, network } = await aliceOnline();
    const bob = t.cloud.as(t.as.bob);
    const ip = await alice.publicIps.associate({ networkId: network.id });
    const ssh = await alice.firewallRules.create({ ipAddressId: ip.id, protocol: 'tcp', startPort: 20, endPort: 30, cidrList: '10.0.0.0/8,192.168.1.0/24' });
    await alice.firewallRules.create({ ipAddressId: ip.id, protocol: 'icmp', icmpType: 8, icmpCode: 0 });
    await alice.firewallRules.create({ ipAddressId: ip.id, protocol: 'all', cidrList: '198.51.100.0/24' });
    const before = await networkFootprint(t.cloud);
    const config = await routerConfigOf(t, network.id);
    const create = (extra: Record<string, unknown>) => alice.firewallRules.create({ ipAddressId: ip.id, protocol: 'tcp', ...extra } as Parameters<typeof alice.firewallRules.create>[0]);
    await refused(() => create({ startPort: 0 }), 431, 'startport');
    await refused(() => create({ startPort: 80, endPort: 70000 }), 431, 'endport');
    await refused(() => create({ startPort: 90, endPort: 80 }), 431, 'endport');
    await refused(() => create({ endPort: 80 }), 431, 'startport');
    await refused(() => create({ startPort: 80, icmpType: 8 }), 431, 'icmptype');
    await refused(() => create({ startPort: 80, icmpCode: 0 }), 431, 'icmpcode');
    await refused(() => create({ protocol: 'icmp', startPort: 80 }), 431, 'startport');
    await refused(() => create({ protocol: 'all', endPort: 80 }), 431, 'endport');
    await refused(() => create({ protocol: 'all', icmpType: 3 }), 431, 'icmptype');
    await refused(() => create({ protocol: 'icmp', icmpCode: 1 }), 431, 'icmptype');
    await refused(() => create({ protocol: 'icmp', icmpType: 256 }), 431, 'icmptype');
    await refused(() => create({ protocol: 'icmp', icmpType: 3, icmpCode: 16 }), 431, 'icmpcode');
    await refused(() => create({ protocol: 'gre' }), 431, 'protocol');
    await refused(() => create({ startPort: 80, cidrList: '10.0.0.0/33' }), 431, 'cidrlist');
    await refused(() => create({ startPort: 80, cidrList: ['10.0.0.0/8', 'somewhere'] }), 431, 'cidrlist');
    await refused(() => alice.firewallRules.create({ ipAddressId: 'nope', protocol: 'tcp', startPort: 80 }), 431, 'ipaddressid');
    // Repeats: the same protocol and CIDR set with overlapping ports, ICMP type/code, or all.
    const repeat = await refused(() => create({ startPort: 25, endPort: 40, cidrList: '192.168.1.0/24,10.0.0.0/8' }), 537);
    expect(repeat.message).toContain(ssh.id);
    await refused(() => create({ startPort: 30, cidrList: ['10.0.0.0/8', '192.168.1.0/24'] }), 537);
    await refused(() => create({ protocol: 'icmp', icmpType: 8, icmpCode: 0 }), 537);
    await refused(() => create({ protocol: 'icmp', icmpType: -1 }), 537);
    await refused(() => create({ protocol: 'all', cidrList: '198.51.100.0/24' }), 537);
    // Another tenant sees neither the address nor its rules.
    await refused(() => bob.firewallRules.create({ ipAddressId: ip.id, protocol: 'tcp', startPort: 80 }), 431, 'ipaddressid');
    await refused(() => bob.firewallRules.delete({ id: ssh.id }), 431, 'id');
    await refused(() => bob.firewallRules.list({ ipAddressId: ip.id }), 431, 'ipaddressid');
    await refused(() => bob.firewallRules.list({ networkId: network.id }), 431, 'networkid');
    await refused(() => alice.firewallRules.delete({ id: 'nope' }), 431, 'id');
    expect(await networkFootprint(t.cloud)).toBe(before);
    expect(await routerConfigOf(t, network.id)).toEqual(config);
    // Other CIDRs, another protocol or ports next to the range are not repeats.
    await create({ startPort: 25, endPort: 40, cidrList: '10.0.0.0/8' });
    await create({ protocol: 'udp', startPort: 20, endPort: 30, cidrList: '10.0.0.0/8,192.168.1.0/24' });
    await create({ startPort: 31, endPort: 32, cidrList: '10.0.0.0/8,192.168.1.0/24' });
    await create({ protocol: 'icmp', icmpType: 0, icmpCode: 0 });
  });

  it('is refused (431) on a network whose offering has no Firewall, and static NAT where it has no StaticNat', async () => {
    const t = await networkCloud();
    const alice = t.cloud.as(t.as.alice);
    const offering = await offeringWithoutFirewall(t);
    const network = await alice.networks.create({ name: 'plain', displayText: 'plain', networkOfferingId: offering.id, zoneId: t.zone.id });
    const vm = await alice.vms.deploy(deployInput(t, { name: 'w', networkIds: [network.id] }));
    const ip = await alice.publicIps.associate({ networkId: network.id });
    const before = await networkFootprint(t.cloud);
    const error = await refused(() => alice.firewallRules.create({ ipAddressId: ip.id, protocol: 'tcp', startPort: 22 }), 431, 'ipaddressid');
    expect(error.message).toMatch(/Firewall/);
    await refused(() => alice.egressRules.create({ networkId: network.id, protocol: 'all' }), 431, 'networkid');
    await refused(() => alice.staticNat.enable({ ipAddressId: ip.id, virtualMachineId: vm.id }), 431, 'ipaddressid');
    expect(await networkFootprint(t.cloud)).toBe(before);
  });

  it('a router that refuses: a new rule is gone, a deleted one stays Active; the router config is unchanged', async () => {
    const { t, alice, network } = await aliceOnline();
    const ip = await alice.publicIps.associate({ networkId: network.id });
    const kept = await alice.firewallRules.create({ ipAddressId: ip.id, protocol: 'tcp', startPort: 22 });
    const config = await routerConfigOf(t, network.id);
    const before = await settledFootprint(t);
    const fault = t.sim.lab.faults.fail('applyRouterConfig', undefined, 'router unreachable');
    await refused(() => alice.firewallRules.create({ ipAddressId: ip.id, protocol: 'tcp', startPort: 80 }), 534);
    expect((await alice.firewallRules.list({ ipAddressId: ip.id })).items.map((r) => [r.id, r.state])).toEqual([[kept.id, 'Active']]);
    await refused(() => alice.firewallRules.delete({ id: kept.id }), 534);
    expect((await alice.firewallRules.list({ id: kept.id })).items[0]?.state).toBe('Active');
    expect(await settledFootprint(t)).toEqual(before);
    expect(await routerConfigOf(t, network.id)).toEqual(config);
    expect(await eventsOf(t, 'FIREWALL.CLOSE')).toEqual([]);
    expect(await eventsOf(t, 'FIREWALL.OPEN')).toHaveLength(1);
    fault.clear();
    const opened = await alice.firewallRules.create({ ipAddressId: ip.id, protocol: 'tcp', startPort: 80 });
    expect((await routerConfigOf(t, network.id))?.firewall.map((r) => r.id)).toEqual(byId([kept, opened]).map((r) => r.id));
  });

  it('rules on a network that is not implemented wait Staged and become Active when it is', async () => {
    const { t, alice, network, ip, waiting } = await stagedRule();
    const dropped = await alice.firewallRules.create({ ipAddressId: ip.id, protocol: 'tcp', startPort: 8080 });
    expect([waiting.state, dropped.state]).toEqual(['Staged', 'Staged']);
    await alice.firewallRules.delete({ id: dropped.id });
    expect((await alice.firewallRules.list({})).items.map((r) => r.id)).toEqual([waiting.id]);
    await alice.vms.deploy(deployInput(t, { name: 'w', networkIds: [network.id] }));
    expect((await alice.firewallRules.list({ id: waiting.id })).items[0]?.state).toBe('Active');
  });

  it('a Staged rule is in the router configuration once its network is implemented', async () => {
    const { t, alice, network, ip, waiting } = await stagedRule();
    await alice.vms.deploy(deployInput(t, { name: 'w', networkIds: [network.id] }));
    expect((await routerConfigOf(t, network.id))?.firewall).toEqual([{ id: waiting.id, publicIp: ip.address, protocol: 'tcp', startPort: 443, endPort: 443, cidrs: ['0.0.0.0/0'] }]);
  });
});

/** Alice's network that is not implemented yet, an address on it and a firewall rule waiting for it. */
async function stagedRule() {
  const t = await networkCloud();
  const alice = t.cloud.as(t.as.alice);
  const network = await alice.networks.create({ name: 'later', displayText: 'later', networkOfferingId: t.isolatedOffering.id, zoneId: t.zone.id });
  const ip = await alice.publicIps.associate({ networkId: network.id });
  const waiting = await alice.firewallRules.create({ ipAddressId: ip.id, protocol: 'tcp', startPort: 443 });
  return { t, alice, network, ip, waiting };
}
