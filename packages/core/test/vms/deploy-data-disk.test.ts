import { describe, expect, it } from 'vitest';
import { CapacityKeys } from '../../src/index.js';
import { SimulatorPrimaryStorage } from '../../../driver-simulator/src/index.js';
import { refused } from '../accounts/tenants.js';
import { deployInput, GIB, vmCloud, vmFootprint, type VmCloud } from './vm-fixtures.js';

/** The simulator's primary storage, to see which volumes exist on the pool. */
function primary(t: VmCloud): SimulatorPrimaryStorage {
  const storage = t.sim.storage.primary[0];
  if (!(storage instanceof SimulatorPrimaryStorage)) throw new Error('the simulator primary storage is missing');
  return storage;
}

async function dataDiskOf(t: VmCloud, vmId: string) {
  const alice = t.cloud.as(t.as.alice);
  const [data] = (await alice.volumes.list({ virtualMachineId: vmId, type: 'DATADISK' })).items;
  if (data === undefined) throw new Error('the VM has no data disk');
  return data;
}

async function poolBytes(t: VmCloud) {
  return t.cloud.store.transaction((tx) => tx.counters.get(CapacityKeys.poolAllocatedBytes(t.pool.id)));
}

async function fixedOffering(t: VmCloud) {
  return t.cloud.system.diskOfferings.create({ name: 'data-5', displayText: '5 GB data', diskSize: 5 });
}

describe('deploy with a data disk (diskOfferingId / size)', () => {
  it('starting at deploy: the data disk is created on the pool and plugged into the running VM', async () => {
    const t = await vmCloud();
    const offering = await fixedOffering(t);
    const alice = t.cloud.as(t.as.alice);
    const vm = await alice.vms.deploy(deployInput(t, { name: 'web1', diskOfferingId: offering.id }));
    expect(vm.state).toBe('Running');
    const data = await dataDiskOf(t, vm.id);
    expect(data).toMatchObject({ state: 'Ready', size: 5 * GIB, virtualMachineId: vm.id, storageId: t.pool.id });
    expect(primary(t).volumesOn(t.pool.id).get(data.id)).toBe(5 * GIB);
    expect(t.sim.hypervisors[0]?.pluggedVolumes(vm.instanceName)).toEqual([data.id]);
  });

  it('with startVm: false the disk stays Allocated and attached; the first start (start) places and plugs it', async () => {
    const t = await vmCloud();
    const offering = await fixedOffering(t);
    const alice = t.cloud.as(t.as.alice);
    const bytesBefore = await poolBytes(t);
    const vm = await alice.vms.deploy(deployInput(t, { name: 'web1', diskOfferingId: offering.id, startVm: false }));
    expect(vm.state).toBe('Stopped');
    const allocated = await dataDiskOf(t, vm.id);
    expect(allocated).toMatchObject({ state: 'Allocated', virtualMachineId: vm.id });
    expect(allocated.storageId).toBeUndefined();
    expect(await poolBytes(t)).toBe(bytesBefore);
    expect(primary(t).volumesOn(t.pool.id).has(allocated.id)).toBe(false);

    const running = await alice.vms.start({ id: vm.id });
    expect(running.state).toBe('Running');
    const placed = await dataDiskOf(t, vm.id);
    expect(placed).toMatchObject({ id: allocated.id, state: 'Ready', storageId: t.pool.id, virtualMachineId: vm.id });
    expect(primary(t).volumesOn(t.pool.id).get(placed.id)).toBe(5 * GIB);
    expect(t.sim.hypervisors[0]?.pluggedVolumes(running.instanceName)).toEqual([placed.id]);
    expect((await poolBytes(t)) - bytesBefore).toBe(5 * GIB + (await t.cloud.store.transaction(async (tx) => (await tx.repo('volumes').findOne({ virtualMachineId: vm.id, type: 'ROOT' }))?.size ?? 0)));
  });

  it('with startVm: false and a custom offering, startDeployed places a disk of the requested size', async () => {
    const t = await vmCloud();
    const custom = await t.cloud.system.diskOfferings.create({ name: 'custom', displayText: 'Custom', customized: true });
    const alice = t.cloud.as(t.as.alice);
    const vm = await alice.vms.deploy(deployInput(t, { name: 'web1', diskOfferingId: custom.id, size: 3, startVm: false }));
    expect((await dataDiskOf(t, vm.id)).state).toBe('Allocated');
    await alice.vms.startDeployed({ id: vm.id });
    const placed = await dataDiskOf(t, vm.id);
    expect(placed).toMatchObject({ state: 'Ready', size: 3 * GIB, storageId: t.pool.id });
    expect(primary(t).volumesOn(t.pool.id).get(placed.id)).toBe(3 * GIB);
  });

  it('a failed placement at the first start keeps the VM running, the disk Allocated and attached with an ERROR event; the next start places it', async () => {
    const t = await vmCloud();
    const offering = await fixedOffering(t);
    const alice = t.cloud.as(t.as.alice);
    const vm = await alice.vms.deploy(deployInput(t, { name: 'web1', diskOfferingId: offering.id, startVm: false }));
    const fault = t.sim.lab.faults.fail('createVolume', undefined, 'pool is read-only');
    const running = await alice.vms.start({ id: vm.id });
    fault.clear();
    expect(running.state).toBe('Running');
    const pending = await dataDiskOf(t, vm.id);
    expect(pending).toMatchObject({ state: 'Allocated', virtualMachineId: vm.id });
    expect(pending.storageId).toBeUndefined();
    const rootSize = await t.cloud.store.transaction(async (tx) => (await tx.repo('volumes').findOne({ virtualMachineId: vm.id, type: 'ROOT' }))?.size ?? 0);
    expect(await poolBytes(t)).toBe(rootSize);
    const errors = await t.cloud.store.transaction(async (tx) => (await tx.repo('events').find({ where: { resourceId: pending.id, level: 'ERROR' } })).items.map((e) => e.description));
    expect(errors.join('\n')).toContain('pool is read-only');

    await alice.vms.stop({ id: vm.id });
    await alice.vms.start({ id: vm.id });
    expect(await dataDiskOf(t, vm.id)).toMatchObject({ state: 'Ready', storageId: t.pool.id });
  });

  it('refuses a size without a disk offering and an unknown disk offering, changing nothing', async () => {
    const t = await vmCloud();
    const alice = t.cloud.as(t.as.alice);
    const before = await vmFootprint(t.cloud);
    await refused(() => alice.vms.deploy(deployInput(t, { size: 5 })), 431, 'size');
    await refused(() => alice.vms.deploy(deployInput(t, { diskOfferingId: 'no-such-offering', startVm: false })), 431, 'diskofferingid');
    await refused(() => alice.vms.deploy(deployInput(t, { diskOfferingId: 'no-such-offering' })), 431, 'diskofferingid');
    expect(await vmFootprint(t.cloud)).toEqual(before);
    expect(await t.cloud.store.transaction((tx) => tx.repo('volumes').count())).toBe(0);
  });
});
