import { describe, expect, it } from 'vitest';
import { usageCounterKey } from '@cloudstack-sdk/core';
import { deployInput } from '../../core/test/vms/vm-fixtures.js';
import { call, callAsync } from './support/core-api.js';
import { vmApi, type VmApiFixture } from './support/vm-api.js';

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/;

type Row = Record<string, unknown>;

/** The VM API fixture with a Running VM of alice's and a 5 GB data disk attached to it (so Ready on the pool). */
async function withDataDisk() {
  const f = await vmApi();
  const alice = f.t.cloud.as(f.t.as.alice);
  const offering = await f.t.cloud.system.diskOfferings.create({ name: 'small-disk', displayText: 'Small disk', diskSize: 5 });
  const vm = await alice.vms.deploy(deployInput(f.t));
  const created = await alice.volumes.create({ name: 'data1', zoneId: f.t.zone.id, diskOfferingId: offering.id });
  const volume = await alice.volumes.attach({ id: created.id, virtualMachineId: vm.id });
  return { f, alice, volume };
}

async function snapshotRows(f: VmApiFixture) {
  return f.t.cloud.store.transaction(async (tx) => JSON.stringify({ snapshots: (await tx.repo('snapshots').find()).items, policies: (await tx.repo('snapshotPolicies').find()).items, jobs: (await tx.repo('jobs').find()).total }));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Snapshot rows, alice's snapshot count and jobs: what a refused createSnapshot must leave as it was. */
async function createFootprint(f: VmApiFixture) {
  return f.t.cloud.store.transaction(async (tx) => JSON.stringify({
    snapshots: (await tx.repo('snapshots').find()).items,
    volumes: (await tx.repo('volumes').find()).items,
    count: await tx.counters.get(usageCounterKey('account', f.t.accounts.alice.account.id, 'snapshot')),
    jobs: (await tx.repo('jobs').find()).total,
  }));
}

describe('createSnapshot (async-create) over a real core cloud', () => {
  it('answers {id, jobid} with the snapshot already Allocated; the job backs it up and answers it with 4.1 field names', async () => {
    const { f, volume } = await withDataDisk();
    const accepted = await call(f.api, f.alice, { command: 'createSnapshot', volumeId: volume.id });
    expect(accepted.status).toBe(200);
    expect(Object.keys(accepted.json)).toEqual(['createsnapshotresponse']);
    expect(Object.keys(accepted.body)).toEqual(['id', 'jobid']);
    const id = String(accepted.body.id);
    expect(id).toMatch(UUID);
    // The row exists before the job runs (async-create); the job's instance is the snapshot.
    const job = await f.t.cloud.system.jobs.get(String(accepted.body.jobid));
    expect(job).toMatchObject({ instanceType: 'Snapshot', instanceId: id });
    await f.t.cloud.system.jobs.wait(String(accepted.body.jobid));
    const result = await call(f.api, f.alice, { command: 'queryAsyncJobResult', jobid: String(accepted.body.jobid) });
    expect(result.body).toMatchObject({ jobstatus: 1, jobresultcode: 0, jobresulttype: 'object', cmd: 'createSnapshot' });
    const snapshot = (result.body.jobresult as { snapshot: Row }).snapshot;
    expect(snapshot).toEqual({
      id,
      account: 'alice',
      domainid: f.t.domains.comp1.id,
      domain: 'Comp1',
      snapshottype: 'MANUAL',
      volumeid: volume.id,
      volumename: 'data1',
      volumetype: 'DATADISK',
      created: expect.stringMatching(DATE) as unknown,
      name: expect.stringMatching(/_data1_\d{14}$/) as unknown,
      state: 'BackedUp',
    });
    const listed = await call(f.api, f.alice, { command: 'listSnapshots', id });
    expect(listed.body).toEqual({ count: 1, snapshot: [snapshot] });

    // A policy's snapshot carries the policy's interval; account/domainid may name the volume's owner.
    const policy = (await call(f.api, f.alice, { command: 'createSnapshotPolicy', volumeid: volume.id, intervaltype: 'HOURLY', schedule: '15', timezone: 'UTC', maxsnaps: '2' })).body.snapshotpolicy as Row;
    const byPolicy = await callAsync({ api: f.api, cloud: f.t.cloud }, f.alice, { command: 'createSnapshot', volumeid: volume.id, policyid: String(policy.id), account: 'alice', domainid: f.t.domains.comp1.id });
    expect((byPolicy.result.jobresult as { snapshot: Row }).snapshot).toMatchObject({ id: byPolicy.accepted.id, snapshottype: 'HOURLY', intervaltype: 'HOURLY', state: 'BackedUp' });
  });

  it('refuses a missing or foreign volume, a volume not on a pool, a foreign policy, another owner and the limit at accept, leaving nothing behind', async () => {
    const { f, alice, volume } = await withDataDisk();
    const offering = (await f.t.cloud.system.diskOfferings.list({ name: 'small-disk' })).items[0];
    const unplaced = await alice.volumes.create({ name: 'unplaced', zoneId: f.t.zone.id, diskOfferingId: offering?.id ?? '' });
    const before = await createFootprint(f);
    const refusals: [Record<string, string>, number, RegExp][] = [
      [{ command: 'createSnapshot' }, 431, /volumeid/],
      [{ command: 'createSnapshot', volumeid: 'not-a-uuid' }, 431, /volumeid/],
      [{ command: 'createSnapshot', volumeid: unplaced.id }, 431, /Ready volume on a pool/],
      [{ command: 'createSnapshot', volumeid: volume.id, policyid: '7d3a8c5e-8f0c-4b8e-9a51-1f9d6c1e2a33' }, 431, /policyid/],
      [{ command: 'createSnapshot', volumeid: volume.id, account: 'alice' }, 431, /domainid/],
      [{ command: 'createSnapshot', volumeid: volume.id, account: 'bob', domainid: f.t.domains.comp2.id }, 431, /domain/],
      [{ command: 'createSnapshot', volumeid: volume.id, account: 'nobody', domainid: f.t.domains.comp1.id }, 431, /account nobody/],
    ];
    for (const [params, status, text] of refusals) {
      const reply = await call(f.api, f.alice, params);
      expect({ params, status: reply.status, jobid: reply.body.jobid }).toEqual({ params, status, jobid: undefined });
      expect(String(reply.body.errortext)).toMatch(text);
    }
    const otherOwner = await call(f.api, f.admin, { command: 'createSnapshot', volumeid: volume.id, account: 'admin', domainid: f.admin.caller.domainId });
    expect(otherOwner.status).toBe(431);
    expect(String(otherOwner.body.errortext)).toMatch(/belongs to another account/);
    const foreign = await call(f.api, f.bob, { command: 'createSnapshot', volumeid: volume.id });
    expect(foreign.status).toBe(431);
    expect(String(foreign.body.errortext)).toMatch(/volumeid/);
    await f.t.cloud.system.resourceLimits.update({ accountId: f.t.accounts.alice.account.id, resourceType: 'snapshot', max: 0 });
    const limited = await call(f.api, f.alice, { command: 'createSnapshot', volumeid: volume.id });
    expect(limited.status).toBe(532);
    expect(await createFootprint(f)).toBe(before);
  });

  it('a storage failure fails the job (530 with the reason); the snapshot is gone and its count given back', async () => {
    const { f, volume } = await withDataDisk();
    const fault = f.t.sim.lab.faults.fail('snapshotVolume', undefined, 'primary storage full');
    const { accepted, result } = await callAsync({ api: f.api, cloud: f.t.cloud }, f.alice, { command: 'createSnapshot', volumeid: volume.id });
    fault.clear();
    expect(accepted.id).toMatch(UUID);
    expect(result).toMatchObject({ jobstatus: 2, jobresultcode: 530, cmd: 'createSnapshot' });
    expect(String((result.jobresult as Row).errortext)).toMatch(/primary storage full/);
    expect((await call(f.api, f.alice, { command: 'listSnapshots' })).body).toEqual({});
    expect(await f.t.cloud.store.transaction((tx) => tx.counters.get(usageCounterKey('account', f.t.accounts.alice.account.id, 'snapshot')))).toBe(0);
    expect((await f.t.cloud.system.volumes.get({ id: volume.id })).state).toBe('Ready');
  });
});

describe('snapshot commands over a real core cloud', () => {
  it('listSnapshots shows the caller\'s snapshots with 4.1 field names, filtered and scoped; deleteSnapshot is a job answering success', async () => {
    const { f, alice, volume } = await withDataDisk();
    const snapshot = await alice.snapshots.take({ volumeId: volume.id });
    const listed = await call(f.api, f.alice, { command: 'listSnapshots' });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      count: 1,
      snapshot: [{
        id: snapshot.id,
        account: 'alice',
        domainid: f.t.domains.comp1.id,
        domain: 'Comp1',
        snapshottype: 'MANUAL',
        volumeid: volume.id,
        volumename: 'data1',
        volumetype: 'DATADISK',
        created: expect.stringMatching(DATE) as unknown,
        name: snapshot.name,
        state: 'BackedUp',
      }],
    });
    expect((await call(f.api, f.alice, { command: 'listSnapshots', snapshottype: 'manual', volumeid: volume.id })).body.count).toBe(1);
    expect((await call(f.api, f.alice, { command: 'listSnapshots', snapshottype: 'RECURRING' })).body).toEqual({});
    expect((await call(f.api, f.alice, { command: 'listSnapshots', intervaltype: 'yearly' })).body).toEqual({});
    expect((await call(f.api, f.bob, { command: 'listSnapshots', id: snapshot.id })).body).toEqual({});
    expect((await call(f.api, f.admin, { command: 'listSnapshots', listall: 'true' })).body.count).toBe(1);

    // Another account's snapshot reads as not found at accept: 431, no job, nothing deleted.
    const before = await snapshotRows(f);
    const foreign = await call(f.api, f.bob, { command: 'deleteSnapshot', id: snapshot.id });
    expect(foreign.status).toBe(431);
    expect(foreign.body).not.toHaveProperty('jobid');
    expect(await snapshotRows(f)).toBe(before);

    const { accepted, result } = await callAsync({ api: f.api, cloud: f.t.cloud }, f.alice, { command: 'deleteSnapshot', id: snapshot.id });
    expect(Object.keys(accepted)).toEqual(['jobid']);
    expect(result).toMatchObject({ jobstatus: 1, jobresultcode: 0, cmd: 'deleteSnapshot', jobresult: { success: true } });
    expect((await call(f.api, f.alice, { command: 'listSnapshots' })).body).toEqual({});
  });

  it('a storage failure on deleteSnapshot is a failed job and the snapshot stays BackedUp', async () => {
    const { f, alice, volume } = await withDataDisk();
    const snapshot = await alice.snapshots.take({ volumeId: volume.id });
    const fault = f.t.sim.lab.faults.fail('deleteSnapshot', undefined, 'store offline');
    const { result } = await callAsync({ api: f.api, cloud: f.t.cloud }, f.alice, { command: 'deleteSnapshot', id: snapshot.id });
    fault.clear();
    expect(result).toMatchObject({ jobstatus: 2, jobresultcode: 530 });
    expect(String((result.jobresult as Row).errortext)).toMatch(/store offline/);
    expect((await alice.snapshots.get({ id: snapshot.id })).state).toBe('BackedUp');
  });

  it('createSnapshotPolicy (sync), listSnapshotPolicies by volume and deleteSnapshotPolicies; refusals change nothing', async () => {
    const { f, volume } = await withDataDisk();
    const created = await call(f.api, f.alice, { command: 'createSnapshotPolicy', volumeid: volume.id, intervaltype: 'daily', schedule: '30:02', timezone: 'Europe/Prague', maxsnaps: '3' });
    expect(created.status).toBe(200);
    expect(Object.keys(created.json)).toEqual(['createsnapshotpolicyresponse']);
    const policy = created.body.snapshotpolicy as Row;
    expect(policy).toEqual({ id: expect.any(String) as unknown, volumeid: volume.id, schedule: '30:02', intervaltype: 1, maxsnaps: 3, timezone: 'Europe/Prague' });

    const listed = await call(f.api, f.alice, { command: 'listSnapshotPolicies', volumeid: volume.id });
    expect(listed.body).toEqual({ count: 1, snapshotpolicy: [policy] });
    const missing = await call(f.api, f.alice, { command: 'listSnapshotPolicies' });
    expect(missing.status).toBe(431);
    const foreignList = await call(f.api, f.bob, { command: 'listSnapshotPolicies', volumeid: volume.id });
    expect(foreignList.status).toBe(431);
    expect(String(foreignList.body.errortext)).toMatch(/volumeid/);

    const before = await snapshotRows(f);
    const refusals: Record<string, string>[] = [
      { command: 'createSnapshotPolicy', volumeid: volume.id, intervaltype: 'DAILY', schedule: '99:99', timezone: 'UTC', maxsnaps: '3' },
      { command: 'createSnapshotPolicy', volumeid: volume.id, intervaltype: 'YEARLY', schedule: '30:02', timezone: 'UTC', maxsnaps: '3' },
      { command: 'createSnapshotPolicy', volumeid: volume.id, intervaltype: 'DAILY', schedule: '30:02', timezone: 'UTC' },
    ];
    for (const params of refusals) expect({ params, status: (await call(f.api, f.alice, params)).status }).toEqual({ params, status: 431 });
    expect((await call(f.api, f.bob, { command: 'deleteSnapshotPolicies', id: String(policy.id) })).status).toBe(431);
    expect(await snapshotRows(f)).toBe(before);

    const deleted = await call(f.api, f.alice, { command: 'deleteSnapshotPolicies', ids: String(policy.id) });
    expect(deleted.json).toEqual({ deletesnapshotpoliciesresponse: { success: 'true' } });
    expect((await call(f.api, f.alice, { command: 'listSnapshotPolicies', volumeid: volume.id })).body).toEqual({});
  });
});
