import { describe, expect, it } from 'vitest';
import { JobRunner, usageCounterKey, type VolumeView } from '../../src/index.js';
import { SimulatorPrimaryStorage } from '../../../driver-simulator/src/index.js';
import { refused } from '../accounts/tenants.js';
import { deployInput, GIB, vmCloud, type VmCloud } from '../vms/vm-fixtures.js';

/** A Running VM of alice's with a 5 GiB data disk attached (so Ready on the pool). */
async function withDataDisk(t: VmCloud, name = 'data1') {
  const alice = t.cloud.as(t.as.alice);
  const offering = await t.cloud.system.diskOfferings.create({ name: 'small-disk', displayText: 'Small disk', diskSize: 5 });
  const vm = await alice.vms.deploy(deployInput(t));
  const volume = await alice.volumes.attach({ id: (await alice.volumes.create({ name, zoneId: t.zone.id, diskOfferingId: offering.id })).id, virtualMachineId: vm.id });
  return { alice, vm, volume, offering };
}

/** The snapshot paths the simulated primary storage keeps. */
function storedSnapshots(t: VmCloud): string[] {
  const storage = t.sim.storage.primary[0];
  if (!(storage instanceof SimulatorPrimaryStorage)) throw new Error('the simulator primary storage is missing');
  return storage.snapshotPaths();
}

async function snapshotCount(t: VmCloud, accountId: string) {
  return t.cloud.store.transaction((tx) => tx.counters.get(usageCounterKey('account', accountId, 'snapshot')));
}

async function rows(t: VmCloud) {
  return t.cloud.store.transaction(async (tx) => JSON.stringify({
    snapshots: (await tx.repo('snapshots').find()).items,
    volumes: (await tx.repo('volumes').find()).items.map(({ version: _v, updatedAt: _u, ...rest }) => rest),
  }));
}

describe('snapshots', () => {
  it('take, list, get and delete a data volume snapshot through the storage driver, with usage records and the snapshot count', async () => {
    const t = await vmCloud();
    const { alice, vm, volume } = await withDataDisk(t);
    const aliceId = t.accounts.alice.account.id;
    const snapshot = await alice.snapshots.take({ volumeId: volume.id });
    expect(snapshot).toMatchObject({ state: 'BackedUp', snapshotType: 'MANUAL', volumeId: volume.id, volumeName: 'data1', volumeType: 'DATADISK', volumeSize: 5 * GIB, physicalSize: 5 * GIB, accountId: aliceId });
    expect(snapshot.name).toMatch(new RegExp(`^${(await alice.vms.get({ id: vm.id })).instanceName}_data1_\\d{14}$`));
    expect(storedSnapshots(t)).toEqual([`snapshots/${volume.id}/${snapshot.id}`]);
    expect((await alice.volumes.get({ id: volume.id })).state).toBe('Ready');
    expect(await snapshotCount(t, aliceId)).toBe(1);
    expect((await alice.snapshots.list()).items.map((s) => s.id)).toEqual([snapshot.id]);
    expect((await alice.snapshots.list({ volumeId: volume.id, snapshotType: 'MANUAL' })).total).toBe(1);
    expect((await alice.snapshots.list({ snapshotType: 'RECURRING' })).total).toBe(0);
    expect((await alice.snapshots.list({ intervalType: 'DAILY' })).total).toBe(0);
    expect(await alice.snapshots.get({ id: snapshot.id })).toEqual(snapshot);

    const [root] = (await alice.volumes.list({ virtualMachineId: vm.id, type: 'ROOT' })).items;
    const rootSnapshot = await alice.snapshots.take({ volumeId: root!.id });
    expect(rootSnapshot).toMatchObject({ volumeType: 'ROOT', state: 'BackedUp' });
    expect((await alice.snapshots.list({ volumeId: root!.id })).items.map((s) => s.id)).toEqual([rootSnapshot.id]);

    await alice.snapshots.delete({ id: snapshot.id });
    await refused(() => alice.snapshots.get({ id: snapshot.id }), 431, 'id');
    expect(storedSnapshots(t)).toEqual([`snapshots/${root!.id}/${rootSnapshot.id}`]);
    expect(await snapshotCount(t, aliceId)).toBe(1);
    const usage = await t.cloud.store.transaction(async (tx) => (await tx.repo('usageRecords').find({ where: { resourceId: snapshot.id } })).items.map((u) => [u.type, u.size]));
    expect(usage).toEqual([['SNAPSHOT.CREATE', 5 * GIB], ['SNAPSHOT.DELETE', 5 * GIB]]);
    const events = (await alice.events.list({ pageSize: -1 })).items.map((e) => e.type);
    expect(events.filter((e) => e.startsWith('SNAPSHOT.'))).toEqual(expect.arrayContaining(['SNAPSHOT.CREATE', 'SNAPSHOT.DELETE']));
  });

  it('refusals carry a code and a param and change nothing: Allocated volume, unknown volume, another tenant\'s volume and snapshot', async () => {
    const t = await vmCloud();
    const { alice, volume, offering } = await withDataDisk(t);
    const snapshot = await alice.snapshots.take({ volumeId: volume.id });
    const allocated = await alice.volumes.create({ name: 'loose', zoneId: t.zone.id, diskOfferingId: offering.id });
    const bob = t.cloud.as(t.as.bob);
    const before = await rows(t);
    const count = await snapshotCount(t, t.accounts.alice.account.id);
    const notReady = await refused(() => alice.snapshots.take({ volumeId: allocated.id }), 431, 'volumeid');
    expect(notReady.message).toMatch(/Allocated/);
    await refused(() => alice.snapshots.take({ volumeId: 'no-such-volume' }), 431, 'volumeid');
    await refused(() => alice.snapshots.take({ volumeId: volume.id, policyId: 'no-such-policy' }), 431, 'policyid');
    await refused(() => bob.snapshots.take({ volumeId: volume.id }), 431, 'volumeid');
    await refused(() => bob.snapshots.get({ id: snapshot.id }), 431, 'id');
    await refused(() => bob.snapshots.delete({ id: snapshot.id }), 431, 'id');
    await refused(() => bob.snapshots.createVolume({ snapshotId: snapshot.id, name: 'stolen' }), 431, 'snapshotid');
    expect((await bob.snapshots.list({ volumeId: volume.id })).total).toBe(0);
    await refused(() => alice.snapshots.createVolume({ snapshotId: snapshot.id, name: 'elsewhere', zoneId: 'another-zone' }), 431, 'zoneid');
    expect(await rows(t)).toBe(before);
    expect(await snapshotCount(t, t.accounts.alice.account.id)).toBe(count);
    expect((await t.cloud.as(t.as.admin1).snapshots.get({ id: snapshot.id })).id).toBe(snapshot.id);
  });

  it('a driver failure or a hang leaves no snapshot row, the volume Ready and the count released, with an ERROR event', async () => {
    const t = await vmCloud();
    const { alice, volume } = await withDataDisk(t);
    const aliceId = t.accounts.alice.account.id;
    t.sim.lab.faults.fail('snapshotVolume', undefined, 'snapshot refused');
    const failed = await refused(() => alice.snapshots.take({ volumeId: volume.id }), 534);
    expect(failed.message).toMatch(/snapshot refused/);
    const check = async () => {
      expect((await alice.snapshots.list()).total).toBe(0);
      expect(await t.cloud.store.transaction((tx) => tx.repo('snapshots').count())).toBe(0);
      expect(await snapshotCount(t, aliceId)).toBe(0);
      expect((await alice.volumes.get({ id: volume.id })).state).toBe('Ready');
    };
    await check();
    t.sim.lab.faults.clear();
    await t.cloud.system.config.update({ name: 'wait', value: 1 });
    t.sim.lab.faults.hang('snapshotVolume');
    const timeout = await refused(() => alice.snapshots.take({ volumeId: volume.id }), 534);
    expect(timeout.message).toMatch(/Timed out/);
    await check();
    const errors = (await alice.events.list({ pageSize: -1 })).items.filter((e) => e.level === 'ERROR' && e.type === 'SNAPSHOT.CREATE');
    expect(errors).toHaveLength(2);
    t.sim.lab.faults.clear();
    expect((await alice.snapshots.take({ volumeId: volume.id })).state).toBe('BackedUp');
  });

  it('a driver failure on delete keeps the snapshot BackedUp with its count, with an ERROR event', async () => {
    const t = await vmCloud();
    const { alice, volume } = await withDataDisk(t);
    const snapshot = await alice.snapshots.take({ volumeId: volume.id });
    t.sim.lab.faults.fail('deleteSnapshot', undefined, 'store offline');
    await refused(() => alice.snapshots.delete({ id: snapshot.id }), 534);
    expect(await alice.snapshots.get({ id: snapshot.id })).toEqual(snapshot);
    expect(await snapshotCount(t, t.accounts.alice.account.id)).toBe(1);
    expect((await alice.events.list({ pageSize: -1 })).items.some((e) => e.level === 'ERROR' && e.type === 'SNAPSHOT.DELETE')).toBe(true);
    t.sim.lab.faults.clear();
    await alice.snapshots.delete({ id: snapshot.id });
    expect(await snapshotCount(t, t.accounts.alice.account.id)).toBe(0);
  });

  it('the snapshot limit refuses with 532, and parallel takes on several volumes succeed exactly up to it', async () => {
    const t = await vmCloud();
    const { alice, vm, offering } = await withDataDisk(t);
    const aliceId = t.accounts.alice.account.id;
    const volumes: VolumeView[] = [];
    for (let i = 2; i <= 5; i += 1) {
      const created = await alice.volumes.create({ name: `data${i}`, zoneId: t.zone.id, diskOfferingId: offering.id });
      volumes.push(await alice.volumes.attach({ id: created.id, virtualMachineId: vm.id }));
    }
    await t.cloud.system.resourceLimits.update({ accountId: aliceId, resourceType: 'snapshot', max: 3 });
    const results = await Promise.allSettled(volumes.map((v) => alice.snapshots.take({ volumeId: v.id })));
    const succeeded = results.filter((r) => r.status === 'fulfilled');
    expect(succeeded).toHaveLength(3);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 532 });
    expect(await snapshotCount(t, aliceId)).toBe(3);
    expect((await alice.snapshots.list()).total).toBe(3);
    const before = await rows(t);
    await refused(() => alice.snapshots.take({ volumeId: volumes[0]!.id }), 532);
    expect(await rows(t)).toBe(before);
    const first = succeeded[0];
    if (first?.status !== 'fulfilled') throw new Error('expected a snapshot');
    await alice.snapshots.delete({ id: first.value.id });
    expect((await alice.snapshots.take({ volumeId: first.value.volumeId })).state).toBe('BackedUp');
  });

  it('a volume created from a snapshot has its size and is restored from it on the pool when first attached', async () => {
    const t = await vmCloud();
    const { alice, vm, volume } = await withDataDisk(t);
    const snapshot = await alice.snapshots.take({ volumeId: volume.id });
    const restored = await alice.snapshots.createVolume({ snapshotId: snapshot.id, name: 'restored' });
    expect(restored).toMatchObject({ state: 'Allocated', size: 5 * GIB, snapshotId: snapshot.id, zoneId: t.zone.id, type: 'DATADISK' });
    const attached = await alice.volumes.attach({ id: restored.id, virtualMachineId: vm.id });
    expect(attached).toMatchObject({ state: 'Ready', storageId: t.pool.id, snapshotId: snapshot.id });
    const viaVolumes = await alice.volumes.create({ name: 'restored2', snapshotId: snapshot.id });
    expect(viaVolumes).toMatchObject({ size: 5 * GIB, snapshotId: snapshot.id });

    t.sim.lab.faults.fail('deleteSnapshot');
    await refused(() => alice.snapshots.delete({ id: snapshot.id }), 534);
    t.sim.lab.faults.clear();
    await alice.snapshots.delete({ id: snapshot.id });
    await refused(() => alice.snapshots.createVolume({ snapshotId: snapshot.id, name: 'gone' }), 431, 'snapshotid');
  });

  it('deleting a volume keeps its snapshots; deleting the account deletes them from storage and releases their count', async () => {
    const t = await vmCloud();
    const { alice, volume } = await withDataDisk(t);
    const snapshot = await alice.snapshots.take({ volumeId: volume.id });
    await alice.volumes.detach({ id: volume.id });
    await alice.volumes.delete({ id: volume.id });
    expect((await alice.snapshots.get({ id: snapshot.id })).state).toBe('BackedUp');
    await t.cloud.system.accounts.delete({ id: t.accounts.alice.account.id });
    await t.cloud.container.resolve(JobRunner).drain();
    expect(await t.cloud.store.transaction((tx) => tx.repo('snapshots').count())).toBe(0);
    expect(storedSnapshots(t)).toEqual([]);
  });
});
