import { describe, expect, it } from 'vitest';
import { deployInput, vmCloud } from '../vms/vm-fixtures.js';

async function volumeLimitUsed(t: Awaited<ReturnType<typeof vmCloud>>, accountId: string) {
  const [limit] = await t.cloud.system.resourceLimits.list({ accountId, resourceType: 'volume' });
  return limit?.used;
}

describe('volumes when their VM is expunged', () => {
  it('removes the ROOT volume with its volume count, keeps a data disk detached, and records destroy usage', async () => {
    const t = await vmCloud();
    const alice = t.cloud.as(t.as.alice);
    const offering = await t.cloud.system.diskOfferings.create({ name: 'data', displayText: 'data', diskSize: 1 });
    const vm = await alice.vms.deploy(deployInput(t));
    const data = await alice.volumes.create({ name: 'kept', zoneId: t.zone.id, diskOfferingId: offering.id });
    await alice.volumes.attach({ id: data.id, virtualMachineId: vm.id });
    expect(await volumeLimitUsed(t, t.as.alice.accountId)).toBe(2);

    await alice.vms.destroy({ id: vm.id });
    await t.cloud.system.vms.expunge({ id: vm.id });

    const left = await t.cloud.store.transaction(async (tx) => (await tx.repo('volumes').find({ where: { accountId: t.as.alice.accountId } })).items);
    expect(left.map((v) => v.type)).toEqual(['DATADISK']);
    expect(left[0]).toMatchObject({ id: data.id, state: 'Ready' });
    expect(left[0]?.virtualMachineId).toBeUndefined();
    expect(left[0]?.deviceId).toBeUndefined();
    expect(await volumeLimitUsed(t, t.as.alice.accountId)).toBe(1);
    const usage = await t.cloud.store.transaction(async (tx) => (await tx.repo('usageRecords').find()).items.map((u) => u.type));
    expect(usage).toContain('VM.DESTROY');
  });
});
