import { describe, expect, it } from 'vitest';
import { refused } from '../accounts/tenants.js';
import { deployInput, holdings, vmCloud } from './vm-fixtures.js';

describe('startDeployed: the first start of a two-step deployment', () => {
  it('starts a VM recorded Stopped, and writes the VM.START usage record', async () => {
    const t = await vmCloud();
    const alice = t.cloud.as(t.as.alice);
    const vm = await alice.vms.deploy(deployInput(t, { startVm: false }));
    expect(vm.state).toBe('Stopped');
    const running = await alice.vms.startDeployed({ id: vm.id });
    expect(running.state).toBe('Running');
    const usage = await t.cloud.store.transaction(async (tx) => (await tx.repo('usageRecords').find({ where: { resourceId: vm.id } })).items.map((u) => u.type));
    expect(usage).toContain('VM.START');
    await alice.vms.stop({ id: vm.id });
    const after = await t.cloud.store.transaction(async (tx) => (await tx.repo('usageRecords').find({ where: { resourceId: vm.id } })).items.map((u) => u.type));
    expect(after).toContain('VM.STOP');
  });

  it('leaves the VM in Error with everything released when the first start fails, as a failed deploy does', async () => {
    const t = await vmCloud();
    const alice = t.cloud.as(t.as.alice);
    const vm = await alice.vms.deploy(deployInput(t, { startVm: false }));
    const before = await holdings(t.cloud, t);
    const fault = t.sim.lab.faults.fail('startVm', undefined, 'hypervisor refused');
    await refused(() => alice.vms.startDeployed({ id: vm.id }), 534);
    fault.clear();
    expect((await alice.vms.get({ id: vm.id })).state).toBe('Error');
    // Host capacity, pool bytes and the address are back; the MAC recorded at deploy is given back too.
    expect(await holdings(t.cloud, t)).toEqual({ ...before, heldMacs: before.heldMacs - 1 });
  });

  it('refuses a VM that has run before (432 naming id), changing nothing', async () => {
    const t = await vmCloud();
    const alice = t.cloud.as(t.as.alice);
    const vm = await alice.vms.deploy(deployInput(t));
    await alice.vms.stop({ id: vm.id });
    await refused(() => alice.vms.startDeployed({ id: vm.id }), 432, 'id');
    expect((await alice.vms.get({ id: vm.id })).state).toBe('Stopped');
  });
});
