import { describe, expect, it } from 'vitest';
import { CapacityKeys } from '../../src/index.js';
import { refused } from '../accounts/tenants.js';
import { deployInput, GIB, vmCloud, type VmCloud } from '../vms/vm-fixtures.js';

async function withOffering(t: VmCloud) {
  const fixed = await t.cloud.system.diskOfferings.create({ name: 'small-disk', displayText: 'Small disk', diskSize: 5 });
  const custom = await t.cloud.system.diskOfferings.create({ name: 'custom-disk', displayText: 'Custom disk', customized: true });
  return { fixed, custom };
}

async function poolBytes(t: VmCloud) {
  return t.cloud.store.transaction((tx) => tx.counters.get(CapacityKeys.poolAllocatedBytes(t.pool.id)));
}

async function volumeRows(t: VmCloud) {
  return t.cloud.store.transaction(async (tx) => JSON.stringify((await tx.repo('volumes').find()).items.map(({ version: _v, updatedAt: _u, ...rest }) => rest)));
}

describe('volumes', () => {
  it('deploy records a ROOT volume that becomes Ready on the pool; create, attach, detach and delete move a data volume and its bytes', async () => {
    const t = await vmCloud();
    const { fixed } = await withOffering(t);
    const alice = t.cloud.as(t.as.alice);
    const vm = await alice.vms.deploy(deployInput(t));
    const [root] = (await alice.volumes.list({ virtualMachineId: vm.id })).items;
    expect(root).toMatchObject({ type: 'ROOT', state: 'Ready', deviceId: 0, storageId: t.pool.id });
    const before = await poolBytes(t);
    const volume = await alice.volumes.create({ name: 'data1', zoneId: t.zone.id, diskOfferingId: fixed.id });
    expect(volume).toMatchObject({ state: 'Allocated', size: 5 * GIB });
    expect(volume.storageId).toBeUndefined();
    expect(await poolBytes(t)).toBe(before);
    const attached = await alice.volumes.attach({ id: volume.id, virtualMachineId: vm.id });
    expect(attached).toMatchObject({ state: 'Ready', virtualMachineId: vm.id, deviceId: 1, storageId: t.pool.id });
    expect(await poolBytes(t)).toBe(before + 5 * GIB);
    const inUse = await refused(() => alice.volumes.delete({ id: volume.id }), 536, 'id');
    expect(inUse.message).toMatch(/attached/);
    const detached = await alice.volumes.detach({ id: volume.id });
    expect(detached.virtualMachineId).toBeUndefined();
    await alice.volumes.delete({ id: volume.id });
    await refused(() => alice.volumes.get({ id: volume.id }), 431, 'id');
    expect(await poolBytes(t)).toBe(before);
    const usage = await t.cloud.store.transaction(async (tx) => (await tx.repo('usageRecords').find({ where: { resourceId: volume.id } })).items.map((u) => u.type));
    expect(usage).toEqual(['VOLUME.CREATE', 'VOLUME.DELETE']);
  });

  it('refusals change nothing: custom size out of range, ROOT attach, cross-tenant ids read as not found', async () => {
    const t = await vmCloud();
    const { custom } = await withOffering(t);
    const alice = t.cloud.as(t.as.alice);
    const vm = await alice.vms.deploy(deployInput(t));
    const [root] = (await alice.volumes.list({ virtualMachineId: vm.id })).items;
    const rows = await volumeRows(t);
    await refused(() => alice.volumes.create({ name: 'big', zoneId: t.zone.id, diskOfferingId: custom.id, size: 5000 }), 431, 'size');
    await refused(() => alice.volumes.attach({ id: root!.id, virtualMachineId: vm.id }), 431, 'id');
    await refused(() => t.cloud.as(t.as.bob).volumes.get({ id: root!.id }), 431, 'id');
    await refused(() => t.cloud.as(t.as.bob).volumes.delete({ id: root!.id }), 431, 'id');
    expect(await volumeRows(t)).toBe(rows);
  });

  it('the volume limit is enforced with 532', async () => {
    const t = await vmCloud();
    const { fixed } = await withOffering(t);
    await t.cloud.system.resourceLimits.update({ accountId: t.accounts.alice.account.id, resourceType: 'volume', max: 1 });
    const alice = t.cloud.as(t.as.alice);
    await alice.volumes.create({ name: 'one', zoneId: t.zone.id, diskOfferingId: fixed.id });
    const rows = await volumeRows(t);
    await refused(() => alice.volumes.create({ name: 'two', zoneId: t.zone.id, diskOfferingId: fixed.id }), 532);
    expect(await volumeRows(t)).toBe(rows);
  });

  it('a driver failure on attach leaves the volume Allocated and detached with its pool bytes released; a hang hits the timeout', async () => {
    const t = await vmCloud();
    const { fixed } = await withOffering(t);
    const alice = t.cloud.as(t.as.alice);
    const vm = await alice.vms.deploy(deployInput(t));
    const volume = await alice.volumes.create({ name: 'data1', zoneId: t.zone.id, diskOfferingId: fixed.id });
    const before = await poolBytes(t);
    t.sim.lab.faults.fail('attachVolume', undefined, 'plug refused');
    const error = await refused(() => alice.volumes.attach({ id: volume.id, virtualMachineId: vm.id }), 534);
    expect(error.message).toMatch(/plug refused/);
    expect(await alice.volumes.get({ id: volume.id })).toEqual(volume);
    expect(await poolBytes(t)).toBe(before);
    t.sim.lab.faults.clear();
    await t.cloud.system.config.update({ name: 'wait', value: 1 });
    t.sim.lab.faults.hang('createVolume');
    const timeout = await refused(() => alice.volumes.attach({ id: volume.id, virtualMachineId: vm.id }), 534);
    expect(timeout.message).toMatch(/Timed out/);
    expect(await alice.volumes.get({ id: volume.id })).toEqual(volume);
    expect(await poolBytes(t)).toBe(before);
  });

  it('resize grows on the pool, refuses to shrink without shrinkOk, and migrate is refused while the VM runs, to an unknown pool and to the same pool', async () => {
    const t = await vmCloud();
    const { custom } = await withOffering(t);
    const alice = t.cloud.as(t.as.alice);
    const vm = await alice.vms.deploy(deployInput(t));
    const volume = await alice.volumes.create({ name: 'data1', zoneId: t.zone.id, diskOfferingId: custom.id, size: 2 });
    await alice.volumes.attach({ id: volume.id, virtualMachineId: vm.id });
    const before = await poolBytes(t);
    const grown = await alice.volumes.resize({ id: volume.id, size: 4 });
    expect(grown).toMatchObject({ state: 'Ready', size: 4 * GIB });
    expect(await poolBytes(t)).toBe(before + 2 * GIB);
    await refused(() => alice.volumes.resize({ id: volume.id, size: 1 }), 431, 'size');
    const running = await refused(() => t.cloud.system.volumes.migrate({ id: volume.id, storageId: t.pool.id }), 431, 'id');
    expect(running.message).toMatch(/Running/);
    await alice.volumes.detach({ id: volume.id });
    await refused(() => t.cloud.system.volumes.migrate({ id: volume.id, storageId: 'no-such-pool' }), 431, 'storageid');
    await refused(() => t.cloud.system.volumes.migrate({ id: volume.id, storageId: t.pool.id }), 431, 'storageid');
  });
});
