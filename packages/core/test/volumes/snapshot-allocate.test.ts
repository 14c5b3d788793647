import { describe, expect, it } from 'vitest';
import { usageCounterKey } from '../../src/index.js';
import { SimulatorPrimaryStorage } from '../../../driver-simulator/src/index.js';
import { refused } from '../accounts/tenants.js';
import { deployInput, GIB, vmCloud, type VmCloud } from '../vms/vm-fixtures.js';

/** A Running VM of alice's with a 5 GiB data disk attached (so Ready on the pool). */
async function withDataDisk(t: VmCloud) {
  const alice = t.cloud.as(t.as.alice);
  const offering = await t.cloud.system.diskOfferings.create({ name: 'small-disk', displayText: 'Small disk', diskSize: 5 });
  const vm = await alice.vms.deploy(deployInput(t));
  const volume = await alice.volumes.attach({ id: (await alice.volumes.create({ name: 'data1', zoneId: t.zone.id, diskOfferingId: offering.id })).id, virtualMachineId: vm.id });
  return { alice, vm, volume, offering };
}

/** The snapshot paths the simulated primary storage keeps. */
function storedSnapshots(t: VmCloud): string[] {
  const storage = t.sim.storage.primary[0];
  if (!(storage instanceof SimulatorPrimaryStorage)) throw new Error('the simulator primary storage is missing');
  return storage.snapshotPaths();
}

async function snapshotCount(t: VmCloud) {
  return t.cloud.store.transaction((tx) => tx.counters.get(usageCounterKey('account', t.accounts.alice.account.id, 'snapshot')));
}

/** Snapshot and volume rows, alice's snapshot count, events and usage: what a refusal must leave as it was. */
async function footprint(t: VmCloud) {
  return t.cloud.store.transaction(async (tx) => JSON.stringify({
    snapshots: (await tx.repo('snapshots').find()).items,
    volumes: (await tx.repo('volumes').find()).items,
    count: await tx.counters.get(usageCounterKey('account', t.accounts.alice.account.id, 'snapshot')),
    events: await tx.repo('events').count(),
    usage: await tx.repo('usageRecords').count(),
  }));
}

describe('snapshots taken in two steps (allocate, then back up), as the async createSnapshot does', () => {
  it('allocate records an Allocated snapshot with its count claimed and touches no device; backUp takes it through the driver', async () => {
    const t = await vmCloud();
    const { alice, volume } = await withDataDisk(t);
    const allocated = await alice.snapshots.allocate({ volumeId: volume.id });
    expect(allocated).toMatchObject({ state: 'Allocated', snapshotType: 'MANUAL', volumeId: volume.id, volumeName: 'data1', volumeType: 'DATADISK', volumeSize: 5 * GIB, physicalSize: 0, accountId: t.accounts.alice.account.id });
    expect(await snapshotCount(t)).toBe(1);
    expect(storedSnapshots(t)).toEqual([]);
    expect((await alice.volumes.get({ id: volume.id })).state).toBe('Ready');
    expect((await alice.snapshots.list({ id: allocated.id })).items.map((s) => s.state)).toEqual(['Allocated']);

    const taken = await alice.snapshots.backUp({ id: allocated.id });
    expect(taken).toMatchObject({ id: allocated.id, name: allocated.name, state: 'BackedUp', physicalSize: 5 * GIB });
    expect(storedSnapshots(t)).toHaveLength(1);
    expect(await snapshotCount(t)).toBe(1);
    expect((await alice.volumes.get({ id: volume.id })).state).toBe('Ready');
    const usage = await t.cloud.store.transaction(async (tx) => (await tx.repo('usageRecords').find({ where: { resourceId: allocated.id } })).items.map((u) => u.type));
    expect(usage).toEqual(['SNAPSHOT.CREATE']);

    // Taking it again is refused naming the snapshot, changing nothing.
    const before = await footprint(t);
    await refused(() => alice.snapshots.backUp({ id: allocated.id }), 431, 'id');
    expect(await footprint(t)).toBe(before);
  });

  it('allocate refuses a volume that is not Ready, another tenant\'s volume, an unknown policy and the limit, leaving nothing behind', async () => {
    const t = await vmCloud();
    const { alice, volume, offering } = await withDataDisk(t);
    const bob = t.cloud.as(t.as.bob);
    const unplaced = await alice.volumes.create({ name: 'unplaced', zoneId: t.zone.id, diskOfferingId: offering.id });
    await t.cloud.system.resourceLimits.update({ accountId: t.accounts.alice.account.id, resourceType: 'snapshot', max: 0 });
    const before = await footprint(t);
    await refused(() => alice.snapshots.allocate({ volumeId: unplaced.id }), 431, 'volumeid');
    await refused(() => bob.snapshots.allocate({ volumeId: volume.id }), 431, 'volumeid');
    await refused(() => alice.snapshots.allocate({ volumeId: volume.id, policyId: 'no-such-policy' }), 431, 'policyid');
    await refused(() => alice.snapshots.allocate({ volumeId: volume.id }), 532);
    expect(await footprint(t)).toBe(before);
  });

  it('backUp of another tenant\'s snapshot reads as not found and changes nothing', async () => {
    const t = await vmCloud();
    const { alice, volume } = await withDataDisk(t);
    const allocated = await alice.snapshots.allocate({ volumeId: volume.id });
    const before = await footprint(t);
    await refused(() => t.cloud.as(t.as.bob).snapshots.backUp({ id: allocated.id }), 431, 'id');
    expect(await footprint(t)).toBe(before);
    expect((await alice.snapshots.backUp({ id: allocated.id })).state).toBe('BackedUp');
  });

  it('a driver failure in backUp removes the snapshot, gives its count back and returns the volume to Ready, with an ERROR event', async () => {
    const t = await vmCloud();
    const { alice, volume } = await withDataDisk(t);
    const allocated = await alice.snapshots.allocate({ volumeId: volume.id });
    const fault = t.sim.lab.faults.fail('snapshotVolume', undefined, 'snapshot refused');
    const failed = await refused(() => alice.snapshots.backUp({ id: allocated.id }), 534);
    fault.clear();
    expect(failed.message).toMatch(/snapshot refused/);
    expect(await t.cloud.store.transaction((tx) => tx.repo('snapshots').count())).toBe(0);
    expect(await snapshotCount(t)).toBe(0);
    expect((await alice.volumes.get({ id: volume.id })).state).toBe('Ready');
    const errors = (await alice.events.list({ pageSize: -1 })).items.filter((e) => e.level === 'ERROR' && e.type === 'SNAPSHOT.CREATE' && e.resourceId === allocated.id);
    expect(errors).toHaveLength(1);
  });

  it('a volume deleted between the steps: backUp refuses naming volumeid and discards the snapshot and its count', async () => {
    const t = await vmCloud();
    const { alice, volume } = await withDataDisk(t);
    const allocated = await alice.snapshots.allocate({ volumeId: volume.id });
    await alice.volumes.detach({ id: volume.id });
    await alice.volumes.delete({ id: volume.id });
    await refused(() => alice.snapshots.backUp({ id: allocated.id }), 431, 'volumeid');
    await refused(() => alice.snapshots.get({ id: allocated.id }), 431, 'id');
    expect(await snapshotCount(t)).toBe(0);
    expect(storedSnapshots(t)).toEqual([]);
    expect((await alice.events.list({ pageSize: -1 })).items.some((e) => e.level === 'ERROR' && e.type === 'SNAPSHOT.CREATE' && e.resourceId === allocated.id)).toBe(true);
  });

  it('an Allocated snapshot whose take never ran can be deleted: its row and count go without a driver call', async () => {
    const t = await vmCloud();
    const { alice, volume } = await withDataDisk(t);
    const allocated = await alice.snapshots.allocate({ volumeId: volume.id });
    // A failing deleteSnapshot would show if the driver were called.
    const fault = t.sim.lab.faults.fail('deleteSnapshot', undefined, 'must not be called');
    await alice.snapshots.delete({ id: allocated.id });
    fault.clear();
    expect(await t.cloud.store.transaction((tx) => tx.repo('snapshots').count())).toBe(0);
    expect(await snapshotCount(t)).toBe(0);
    await refused(() => alice.snapshots.backUp({ id: allocated.id }), 431, 'id');
  });
});
