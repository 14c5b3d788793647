import { describe, expect, it } from 'vitest';
import type { RouterConfig } from '../../src/index.js';
import { acquireIp, aliceWithVms, guestIpOf, sourceNatOf } from './lb-fixtures.js';
import { routerConfigOf } from './network-fixtures.js';

/** The parts of a router configuration the guide's flow changes, in a form easy to compare (rules made in the same instant come in id order, so lists are sorted). */
function rulesOf(config: RouterConfig | undefined) {
  return {
    publicIps: config?.publicIps ?? [],
    firewall: (config?.firewall ?? []).map((f) => `${f.publicIp} ${f.protocol} ${f.startPort ?? ''}-${f.endPort ?? ''} from ${f.cidrs.join(',')}`).sort(),
    portForwarding: (config?.portForwarding ?? []).map((p) => `${p.publicIp}:${p.publicStartPort}-${p.publicEndPort}/${p.protocol} -> ${p.privateIp}:${p.privateStartPort}-${p.privateEndPort}`).sort(),
    loadBalancers: (config?.loadBalancers ?? []).map((lb) => ({ at: `${lb.publicIp}:${lb.publicPort} -> ${lb.privatePort}`, algorithm: lb.algorithm, members: lb.members, stickiness: lb.stickiness })),
    staticNat: (config?.staticNat ?? []).map((s) => `${s.publicIp} <-> ${s.privateIp}`).sort(),
  };
}

describe("the guide's flow on an isolated network (install guide 13.11–13.15)", () => {
  it('acquire an IP, open a port range, forward a port, balance three VMs with a sticky policy, static NAT a second IP, release everything — the router follows each step', async () => {
    const { t, alice, vms, network } = await aliceWithVms(3);
    const [web1, web2, web3] = [vms[0]!, vms[1]!, vms[2]!];
    const [ip1, ip2, ip3] = [web1, web2, web3].map((vm) => guestIpOf(vm, network));
    const snat = await sourceNatOf(t, network.id);
    const config = async () => rulesOf(await routerConfigOf(t, network.id));
    expect(await config()).toEqual({ publicIps: [snat.address], firewall: [], portForwarding: [], loadBalancers: [], staticNat: [] });

    // 13.11: acquire a new IP address.
    const pub = await acquireIp(t, t.as.alice, network.id);
    expect(pub.state).toBe('Allocated');
    expect((await config()).publicIps).toEqual([snat.address, pub.address].sort());

    // 13.14: a firewall rule opens ports 33 through 44; a forwarding rule sends port 33 to port 100 of one VM.
    const range = await alice.firewallRules.create({ ipAddressId: pub.id, protocol: 'tcp', startPort: 33, endPort: 44 });
    const forward = await alice.portForwarding.create({ ipAddressId: pub.id, protocol: 'tcp', publicPort: 33, privatePort: 100, virtualMachineId: web1.id, openFirewall: false });
    expect(forward.state).toBe('Active');
    expect(await config()).toMatchObject({
      firewall: [`${pub.address} tcp 33-44 from 0.0.0.0/0`],
      portForwarding: [`${pub.address}:33-33/tcp -> ${ip1}:100-100`],
    });

    // 13.15 / 13.9: balance port 80 over three VMs, with a load-balancer cookie for sticky sessions.
    const lb = await alice.loadBalancers.create({ publicIpId: pub.id, name: 'web', algorithm: 'leastconn', publicPort: 80, privatePort: 8080 });
    await alice.loadBalancers.assign({ id: lb.id, virtualMachineIds: [web1.id, web2.id, web3.id] });
    const sticky = await alice.lbStickinessPolicies.create({ lbRuleId: lb.id, methodName: 'LbCookie', name: 'cart', params: { 'cookie-name': 'SRV', mode: 'insert', indirect: 'true' } });
    expect(sticky.state).toBe('Active');
    expect(await config()).toMatchObject({
      firewall: [`${pub.address} tcp 33-44 from 0.0.0.0/0`, `${pub.address} tcp 80-80 from 0.0.0.0/0`],
      portForwarding: [`${pub.address}:33-33/tcp -> ${ip1}:100-100`],
      loadBalancers: [{ at: `${pub.address}:80 -> 8080`, algorithm: 'leastconn', members: [ip1, ip2, ip3], stickiness: { method: 'LbCookie', name: 'cart', params: { 'cookie-name': 'SRV', mode: 'insert', indirect: 'true' } } }],
    });

    // 13.13: static NAT on a second IP to the third VM.
    const second = await acquireIp(t, t.as.alice, network.id);
    await alice.staticNat.enable({ ipAddressId: second.id, virtualMachineId: web3.id });
    expect((await config()).staticNat).toEqual([`${second.address} <-> ${ip3}`]);
    expect((await config()).publicIps).toEqual([snat.address, pub.address, second.address].sort());

    // 13.12: an address is released once its last rule is gone.
    await expect(alice.publicIps.disassociate({ id: pub.id })).rejects.toMatchObject({ code: 431 });
    await alice.staticNat.disable({ ipAddressId: second.id });
    await alice.publicIps.disassociate({ id: second.id });
    await alice.lbStickinessPolicies.delete({ id: sticky.id });
    expect((await config()).loadBalancers[0]?.stickiness).toBeUndefined();
    await alice.loadBalancers.delete({ id: lb.id });
    await alice.portForwarding.delete({ id: forward.id });
    await alice.firewallRules.delete({ id: range.id });
    await alice.publicIps.disassociate({ id: pub.id });
    expect(await config()).toEqual({ publicIps: [snat.address], firewall: [], portForwarding: [], loadBalancers: [], staticNat: [] });
    const left = await t.cloud.store.transaction(async (tx) => ({ rules: await tx.repo('networkRules').count(), policies: await tx.repo('lbStickinessPolicies').count(), ips: await tx.repo('publicIps').count() }));
    expect(left).toEqual({ rules: 0, policies: 0, ips: 1 });
  });
});
