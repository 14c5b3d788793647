import { describe, expect, it } from 'vitest';
import { refused } from '../accounts/tenants.js';
import { deployInput, holdings, vmCloud, type VmCloud } from './vm-fixtures.js';

/** A VM of alice's running on host `index`. */
async function runningOn(t: VmCloud, index: number, name: string, extra: Record<string, unknown> = {}) {
  return t.cloud.system.vms.deploy(deployInput(t, { name, hostId: t.hosts[index]!.id, account: t.accounts.alice.account.name, domainId: t.accounts.alice.account.domainId, ...extra }));
}

describe('HA when a host goes down', () => {
  it('restarts HA VMs on an ha.tag host, marks non-HA VMs Stopped, releases the dead host and marks it Down', async () => {
    const t = await vmCloud({ hosts: 3 });
    await t.cloud.system.config.update({ name: 'ha.tag', value: 'ha_host' });
    await t.cloud.system.hosts.update({ id: t.hosts[2]!.id, hostTags: 'ha_host' });
    const haOffering = await t.cloud.system.serviceOfferings.create({ name: 'ha', displayText: 'HA', cpuNumber: 1, cpuSpeed: 500, memory: 512, offerHa: true });
    const ha = await runningOn(t, 0, 'ha-vm', { serviceOfferingId: haOffering.id });
    const plain = await runningOn(t, 0, 'plain-vm');
    const flagged = await runningOn(t, 0, 'flagged-vm');
    await t.cloud.as(t.as.alice).vms.update({ id: flagged.id, haEnable: true });
    const ipsBefore = (await holdings(t.cloud, t)).guestIps;

    t.sim.lab.failHost('h0');
    const outcome = await t.cloud.system.vmReconciler.hostDown({ hostId: t.hosts[0]!.id });
    expect([...outcome.restarted].sort()).toEqual([ha.id, flagged.id].sort());
    expect(outcome.stopped).toEqual([plain.id]);

    const restarted = await t.cloud.system.vms.get({ id: ha.id });
    expect(restarted).toMatchObject({ state: 'Running', hostId: t.hosts[2]!.id });
    expect(restarted.nics[0]?.ipAddress).toBe(ha.nics[0]?.ipAddress);
    expect(t.sim.lab.hostOfVm(ha.instanceName)?.name).toBe('h2');
    expect((await t.cloud.system.vms.get({ id: flagged.id })).state).toBe('Running');
    const stopped = await t.cloud.system.vms.get({ id: plain.id });
    expect(stopped.state).toBe('Stopped');
    expect(stopped.hostId).toBeUndefined();
    expect(stopped.nics[0]?.ipAddress).toBeUndefined();

    const after = await holdings(t.cloud, t);
    expect(after.hosts[0]).toEqual([0, 0, 0]);
    expect(after.hosts[2]).toEqual([1000, 1024 * 1024 * 1024, 2]);
    expect(after.guestIps.free).toBe(ipsBefore.free + 1);
    expect((await t.cloud.system.hosts.list({ id: t.hosts[0]!.id }))[0]?.state).toBe('Down');

    const events = (await t.cloud.as(t.as.alice).events.list({ pageSize: -1 })).items;
    expect(events.filter((e) => e.type === 'VM.HA' && e.level === 'INFO')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'VM.STOP' && e.level === 'WARN')).toHaveLength(3);
    // Handling the same host again changes nothing.
    expect(await t.cloud.system.vmReconciler.hostDown({ hostId: t.hosts[0]!.id })).toEqual({ restarted: [], stopped: [] });
  });

  it('restarts on an ordinary host of the cluster when no ha.tag host exists', async () => {
    const t = await vmCloud();
    const haOffering = await t.cloud.system.serviceOfferings.create({ name: 'ha', displayText: 'HA', cpuNumber: 1, cpuSpeed: 500, memory: 512, offerHa: true });
    const vm = await runningOn(t, 0, 'ha-vm', { serviceOfferingId: haOffering.id });
    t.sim.lab.failHost('h0');
    await t.cloud.system.vmHa.handleHostDown({ hostId: t.hosts[0]!.id });
    expect(await t.cloud.system.vms.get({ id: vm.id })).toMatchObject({ state: 'Running', hostId: t.hosts[1]!.id });
    expect((await holdings(t.cloud, t)).hosts).toEqual([[0, 0, 0], [500, 512 * 1024 * 1024, 1]]);
  });

  it('an HA restart nothing can take leaves the VM Stopped with everything released and an ERROR event', async () => {
    const t = await vmCloud();
    const big = await t.cloud.system.serviceOfferings.create({ name: 'big', displayText: 'Big', cpuNumber: 1, cpuSpeed: 500, memory: 8192 });
    await t.cloud.system.vms.deploy(deployInput(t, { name: 'filler', serviceOfferingId: big.id, hostId: t.hosts[1]!.id }));
    const haOffering = await t.cloud.system.serviceOfferings.create({ name: 'ha', displayText: 'HA', cpuNumber: 1, cpuSpeed: 500, memory: 512, offerHa: true });
    const vm = await runningOn(t, 0, 'ha-vm', { serviceOfferingId: haOffering.id });
    const ipsBefore = (await holdings(t.cloud, t)).guestIps;
    t.sim.lab.failHost('h0');
    const outcome = await t.cloud.system.vmHa.handleHostDown({ hostId: t.hosts[0]!.id });
    expect(outcome).toEqual({ restarted: [], stopped: [vm.id] });
    const after = await holdings(t.cloud, t);
    expect(after.hosts[0]).toEqual([0, 0, 0]);
    expect(after.guestIps.free).toBe(ipsBefore.free + 1);
    expect((await t.cloud.system.vms.get({ id: vm.id })).state).toBe('Stopped');
    const errors = (await t.cloud.as(t.as.alice).events.list({ pageSize: -1 })).items.filter((e) => e.type === 'VM.HA' && e.level === 'ERROR');
    expect(errors[0]?.description).toMatch(/memory/);
  });

  it('a driver failure on the HA restart releases the new host and leaves the VM Stopped', async () => {
    const t = await vmCloud();
    const haOffering = await t.cloud.system.serviceOfferings.create({ name: 'ha', displayText: 'HA', cpuNumber: 1, cpuSpeed: 500, memory: 512, offerHa: true });
    const vm = await runningOn(t, 0, 'ha-vm', { serviceOfferingId: haOffering.id });
    t.sim.lab.failHost('h0');
    t.sim.lab.faults.fail('startVm', 'h1', 'no bridge');
    const outcome = await t.cloud.system.vmHa.handleHostDown({ hostId: t.hosts[0]!.id });
    expect(outcome.stopped).toEqual([vm.id]);
    expect((await holdings(t.cloud, t)).hosts).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect((await t.cloud.system.vms.get({ id: vm.id })).state).toBe('Stopped');
    // Once the fault is gone the owner starts it again.
    t.sim.lab.faults.clear();
    expect((await t.cloud.as(t.as.alice).vms.start({ id: vm.id })).state).toBe('Running');
  });

  it('refuses anyone but root admins, changing nothing', async () => {
    const t = await vmCloud();
    await refused(() => t.cloud.as(t.as.alice).vmHa.handleHostDown({ hostId: t.hosts[0]!.id }), 531);
    expect((await t.cloud.system.hosts.list({ id: t.hosts[0]!.id }))[0]?.state).toBe('Up');
  });
});
