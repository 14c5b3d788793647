import { describe, expect, it } from 'vitest';
import { CloudError } from '../../src/index.js';
import { refused } from '../accounts/tenants.js';
import { deployInput, holdings, vmCloud } from './vm-fixtures.js';

describe('VM driver faults and limits', () => {
  it('a driver failure on deploy releases host capacity, pool bytes, the IP and the MAC, and leaves the VM in Error with an event', async () => {
    const t = await vmCloud();
    const before = await holdings(t.cloud, t);
    t.sim.lab.faults.fail('startVm', undefined, 'hypervisor refused');
    const error = await refused(() => t.cloud.as(t.as.alice).vms.deploy(deployInput(t, { name: 'broken' })), 534);
    expect(error.message).toMatch(/hypervisor refused/);
    expect(await holdings(t.cloud, t)).toEqual(before);
    const [vm] = (await t.cloud.as(t.as.alice).vms.list({ name: 'broken' })).items;
    expect(vm).toMatchObject({ state: 'Error', nics: [] });
    expect(vm?.hostId).toBeUndefined();
    const errors = (await t.cloud.as(t.as.alice).events.list({ pageSize: -1 })).items.filter((e) => e.level === 'ERROR');
    expect(errors.map((e) => e.type)).toContain('VM.START');
    t.sim.lab.faults.clear();
    await t.cloud.as(t.as.alice).vms.destroy({ id: vm!.id });
    await t.cloud.system.vms.expunge({ id: vm!.id });
    expect(await t.cloud.store.transaction((tx) => tx.counters.get(`limits:account:${t.accounts.alice.account.id}:user_vm`))).toBe(0);
  });

  it('a driver failure starting a stopped VM releases host capacity and the IP, keeps its MAC and disk, and leaves it Stopped', async () => {
    const t = await vmCloud();
    const vm = await t.cloud.as(t.as.alice).vms.deploy(deployInput(t));
    await t.cloud.as(t.as.alice).vms.stop({ id: vm.id });
    const stopped = await holdings(t.cloud, t);
    t.sim.lab.faults.fail('startVm', vm.instanceName);
    await refused(() => t.cloud.as(t.as.alice).vms.start({ id: vm.id }), 534);
    expect(await holdings(t.cloud, t)).toEqual(stopped);
    const after = await t.cloud.as(t.as.alice).vms.get({ id: vm.id });
    expect(after.state).toBe('Stopped');
    expect(after.nics[0]?.macAddress).toBe(vm.nics[0]?.macAddress);
  });

  it('a hung start hits the wait timeout and releases everything', async () => {
    const t = await vmCloud();
    await t.cloud.system.config.update({ name: 'wait', value: 1 });
    const before = await holdings(t.cloud, t);
    t.sim.lab.faults.hang('startVm');
    const error = await refused(() => t.cloud.as(t.as.alice).vms.deploy(deployInput(t, { name: 'hung' })), 534);
    expect(error.message).toMatch(/Timed out/);
    expect(await holdings(t.cloud, t)).toEqual(before);
    expect((await t.cloud.as(t.as.alice).vms.list({ name: 'hung' })).items[0]?.state).toBe('Error');
  });

  it('a failed stop leaves the VM Running, holding its host', async () => {
    const t = await vmCloud();
    const vm = await t.cloud.as(t.as.alice).vms.deploy(deployInput(t));
    const running = await holdings(t.cloud, t);
    t.sim.lab.faults.fail('stopVm');
    await refused(() => t.cloud.as(t.as.alice).vms.stop({ id: vm.id }), 534);
    expect((await t.cloud.as(t.as.alice).vms.get({ id: vm.id })).state).toBe('Running');
    expect(await holdings(t.cloud, t)).toEqual(running);
  });

  it('a failed expunge leaves the VM Destroyed for the next sweep', async () => {
    const t = await vmCloud();
    const vm = await t.cloud.as(t.as.alice).vms.deploy(deployInput(t));
    await t.cloud.as(t.as.alice).vms.destroy({ id: vm.id });
    t.sim.lab.faults.fail('destroyVm', undefined, 'disk busy');
    await refused(() => t.cloud.system.vms.expunge({ id: vm.id }), 534);
    expect((await t.cloud.system.vms.get({ id: vm.id })).state).toBe('Destroyed');
    t.sim.lab.faults.clear();
    await t.cloud.system.vms.expunge({ id: vm.id });
    await refused(() => t.cloud.system.vms.get({ id: vm.id }), 431, 'id');
  });

  it('20 parallel deployments against a VM limit of 5 create exactly 5; the rest fail with 532', async () => {
    const t = await vmCloud();
    await t.cloud.system.resourceLimits.update({ accountId: t.accounts.alice.account.id, resourceType: 'user_vm', max: 5 });
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => t.cloud.as(t.as.alice).vms.deploy(deployInput(t, { name: `vm${i}`, startVm: false }))));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(failures.every((e) => e instanceof CloudError && e.code === 532)).toBe(true);
    expect((await t.cloud.as(t.as.alice).vms.list()).total).toBe(5);
  });

  it('recover is refused with 532 when the limit is full again', async () => {
    const t = await vmCloud();
    await t.cloud.system.resourceLimits.update({ accountId: t.accounts.alice.account.id, resourceType: 'user_vm', max: 1 });
    const vm = await t.cloud.as(t.as.alice).vms.deploy(deployInput(t, { startVm: false }));
    await t.cloud.as(t.as.alice).vms.destroy({ id: vm.id });
    await t.cloud.as(t.as.alice).vms.deploy(deployInput(t, { startVm: false }));
    await refused(() => t.cloud.system.vms.recover({ id: vm.id }), 532);
    expect((await t.cloud.system.vms.get({ id: vm.id })).state).toBe('Destroyed');
  });
});
