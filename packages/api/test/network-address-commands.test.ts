import { describe, expect, it } from 'vitest';
import { networkFootprint, routerConfigOf } from '../../core/test/networks/network-fixtures.js';
import { call } from './support/core-api.js';
import { deployVm, job, networkApi, rows, type NetworkApiFixture, type Row } from './support/network-api.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/;

/** alice's first VM, which implements her isolated network with its source NAT address and router. */
async function withVm(f: NetworkApiFixture) {
  const { id: vmId, vm } = await deployVm(f, f.alice, { name: 'web1' });
  const [network] = (await f.t.cloud.as(f.t.as.alice).networks.list({})).items;
  if (network === undefined) throw new Error('alice has no network');
  return { vmId, vm, network, guestIp: String((vm.nic as Row[])[0]?.ipaddress) };
}

describe('public IP, static NAT and firewall commands over a real core cloud (advanced zone, simulator)', () => {
  it('listPublicIpAddresses shows the source NAT address; associateIpAddress acquires another as an async-create job', async () => {
    const f = await networkApi();
    const { network } = await withVm(f);
    const listed = await rows(f, f.alice, { command: 'listPublicIpAddresses' });
    expect(listed).toMatchObject({ status: 200, count: 1 });
    const [sourceNat] = listed.items;
    expect(sourceNat).toEqual({
      id: expect.stringMatching(UUID) as unknown,
      ipaddress: expect.stringMatching(/^203\.0\.113\.\d+$/) as unknown,
      allocated: expect.stringMatching(DATE) as unknown,
      zoneid: f.t.zone.id,
      zonename: 'adv',
      issourcenat: true,
      account: 'alice',
      domainid: f.t.domains.comp1.id,
      domain: 'Comp1',
      forvirtualnetwork: true,
      isstaticnat: false,
      issystem: false,
      associatednetworkid: network.id,
      associatednetworkname: network.name,
      state: 'Allocated',
      physicalnetworkid: f.t.physical.id,
    });
    // Root admins also see the public range (vlanid) and its VLAN tag.
    const [asAdmin] = (await rows(f, f.admin, { command: 'listPublicIpAddresses', listall: 'true' })).items;
    expect(asAdmin).toMatchObject({ id: sourceNat?.id, vlanid: f.t.publicRange.id, vlanname: '50' });

    // Libcloud's ex_allocate_public_ip sends only the zone: the account's one isolated network there.
    const { accepted, result } = await job(f, f.alice, { command: 'associateIpAddress', zoneid: f.t.zone.id });
    expect(Object.keys(accepted)).toEqual(['id', 'jobid']);
    expect(result).toMatchObject({ jobstatus: 1, jobresultcode: 0, cmd: 'associateIpAddress' });
    const acquired = (result.jobresult as { ipaddress: Row }).ipaddress;
    expect(acquired).toMatchObject({ id: accepted.id, issourcenat: false, isstaticnat: false, state: 'Allocated', associatednetworkid: network.id });
    expect((await routerConfigOf(f.t, network.id))?.publicIps).toContain(acquired.ipaddress);
    expect((await rows(f, f.alice, { command: 'listPublicIpAddresses', issourcenat: 'false' })).items.map((ip) => ip.id)).toEqual([accepted.id]);
    expect((await rows(f, f.alice, { command: 'listPublicIpAddresses', associatednetworkid: network.id })).count).toBe(2);
    expect((await rows(f, f.alice, { command: 'listPublicIpAddresses', ipaddress: String(acquired.ipaddress) })).count).toBe(1);
    expect((await rows(f, f.bob, { command: 'listPublicIpAddresses' })).body).toEqual({});

    // Refusals at accept leave nothing behind.
    const before = await networkFootprint(f.t.cloud);
    expect((await call(f.api, f.bob, { command: 'associateIpAddress', networkid: network.id })).status).toBe(431);
    expect((await call(f.api, f.alice, { command: 'associateIpAddress', networkid: network.id, vpcid: '5b1c4a0e-0000-4000-8000-000000000001' })).status).toBe(431);
    expect((await call(f.api, f.alice, { command: 'associateIpAddress' })).status).toBe(431);
    expect((await call(f.api, f.alice, { command: 'listPublicIpAddresses', forloadbalancing: 'true' })).status).toBe(431);
    expect(await networkFootprint(f.t.cloud)).toBe(before);

    // The source NAT address is never released: the job fails with core's reason.
    const refused = await job(f, f.alice, { command: 'disassociateIpAddress', id: String(sourceNat?.id) });
    expect(refused.result).toMatchObject({ jobstatus: 2, jobresultcode: 530 });
    expect((refused.result.jobresult as Row).errortext).toMatch(/source NAT/);
    const released = await job(f, f.alice, { command: 'disassociateIpAddress', id: String(accepted.id) });
    expect(released.result).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    expect((await rows(f, f.alice, { command: 'listPublicIpAddresses' })).count).toBe(1);
    expect((await routerConfigOf(f.t, network.id))?.publicIps).not.toContain(acquired.ipaddress);
  });

  it('firewall rules: create (async-create, on the router), list, 537 for the same rule, refusals naming the parameter, delete', async () => {
    const f = await networkApi();
    const { network } = await withVm(f);
    const ip = (await job(f, f.alice, { command: 'associateIpAddress', networkid: network.id })).result.jobresult as { ipaddress: Row };
    const ipId = String(ip.ipaddress.id);

    const { accepted, result } = await job(f, f.alice, { command: 'createFirewallRule', ipaddressid: ipId, protocol: 'TCP', startport: '22', endport: '23', cidrlist: '10.0.0.0/8,192.168.1.0/24' });
    expect(Object.keys(accepted)).toEqual(['id', 'jobid']);
    const rule = (result.jobresult as { firewallrule: Row }).firewallrule;
    expect(rule).toEqual({ id: accepted.id, protocol: 'tcp', startport: '22', endport: '23', ipaddressid: ipId, ipaddress: ip.ipaddress.ipaddress, state: 'Active', cidrlist: '10.0.0.0/8,192.168.1.0/24' });
    expect((await routerConfigOf(f.t, network.id))?.firewall).toEqual([{ id: accepted.id, publicIp: ip.ipaddress.ipaddress, protocol: 'tcp', startPort: 22, endPort: 23, cidrs: ['10.0.0.0/8', '192.168.1.0/24'] }]);
    const icmp = await job(f, f.alice, { command: 'createFirewallRule', ipaddressid: ipId, protocol: 'icmp', icmptype: '8', icmpcode: '0' });
    expect((icmp.result.jobresult as { firewallrule: Row }).firewallrule).toMatchObject({ protocol: 'icmp', icmptype: 8, icmpcode: 0, cidrlist: '0.0.0.0/0' });
    expect((icmp.result.jobresult as { firewallrule: Row }).firewallrule).not.toHaveProperty('startport');

    const listed = await rows(f, f.alice, { command: 'listFirewallRules', ipaddressid: ipId });
    expect(listed.count).toBe(2);
    expect(listed.items.find((r) => r.id === accepted.id)).toEqual(rule);

    const before = await networkFootprint(f.t.cloud);
    const duplicate = await call(f.api, f.alice, { command: 'createFirewallRule', ipaddressid: ipId, protocol: 'tcp', startport: '23', endport: '23', cidrlist: '10.0.0.0/8,192.168.1.0/24' });
    expect(duplicate.status).toBe(537);
    for (const [params, param] of [
      [{ protocol: 'tcp', startport: '70000' }, /startport/],
      [{ protocol: 'tcp', startport: '30', endport: '20' }, /endport/],
      [{ protocol: 'icmp', startport: '22' }, /startport/],
      [{ protocol: 'gre' }, /protocol/],
      [{ protocol: 'tcp', cidrlist: 'not-a-cidr' }, /cidr/i],
    ] as const) {
      const reply = await call(f.api, f.alice, { command: 'createFirewallRule', ipaddressid: ipId, ...params });
      expect({ params, status: reply.status }).toEqual({ params, status: 431 });
      expect(String(reply.body.errortext)).toMatch(param);
    }
    expect((await call(f.api, f.bob, { command: 'createFirewallRule', ipaddressid: ipId, protocol: 'tcp' })).status).toBe(431);
    expect(await networkFootprint(f.t.cloud)).toBe(before);

    // An address with rules is not released.
    const inUse = await job(f, f.alice, { command: 'disassociateIpAddress', id: ipId });
    expect(inUse.result).toMatchObject({ jobstatus: 2 });
    expect((inUse.result.jobresult as Row).errortext).toMatch(/rule/);

    expect((await call(f.api, f.bob, { command: 'deleteFirewallRule', id: String(accepted.id) })).status).toBe(431);
    const deleted = await job(f, f.alice, { command: 'deleteFirewallRule', id: String(accepted.id) });
    expect(deleted.result).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    expect((await routerConfigOf(f.t, network.id))?.firewall.map((r) => r.protocol)).toEqual(['icmp']);
    expect((await rows(f, f.alice, { command: 'listFirewallRules' })).count).toBe(1);
  });

  it('egress rules: create on the network (router default deny, then the rule), list with networkid, delete', async () => {
    const f = await networkApi();
    const { network } = await withVm(f);
    const { accepted, result } = await job(f, f.alice, { command: 'createEgressFirewallRule', networkid: network.id, protocol: 'tcp', startport: '80', cidrlist: '0.0.0.0/0' });
    const rule = (result.jobresult as { firewallrule: Row }).firewallrule;
    expect(rule).toEqual({ id: accepted.id, protocol: 'tcp', startport: '80', endport: '80', networkid: network.id, state: 'Active', cidrlist: '0.0.0.0/0' });
    const egress = (await routerConfigOf(f.t, network.id))?.egress;
    expect(egress?.defaultPolicy).toBe('deny');
    expect(egress?.rules).toEqual([{ id: accepted.id, protocol: 'tcp', startPort: 80, endPort: 80, cidrs: ['0.0.0.0/0'] }]);
    expect((await rows(f, f.alice, { command: 'listEgressFirewallRules', networkid: network.id })).items).toEqual([rule]);
    // Ingress and egress lists are separate.
    expect((await rows(f, f.alice, { command: 'listFirewallRules' })).body).toEqual({});
    expect((await call(f.api, f.alice, { command: 'createEgressFirewallRule', networkid: network.id, protocol: 'tcp', startport: '80' })).status).toBe(537);
    expect((await call(f.api, f.bob, { command: 'createEgressFirewallRule', networkid: network.id, protocol: 'all' })).status).toBe(431);
    const deleted = await job(f, f.alice, { command: 'deleteEgressFirewallRule', id: String(accepted.id) });
    expect(deleted.result).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    expect((await routerConfigOf(f.t, network.id))?.egress.rules).toEqual([]);
    expect((await rows(f, f.alice, { command: 'listEgressFirewallRules' })).body).toEqual({});
  });

  it('static NAT: enableStaticNat (sync success) maps the address to the VM, shown in listPublicIpAddresses and listIpForwardingRules; disableStaticNat is a job', async () => {
    const f = await networkApi();
    const { vmId, network, guestIp } = await withVm(f);
    const ip = ((await job(f, f.alice, { command: 'associateIpAddress', networkid: network.id })).result.jobresult as { ipaddress: Row }).ipaddress;
    const ipId = String(ip.id);
    const sourceNat = (await rows(f, f.alice, { command: 'listPublicIpAddresses', issourcenat: 'true' })).items[0];

    // Refusals change nothing: static NAT on the source NAT address, another tenant's VM.
    const before = await networkFootprint(f.t.cloud);
    const onSourceNat = await call(f.api, f.alice, { command: 'enableStaticNat', ipaddressid: String(sourceNat?.id), virtualmachineid: vmId });
    expect(onSourceNat.status).toBe(431);
    expect((await call(f.api, f.bob, { command: 'enableStaticNat', ipaddressid: ipId, virtualmachineid: vmId })).status).toBe(431);
    expect(await networkFootprint(f.t.cloud)).toBe(before);

    const enabled = await call(f.api, f.alice, { command: 'enableStaticNat', ipaddressid: ipId, virtualmachineid: vmId });
    expect(enabled).toMatchObject({ status: 200, body: { success: 'true' } });
    expect((await routerConfigOf(f.t, network.id))?.staticNat).toEqual([{ publicIp: ip.ipaddress, privateIp: guestIp }]);
    const [mapped] = (await rows(f, f.alice, { command: 'listPublicIpAddresses', isstaticnat: 'true' })).items;
    expect(mapped).toMatchObject({ id: ipId, isstaticnat: true, virtualmachineid: vmId, virtualmachinename: 'web1', virtualmachinedisplayname: 'web1' });
    const forwarding = await rows(f, f.alice, { command: 'listIpForwardingRules' });
    expect(forwarding.items).toEqual([{ id: ipId, protocol: 'all', virtualmachineid: vmId, virtualmachinename: 'web1', virtualmachinedisplayname: 'web1', ipaddressid: ipId, ipaddress: ip.ipaddress, startport: 1, endport: 65535, state: 'Active' }]);
    expect((await rows(f, f.alice, { command: 'listIpForwardingRules', virtualmachineid: vmId })).count).toBe(1);
    expect((await rows(f, f.alice, { command: 'listIpForwardingRules', ipaddressid: String(sourceNat?.id) })).body).toEqual({});
    expect((await rows(f, f.bob, { command: 'listIpForwardingRules' })).body).toEqual({});

    const twice = await call(f.api, f.alice, { command: 'enableStaticNat', ipaddressid: ipId, virtualmachineid: vmId });
    expect(twice.status).toBe(431);
    const disabled = await job(f, f.alice, { command: 'disableStaticNat', ipaddressid: ipId });
    expect(disabled.result).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    expect((await routerConfigOf(f.t, network.id))?.staticNat).toEqual([]);
    expect((await rows(f, f.alice, { command: 'listIpForwardingRules' })).body).toEqual({});
    const again = await job(f, f.alice, { command: 'disableStaticNat', ipaddressid: ipId });
    expect(again.result).toMatchObject({ jobstatus: 2, jobresultcode: 530 });
  });
});
