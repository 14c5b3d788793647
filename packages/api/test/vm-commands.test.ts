import { JobRunner } from '@cloudstack-sdk/core';
import { describe, expect, it } from 'vitest';
import { vmFootprint } from '../../core/test/vms/vm-fixtures.js';
import { get, signedQuery } from './support/api-fixture.js';
import { call, callAsync } from './support/core-api.js';
import type { TestUser } from './support/test-authenticator.js';
import { deployParams, vmApi, type VmApiFixture } from './support/vm-api.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

type Row = Record<string, unknown>;

/** Deploys through the API and waits for the job: the accept reply and the job's result. */
async function deploy(f: VmApiFixture, who: TestUser, extra: Record<string, string> = {}) {
  return callAsync({ api: f.api, cloud: f.t.cloud }, who, deployParams(f, extra));
}

async function listed(f: VmApiFixture, who: TestUser, extra: Record<string, string> = {}) {
  const reply = await call(f.api, who, { command: 'listVirtualMachines', ...extra });
  expect(reply.status).toBe(200);
  return { count: reply.body.count, rows: (reply.body.virtualmachine as Row[] | undefined) ?? [], body: reply.body };
}

describe('VM commands over a real core cloud (basic zone, simulator hosts)', () => {
  it('deployVirtualMachine answers {id, jobid}; the job result is the Running VM with 4.1 field names', async () => {
    const f = await vmApi();
    const { accepted, result } = await deploy(f, f.alice, { name: 'web-1', displayname: 'Web one', group: 'web', userdata: Buffer.from('#!/bin/sh\necho hi').toString('base64') });
    expect(Object.keys(accepted)).toEqual(['id', 'jobid']);
    expect(accepted.id).toMatch(UUID);
    expect(result).toMatchObject({ jobstatus: 1, jobresultcode: 0, jobresulttype: 'object', cmd: 'deployVirtualMachine' });
    const vm = (result.jobresult as { virtualmachine: Row }).virtualmachine;
    const stored = await f.t.cloud.system.vms.get({ id: String(accepted.id) });
    const host = f.t.hosts.find((h) => h.id === stored.hostId);
    expect(vm).toEqual({
      id: accepted.id,
      name: 'web-1',
      displayname: 'Web one',
      account: 'alice',
      domainid: f.t.domains.comp1.id,
      domain: 'Comp1',
      created: expect.stringMatching(DATE) as unknown,
      state: 'Running',
      haenable: false,
      group: 'web',
      zoneid: f.t.zone.id,
      zonename: 'basic',
      hostid: stored.hostId,
      hostname: host?.name,
      templateid: f.t.template.id,
      templatename: 'centos',
      templatedisplaytext: 'CentOS',
      passwordenabled: true,
      serviceofferingid: f.t.offering.id,
      serviceofferingname: 'small',
      cpunumber: 1,
      cpuspeed: 500,
      memory: 512,
      guestosid: f.t.template.osTypeId,
      nic: [
        {
          id: expect.stringMatching(UUID) as unknown,
          netmask: '255.255.255.0',
          gateway: '192.168.10.1',
          ipaddress: expect.stringMatching(/^192\.168\.10\.1\d\d$/) as unknown,
          traffictype: 'Guest',
          type: 'Shared',
          isdefault: true,
          macaddress: expect.stringMatching(MAC) as unknown,
          // The basic zone's direct network (a shared network row created with its first VM).
          networkid: expect.stringMatching(UUID) as unknown,
          networkname: expect.any(String) as unknown,
          isolationuri: 'vlan://untagged',
          broadcasturi: 'vlan://untagged',
        },
      ],
      hypervisor: 'Simulator',
    });
    expect(host).toBeDefined();
    // The root admin also sees the hypervisor's instance name, as in 4.1.
    const asAdmin = await listed(f, f.admin, { id: String(accepted.id) });
    expect(asAdmin.rows[0]?.instancename).toBe(stored.instanceName);
    expect(asAdmin.rows[0]?.instancename).toMatch(/^i-\d+-VM$/);
  });

  it('the VM exists before its job ends, and list items carry jobid/jobstatus while the job acts on them', async () => {
    const f = await vmApi();
    const slow = f.t.sim.lab.faults.slow('startVm', 300);
    const accepted = await call(f.api, f.alice, deployParams(f, { name: 'slow-1' }));
    expect(accepted.status).toBe(200);
    const during = await listed(f, f.alice);
    expect(during.rows).toHaveLength(1);
    expect(during.rows[0]).toMatchObject({ id: accepted.body.id, name: 'slow-1', jobid: accepted.body.jobid, jobstatus: 0 });
    expect(['Stopped', 'Starting']).toContain(during.rows[0]?.state);
    const pending = await call(f.api, f.alice, { command: 'queryAsyncJobResult', jobid: String(accepted.body.jobid) });
    expect(pending.body).toMatchObject({ jobstatus: 0, jobinstancetype: 'VirtualMachine', jobinstanceid: accepted.body.id });
    expect(pending.body.jobresult).toBeUndefined();
    await f.t.cloud.system.jobs.wait(String(accepted.body.jobid));
    slow.clear();
    const after = await listed(f, f.alice);
    expect(after.rows[0]).toMatchObject({ id: accepted.body.id, state: 'Running' });
    expect(after.rows[0]).not.toHaveProperty('jobid');
    expect(after.rows[0]).not.toHaveProperty('jobstatus');
  });

  it('startvm=false leaves the VM Stopped with no address; start, reboot, stop (forced) and destroy run as jobs answering the VM', async () => {
    const f = await vmApi();
    const { accepted, result } = await deploy(f, f.alice, { name: 'later', startvm: 'false' });
    const created = (result.jobresult as { virtualmachine: Row }).virtualmachine;
    expect(created).toMatchObject({ id: accepted.id, state: 'Stopped' });
    expect(created.hostid).toBeUndefined();
    expect((created.nic as Row[])[0]).not.toHaveProperty('ipaddress');
    const id = String(accepted.id);
    const job = (command: string, extra: Record<string, string> = {}) => callAsync({ api: f.api, cloud: f.t.cloud }, f.alice, { command, id, ...extra });

    const started = await job('startVirtualMachine');
    expect(Object.keys(started.accepted)).toEqual(['jobid']);
    expect(started.result).toMatchObject({ jobstatus: 1, cmd: 'startVirtualMachine', jobresult: { virtualmachine: { id, state: 'Running' } } });
    const rebooted = await job('rebootVirtualMachine');
    expect(rebooted.result).toMatchObject({ jobstatus: 1, jobresult: { virtualmachine: { id, state: 'Running' } } });
    const stopped = await job('stopVirtualMachine', { forced: 'true' });
    expect(stopped.result).toMatchObject({ jobstatus: 1, jobresult: { virtualmachine: { id, state: 'Stopped' } } });
    expect((stopped.result.jobresult as { virtualmachine: Row }).virtualmachine).not.toHaveProperty('hostid');
    const destroyed = await job('destroyVirtualMachine');
    expect(destroyed.result).toMatchObject({ jobstatus: 1, jobresult: { virtualmachine: { id, state: 'Destroyed' } } });

    // Users no longer list it; recover is for admins (432 for the user), sync, back to Stopped.
    expect((await listed(f, f.alice)).body).toEqual({});
    const denied = await call(f.api, f.alice, { command: 'recoverVirtualMachine', id });
    expect(denied.status).toBe(432);
    expect(denied.json).toHaveProperty('errorresponse');
    const recovered = await call(f.api, f.admin, { command: 'recoverVirtualMachine', id });
    expect(recovered.status).toBe(200);
    expect(Object.keys(recovered.json)).toEqual(['recovervirtualmachineresponse']);
    expect(recovered.body.virtualmachine).toMatchObject({ id, state: 'Stopped', account: 'alice' });
  });

  it('updateVirtualMachine changes display name, group and HA synchronously; what core cannot change is refused naming it', async () => {
    const f = await vmApi();
    const { accepted } = await deploy(f, f.alice, { name: 'upd', group: 'old' });
    const id = String(accepted.id);
    const updated = await call(f.api, f.alice, { command: 'updateVirtualMachine', id, displayname: 'Renamed', group: 'new', haenable: 'true' });
    expect(updated.status).toBe(200);
    expect(updated.body.virtualmachine).toMatchObject({ id, name: 'upd', displayname: 'Renamed', group: 'new', haenable: true });
    const osType = await call(f.api, f.alice, { command: 'updateVirtualMachine', id, ostypeid: f.t.template.osTypeId });
    expect(osType.status).toBe(431);
    expect(String(osType.body.errortext)).toMatch(/ostypeid/);
    expect((await f.t.cloud.system.vms.get({ id })).displayName).toBe('Renamed');
  });

  it('listVirtualMachines scopes by caller (§2.5), filters by state, name, zone, keyword and host, and pages with count = total', async () => {
    const f = await vmApi();
    const a1 = await deploy(f, f.alice, { name: 'a-one' });
    const a2 = await deploy(f, f.alice, { name: 'a-two', startvm: 'false' });
    const b1 = await deploy(f, f.bob, { name: 'b-one' });
    const ids = (rows: Row[]) => rows.map((r) => r.id).sort();

    expect(ids((await listed(f, f.alice)).rows)).toEqual([a1.accepted.id, a2.accepted.id].sort());
    expect(ids((await listed(f, f.bob)).rows)).toEqual([b1.accepted.id]);
    // A user naming another account's VM by id sees nothing; listall changes nothing for a user.
    expect((await listed(f, f.bob, { id: String(a1.accepted.id) })).body).toEqual({});
    expect(ids((await listed(f, f.bob, { listall: 'true' })).rows)).toEqual([b1.accepted.id]);
    // Admins see only their own account without listall; with it, the root admin sees all, a domain admin their subtree.
    expect((await listed(f, f.admin)).body).toEqual({});
    expect((await listed(f, f.admin, { listall: 'true' })).count).toBe(3);
    expect(ids((await listed(f, f.admin1, { listall: 'true' })).rows)).toEqual([a1.accepted.id, a2.accepted.id].sort());

    expect(ids((await listed(f, f.alice, { state: 'stopped' })).rows)).toEqual([a2.accepted.id]);
    expect((await listed(f, f.alice, { state: 'Unknown' })).body).toEqual({});
    expect(ids((await listed(f, f.alice, { name: 'a-one' })).rows)).toEqual([a1.accepted.id]);
    expect(ids((await listed(f, f.alice, { keyword: 'two' })).rows)).toEqual([a2.accepted.id]);
    expect((await listed(f, f.alice, { zoneid: f.t.zone.id })).count).toBe(2);
    const hostId = String((a1.result.jobresult as { virtualmachine: Row }).virtualmachine.hostid);
    expect((await listed(f, f.admin, { listall: 'true', hostid: hostId })).rows.every((r) => r.hostid === hostId)).toBe(true);

    const page2 = await listed(f, f.admin, { listall: 'true', page: '2', pagesize: '2' });
    expect(page2.count).toBe(3);
    expect(page2.rows).toHaveLength(1);
    const past = await listed(f, f.admin, { listall: 'true', page: '3', pagesize: '2' });
    expect(past.body).toEqual({ count: 3 });
    const refused = await call(f.api, f.alice, { command: 'listVirtualMachines', pagesize: '2' });
    expect(refused.status).toBe(431);
  });

  it('refusals at accept (431, 432) answer at once and leave nothing behind', async () => {
    const f = await vmApi();
    const before = await vmFootprint(f.t.cloud);
    const jobsBefore = (await f.t.cloud.system.jobs.list({ listAll: true })).total;
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ command: 'deployVirtualMachine', templateid: f.t.template.id, serviceofferingid: f.t.offering.id }, 431, /missing parameter zoneid/],
      [deployParams(f, { keypair: 'no-such-pair' }), 431, /keypair|no-such-pair/],
      [deployParams(f, { networkids: '5b1c4a0e-0000-4000-8000-000000000001' }), 431, /Can't specify network Ids in Basic zone/],
      [deployParams(f, { securitygroupnames: 'default' }), 431, /securitygroupnames/],
      [deployParams(f, { diskofferingid: '5b1c4a0e-0000-4000-8000-000000000002' }), 431, /diskofferingid/],
      [deployParams(f, { size: '5' }), 431, /size/],
      [deployParams(f, { hypervisor: 'KVM' }), 431, /hypervisor/],
      [deployParams(f, { hypervisor: 'NoSuchHypervisor' }), 431, /hypervisor/],
      [deployParams(f, { name: 'bad_name!' }), 431, /name/],
      [deployParams(f, { userdata: 'not base64 !' }), 431, /userdata/],
      [deployParams(f, { templateid: '5b1c4a0e-0000-4000-8000-000000000003' }), 431, /templateid|template/],
      [deployParams(f, { hostid: f.t.hosts[0]?.id ?? '' }), 531, /administrators/],
    ];
    for (const [params, status, text] of cases) {
      const reply = await call(f.api, f.alice, params);
      expect({ params, status: reply.status }).toEqual({ params, status });
      expect(String(reply.body.errortext)).toMatch(text);
    }
    const unknownVm = await call(f.api, f.alice, { command: 'stopVirtualMachine', id: '5b1c4a0e-0000-4000-8000-000000000004' });
    expect(unknownVm.status).toBe(431);
    expect(unknownVm.body).not.toHaveProperty('jobid');
    const denied = await call(f.api, f.alice, { command: 'recoverVirtualMachine', id: '5b1c4a0e-0000-4000-8000-000000000005' });
    expect(denied.status).toBe(432);
    expect(await vmFootprint(f.t.cloud)).toBe(before);
    expect((await f.t.cloud.system.jobs.list({ listAll: true })).total).toBe(jobsBefore);
  });

  it('another account may not act on a VM: stop by bob is a 431 and no job', async () => {
    const f = await vmApi();
    const { accepted } = await deploy(f, f.alice, { name: 'mine' });
    const reply = await call(f.api, f.bob, { command: 'stopVirtualMachine', id: String(accepted.id) });
    expect(reply.status).toBe(431);
    expect((await f.t.cloud.system.vms.get({ id: String(accepted.id) })).state).toBe('Running');
  });

  it('a driver failure surfaces as a failed job: jobstatus 2, jobresultcode 530 and the reason', async () => {
    const f = await vmApi();
    const fault = f.t.sim.lab.faults.fail('startVm', undefined, 'hypervisor refused the VM');
    const { accepted, result } = await deploy(f, f.alice, { name: 'doomed' });
    fault.clear();
    expect(result).toMatchObject({ jobstatus: 2, jobresultcode: 530, jobresulttype: 'object' });
    const failure = result.jobresult as Row;
    // jobresultcode is always 530 in 4.1; the result's errorcode is the failure's own code.
    expect(failure.errorcode).toEqual(expect.any(Number));
    expect(String(failure.errortext)).toMatch(/hypervisor refused the VM/);
    expect(result).not.toHaveProperty('jobinstanceid');
    // The VM row exists (it was created before the accept reply), in Error as after any failed
    // deployment, and holds no host or address.
    const vm = await f.t.cloud.system.vms.get({ id: String(accepted.id) });
    expect(vm.state).toBe('Error');
    expect(vm.hostId).toBeUndefined();
    expect(vm.nics[0]?.ipAddress).toBeUndefined();

    const { result: stop } = await callAsync({ api: f.api, cloud: f.t.cloud }, f.alice, { command: 'stopVirtualMachine', id: String(accepted.id) });
    expect(stop).toMatchObject({ jobstatus: 2, jobresultcode: 530 });
  });

  it('the XML accept reply of deployVirtualMachine carries only <jobid> (4.1 quirk)', async () => {
    const f = await vmApi();
    const response = await f.api.handle(get(signedQuery({ ...deployParams(f, { name: 'xml-1' }), response: 'xml' }, f.alice)));
    expect(response.status).toBe(200);
    expect(String(response.body)).toMatch(/<deployvirtualmachineresponse[^>]*><jobid>[0-9a-f-]{36}<\/jobid><\/deployvirtualmachineresponse>/);
    await f.t.cloud.container.resolve(JobRunner).drain();
  });
});
