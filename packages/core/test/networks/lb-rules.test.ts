import { describe, expect, it } from 'vitest';
import { LoadBalancerService, openedFirewallRuleId } from '../../src/index.js';
import { refused } from '../accounts/tenants.js';
import { acquireIp, aliceWithVms, guestIpOf, narrowLbNetwork, refusedWithoutTrace } from './lb-fixtures.js';
import { deployInput, routerConfigOf } from './network-fixtures.js';

describe('load-balancing rules', () => {
  it('balances a public port over three VMs, follows updates and member changes on the router, and takes everything away on delete', async () => {
    const { t, alice, vms, network } = await aliceWithVms(3);
    const [web1, web2, web3] = [vms[0]!, vms[1]!, vms[2]!];
    const ip = await acquireIp(t, t.as.alice, network.id);
    const lb = await alice.loadBalancers.create({ publicIpId: ip.id, name: 'web', algorithm: 'RoundRobin', publicPort: 80, privatePort: 8080 });
    expect(lb).toMatchObject({ state: 'Active', name: 'web', publicIpId: ip.id, publicIp: ip.address, publicPort: 80, privatePort: 8080, protocol: 'tcp', algorithm: 'roundrobin', memberVmIds: [], zoneId: t.zone.id, cidrs: ['0.0.0.0/0'] });
    let config = await routerConfigOf(t, network.id);
    expect(config?.loadBalancers).toEqual([{ id: lb.id, name: 'web', publicIp: ip.address, publicPort: 80, privatePort: 8080, protocol: 'tcp', algorithm: 'roundrobin', members: [], cidrs: ['0.0.0.0/0'] }]);
    expect(config?.firewall).toEqual([{ id: openedFirewallRuleId(lb.id), publicIp: ip.address, protocol: 'tcp', startPort: 80, endPort: 80, cidrs: ['0.0.0.0/0'] }]);

    // Clients assign one VM at a time (Libcloud does); then two more at once.
    expect((await alice.loadBalancers.assign({ id: lb.id, virtualMachineIds: [web1.id] })).memberVmIds).toEqual([web1.id]);
    expect((await alice.loadBalancers.assign({ id: lb.id, virtualMachineIds: [web2.id, web3.id, web2.id] })).memberVmIds).toEqual([web1.id, web2.id, web3.id]);
    config = await routerConfigOf(t, network.id);
    expect(config?.loadBalancers[0]?.members).toEqual([web1, web2, web3].map((vm) => guestIpOf(vm, network)));
    expect((await alice.loadBalancers.listInstances({ id: lb.id })).items.map((vm) => vm.name)).toEqual(['web1', 'web2', 'web3']);
    expect((await alice.loadBalancers.listInstances({ id: lb.id, applied: false })).items).toEqual([]);
    expect((await alice.loadBalancers.list({ virtualMachineId: web2.id })).items.map((r) => r.id)).toEqual([lb.id]);

    const updated = await alice.loadBalancers.update({ id: lb.id, name: 'web-lb', description: 'front end', algorithm: 'leastconn' });
    expect(updated).toMatchObject({ name: 'web-lb', description: 'front end', algorithm: 'leastconn', state: 'Active' });
    expect((await routerConfigOf(t, network.id))?.loadBalancers[0]).toMatchObject({ name: 'web-lb', algorithm: 'leastconn' });

    await alice.loadBalancers.remove({ id: lb.id, virtualMachineIds: [web3.id] });
    expect((await routerConfigOf(t, network.id))?.loadBalancers[0]?.members).toEqual([guestIpOf(web1, network), guestIpOf(web2, network)]);
    expect((await alice.loadBalancers.listInstances({ id: lb.id, applied: false })).items.map((vm) => vm.name)).toEqual(['web3']);

    await alice.loadBalancers.delete({ id: lb.id });
    config = await routerConfigOf(t, network.id);
    expect(config?.loadBalancers).toEqual([]);
    expect(config?.firewall).toEqual([]);
    expect(await t.cloud.store.transaction((tx) => tx.repo('networkRules').count())).toBe(0);
    const events = await t.cloud.store.transaction((tx) => tx.repo('events').find({ where: { resourceId: lb.id } }));
    expect(events.items.map((e) => e.type)).toEqual(['LB.CREATE', 'LB.ASSIGN.TO.RULE', 'LB.ASSIGN.TO.RULE', 'LB.UPDATE', 'LB.REMOVE.FROM.RULE', 'LB.DELETE']);
  });

  it('a rule balancing among two or more VMs is not left with one (install guide 13.9.1); removing them all is allowed', async () => {
    const { t, alice, vms, network } = await aliceWithVms(3);
    const ip = await acquireIp(t, t.as.alice, network.id);
    const lb = await alice.loadBalancers.create({ publicIpId: ip.id, name: 'web', algorithm: 'roundrobin', publicPort: 80, privatePort: 80 });
    await alice.loadBalancers.assign({ id: lb.id, virtualMachineIds: vms.map((vm) => vm.id) });
    await alice.loadBalancers.remove({ id: lb.id, virtualMachineIds: [vms[2]!.id] });
    const error = await refusedWithoutTrace(t, [network.id], () => alice.loadBalancers.remove({ id: lb.id, virtualMachineIds: [vms[1]!.id] }), 431, 'virtualmachineids');
    expect(error.message).toMatch(/two or more|2 or more/);
    const emptied = await alice.loadBalancers.remove({ id: lb.id, virtualMachineIds: [vms[0]!.id, vms[1]!.id] });
    expect(emptied.memberVmIds).toEqual([]);
    expect((await routerConfigOf(t, network.id))?.loadBalancers[0]?.members).toEqual([]);
  });

  it('refuses what the guide and the offering forbid, leaving rows and router configuration untouched', async () => {
    const { t, alice, vms, network } = await aliceWithVms(2);
    const [web1, web2] = [vms[0]!, vms[1]!];
    const ip = await acquireIp(t, t.as.alice, network.id);
    const lb = await alice.loadBalancers.create({ publicIpId: ip.id, name: 'web', algorithm: 'source', publicPort: 80, privatePort: 80 });
    await alice.loadBalancers.assign({ id: lb.id, virtualMachineIds: [web1.id] });
    await alice.portForwarding.create({ ipAddressId: ip.id, protocol: 'tcp', publicPort: 2222, privatePort: 22, virtualMachineId: web1.id });
    const natIp = await acquireIp(t, t.as.alice, network.id);
    await alice.staticNat.enable({ ipAddressId: natIp.id, virtualMachineId: web2.id });
    const other = await alice.networks.create({ name: 'other', displayText: 'other', networkOfferingId: t.isolatedOffering.id, zoneId: t.zone.id });
    const elsewhere = await alice.vms.deploy(deployInput(t, { name: 'elsewhere', networkIds: [other.id] }));
    const gone = await alice.vms.deploy(deployInput(t, { name: 'gone' }));
    await alice.vms.destroy({ id: gone.id });
    const samVm = await t.cloud.as(t.as.sam).vms.deploy(deployInput(t, { name: 'samweb' }));
    const narrow = await narrowLbNetwork(t);
    const nets = [network.id, other.id, narrow.network.id];
    const base = { publicIpId: ip.id, name: 'x', algorithm: 'roundrobin', publicPort: 443, privatePort: 443 };

    // Ports: the same public port as another rule on the address (load balancing or port forwarding) is a conflict.
    await refusedWithoutTrace(t, nets, () => alice.loadBalancers.create({ ...base, publicPort: 80 }), 537);
    await refusedWithoutTrace(t, nets, () => alice.loadBalancers.create({ ...base, publicPort: 2222 }), 537);
    await refusedWithoutTrace(t, nets, () => alice.loadBalancers.create({ ...base, publicPort: 8081 }), 431, 'publicport');
    await refusedWithoutTrace(t, nets, () => alice.loadBalancers.create({ ...base, privatePort: 0 }), 431, 'privateport');
    await refusedWithoutTrace(t, nets, () => alice.loadBalancers.create({ ...base, protocol: 'icmp' }), 431, 'protocol');
    await refusedWithoutTrace(t, nets, () => alice.loadBalancers.create({ ...base, name: ' ' }), 431, 'name');
    await refusedWithoutTrace(t, nets, () => alice.loadBalancers.create({ ...base, cidrList: '10.0.0.0/8,10.0.0.300/32' }), 431, 'cidrlist');
    // Algorithm: unknown, or not offered by the network's load balancer.
    await refusedWithoutTrace(t, nets, () => alice.loadBalancers.create({ ...base, algorithm: 'random' }), 431, 'algorithm');
    const notOffered = await refusedWithoutTrace(t, nets, () => alice.loadBalancers.create({ ...base, publicIpId: narrow.ip.id, algorithm: 'leastconn' }), 431, 'algorithm');
    expect(notOffered.message).toMatch(/supports roundrobin/);
    // Address: static NAT, unknown, another network named.
    await refusedWithoutTrace(t, nets, () => alice.loadBalancers.create({ ...base, publicIpId: natIp.id }), 431, 'publicipid');
    await refusedWithoutTrace(t, nets, () => alice.loadBalancers.create({ ...base, publicIpId: 'no-such-ip' }), 431, 'publicipid');
    await refusedWithoutTrace(t, nets, () => alice.loadBalancers.create({ ...base, networkId: other.id }), 431, 'networkid');
    // Members.
    await refusedWithoutTrace(t, nets, () => alice.loadBalancers.assign({ id: lb.id, virtualMachineIds: [web1.id] }), 431, 'virtualmachineids');
    await refusedWithoutTrace(t, nets, () => alice.loadBalancers.assign({ id: lb.id, virtualMachineIds: [web2.id, elsewhere.id] }), 431, 'virtualmachineids');
    await refusedWithoutTrace(t, nets, () => alice.loadBalancers.assign({ id: lb.id, virtualMachineIds: [gone.id] }), 431, 'virtualmachineids');
    await refusedWithoutTrace(t, nets, () => alice.loadBalancers.assign({ id: lb.id, virtualMachineIds: [samVm.id] }), 431, 'virtualmachineids');
    await refusedWithoutTrace(t, nets, () => alice.loadBalancers.assign({ id: lb.id, virtualMachineIds: [] }), 431, 'virtualmachineids');
    await refusedWithoutTrace(t, nets, () => t.cloud.as(t.as.admin1).loadBalancers.assign({ id: lb.id, virtualMachineIds: [samVm.id] }), 531, 'virtualmachineids');
    await refusedWithoutTrace(t, nets, () => alice.loadBalancers.remove({ id: lb.id, virtualMachineIds: [web2.id] }), 431, 'virtualmachineids');
    // Updates.
    await refusedWithoutTrace(t, nets, () => alice.loadBalancers.update({ id: lb.id, algorithm: 'random' }), 431, 'algorithm');
    await refusedWithoutTrace(t, nets, () => alice.loadBalancers.update({ id: 'no-such-rule', name: 'y' }), 431, 'id');
    await refusedWithoutTrace(t, nets, () => alice.loadBalancers.delete({ id: 'no-such-rule' }), 431, 'id');
  });

  it("keeps tenants apart: bob cannot see, change or use alice's rules, addresses or VMs", async () => {
    const { t, alice, vms, network } = await aliceWithVms(2);
    const ip = await acquireIp(t, t.as.alice, network.id);
    const lb = await alice.loadBalancers.create({ publicIpId: ip.id, name: 'web', algorithm: 'roundrobin', publicPort: 80, privatePort: 80 });
    await alice.loadBalancers.assign({ id: lb.id, virtualMachineIds: vms.map((vm) => vm.id) });
    const bob = t.cloud.as(t.as.bob);
    const bobVm = await bob.vms.deploy(deployInput(t, { name: 'bobweb' }));
    const bobNetwork = (await bob.networks.list({})).items[0]!;
    const bobIp = await acquireIp(t, t.as.bob, bobNetwork.id);
    const bobLb = await bob.loadBalancers.create({ publicIpId: bobIp.id, name: 'bob', algorithm: 'roundrobin', publicPort: 80, privatePort: 80 });
    const nets = [network.id, bobNetwork.id];

    expect((await bob.loadBalancers.list({})).items.map((r) => r.id)).toEqual([bobLb.id]);
    await refused(() => bob.loadBalancers.list({ publicIpId: ip.id }), 431, 'publicipid');
    await refused(() => bob.loadBalancers.get({ id: lb.id }), 431, 'id');
    await refused(() => bob.loadBalancers.listInstances({ id: lb.id }), 431, 'id');
    await refusedWithoutTrace(t, nets, () => bob.loadBalancers.update({ id: lb.id, algorithm: 'source' }), 431, 'id');
    await refusedWithoutTrace(t, nets, () => bob.loadBalancers.delete({ id: lb.id }), 431, 'id');
    await refusedWithoutTrace(t, nets, () => bob.loadBalancers.assign({ id: lb.id, virtualMachineIds: [bobVm.id] }), 431, 'id');
    await refusedWithoutTrace(t, nets, () => bob.loadBalancers.remove({ id: lb.id, virtualMachineIds: [vms[0]!.id] }), 431, 'id');
    await refusedWithoutTrace(t, nets, () => bob.loadBalancers.create({ publicIpId: ip.id, name: 'steal', algorithm: 'roundrobin', publicPort: 443, privatePort: 443 }), 431, 'publicipid');
    await refusedWithoutTrace(t, nets, () => bob.loadBalancers.assign({ id: bobLb.id, virtualMachineIds: [vms[0]!.id] }), 431, 'virtualmachineids');
    // The domain admin of Comp1 sees alice's rule and not bob's.
    expect((await t.cloud.as(t.as.admin1).loadBalancers.list({ listAll: true })).items.map((r) => r.id)).toEqual([lb.id]);
  });

  it('when the router refuses the configuration, creation, member changes, updates and deletion leave the rule and the router as they were', async () => {
    const { t, alice, vms, network } = await aliceWithVms(3);
    const [web1, web2, web3] = [vms[0]!, vms[1]!, vms[2]!];
    const ip = await acquireIp(t, t.as.alice, network.id);
    const lb = await alice.loadBalancers.create({ publicIpId: ip.id, name: 'web', algorithm: 'roundrobin', publicPort: 80, privatePort: 80 });
    await alice.loadBalancers.assign({ id: lb.id, virtualMachineIds: [web1.id, web2.id] });
    const before = await routerConfigOf(t, network.id);
    const rowBefore = await alice.loadBalancers.get({ id: lb.id });
    const fault = t.sim.lab.faults.fail('applyRouterConfig');

    await expect(alice.loadBalancers.create({ publicIpId: ip.id, name: 'tls', algorithm: 'roundrobin', publicPort: 443, privatePort: 443 })).rejects.toThrow();
    expect((await alice.loadBalancers.list({})).items.map((r) => r.id)).toEqual([lb.id]);
    await expect(alice.loadBalancers.assign({ id: lb.id, virtualMachineIds: [web3.id] })).rejects.toThrow();
    await expect(alice.loadBalancers.remove({ id: lb.id, virtualMachineIds: [web1.id, web2.id] })).rejects.toThrow();
    await expect(alice.loadBalancers.update({ id: lb.id, name: 'renamed', description: 'new', algorithm: 'source' })).rejects.toThrow();
    await expect(alice.loadBalancers.delete({ id: lb.id })).rejects.toThrow();
    await expect(alice.lbStickinessPolicies.create({ lbRuleId: lb.id, methodName: 'SourceBased', name: 'sticky' })).rejects.toThrow();
    expect(fault.hits).toBe(6);
    expect(await alice.loadBalancers.get({ id: lb.id })).toEqual(rowBefore);
    expect(rowBefore.state).toBe('Active');
    expect((await alice.lbStickinessPolicies.list({ lbRuleId: lb.id })).items).toEqual([]);
    expect(await routerConfigOf(t, network.id)).toEqual(before);

    fault.clear();
    await alice.loadBalancers.assign({ id: lb.id, virtualMachineIds: [web3.id] });
    expect((await routerConfigOf(t, network.id))?.loadBalancers[0]?.members).toHaveLength(3);
  });

  it('removeVmEverywhere takes a VM out of every rule it is a member of, on the router too', async () => {
    const { t, alice, vms, network } = await aliceWithVms(3);
    const [web1, web2, web3] = [vms[0]!, vms[1]!, vms[2]!];
    const ip = await acquireIp(t, t.as.alice, network.id);
    const http = await alice.loadBalancers.create({ publicIpId: ip.id, name: 'http', algorithm: 'roundrobin', publicPort: 80, privatePort: 80 });
    const https = await alice.loadBalancers.create({ publicIpId: ip.id, name: 'https', algorithm: 'roundrobin', publicPort: 443, privatePort: 443 });
    await alice.loadBalancers.assign({ id: http.id, virtualMachineIds: [web1.id, web2.id, web3.id] });
    await alice.loadBalancers.assign({ id: https.id, virtualMachineIds: [web2.id, web3.id] });

    expect(await t.cloud.container.resolve(LoadBalancerService).removeVmEverywhere(web2.id)).toBe(2);
    expect((await alice.loadBalancers.get({ id: http.id })).memberVmIds).toEqual([web1.id, web3.id]);
    expect((await alice.loadBalancers.get({ id: https.id })).memberVmIds).toEqual([web3.id]);
    const members = Object.fromEntries(((await routerConfigOf(t, network.id))?.loadBalancers ?? []).map((lb) => [lb.name, lb.members]));
    expect(members).toEqual({ http: [guestIpOf(web1, network), guestIpOf(web3, network)], https: [guestIpOf(web3, network)] });
    expect(await t.cloud.container.resolve(LoadBalancerService).removeVmEverywhere(web2.id)).toBe(0);
  });
});
