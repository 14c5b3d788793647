import { describe, expect, it } from 'vitest';
import { vmFootprint } from '../../core/test/vms/vm-fixtures.js';
import { call, callAsync } from './support/core-api.js';
import type { TestUser } from './support/test-authenticator.js';
import { deployParams, vmApi, type VmApiFixture } from './support/vm-api.js';

type Row = Record<string, unknown>;

function job(f: VmApiFixture, who: TestUser, params: Record<string, string>) {
  return callAsync({ api: f.api, cloud: f.t.cloud }, who, params);
}

/** Deploys through the API; the VM's id and the host it runs on (none for startvm=false). */
async function deployVm(f: VmApiFixture, who: TestUser, name: string, extra: Record<string, string> = {}): Promise<{ id: string; hostId: string | undefined }> {
  const { accepted, result } = await job(f, who, deployParams(f, { name, ...extra }));
  const vm = (result.jobresult as { virtualmachine: Row }).virtualmachine;
  return { id: String(accepted.id), hostId: vm.hostid === undefined ? undefined : String(vm.hostid) };
}

function vmOf(result: Record<string, unknown>): Row {
  return (result.jobresult as { virtualmachine: Row }).virtualmachine;
}

describe('VM operation commands over a real core cloud', () => {
  it('migrateVirtualMachine is for root admins (432 for a user, no job); the job answers the VM on its new host', async () => {
    const f = await vmApi();
    const vm = await deployVm(f, f.alice, 'mover');
    const target = f.t.hosts.find((h) => h.id !== vm.hostId);
    if (target === undefined || vm.hostId === undefined) throw new Error('the fixture has two hosts and the VM runs on one');
    const jobsBefore = (await f.t.cloud.system.jobs.list({ listAll: true })).total;
    for (const who of [f.alice, f.admin1]) {
      const denied = await call(f.api, who, { command: 'migrateVirtualMachine', virtualmachineid: vm.id, hostid: target.id });
      expect(denied.status).toBe(432);
      expect(denied.json).toHaveProperty('errorresponse');
    }
    expect((await f.t.cloud.system.jobs.list({ listAll: true })).total).toBe(jobsBefore);

    const moved = await job(f, f.admin, { command: 'migrateVirtualMachine', virtualmachineid: vm.id, hostid: target.id });
    expect(Object.keys(moved.accepted)).toEqual(['jobid']);
    expect(moved.result).toMatchObject({ jobstatus: 1, jobresultcode: 0, cmd: 'migrateVirtualMachine', jobresulttype: 'object' });
    expect(vmOf(moved.result)).toMatchObject({ id: vm.id, state: 'Running', hostid: target.id, hostname: target.name, account: 'alice' });
    expect((await f.t.cloud.system.vms.get({ id: vm.id })).hostId).toBe(target.id);

    const unknown = await call(f.api, f.admin, { command: 'migrateVirtualMachine', virtualmachineid: '5b1c4a0e-0000-4000-8000-000000000001' });
    expect(unknown.status).toBe(431);
    expect(String(unknown.body.errortext)).toMatch(/virtualmachineid/);
    const storage = await call(f.api, f.admin, { command: 'migrateVirtualMachine', virtualmachineid: vm.id, storageid: f.t.pool.id });
    expect(storage.status).toBe(431);
    expect(String(storage.body.errortext)).toMatch(/storageid/);
  });

  it('migration to a full host fails the job with 533, and a driver failure with its reason; the VM stays Running where it was', async () => {
    const f = await vmApi();
    const vm = await deployVm(f, f.alice, 'stuck');
    const other = f.t.hosts.find((h) => h.id !== vm.hostId);
    if (other === undefined) throw new Error('the fixture has two hosts');
    // 7936 MB of the host's 8192 leaves less than the VM's 512 MB whether or not the pod's router (128 MB) runs there.
    const big = await f.t.cloud.system.serviceOfferings.create({ name: 'big', displayText: 'Big', cpuNumber: 1, cpuSpeed: 500, memory: 7936 });
    await f.t.cloud.system.vms.deploy({ zoneId: f.t.zone.id, templateId: f.t.template.id, serviceOfferingId: big.id, name: 'filler', hostId: other.id });
    const before = await vmFootprint(f.t.cloud);
    const full = await job(f, f.admin, { command: 'migrateVirtualMachine', virtualmachineid: vm.id, hostid: other.id });
    expect(full.result).toMatchObject({ jobstatus: 2, jobresultcode: 530, jobresult: { errorcode: 533 } });
    expect(String((full.result.jobresult as Row).errortext)).toMatch(/memory/);
    expect(await vmFootprint(f.t.cloud)).toBe(before);

    await f.t.cloud.system.vms.destroy({ id: (await f.t.cloud.system.vms.list({ name: 'filler', listAll: true })).items[0]?.id ?? '' });
    const fault = f.t.sim.lab.faults.fail('migrateVm', undefined, 'migration link down');
    const failed = await job(f, f.admin, { command: 'migrateVirtualMachine', virtualmachineid: vm.id, hostid: other.id });
    fault.clear();
    expect(failed.result).toMatchObject({ jobstatus: 2, jobresultcode: 530, jobresulttype: 'object' });
    expect(String((failed.result.jobresult as Row).errortext)).toMatch(/migration link down/);
    expect(await f.t.cloud.system.vms.get({ id: vm.id })).toMatchObject({ state: 'Running', hostId: vm.hostId });
  });

  it('changeServiceForVirtualMachine is sync: refused (431) while the VM runs with nothing changed, applied once it is stopped', async () => {
    const f = await vmApi();
    const medium = await f.t.cloud.system.serviceOfferings.create({ name: 'medium', displayText: 'Medium', cpuNumber: 2, cpuSpeed: 1000, memory: 1024 });
    const vm = await deployVm(f, f.alice, 'resize-me');
    const before = await vmFootprint(f.t.cloud);
    const running = await call(f.api, f.alice, { command: 'changeServiceForVirtualMachine', id: vm.id, serviceofferingid: medium.id });
    expect(running.status).toBe(431);
    expect(String(running.body.errortext)).toMatch(/Running/);
    expect(await vmFootprint(f.t.cloud)).toBe(before);
    const other = await call(f.api, f.bob, { command: 'changeServiceForVirtualMachine', id: vm.id, serviceofferingid: medium.id });
    expect(other.status).toBe(431);

    await job(f, f.alice, { command: 'stopVirtualMachine', id: vm.id });
    const changed = await call(f.api, f.alice, { command: 'changeServiceForVirtualMachine', id: vm.id, serviceofferingid: medium.id });
    expect(changed.status).toBe(200);
    expect(Object.keys(changed.json)).toEqual(['changeserviceforvirtualmachineresponse']);
    expect(changed.body.virtualmachine).toMatchObject({ id: vm.id, state: 'Stopped', serviceofferingid: medium.id, serviceofferingname: 'medium', cpunumber: 2, cpuspeed: 1000, memory: 1024 });
    const started = await job(f, f.alice, { command: 'startVirtualMachine', id: vm.id });
    expect(vmOf(started.result)).toMatchObject({ state: 'Running', memory: 1024 });
  });

  it('resetPasswordForVirtualMachine: a failed job while running; once stopped the job result carries the new password (before nic), shown only there', async () => {
    const f = await vmApi();
    const vm = await deployVm(f, f.alice, 'pw');
    const running = await job(f, f.alice, { command: 'resetPasswordForVirtualMachine', id: vm.id });
    expect(running.result).toMatchObject({ jobstatus: 2, jobresultcode: 530, jobresult: { errorcode: 431 } });
    expect(String((running.result.jobresult as Row).errortext)).toMatch(/Running/);

    await job(f, f.alice, { command: 'stopVirtualMachine', id: vm.id });
    const reset = await job(f, f.alice, { command: 'resetPasswordForVirtualMachine', id: vm.id });
    expect(Object.keys(reset.accepted)).toEqual(['jobid']);
    expect(reset.result).toMatchObject({ jobstatus: 1, jobresultcode: 0, cmd: 'resetPasswordForVirtualMachine' });
    const answered = vmOf(reset.result);
    expect(answered).toMatchObject({ id: vm.id, state: 'Stopped', passwordenabled: true });
    expect(answered.password).toMatch(/^[A-Za-z0-9]{6}$/);
    const keys = Object.keys(answered);
    expect(keys.indexOf('password')).toBe(keys.indexOf('nic') - 1);
    // Another reset gives another password; the list never shows one.
    const again = vmOf((await job(f, f.alice, { command: 'resetPasswordForVirtualMachine', id: vm.id })).result);
    expect(again.password).toMatch(/^[A-Za-z0-9]{6}$/);
    const list = await call(f.api, f.alice, { command: 'listVirtualMachines', id: vm.id });
    expect((list.body.virtualmachine as Row[])[0]).not.toHaveProperty('password');

    const other = await call(f.api, f.bob, { command: 'resetPasswordForVirtualMachine', id: vm.id });
    expect(other.status).toBe(431);
    expect(other.body).not.toHaveProperty('jobid');
  });

  it('resetSSHKeyForVirtualMachine: the stopped VM takes another key pair of its owner (and a new password); unknown pairs fail the job', async () => {
    const f = await vmApi();
    for (const name of ['k1', 'k2']) expect((await call(f.api, f.alice, { command: 'createSSHKeyPair', name })).status).toBe(200);
    const vm = await deployVm(f, f.alice, 'keyed', { keypair: 'k1', startvm: 'false' });
    const reset = await job(f, f.alice, { command: 'resetSSHKeyForVirtualMachine', id: vm.id, keypair: 'k2' });
    expect(reset.result).toMatchObject({ jobstatus: 1, cmd: 'resetSSHKeyForVirtualMachine', jobresult: { virtualmachine: { id: vm.id, keypair: 'k2', state: 'Stopped' } } });
    expect(vmOf(reset.result).password).toMatch(/^[A-Za-z0-9]{6}$/);
    expect((await f.t.cloud.system.vms.get({ id: vm.id })).keyPair).toBe('k2');

    const unknown = await job(f, f.alice, { command: 'resetSSHKeyForVirtualMachine', id: vm.id, keypair: 'nope' });
    expect(unknown.result).toMatchObject({ jobstatus: 2, jobresult: { errorcode: 431 } });
    expect(String((unknown.result.jobresult as Row).errortext)).toMatch(/keypair|nope/);
    expect((await f.t.cloud.system.vms.get({ id: vm.id })).keyPair).toBe('k2');

    const jobsBefore = (await f.t.cloud.system.jobs.list({ listAll: true })).total;
    const foreign = await call(f.api, f.alice, { command: 'resetSSHKeyForVirtualMachine', id: vm.id, keypair: 'k1', account: 'bob', domainid: f.t.domains.comp2.id });
    expect(foreign.status).toBe(431);
    expect(String(foreign.body.errortext)).toMatch(/account/);
    const missing = await call(f.api, f.alice, { command: 'resetSSHKeyForVirtualMachine', id: vm.id });
    expect(missing.status).toBe(431);
    expect(String(missing.body.errortext)).toMatch(/keypair/);
    expect((await f.t.cloud.system.jobs.list({ listAll: true })).total).toBe(jobsBefore);
  });

  it('the reset SSH key reply is under 4.1\'s mixed-case response name', async () => {
    const f = await vmApi();
    await call(f.api, f.alice, { command: 'createSSHKeyPair', name: 'k1' });
    const vm = await deployVm(f, f.alice, 'named', { startvm: 'false' });
    const accepted = await call(f.api, f.alice, { command: 'resetSSHKeyForVirtualMachine', id: vm.id, keypair: 'k1' });
    expect(Object.keys(accepted.json)).toEqual(['resetSSHKeyforvirtualmachineresponse']);
    await f.t.cloud.system.jobs.wait(String(accepted.body.jobid));
  });
});
