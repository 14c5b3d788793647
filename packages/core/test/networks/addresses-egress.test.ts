import { describe, expect, it } from 'vitest';
import { refused } from '../accounts/tenants.js';
import { aliceOnline, eventsOf, settledFootprint } from './addresses-fixtures.js';
import { networkFootprint, routerConfigOf } from './network-fixtures.js';

describe('egress firewall rules (createEgressFirewallRule, deleteEgressFirewallRule, listEgressFirewallRules)', () => {
  it('an isolated network blocks egress by default; each rule allows traffic to its destination CIDRs; removing the last brings the block back', async () => {
    const { t, alice, network } = await aliceOnline();
    expect((await routerConfigOf(t, network.id))?.egress).toEqual({ defaultPolicy: 'deny', rules: [] });

    const web = await alice.egressRules.create({ networkId: network.id, protocol: 'tcp', startPort: 80, endPort: 80 });
    expect(web).toMatchObject({ purpose: 'Firewall', trafficType: 'Egress', state: 'Active', networkId: network.id, protocol: 'tcp', startPort: 80, endPort: 80, cidrs: ['0.0.0.0/0'], accountId: t.accounts.alice.account.id });
    expect(web.ipAddressId).toBeUndefined();
    expect((await routerConfigOf(t, network.id))?.egress).toEqual({ defaultPolicy: 'deny', rules: [{ id: web.id, protocol: 'tcp', startPort: 80, endPort: 80, cidrs: ['0.0.0.0/0'] }] });
    t.cloud.clock.advance(1000);
    const dns = await alice.egressRules.create({ networkId: network.id, protocol: 'udp', startPort: 53, cidrList: '8.8.8.8/32,8.8.4.4/32' });
    t.cloud.clock.advance(1000);
    const ping = await alice.egressRules.create({ networkId: network.id, protocol: 'icmp', icmpType: 8, icmpCode: 0, cidrList: ['10.0.0.0/8'] });
    t.cloud.clock.advance(1000);
    const lan = await alice.egressRules.create({ networkId: network.id, protocol: 'all', cidrList: '192.168.0.0/16' });
    expect((await routerConfigOf(t, network.id))?.egress).toEqual({
      defaultPolicy: 'deny',
      rules: [
        { id: web.id, protocol: 'tcp', startPort: 80, endPort: 80, cidrs: ['0.0.0.0/0'] },
        { id: dns.id, protocol: 'udp', startPort: 53, endPort: 53, cidrs: ['8.8.8.8/32', '8.8.4.4/32'] },
        { id: ping.id, protocol: 'icmp', icmpType: 8, icmpCode: 0, cidrs: ['10.0.0.0/8'] },
        { id: lan.id, protocol: 'all', cidrs: ['192.168.0.0/16'] },
      ],
    });
    expect(await eventsOf(t, 'FIREWALL.OPEN')).toHaveLength(4);

    expect((await alice.egressRules.list({ networkId: network.id })).items.map((r) => r.id)).toEqual([web.id, dns.id, ping.id, lan.id]);
    expect((await alice.egressRules.list({ id: dns.id })).items.map((r) => r.id)).toEqual([dns.id]);
    expect((await alice.egressRules.list({ page: 2, pageSize: 3 })).items.map((r) => r.id)).toEqual([lan.id]);
    // Egress and ingress rules are listed apart.
    expect((await alice.firewallRules.list({ networkId: network.id })).total).toBe(0);
    expect((await t.cloud.as(t.as.bob).egressRules.list({})).total).toBe(0);

    await alice.egressRules.delete({ id: dns.id });
    expect((await routerConfigOf(t, network.id))?.egress.rules.map((r) => r.id)).toEqual([web.id, ping.id, lan.id]);
    for (const rule of [web, ping, lan]) await alice.egressRules.delete({ id: rule.id });
    expect((await routerConfigOf(t, network.id))?.egress).toEqual({ defaultPolicy: 'deny', rules: [] });
    expect((await eventsOf(t, 'FIREWALL.CLOSE')).map((e) => e.resourceId).sort()).toEqual([dns.id, web.id, ping.id, lan.id].sort());
  });

  it('refuses shared networks, other tenants, bad fields and repeats with code and parameter, changing nothing', async () => {
    const { t, alice, network } = await aliceOnline();
    const bob = t.cloud.as(t.as.bob);
    const shared = await t.cloud.system.networks.create({
      name: 'shared', displayText: 'shared', zoneId: t.zone.id, vlan: '300', gateway: '10.9.0.1', netmask: '255.255.255.0', startIp: '10.9.0.10', endIp: '10.9.0.20',
      networkOfferingId: (await t.cloud.system.networkOfferings.list({ name: 'DefaultSharedNetworkOffering' })).items[0]?.id ?? '',
    });
    const web = await alice.egressRules.create({ networkId: network.id, protocol: 'tcp', startPort: 80, endPort: 443 });
    const ip = await alice.publicIps.associate({ networkId: network.id });
    const ingress = await alice.firewallRules.create({ ipAddressId: ip.id, protocol: 'tcp', startPort: 22 });
    const before = await networkFootprint(t.cloud);
    const config = await routerConfigOf(t, network.id);
    await refused(() => t.cloud.system.egressRules.create({ networkId: shared.id, protocol: 'all' }), 431, 'networkid');
    await refused(() => alice.egressRules.create({ networkId: 'nope', protocol: 'all' }), 431, 'networkid');
    await refused(() => bob.egressRules.create({ networkId: network.id, protocol: 'all' }), 431, 'networkid');
    await refused(() => bob.egressRules.delete({ id: web.id }), 431, 'id');
    await refused(() => bob.egressRules.list({ networkId: network.id }), 431, 'networkid');
    await refused(() => alice.egressRules.delete({ id: ingress.id }), 431, 'id');
    await refused(() => alice.firewallRules.delete({ id: web.id }), 431, 'id');
    await refused(() => alice.egressRules.create({ networkId: network.id, protocol: 'tcp', startPort: 100, endPort: 99 }), 431, 'endport');
    await refused(() => alice.egressRules.create({ networkId: network.id, protocol: 'udp', startPort: 53, icmpType: 0 }), 431, 'icmptype');
    await refused(() => alice.egressRules.create({ networkId: network.id, protocol: 'icmp', startPort: 1 }), 431, 'startport');
    await refused(() => alice.egressRules.create({ networkId: network.id, protocol: 'tcp', cidrList: '300.0.0.0/8' }), 431, 'cidrlist');
    await refused(() => alice.egressRules.create({ networkId: network.id, protocol: 'tcp', startPort: 443 }), 537);
    await refused(() => alice.egressRules.create({ networkId: network.id, protocol: 'tcp' }), 537);
    expect(await networkFootprint(t.cloud)).toBe(before);
    expect(await routerConfigOf(t, network.id)).toEqual(config);
  });

  it('a router that refuses: a new egress rule is gone, a deleted one stays Active; the router config is unchanged', async () => {
    const { t, alice, network } = await aliceOnline();
    const kept = await alice.egressRules.create({ networkId: network.id, protocol: 'all' });
    const config = await routerConfigOf(t, network.id);
    const before = await settledFootprint(t);
    const fault = t.sim.lab.faults.fail('applyRouterConfig', undefined, 'router unreachable');
    await refused(() => alice.egressRules.create({ networkId: network.id, protocol: 'icmp' }), 534);
    await refused(() => alice.egressRules.delete({ id: kept.id }), 534);
    expect((await alice.egressRules.list({})).items.map((r) => [r.id, r.state])).toEqual([[kept.id, 'Active']]);
    expect(await settledFootprint(t)).toEqual(before);
    expect(await routerConfigOf(t, network.id)).toEqual(config);
    fault.clear();
    await alice.egressRules.delete({ id: kept.id });
    expect((await routerConfigOf(t, network.id))?.egress.rules).toEqual([]);
  });
});
