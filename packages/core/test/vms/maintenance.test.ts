import { describe, expect, it } from 'vitest';
import { refused } from '../accounts/tenants.js';
import { deployInput, holdings, vmCloud, vmFootprint, type VmCloud } from './vm-fixtures.js';

/** A VM of alice's running on host `index`. */
async function runningOn(t: VmCloud, index: number, name: string) {
  return t.cloud.system.vms.deploy(deployInput(t, { name, hostId: t.hosts[index]!.id, account: t.accounts.alice.account.name, domainId: t.accounts.alice.account.domainId }));
}

/** Fills host `index` until `freeMb` MB of memory are left. */
async function fill(t: VmCloud, index: number, freeMb: number) {
  const filler = await t.cloud.system.serviceOfferings.create({ name: `filler-${index}`, displayText: 'Filler', cpuNumber: 1, cpuSpeed: 500, memory: 8192 - freeMb });
  await t.cloud.system.vms.deploy(deployInput(t, { name: `filler-${index}`, serviceOfferingId: filler.id, hostId: t.hosts[index]!.id }));
}

/** Resource state of every host. */
async function hostStates(t: VmCloud) {
  return (await t.cloud.system.hosts.list({ clusterId: t.cluster.id })).map((h) => [h.name, h.resourceState]);
}

describe('host maintenance', () => {
  it('migrates every VM off the host, then puts it in Maintenance; cancel makes it Enabled again', async () => {
    const t = await vmCloud();
    const a = await runningOn(t, 0, 'a');
    const b = await runningOn(t, 0, 'b');
    const host = await t.cloud.system.hosts.prepareForMaintenance({ id: t.hosts[0]!.id });
    expect(host.resourceState).toBe('Maintenance');
    for (const vm of [a, b]) {
      expect(await t.cloud.system.vms.get({ id: vm.id })).toMatchObject({ state: 'Running', hostId: t.hosts[1]!.id });
      expect(t.sim.lab.hostOfVm(vm.instanceName)?.name).toBe('h1');
    }
    expect((await holdings(t.cloud, t)).hosts).toEqual([[0, 0, 0], [1000, 1024 * 1024 * 1024, 2]]);
    const events = (await t.cloud.system.events.list({ pageSize: -1 })).items.filter((e) => e.type === 'MAINT.PREPARE').map((e) => e.description);
    expect(events.some((d) => /PrepareForMaintenance/.test(d))).toBe(true);
    expect(events.some((d) => /is in Maintenance/.test(d))).toBe(true);
    // Nothing new is placed on a host in maintenance.
    const c = await t.cloud.as(t.as.alice).vms.deploy(deployInput(t, { name: 'c' }));
    expect(c.hostId).toBe(t.hosts[1]!.id);
    expect((await t.cloud.system.hosts.cancelMaintenance({ id: t.hosts[0]!.id })).resourceState).toBe('Enabled');
    const moved = await t.cloud.system.vms.migrate({ vmId: a.id, hostId: t.hosts[0]!.id });
    expect(moved.hostId).toBe(t.hosts[0]!.id);
  });

  it('refuses up front (533) when the other hosts cannot take all the VMs together, changing nothing', async () => {
    const t = await vmCloud();
    await fill(t, 1, 512);
    await runningOn(t, 0, 'one');
    await runningOn(t, 0, 'two');
    const before = await vmFootprint(t.cloud);
    const states = await hostStates(t);
    const error = await refused(() => t.cloud.system.hosts.prepareForMaintenance({ id: t.hosts[0]!.id }), 533);
    expect(error.message).toMatch(/cannot be migrated/);
    expect(error.message).toMatch(/memory/);
    expect(await vmFootprint(t.cloud)).toBe(before);
    expect(await hostStates(t)).toEqual(states);
  });

  it('refuses (432) while a VM on the host is mid-operation, changing nothing', async () => {
    const t = await vmCloud();
    await t.cloud.system.config.update({ name: 'wait', value: 1 });
    const vm = await runningOn(t, 0, 'busy');
    t.sim.lab.faults.hang('stopVm');
    const stopping = t.cloud.system.vms.stop({ id: vm.id }).catch((e: unknown) => e);
    await expect.poll(async () => (await t.cloud.system.vms.get({ id: vm.id })).state).toBe('Stopping');
    const states = await hostStates(t);
    const error = await refused(() => t.cloud.system.hosts.prepareForMaintenance({ id: t.hosts[0]!.id }), 432, 'id');
    expect(error.message).toMatch(/Stopping/);
    expect(await hostStates(t)).toEqual(states);
    await stopping;
    expect((await t.cloud.system.vms.get({ id: vm.id })).state).toBe('Running');
  });

  it('refuses users and hosts already in maintenance', async () => {
    const t = await vmCloud();
    await refused(() => t.cloud.as(t.as.alice).hosts.prepareForMaintenance({ id: t.hosts[0]!.id }), 531);
    await t.cloud.system.hosts.prepareForMaintenance({ id: t.hosts[0]!.id });
    const before = await hostStates(t);
    await refused(() => t.cloud.system.hosts.prepareForMaintenance({ id: t.hosts[0]!.id }), 432, 'id');
    expect(await hostStates(t)).toEqual(before);
  });

  it('a migration that fails midway leaves the VM Running on the host and the host ErrorInMaintenance, as 4.1', async () => {
    const t = await vmCloud();
    const moves = await runningOn(t, 0, 'moves');
    const stays = await runningOn(t, 0, 'stays');
    t.sim.lab.faults.fail('migrateVm', stays.instanceName, 'storage path lost');
    const error = await refused(() => t.cloud.system.hosts.prepareForMaintenance({ id: t.hosts[0]!.id }), 534);
    expect(error.message).toMatch(/storage path lost/);
    expect((await t.cloud.system.hosts.list({ id: t.hosts[0]!.id }))[0]?.resourceState).toBe('ErrorInMaintenance');
    expect(await t.cloud.system.vms.get({ id: moves.id })).toMatchObject({ state: 'Running', hostId: t.hosts[1]!.id });
    expect(await t.cloud.system.vms.get({ id: stays.id })).toMatchObject({ state: 'Running', hostId: t.hosts[0]!.id });
    expect((await holdings(t.cloud, t)).hosts).toEqual([[500, 512 * 1024 * 1024, 1], [500, 512 * 1024 * 1024, 1]]);
    const errors = (await t.cloud.system.events.list({ pageSize: -1 })).items.filter((e) => e.type === 'MAINT.PREPARE' && e.level === 'ERROR');
    expect(errors).toHaveLength(1);
    // Prepared again once the fault is gone, the host reaches Maintenance.
    t.sim.lab.faults.clear();
    expect((await t.cloud.system.hosts.prepareForMaintenance({ id: t.hosts[0]!.id })).resourceState).toBe('Maintenance');
    expect((await t.cloud.system.vms.get({ id: stays.id })).hostId).toBe(t.hosts[1]!.id);
  });
});
