import { describe, expect, it } from 'vitest';
import type { Cloud } from '../../src/index.js';
import { deployInput, vmCloud, type VmCloud } from './vm-fixtures.js';

async function usageTypes(cloud: Cloud, resourceId: string) {
  return cloud.store.transaction(async (tx) => (await tx.repo('usageRecords').find({ where: { resourceId } })).items.map((u) => u.type));
}

async function runningOn(t: VmCloud, index: number, name: string, extra: Record<string, unknown> = {}) {
  return t.cloud.system.vms.deploy(deployInput(t, { name, hostId: t.hosts[index]!.id, account: t.accounts.alice.account.name, domainId: t.accounts.alice.account.domainId, ...extra }));
}

describe('VM usage records across migration and HA', () => {
  it('a live migration writes no usage event: the VM keeps running', async () => {
    const t = await vmCloud({ hosts: 2 });
    const vm = await runningOn(t, 0, 'mover');
    const before = await usageTypes(t.cloud, vm.id);
    expect(before).toEqual(['VM.CREATE', 'VM.START']);
    const moved = await t.cloud.system.vms.migrate({ vmId: vm.id, hostId: t.hosts[1]!.id });
    expect(moved).toMatchObject({ state: 'Running', hostId: t.hosts[1]!.id });
    expect(await usageTypes(t.cloud, vm.id)).toEqual(before);
  });

  it('an HA restart ends running hours on the dead host (VM.STOP) and starts them again (VM.START); a non-HA VM only stops', async () => {
    const t = await vmCloud({ hosts: 2 });
    const haOffering = await t.cloud.system.serviceOfferings.create({ name: 'ha', displayText: 'HA', cpuNumber: 1, cpuSpeed: 500, memory: 512, offerHa: true });
    const ha = await runningOn(t, 0, 'ha-vm', { serviceOfferingId: haOffering.id });
    const plain = await runningOn(t, 0, 'plain-vm');
    t.sim.lab.failHost('h0');
    const outcome = await t.cloud.system.vmReconciler.hostDown({ hostId: t.hosts[0]!.id });
    expect(outcome).toEqual({ restarted: [ha.id], stopped: [plain.id] });
    expect(await usageTypes(t.cloud, ha.id)).toEqual(['VM.CREATE', 'VM.START', 'VM.STOP', 'VM.START']);
    expect(await usageTypes(t.cloud, plain.id)).toEqual(['VM.CREATE', 'VM.START', 'VM.STOP']);
    // Handling the same host again changes nothing.
    await t.cloud.system.vmReconciler.hostDown({ hostId: t.hosts[0]!.id });
    expect(await usageTypes(t.cloud, plain.id)).toEqual(['VM.CREATE', 'VM.START', 'VM.STOP']);
  });

  it('a failed HA restart leaves the VM Stopped with only its VM.STOP', async () => {
    const t = await vmCloud({ hosts: 2 });
    const haOffering = await t.cloud.system.serviceOfferings.create({ name: 'ha', displayText: 'HA', cpuNumber: 1, cpuSpeed: 500, memory: 512, offerHa: true });
    const ha = await runningOn(t, 0, 'ha-vm', { serviceOfferingId: haOffering.id });
    t.sim.lab.failHost('h0');
    const fault = t.sim.lab.faults.fail('startVm', undefined, 'no room');
    const outcome = await t.cloud.system.vmReconciler.hostDown({ hostId: t.hosts[0]!.id });
    fault.clear();
    expect(outcome).toEqual({ restarted: [], stopped: [ha.id] });
    expect((await t.cloud.system.vms.get({ id: ha.id })).state).toBe('Stopped');
    expect(await usageTypes(t.cloud, ha.id)).toEqual(['VM.CREATE', 'VM.START', 'VM.STOP']);
  });
});
