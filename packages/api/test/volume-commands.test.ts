import { CapacityKeys } from '@cloudstack-sdk/core';
import { describe, expect, it } from 'vitest';
import { GIB } from '../../core/test/vms/vm-fixtures.js';
import { call, callAsync } from './support/core-api.js';
import type { TestUser } from './support/test-authenticator.js';
import { deployParams, vmApi, type VmApiFixture } from './support/vm-api.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/;

type Row = Record<string, unknown>;

/** The VM API fixture with a fixed 5 GB and a custom disk offering. */
async function volumeApi() {
  const f = await vmApi();
  const fixed = await f.t.cloud.system.diskOfferings.create({ name: 'small-disk', displayText: 'Small disk', diskSize: 5 });
  const custom = await f.t.cloud.system.diskOfferings.create({ name: 'custom-disk', displayText: 'Custom disk', customized: true });
  return { f, fixed, custom };
}

function job(f: VmApiFixture, who: TestUser, params: Record<string, string>) {
  return callAsync({ api: f.api, cloud: f.t.cloud }, who, params);
}

async function deployVm(f: VmApiFixture, who: TestUser, name: string, extra: Record<string, string> = {}): Promise<string> {
  const { accepted } = await job(f, who, deployParams(f, { name, ...extra }));
  return String(accepted.id);
}

async function createVolume(f: VmApiFixture, who: TestUser, params: Record<string, string>) {
  const { accepted, result } = await job(f, who, { command: 'createVolume', zoneid: f.t.zone.id, ...params });
  return { accepted, result, volume: (result.jobresult as { volume: Row }).volume };
}

async function listed(f: VmApiFixture, who: TestUser, extra: Record<string, string> = {}) {
  const reply = await call(f.api, who, { command: 'listVolumes', ...extra });
  expect(reply.status).toBe(200);
  return { count: reply.body.count, rows: (reply.body.volume as Row[] | undefined) ?? [], body: reply.body };
}

/** Volume rows, pool bytes, limit counters and jobs: what a refusal must leave as it was. */
async function footprint(f: VmApiFixture) {
  return f.t.cloud.store.transaction(async (tx) => JSON.stringify({
    volumes: (await tx.repo('volumes').find()).items,
    poolBytes: await tx.counters.get(CapacityKeys.poolAllocatedBytes(f.t.pool.id)),
    jobs: (await tx.repo('jobs').find()).total,
  }));
}

describe('volume commands over a real core cloud', () => {
  it('createVolume answers {id, jobid} with the row already there; the job result is the Allocated volume with 4.1 field names', async () => {
    const { f, fixed } = await volumeApi();
    const accepted = await call(f.api, f.alice, { command: 'createVolume', name: 'data1', diskOfferingId: fixed.id, zoneId: f.t.zone.id });
    expect(accepted.status).toBe(200);
    expect(Object.keys(accepted.json)).toEqual(['createvolumeresponse']);
    expect(Object.keys(accepted.body)).toEqual(['id', 'jobid']);
    expect(accepted.body.id).toMatch(UUID);
    // The row exists before the job runs (async-create).
    expect((await f.t.cloud.system.volumes.get({ id: String(accepted.body.id) })).name).toBe('data1');
    await f.t.cloud.system.jobs.wait(String(accepted.body.jobid));
    const result = await call(f.api, f.alice, { command: 'queryAsyncJobResult', jobid: String(accepted.body.jobid) });
    expect(result.body).toMatchObject({ jobstatus: 1, jobresultcode: 0, jobresulttype: 'object', cmd: 'createVolume' });
    expect((result.body.jobresult as { volume: Row }).volume).toEqual({
      id: accepted.body.id,
      name: 'data1',
      zoneid: f.t.zone.id,
      zonename: 'basic',
      type: 'DATADISK',
      size: 5 * GIB,
      created: expect.stringMatching(DATE) as unknown,
      state: 'Allocated',
      account: 'alice',
      domainid: f.t.domains.comp1.id,
      domain: 'Comp1',
      storagetype: 'shared',
      diskofferingid: fixed.id,
      diskofferingname: 'small-disk',
      diskofferingdisplaytext: 'Small disk',
      destroyed: false,
      isextractable: true,
    });
    // The root admin also sees the hypervisor and the pool (`none` before the first attach), as in 4.1.
    const asAdmin = await listed(f, f.admin, { id: String(accepted.body.id) });
    expect(asAdmin.rows[0]).toMatchObject({ storage: 'none' });
    expect(asAdmin.rows[0]).not.toHaveProperty('hypervisor');
  });

  it('attach, detach and delete: jobs answer the volume; list by VM shows ROOT (with its service offering) and the data disk', async () => {
    const { f, fixed } = await volumeApi();
    const vmId = await deployVm(f, f.alice, 'vm-1');
    const { volume } = await createVolume(f, f.alice, { name: 'data1', diskofferingid: fixed.id });
    const id = String(volume.id);

    const attached = await job(f, f.alice, { command: 'attachVolume', id, virtualMachineId: vmId });
    expect(Object.keys(attached.accepted)).toEqual(['jobid']);
    expect(attached.result).toMatchObject({ jobstatus: 1, cmd: 'attachVolume' });
    expect((attached.result.jobresult as { volume: Row }).volume).toMatchObject({
      id, state: 'Ready', deviceid: 1, virtualmachineid: vmId, vmname: 'vm-1', vmdisplayname: 'vm-1', vmstate: 'Running', attached: expect.stringMatching(DATE) as unknown,
    });

    const onVm = await listed(f, f.alice, { virtualmachineid: vmId });
    expect(onVm.count).toBe(2);
    const root = onVm.rows.find((r) => r.type === 'ROOT');
    expect(root).toMatchObject({ state: 'Ready', deviceid: 0, virtualmachineid: vmId, serviceofferingid: f.t.offering.id, serviceofferingname: 'small', storagetype: 'shared', isextractable: expect.any(Boolean) as unknown });
    expect(root).not.toHaveProperty('diskofferingid');
    expect(root).not.toHaveProperty('storage');
    const asAdmin = await listed(f, f.admin, { listall: 'true', id });
    expect(asAdmin.rows[0]).toMatchObject({ storage: 'ps1', hypervisor: 'Simulator' });

    // Deleting an attached volume is refused (536) and changes nothing.
    const before = await footprint(f);
    const inUse = await call(f.api, f.alice, { command: 'deleteVolume', id });
    expect(inUse.status).toBe(536);
    expect(String(inUse.body.errortext)).toMatch(/attached/);
    expect(await footprint(f)).toBe(before);

    const detached = await job(f, f.alice, { command: 'detachVolume', id });
    const after = (detached.result.jobresult as { volume: Row }).volume;
    expect(after).toMatchObject({ id, state: 'Ready' });
    expect(after).not.toHaveProperty('virtualmachineid');
    expect(after).not.toHaveProperty('deviceid');
    expect(after).not.toHaveProperty('attached');

    const deleted = await call(f.api, f.alice, { command: 'deleteVolume', id });
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ deletevolumeresponse: { success: 'true' } });
    expect((await listed(f, f.alice, { id })).body).toEqual({});
  });

  it('detachVolume also takes virtualmachineid and deviceid; resize grows, migrate is refused in the job while the VM runs', async () => {
    const { f, custom } = await volumeApi();
    const vmId = await deployVm(f, f.alice, 'vm-2');
    const { volume } = await createVolume(f, f.alice, { name: 'grow', diskofferingid: custom.id, size: '2' });
    const id = String(volume.id);
    expect(volume).toMatchObject({ size: 2 * GIB, diskofferingname: 'custom-disk' });
    await job(f, f.alice, { command: 'attachVolume', id, virtualmachineid: vmId, deviceid: '4' });
    expect((await listed(f, f.alice, { id })).rows[0]).toMatchObject({ deviceid: 4 });

    const resized = await job(f, f.alice, { command: 'resizeVolume', id, size: '4' });
    expect(resized.result).toMatchObject({ jobstatus: 1, jobresult: { volume: { id, size: 4 * GIB, state: 'Ready' } } });
    const shrink = await job(f, f.alice, { command: 'resizeVolume', id, size: '1' });
    expect(shrink.result).toMatchObject({ jobstatus: 2, jobresultcode: 530, jobresult: { errorcode: 431 } });
    expect(String((shrink.result.jobresult as Row).errortext)).toMatch(/shrinkok/);

    const migrate = await job(f, f.admin, { command: 'migrateVolume', volumeid: id, storageid: f.t.pool.id });
    expect(migrate.result).toMatchObject({ jobstatus: 2, jobresult: { errorcode: 431 } });
    expect(String((migrate.result.jobresult as Row).errortext)).toMatch(/Running/);

    const byDevice = await job(f, f.alice, { command: 'detachVolume', virtualmachineid: vmId, deviceid: '4' });
    expect(byDevice.result).toMatchObject({ jobstatus: 1, jobresult: { volume: { id, state: 'Ready' } } });
    const noDevice = await call(f.api, f.alice, { command: 'detachVolume', virtualmachineid: vmId, deviceid: '4' });
    expect(noDevice.status).toBe(431);
    expect(String(noDevice.body.errortext)).toMatch(/deviceid|device 4/);
  });

  it('listVolumes scopes by caller (§2.5) and filters by type, name, zone, keyword with count = total and paging', async () => {
    const { f, fixed } = await volumeApi();
    const a1 = (await createVolume(f, f.alice, { name: 'alpha-one', diskofferingid: fixed.id })).volume.id;
    const a2 = (await createVolume(f, f.alice, { name: 'alpha-two', diskofferingid: fixed.id })).volume.id;
    const b1 = (await createVolume(f, f.bob, { name: 'beta-one', diskofferingid: fixed.id })).volume.id;
    const vmId = await deployVm(f, f.alice, 'vm-3', { startvm: 'false' });
    const ids = (rows: Row[]) => rows.map((r) => r.id).sort();

    expect((await listed(f, f.alice)).count).toBe(3);
    expect(ids((await listed(f, f.alice, { type: 'datadisk' })).rows)).toEqual([a1, a2].sort());
    expect((await listed(f, f.alice, { type: 'ROOT' })).rows.map((r) => r.virtualmachineid)).toEqual([vmId]);
    expect((await listed(f, f.alice, { type: 'floppy' })).body).toEqual({});
    expect(ids((await listed(f, f.alice, { name: 'alpha-two' })).rows)).toEqual([a2]);
    expect(ids((await listed(f, f.alice, { keyword: 'one' })).rows)).toEqual([a1]);
    expect((await listed(f, f.alice, { zoneid: f.t.zone.id })).count).toBe(3);

    expect(ids((await listed(f, f.bob)).rows)).toEqual([b1]);
    expect((await listed(f, f.bob, { id: String(a1) })).body).toEqual({});
    expect(ids((await listed(f, f.bob, { listall: 'true' })).rows)).toEqual([b1]);
    expect((await listed(f, f.admin)).body).toEqual({});
    expect((await listed(f, f.admin, { listall: 'true' })).count).toBe(4);
    expect((await listed(f, f.admin1, { listall: 'true' })).count).toBe(3);

    const page = await listed(f, f.admin, { listall: 'true', page: '2', pagesize: '3' });
    expect(page.count).toBe(4);
    expect(page.rows).toHaveLength(1);
    const projects = await call(f.api, f.alice, { command: 'listVolumes', podid: f.t.pod.id });
    expect(projects.status).toBe(431);
    expect(String(projects.body.errortext)).toMatch(/podid/);
  });

  it('refusals at accept (431, 532) answer at once and leave no row, no bytes and no job behind', async () => {
    const { f, fixed, custom } = await volumeApi();
    const vmId = await deployVm(f, f.alice, 'vm-4');
    const { volume } = await createVolume(f, f.alice, { name: 'mine', diskofferingid: fixed.id });
    await f.t.cloud.system.resourceLimits.update({ accountId: f.t.accounts.bob.account.id, resourceType: 'volume', max: 0 });
    const before = await footprint(f);
    const cases: [TestUser, Record<string, string>, number, RegExp][] = [
      [f.alice, { command: 'createVolume', name: 'x', zoneid: f.t.zone.id }, 431, /diskofferingid/],
      [f.alice, { command: 'createVolume', diskofferingid: fixed.id, zoneid: f.t.zone.id }, 431, /name/],
      [f.alice, { command: 'createVolume', name: 'x', diskofferingid: custom.id, zoneid: f.t.zone.id, size: '500000' }, 431, /size/],
      [f.alice, { command: 'createVolume', name: 'x', diskofferingid: fixed.id, zoneid: f.t.zone.id, size: '3' }, 431, /size/],
      [f.alice, { command: 'createVolume', name: 'x', diskofferingid: fixed.id, zoneid: f.t.zone.id, projectid: '5b1c4a0e-0000-4000-8000-000000000001' }, 431, /projectid/],
      [f.bob, { command: 'createVolume', name: 'x', diskofferingid: fixed.id, zoneid: f.t.zone.id }, 532, /volume/],
      [f.alice, { command: 'attachVolume', id: String(volume.id), virtualmachineid: '5b1c4a0e-0000-4000-8000-000000000002' }, 431, /virtualmachineid/],
      [f.bob, { command: 'attachVolume', id: String(volume.id), virtualmachineid: vmId }, 431, /virtualmachineid|id/],
      [f.bob, { command: 'deleteVolume', id: String(volume.id) }, 431, /id/],
      [f.alice, { command: 'detachVolume' }, 431, /id/],
      [f.bob, { command: 'migrateVolume', volumeid: String(volume.id), storageid: f.t.pool.id }, 431, /volumeid/],
    ];
    for (const [who, params, status, text] of cases) {
      const reply = await call(f.api, who, params);
      expect({ params, status: reply.status }).toEqual({ params, status });
      expect(reply.body).not.toHaveProperty('jobid');
      expect(String(reply.body.errortext)).toMatch(text);
    }
    expect(await footprint(f)).toBe(before);
  });

  it('a pool without room fails the attach job with 533; a driver failure fails it with the reason; both leave the volume Allocated and the pool untouched', async () => {
    const { f } = await volumeApi();
    // The 1 TiB pool holds 2 TiB at the default storage.overprovisioning.factor of 2: the ROOT disk and one 1024 GB volume fit, a second does not.
    const huge = await f.t.cloud.system.diskOfferings.create({ name: 'huge-disk', displayText: 'Huge disk', diskSize: 1024 });
    const small = await f.t.cloud.system.diskOfferings.create({ name: 'tiny-disk', displayText: 'Tiny disk', diskSize: 1 });
    const vmId = await deployVm(f, f.alice, 'vm-5');
    const first = await createVolume(f, f.alice, { name: 'first', diskofferingid: huge.id });
    expect((await job(f, f.alice, { command: 'attachVolume', id: String(first.volume.id), virtualmachineid: vmId })).result).toMatchObject({ jobstatus: 1 });
    const big = await createVolume(f, f.alice, { name: 'big', diskofferingid: huge.id });
    const tiny = await createVolume(f, f.alice, { name: 'tiny', diskofferingid: small.id });
    const before = await footprint(f);

    const full = await call(f.api, f.alice, { command: 'attachVolume', id: String(big.volume.id), virtualmachineid: vmId });
    expect(full.status).toBe(200);
    await f.t.cloud.system.jobs.wait(String(full.body.jobid));
    const fullResult = await call(f.api, f.alice, { command: 'queryAsyncJobResult', jobid: String(full.body.jobid) });
    expect(fullResult.body).toMatchObject({ jobstatus: 2, jobresultcode: 530, jobresult: { errorcode: 533 } });
    expect(fullResult.body).not.toHaveProperty('jobinstanceid');
    expect(String((fullResult.body.jobresult as Row).errortext)).toMatch(/storage/);

    const fault = f.t.sim.lab.faults.fail('createVolume', undefined, 'array refused the LUN');
    const failed = await job(f, f.alice, { command: 'attachVolume', id: String(tiny.volume.id), virtualmachineid: vmId });
    fault.clear();
    expect(failed.result).toMatchObject({ jobstatus: 2, jobresultcode: 530, jobresulttype: 'object' });
    expect(String((failed.result.jobresult as Row).errortext)).toMatch(/array refused the LUN/);

    // Two failed jobs more, nothing else changed: the volumes are detached and Allocated, the pool holds what it held.
    const after = JSON.parse(await footprint(f)) as { volumes: Row[]; poolBytes: number; jobs: number };
    const was = JSON.parse(before) as { volumes: Row[]; poolBytes: number; jobs: number };
    expect(after.poolBytes).toBe(was.poolBytes);
    expect(after.jobs).toBe(was.jobs + 2);
    for (const id of [big.volume.id, tiny.volume.id]) {
      expect((await listed(f, f.alice, { id: String(id) })).rows[0]).toMatchObject({ state: 'Allocated' });
      expect((await listed(f, f.alice, { id: String(id) })).rows[0]).not.toHaveProperty('virtualmachineid');
    }
  });
});
