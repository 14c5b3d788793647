import { describe, expect, it } from 'vitest';
import { networkFootprint, routerConfigOf } from '../../core/test/networks/network-fixtures.js';
import { call } from './support/core-api.js';
import { deployVm, job, networkApi, rows, type NetworkApiFixture, type Row } from './support/network-api.js';

/** alice's VMs on her isolated network, and a public IP acquired for it. */
async function withVmsAndIp(f: NetworkApiFixture, names: readonly string[]) {
  const vms: { id: string; name: string; guestIp: string }[] = [];
  for (const name of names) {
    const { id, vm } = await deployVm(f, f.alice, { name });
    vms.push({ id, name, guestIp: String((vm.nic as Row[])[0]?.ipaddress) });
  }
  const [network] = (await f.t.cloud.as(f.t.as.alice).networks.list({})).items;
  if (network === undefined) throw new Error('alice has no network');
  const ip = ((await job(f, f.alice, { command: 'associateIpAddress', networkid: network.id })).result.jobresult as { ipaddress: Row }).ipaddress;
  return { vms, network, ipId: String(ip.id), address: String(ip.ipaddress) };
}

describe('port forwarding and load-balancing commands over a real core cloud (advanced zone, simulator)', () => {
  it('port forwarding: create (async-create, with the firewall opened), list, 537 on an overlapping port, delete', async () => {
    const f = await networkApi();
    const { vms, network, ipId, address } = await withVmsAndIp(f, ['web1']);
    const vm = vms[0]!;
    const { accepted, result } = await job(f, f.alice, { command: 'createPortForwardingRule', ipaddressid: ipId, protocol: 'TCP', publicport: '2222', privateport: '22', virtualmachineid: vm.id, openfirewall: 'True' });
    expect(Object.keys(accepted)).toEqual(['id', 'jobid']);
    const rule = (result.jobresult as { portforwardingrule: Row }).portforwardingrule;
    expect(rule).toMatchObject({ id: accepted.id, privateport: '22', privateendport: '22', protocol: 'tcp', publicport: '2222', publicendport: '2222', virtualmachineid: vm.id, virtualmachinename: 'web1', virtualmachinedisplayname: 'web1', ipaddressid: ipId, ipaddress: address, state: 'Active' });
    const config = await routerConfigOf(f.t, network.id);
    expect(config?.portForwarding).toEqual([{ id: accepted.id, publicIp: address, protocol: 'tcp', publicStartPort: 2222, publicEndPort: 2222, privateIp: vm.guestIp, privateStartPort: 22, privateEndPort: 22 }]);
    // openfirewall: the public port is opened on the address's firewall too.
    expect((await rows(f, f.alice, { command: 'listFirewallRules', ipaddressid: ipId })).items).toEqual([expect.objectContaining({ protocol: 'tcp', startport: '2222', endport: '2222', state: 'Active' })]);
    expect((await rows(f, f.alice, { command: 'listPortForwardingRules' })).items).toEqual([rule]);
    expect((await rows(f, f.alice, { command: 'listPortForwardingRules', ipaddressid: ipId })).count).toBe(1);
    expect((await rows(f, f.bob, { command: 'listPortForwardingRules' })).body).toEqual({});

    const before = await networkFootprint(f.t.cloud);
    const overlapping = await call(f.api, f.alice, { command: 'createPortForwardingRule', ipaddressid: ipId, protocol: 'tcp', publicport: '2200', publicendport: '2300', privateport: '2200', privateendport: '2300', virtualmachineid: vm.id });
    expect(overlapping.status).toBe(537);
    const badRange = await call(f.api, f.alice, { command: 'createPortForwardingRule', ipaddressid: ipId, protocol: 'tcp', publicport: '80', publicendport: '90', privateport: '80', virtualmachineid: vm.id });
    expect(badRange.status).toBe(431);
    const icmp = await call(f.api, f.alice, { command: 'createPortForwardingRule', ipaddressid: ipId, protocol: 'icmp', publicport: '80', privateport: '80', virtualmachineid: vm.id });
    expect(icmp.status).toBe(431);
    expect(String(icmp.body.errortext)).toMatch(/protocol/);
    // Static NAT is refused on an address with port forwarding (guide 13.13.1).
    expect((await call(f.api, f.alice, { command: 'enableStaticNat', ipaddressid: ipId, virtualmachineid: vm.id })).status).toBe(431);
    expect(await networkFootprint(f.t.cloud)).toBe(before);

    expect((await call(f.api, f.bob, { command: 'deletePortForwardingRule', id: String(accepted.id) })).status).toBe(431);
    const deleted = await job(f, f.alice, { command: 'deletePortForwardingRule', id: String(accepted.id) });
    expect(deleted.result).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    expect((await routerConfigOf(f.t, network.id))?.portForwarding).toEqual([]);
    expect((await rows(f, f.alice, { command: 'listFirewallRules' })).body).toEqual({});
    expect((await rows(f, f.alice, { command: 'listPortForwardingRules' })).body).toEqual({});
  });

  it('load balancing: create, assign three members, a sticky policy, update, remove a member, delete; the router follows each step', async () => {
    const f = await networkApi();
    const { vms, network, ipId, address } = await withVmsAndIp(f, ['web1', 'web2', 'web3']);
    const { accepted, result } = await job(f, f.alice, { command: 'createLoadBalancerRule', publicipid: ipId, name: 'web', description: 'Web tier', algorithm: 'roundrobin', publicport: '80', privateport: '8080', networkid: network.id });
    expect(Object.keys(accepted)).toEqual(['id', 'jobid']);
    const id = String(accepted.id);
    expect((result.jobresult as { loadbalancer: Row }).loadbalancer).toMatchObject({ id, name: 'web', description: 'Web tier', publicipid: ipId, publicip: address, publicport: '80', privateport: '8080', algorithm: 'roundrobin', account: 'alice', domain: 'Comp1', domainid: f.t.domains.comp1.id, state: 'Active', zoneid: f.t.zone.id });
    const listed = await rows(f, f.alice, { command: 'listLoadBalancerRules', name: 'web', publicipid: ipId });
    expect(listed.items.map((r) => r.id)).toEqual([id]);

    const assigned = await job(f, f.alice, { command: 'assignToLoadBalancerRule', id, virtualmachineids: vms.map((v) => v.id).join(',') });
    expect(assigned.result).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    const members = await rows(f, f.alice, { command: 'listLoadBalancerRuleInstances', id });
    expect(members.count).toBe(3);
    expect(members.items.map((m) => (m.nic as Row[])[0]?.ipaddress).sort()).toEqual(vms.map((v) => v.guestIp).sort());
    expect((await rows(f, f.alice, { command: 'listLoadBalancerRuleInstances', id, applied: 'false' })).body).toEqual({});
    expect((await rows(f, f.alice, { command: 'listLoadBalancerRules', virtualmachineid: vms[1]!.id })).count).toBe(1);

    const sticky = await job(f, f.alice, { command: 'createLBStickinessPolicy', lbruleid: id, methodname: 'LbCookie', name: 'sticky', 'param[0].name': 'cookie-name', 'param[0].value': 'SRV', 'param[1].name': 'mode', 'param[1].value': 'insert' });
    expect(Object.keys(sticky.accepted)).toEqual(['id', 'jobid']);
    const policy = (sticky.result.jobresult as { stickinesspolicies: Row }).stickinesspolicies;
    expect(policy).toMatchObject({ lbruleid: id, name: 'sticky', account: 'alice', domainid: f.t.domains.comp1.id, zoneid: f.t.zone.id, stickinesspolicy: [{ id: sticky.accepted.id, name: 'sticky', methodname: 'LbCookie', state: 'Active', params: { 'cookie-name': 'SRV', mode: 'insert' } }] });
    let balancer = (await routerConfigOf(f.t, network.id))?.loadBalancers[0];
    expect(balancer).toMatchObject({ id, publicIp: address, publicPort: 80, privatePort: 8080, algorithm: 'roundrobin', stickiness: { method: 'LbCookie', name: 'sticky', params: { 'cookie-name': 'SRV', mode: 'insert' } } });
    expect([...(balancer?.members ?? [])].sort()).toEqual(vms.map((v) => v.guestIp).sort());
    expect((await rows(f, f.alice, { command: 'listLBStickinessPolicies', lbruleid: id })).items).toEqual([policy]);
    const second = await call(f.api, f.alice, { command: 'createLBStickinessPolicy', lbruleid: id, methodname: 'SourceBased', name: 'again' });
    expect(second.status).toBe(431);
    const badParam = await call(f.api, f.alice, { command: 'createLBStickinessPolicy', lbruleid: id, methodname: 'LbCookie', name: 'x', 'param[0].name': 'tablesize', 'param[0].value': '1k' });
    expect(badParam.status).toBe(431);
    expect(String(badParam.body.errortext)).toMatch(/tablesize/);

    const updated = await job(f, f.alice, { command: 'updateLoadBalancerRule', id, algorithm: 'leastconn', name: 'web-lc' });
    expect((updated.result.jobresult as { loadbalancer: Row }).loadbalancer).toMatchObject({ id, name: 'web-lc', algorithm: 'leastconn' });
    expect((await routerConfigOf(f.t, network.id))?.loadBalancers[0]?.algorithm).toBe('leastconn');

    const removed = await job(f, f.alice, { command: 'removeFromLoadBalancerRule', id, virtualmachineids: vms[1]!.id });
    expect(removed.result).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    balancer = (await routerConfigOf(f.t, network.id))?.loadBalancers[0];
    expect([...(balancer?.members ?? [])].sort()).toEqual([vms[0]!.guestIp, vms[2]!.guestIp].sort());
    expect((await rows(f, f.alice, { command: 'listLoadBalancerRuleInstances', id, applied: 'false' })).items.map((m) => m.id)).toEqual([vms[1]!.id]);

    expect((await call(f.api, f.bob, { command: 'deleteLBStickinessPolicy', id: String(sticky.accepted.id) })).status).toBe(431);
    const unsticky = await job(f, f.alice, { command: 'deleteLBStickinessPolicy', id: String(sticky.accepted.id) });
    expect(unsticky.result).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    expect((await routerConfigOf(f.t, network.id))?.loadBalancers[0]).not.toHaveProperty('stickiness');
    const deleted = await job(f, f.alice, { command: 'deleteLoadBalancerRule', id });
    expect(deleted.result).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    expect((await routerConfigOf(f.t, network.id))?.loadBalancers).toEqual([]);
    expect((await rows(f, f.alice, { command: 'listLoadBalancerRules' })).body).toEqual({});
  });

  it('createLoadBalancerRule refusals answer at once and leave nothing behind', async () => {
    const f = await networkApi();
    const { ipId } = await withVmsAndIp(f, ['web1']);
    const before = await networkFootprint(f.t.cloud);
    const base = { command: 'createLoadBalancerRule', publicipid: ipId, name: 'lb', algorithm: 'roundrobin', publicport: '80', privateport: '80' };
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ ...base, algorithm: 'random' }, 431, /algorithm/],
      [{ ...base, publicipid: '' }, 431, /publicipid/],
      [{ command: 'createLoadBalancerRule', name: 'lb', algorithm: 'roundrobin', publicport: '80', privateport: '80' }, 431, /publicipid/],
      [{ ...base, zoneid: '5b1c4a0e-0000-4000-8000-000000000001' }, 431, /zoneid/],
      [{ ...base, account: 'bob' }, 431, /account/],
      [{ ...base, publicport: '0' }, 431, /publicport|port/],
    ];
    for (const [params, status, text] of cases) {
      const reply = await call(f.api, f.alice, params);
      expect({ params, status: reply.status }).toEqual({ params, status });
      expect(String(reply.body.errortext)).toMatch(text);
    }
    expect((await call(f.api, f.bob, base)).status).toBe(431);
    expect(await networkFootprint(f.t.cloud)).toBe(before);
  });
});
