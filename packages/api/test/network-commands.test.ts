import { describe, expect, it } from 'vitest';
import { networkFootprint } from '../../core/test/networks/network-fixtures.js';
import { call } from './support/core-api.js';
import { deployVm, job, networkApi, rows, type Row } from './support/network-api.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('guest network commands over a real core cloud (advanced zone, simulator)', () => {
  it('createNetwork answers the network in 4.1 field names; listNetworks shows it with its offering services, zone DNS and owner', async () => {
    const f = await networkApi();
    const created = await call(f.api, f.alice, { command: 'createNetwork', name: 'web', displaytext: 'Web tier', networkofferingid: f.t.isolatedOffering.id, zoneid: f.t.zone.id, networkdomain: 'web.example' });
    expect(created.status).toBe(200);
    const network = created.body.network as Row;
    expect(network).toEqual({
      id: expect.stringMatching(UUID) as unknown,
      name: 'web',
      displaytext: 'Web tier',
      broadcastdomaintype: 'Vlan',
      traffictype: 'Guest',
      gateway: '10.1.1.1',
      netmask: '255.255.255.0',
      cidr: '10.1.1.0/24',
      zoneid: f.t.zone.id,
      zonename: 'adv',
      networkofferingid: f.t.isolatedOffering.id,
      networkofferingname: 'DefaultIsolatedNetworkOfferingWithSourceNatService',
      networkofferingdisplaytext: f.t.isolatedOffering.displayText,
      networkofferingavailability: 'Required',
      issystem: false,
      state: 'Allocated',
      related: network.id,
      dns1: '8.8.8.8',
      type: 'Isolated',
      acltype: 'Account',
      account: 'alice',
      domainid: f.t.domains.comp1.id,
      domain: 'Comp1',
      service: expect.any(Array) as unknown,
      networkdomain: 'web.example',
      physicalnetworkid: f.t.physical.id,
      restartrequired: false,
      specifyipranges: false,
      canusefordeploy: true,
      ispersistent: false,
    });
    const services = network.service as { name: string; provider: { name: string }[]; capability?: { name: string; value: string }[] }[];
    expect(services.map((s) => s.name)).toEqual(f.t.isolatedOffering.services.map((s) => s.service));
    expect(services.find((s) => s.name === 'SourceNat')).toMatchObject({ provider: [{ name: 'VirtualRouter' }], capability: expect.arrayContaining([{ name: 'SupportedSourceNatTypes', value: 'peraccount', canchooseservicecapability: false }]) as unknown });
    expect(services.find((s) => s.name === 'Lb')?.capability).toContainEqual({ name: 'SupportedLBAlgorithms', value: 'roundrobin,leastconn,source', canchooseservicecapability: false });

    const listed = await rows(f, f.alice, { command: 'listNetworks' });
    expect(listed).toMatchObject({ status: 200, count: 1 });
    expect(listed.items).toEqual([network]);
    // Another tenant sees nothing of it; an admin sees it with listall.
    expect((await rows(f, f.bob, { command: 'listNetworks' })).body).toEqual({});
    expect((await rows(f, f.admin, { command: 'listNetworks', listall: 'true' })).items.map((n) => n.id)).toEqual([network.id]);
    expect((await rows(f, f.admin, { command: 'listNetworks' })).body).toEqual({});
  });

  it('a VM deployed with networkids lands on the network, which gets a VLAN (vlan://N to everyone, the bare vlan to root admins only)', async () => {
    const f = await networkApi();
    const created = await call(f.api, f.alice, { command: 'createNetwork', name: 'app', displaytext: 'App', networkofferingid: f.t.isolatedOffering.id, zoneid: f.t.zone.id });
    const networkId = String((created.body.network as Row).id);
    const { vm } = await deployVm(f, f.alice, { name: 'app1', networkids: networkId, ipaddress: '10.1.1.50' });
    expect(vm.state).toBe('Running');
    const nic = (vm.nic as Row[])[0];
    const [asAlice] = (await rows(f, f.alice, { command: 'listNetworks', id: networkId })).items;
    expect(asAlice?.state).toBe('Implemented');
    expect(asAlice?.broadcasturi).toMatch(/^vlan:\/\/10\d$/);
    expect(nic).toEqual({
      id: expect.stringMatching(UUID) as unknown,
      networkid: networkId,
      networkname: 'app',
      netmask: '255.255.255.0',
      gateway: '10.1.1.1',
      ipaddress: '10.1.1.50',
      isolationuri: asAlice?.broadcasturi,
      broadcasturi: asAlice?.broadcasturi,
      traffictype: 'Guest',
      type: 'Isolated',
      isdefault: true,
      macaddress: expect.stringMatching(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/) as unknown,
    });
    // listVirtualMachines by network: the VM on it, not alice's VM elsewhere; another tenant's view of the network is refused.
    const other = await call(f.api, f.alice, { command: 'createNetwork', name: 'other', displaytext: 'Other', networkofferingid: f.t.isolatedOffering.id, zoneid: f.t.zone.id, gateway: '10.7.0.1', netmask: '255.255.255.0' });
    await deployVm(f, f.alice, { name: 'elsewhere', networkids: String((other.body.network as Row).id) });
    const onNetwork = await rows(f, f.alice, { command: 'listVirtualMachines', networkid: networkId });
    expect(onNetwork.items.map((v) => v.name)).toEqual(['app1']);
    expect(onNetwork.count).toBe(1);
    expect((await rows(f, f.alice, { command: 'listVirtualMachines' })).count).toBe(2);
    expect((await rows(f, f.bob, { command: 'listVirtualMachines', networkid: networkId })).status).toBe(431);
    expect(asAlice).not.toHaveProperty('vlan');
    const [asAdmin] = (await rows(f, f.admin, { command: 'listNetworks', id: networkId, listall: 'true' })).items;
    expect(asAdmin?.vlan).toBe(String(asAlice?.broadcasturi).slice('vlan://'.length));

    // The address is taken: a second VM asking for it is refused at accept, leaving nothing behind.
    const before = await networkFootprint(f.t.cloud);
    const taken = await call(f.api, f.alice, { command: 'deployVirtualMachine', zoneid: f.t.zone.id, templateid: f.t.template.id, serviceofferingid: f.t.offering.id, networkids: networkId, ipaddress: '10.1.1.50' });
    expect(taken.status).toBe(431);
    expect(String(taken.body.errortext)).toMatch(/10\.1\.1\.50/);
    // bob cannot deploy into alice's network.
    const foreign = await call(f.api, f.bob, { command: 'deployVirtualMachine', zoneid: f.t.zone.id, templateid: f.t.template.id, serviceofferingid: f.t.offering.id, networkids: networkId });
    expect(foreign.status).toBe(431);
    expect(await networkFootprint(f.t.cloud)).toBe(before);
  });

  it('listNetworks filters: type, acltype, supportedservices, specifyipranges, canusefordeploy, keyword, paging', async () => {
    const f = await networkApi();
    for (const name of ['alpha', 'beta', 'gamma']) {
      const reply = await call(f.api, f.alice, { command: 'createNetwork', name, displaytext: `${name} tier`, networkofferingid: f.t.isolatedOffering.id, zoneid: f.t.zone.id, gateway: `10.2.${name.length}.1`, netmask: '255.255.255.0' });
      expect(reply.status).toBe(200);
    }
    const shared = (await f.t.cloud.system.networkOfferings.list({ name: 'DefaultSharedNetworkOffering' })).items[0];
    const sharedReply = await call(f.api, f.admin, { command: 'createNetwork', name: 'shared', displaytext: 'Shared', networkofferingid: shared?.id ?? '', zoneid: f.t.zone.id, vlan: '300', gateway: '172.16.0.1', netmask: '255.255.255.0', startip: '172.16.0.10', endip: '172.16.0.20' });
    expect(sharedReply.status).toBe(200);
    expect(sharedReply.body.network).toMatchObject({ type: 'Shared', acltype: 'Domain', subdomainaccess: true, broadcasturi: 'vlan://300', vlan: '300', domain: 'ROOT', specifyipranges: true, canusefordeploy: true });
    expect(sharedReply.body.network).not.toHaveProperty('account');

    // Created within the same instant of the fixture's clock, so compared as sets.
    const names = async (params: Record<string, string>) => (await rows(f, f.alice, { command: 'listNetworks', ...params })).items.map((n) => String(n.name)).sort();
    expect(await names({})).toEqual(['alpha', 'beta', 'gamma', 'shared']);
    expect(await names({ type: 'shared' })).toEqual(['shared']);
    expect(await names({ acltype: 'Account' })).toEqual(['alpha', 'beta', 'gamma']);
    expect(await names({ supportedservices: 'Lb,SourceNat' })).toEqual(['alpha', 'beta', 'gamma']);
    expect(await names({ specifyipranges: 'true' })).toEqual(['shared']);
    expect(await names({ forvpc: 'true' })).toEqual([]);
    expect(await names({ canusefordeploy: 'true' })).toEqual(['alpha', 'beta', 'gamma', 'shared']);
    expect(await names({ keyword: 'GAM' })).toEqual(['gamma']);
    expect(await names({ issystem: 'true' })).toEqual([]);
    const page = await rows(f, f.alice, { command: 'listNetworks', page: '2', pagesize: '3' });
    const first = await rows(f, f.alice, { command: 'listNetworks', page: '1', pagesize: '3' });
    expect([first.count, first.items.length, page.count, page.items.length]).toEqual([4, 3, 4, 1]);
    expect([...first.items, ...page.items].map((n) => String(n.name)).sort()).toEqual(['alpha', 'beta', 'gamma', 'shared']);
    expect((await rows(f, f.alice, { command: 'listNetworks', pagesize: '3' })).status).toBe(431);
    expect((await rows(f, f.alice, { command: 'listNetworks', projectid: '5b1c4a0e-0000-4000-8000-000000000009' })).status).toBe(431);
  });

  it('createNetwork refusals answer at once with the parameter named and leave nothing behind', async () => {
    const f = await networkApi();
    const before = await networkFootprint(f.t.cloud);
    const base = { command: 'createNetwork', name: 'n', displaytext: 'n', networkofferingid: f.t.isolatedOffering.id, zoneid: f.t.zone.id };
    const shared = (await f.t.cloud.system.networkOfferings.list({ name: 'DefaultSharedNetworkOffering' })).items[0];
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ ...base, networkofferingid: '5b1c4a0e-0000-4000-8000-000000000001' }, 431, /networkofferingid/],
      [{ ...base, gateway: '10.9.0.1' }, 431, /netmask/],
      [{ ...base, vlan: '105' }, 531, /VLAN/],
      [{ ...base, vpcid: '5b1c4a0e-0000-4000-8000-000000000002' }, 431, /vpcid/],
      [{ ...base, ip6cidr: 'fd00::/64' }, 431, /ip6cidr/],
      [{ ...base, acltype: 'nobody' }, 431, /acltype/],
      [{ ...base, networkofferingid: shared?.id ?? '', vlan: '301', gateway: '172.16.1.1', netmask: '255.255.255.0', startip: '172.16.1.10' }, 531, /shared/],
      [{ command: 'createNetwork', name: 'n', networkofferingid: f.t.isolatedOffering.id, zoneid: f.t.zone.id }, 431, /missing parameter displaytext/],
    ];
    for (const [params, status, text] of cases) {
      const reply = await call(f.api, f.alice, params);
      expect({ params, status: reply.status }).toEqual({ params, status });
      expect(String(reply.body.errortext)).toMatch(text);
    }
    expect(await networkFootprint(f.t.cloud)).toBe(before);
  });

  it('updateNetwork, restartNetwork and deleteNetwork run as jobs; refusals fail the job with the core reason', async () => {
    const f = await networkApi();
    const created = await call(f.api, f.alice, { command: 'createNetwork', name: 'svc', displaytext: 'Service', networkofferingid: f.t.isolatedOffering.id, zoneid: f.t.zone.id });
    const id = String((created.body.network as Row).id);

    const updated = await job(f, f.alice, { command: 'updateNetwork', id, name: 'svc2', displaytext: 'Service two', networkdomain: 'svc.example' });
    expect(Object.keys(updated.accepted)).toEqual(['jobid']);
    expect(updated.result).toMatchObject({ jobstatus: 1, jobresultcode: 0, cmd: 'updateNetwork' });
    expect((updated.result.jobresult as { network: Row }).network).toMatchObject({ id, name: 'svc2', displaytext: 'Service two', networkdomain: 'svc.example', state: 'Allocated' });
    expect((await call(f.api, f.alice, { command: 'updateNetwork', id, changecidr: 'true' })).status).toBe(431);

    // 4.1 restarts only an implemented network.
    const early = await job(f, f.alice, { command: 'restartNetwork', id });
    expect(early.result).toMatchObject({ jobstatus: 2, jobresultcode: 530 });
    expect((early.result.jobresult as Row).errortext).toMatch(/Implemented/);

    const { id: vmId } = await deployVm(f, f.alice, { name: 'svc-vm', networkids: id });
    const routerBefore = (await f.t.cloud.system.routers.list({ networkId: id })).items[0];
    const restarted = await job(f, f.alice, { command: 'restartNetwork', id, cleanup: 'false' });
    expect((restarted.result.jobresult as { network: Row }).network).toMatchObject({ id, state: 'Implemented', restartrequired: false });
    expect((await f.t.cloud.system.routers.list({ networkId: id })).items[0]?.name).toBe(routerBefore?.name);
    // Without cleanup given, 4.1 cleans up: a new router.
    await job(f, f.alice, { command: 'restartNetwork', id });
    expect((await f.t.cloud.system.routers.list({ networkId: id })).items[0]?.name).not.toBe(routerBefore?.name);

    const inUse = await job(f, f.alice, { command: 'deleteNetwork', id });
    expect(inUse.result).toMatchObject({ jobstatus: 2, jobresultcode: 530 });
    expect((inUse.result.jobresult as Row).errortext).toMatch(/svc-vm/);
    const foreign = await call(f.api, f.bob, { command: 'deleteNetwork', id });
    expect(foreign.status).toBe(431);
    expect(foreign.body).not.toHaveProperty('jobid');

    await job(f, f.alice, { command: 'destroyVirtualMachine', id: vmId });
    await f.t.cloud.system.vms.expunge({ id: vmId });
    const deleted = await job(f, f.alice, { command: 'deleteNetwork', id });
    expect(deleted.result).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    expect((await rows(f, f.alice, { command: 'listNetworks' })).body).toEqual({});
    const after = JSON.parse(await networkFootprint(f.t.cloud)) as { networks: unknown[]; publicIps: unknown[]; routers: unknown[] };
    expect(after).toMatchObject({ networks: [], publicIps: [], routers: [] });
  });
});
