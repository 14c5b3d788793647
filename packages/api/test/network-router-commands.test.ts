import { describe, expect, it } from 'vitest';
import { call } from './support/core-api.js';
import { deployVm, job, networkApi, rows, type Row } from './support/network-api.js';

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/;

describe('virtual router commands over a real core cloud (advanced zone, simulator)', () => {
  it('listRouters shows the router of an implemented network in 4.1 field names; users get 432', async () => {
    const f = await networkApi();
    await deployVm(f, f.alice, { name: 'web1' });
    const [network] = (await f.t.cloud.as(f.t.as.alice).networks.list({})).items;
    const [stored] = (await f.t.cloud.system.routers.list({})).items;
    const listed = await rows(f, f.admin, { command: 'listRouters' });
    expect(listed).toMatchObject({ status: 200, count: 1 });
    const host = f.t.hosts.find((h) => h.id === stored?.hostId);
    expect(listed.items[0]).toEqual({
      id: stored?.id,
      zoneid: f.t.zone.id,
      zonename: 'adv',
      dns1: '8.8.8.8',
      networkdomain: network?.networkDomain,
      gateway: '203.0.113.1',
      name: stored?.name,
      podid: f.t.pod.id,
      hostid: stored?.hostId,
      hostname: host?.name,
      linklocalip: expect.stringMatching(/^169\.254\./) as unknown,
      linklocalnetmask: '255.255.0.0',
      publicip: expect.stringMatching(/^203\.0\.113\./) as unknown,
      publicmacaddress: stored?.publicMac,
      publicnetmask: '255.255.255.0',
      guestipaddress: '10.1.1.1',
      guestmacaddress: stored?.guestMac,
      guestnetmask: '255.255.255.0',
      guestnetworkid: network?.id,
      created: expect.stringMatching(DATE) as unknown,
      state: 'Running',
      account: 'alice',
      domainid: f.t.domains.comp1.id,
      domain: 'Comp1',
      serviceofferingid: stored?.serviceOfferingId,
      serviceofferingname: expect.any(String) as unknown,
      isredundantrouter: false,
      redundantstate: 'UNKNOWN',
    });
    expect(host).toBeDefined();
    // Filters; the domain admin of /Comp1/ sees alice's router, the one of /Comp2/ would not.
    expect((await rows(f, f.admin, { command: 'listRouters', networkid: network?.id ?? '' })).count).toBe(1);
    expect((await rows(f, f.admin, { command: 'listRouters', state: 'stopped' })).body).toEqual({});
    expect((await rows(f, f.admin, { command: 'listRouters', state: 'Unknown' })).body).toEqual({});
    expect((await rows(f, f.admin1, { command: 'listRouters' })).count).toBe(1);
    expect((await rows(f, f.admin, { command: 'listRouters', vpcid: '5b1c4a0e-0000-4000-8000-000000000001' })).status).toBe(431);
    const denied = await call(f.api, f.alice, { command: 'listRouters' });
    expect(denied.status).toBe(432);
  });

  it('stopRouter, startRouter, rebootRouter and destroyRouter are DomainRouter jobs answering the domainrouter', async () => {
    const f = await networkApi();
    await deployVm(f, f.alice, { name: 'web1' });
    const [router] = (await f.t.cloud.system.routers.list({})).items;
    const id = router?.id ?? '';

    const stopped = await job(f, f.admin, { command: 'stopRouter', id });
    expect(stopped.result).toMatchObject({ jobstatus: 1, cmd: 'stopRouter' });
    const stoppedView = (stopped.result.jobresult as { domainrouter: Row }).domainrouter;
    expect(stoppedView).toMatchObject({ id, state: 'Stopped' });
    expect(stoppedView).not.toHaveProperty('hostid');

    // A stopped router cannot be stopped again: the job fails with core's reason.
    const again = await job(f, f.admin, { command: 'stopRouter', id });
    expect(again.result).toMatchObject({ jobstatus: 2, jobresultcode: 530 });
    expect((again.result.jobresult as Row).errortext).toMatch(/Stopped/);

    const started = await job(f, f.admin, { command: 'startRouter', id });
    expect((started.result.jobresult as { domainrouter: Row }).domainrouter).toMatchObject({ id, state: 'Running', hostid: expect.any(String) as unknown });
    const rebooted = await job(f, f.admin, { command: 'rebootRouter', id });
    expect((rebooted.result.jobresult as { domainrouter: Row }).domainrouter).toMatchObject({ id, state: 'Running' });
    expect(f.t.sim.lab.routerConfig(router?.name ?? '')?.dhcp.map((d) => d.hostName)).toEqual(['web1']);

    // Pending, the job names its router.
    const accepted = await call(f.api, f.admin, { command: 'destroyRouter', id });
    const pending = await call(f.api, f.admin, { command: 'queryAsyncJobResult', jobid: String(accepted.body.jobid) });
    if (pending.body.jobstatus === 0) expect(pending.body).toMatchObject({ jobinstancetype: 'DomainRouter', jobinstanceid: id });
    await f.t.cloud.system.jobs.wait(String(accepted.body.jobid));
    const destroyed = await call(f.api, f.admin, { command: 'queryAsyncJobResult', jobid: String(accepted.body.jobid) });
    const destroyedView = (destroyed.body.jobresult as { domainrouter: Row }).domainrouter;
    expect(destroyedView).toMatchObject({ id, state: 'Destroyed', name: router?.name });
    expect(destroyedView).not.toHaveProperty('hostid');
    expect((await rows(f, f.admin, { command: 'listRouters' })).body).toEqual({});
    expect(f.t.sim.lab.routerConfig(router?.name ?? '')).toBeUndefined();

    // An unknown router is refused at accept, with no job.
    const unknown = await call(f.api, f.admin, { command: 'startRouter', id });
    expect(unknown.status).toBe(431);
    expect(unknown.body).not.toHaveProperty('jobid');
    expect((await call(f.api, f.alice, { command: 'stopRouter', id })).status).toBe(432);
  });
});
