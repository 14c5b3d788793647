import { describe, expect, it } from 'vitest';
import { refused } from '../accounts/tenants.js';
import { deployInput, holdings, vmCloud, vmFootprint, type VmCloud } from './vm-fixtures.js';

/** A VM of alice's running on host `index`. */
async function runningOn(t: VmCloud, index: number, name: string) {
  return t.cloud.system.vms.deploy(deployInput(t, { name, hostId: t.hosts[index]!.id, account: t.accounts.alice.account.name, domainId: t.accounts.alice.account.domainId }));
}

/** The counters of a footprint that hold something (a release leaves zero-valued keys behind). */
function nonZero(footprint: string): [string, number][] {
  return (JSON.parse(footprint) as { counters: [string, number][] }).counters.filter(([, v]) => v !== 0);
}

describe('live migration within the cluster', () => {
  it('moves a running VM to the planner-chosen host: capacity moves with it, the VM keeps its addresses, and a VM.MIGRATE event is written', async () => {
    const t = await vmCloud();
    const vm = await runningOn(t, 0, 'mover');
    const before = await holdings(t.cloud, t);
    expect(before.hosts[0]).toEqual([500, 512 * 1024 * 1024, 1]);
    const moved = await t.cloud.system.vms.migrate({ vmId: vm.id });
    expect(moved).toMatchObject({ state: 'Running', hostId: t.hosts[1]!.id });
    expect(moved.nics[0]?.ipAddress).toBe(vm.nics[0]?.ipAddress);
    const after = await holdings(t.cloud, t);
    expect(after.hosts[0]).toEqual([0, 0, 0]);
    expect(after.hosts[1]).toEqual([500, 512 * 1024 * 1024, 1]);
    expect(after.poolBytes).toBe(before.poolBytes);
    expect(after.guestIps).toEqual(before.guestIps);
    expect(t.sim.lab.hostOfVm(vm.instanceName)?.name).toBe('h1');
    const events = (await t.cloud.as(t.as.alice).events.list({ pageSize: -1 })).items.filter((e) => e.type === 'VM.MIGRATE');
    expect(events.map((e) => e.level)).toEqual(['INFO']);
    // The VM stops and starts again normally from its new host.
    await t.cloud.as(t.as.alice).vms.stop({ id: vm.id });
    expect(await holdings(t.cloud, t)).toMatchObject({ hosts: [[0, 0, 0], [0, 0, 0]] });
  });

  it('moves a VM to the host the admin names', async () => {
    const t = await vmCloud({ hosts: 3 });
    const vm = await runningOn(t, 0, 'named');
    const moved = await t.cloud.system.vms.migrate({ vmId: vm.id, hostId: t.hosts[2]!.id });
    expect(moved.hostId).toBe(t.hosts[2]!.id);
    expect(t.sim.lab.hostOfVm(vm.instanceName)?.name).toBe('h2');
  });

  it('refuses to migrate to a full host (533 naming memory) and leaves everything untouched', async () => {
    const t = await vmCloud();
    const big = await t.cloud.system.serviceOfferings.create({ name: 'big', displayText: 'Big', cpuNumber: 1, cpuSpeed: 500, memory: 8192 });
    await t.cloud.system.vms.deploy(deployInput(t, { name: 'filler', serviceOfferingId: big.id, hostId: t.hosts[1]!.id }));
    const vm = await runningOn(t, 0, 'stuck');
    const before = await vmFootprint(t.cloud);
    const error = await refused(() => t.cloud.system.vms.migrate({ vmId: vm.id, hostId: t.hosts[1]!.id }), 533);
    expect(error.message).toMatch(/memory/);
    expect(await vmFootprint(t.cloud)).toBe(before);
    const planned = await refused(() => t.cloud.system.vms.migrate({ vmId: vm.id }), 533);
    expect(planned.message).toMatch(/memory/);
    expect(await vmFootprint(t.cloud)).toBe(before);
    expect(t.sim.lab.hostOfVm(vm.instanceName)?.name).toBe('h0');
  });

  it('refuses users (531), stopped VMs (432), the current host (431) and other clusters (431) with nothing changed', async () => {
    const t = await vmCloud();
    const vm = await runningOn(t, 0, 'refused');
    const cluster2 = await t.cloud.system.clusters.add({ zoneId: t.zone.id, podId: t.pod.id, clusterName: 'c2', hypervisor: 'Simulator' });
    const other = await t.cloud.system.hosts.add({ clusterId: cluster2.id, url: 'http://sim/other', username: 'root', password: 'password' });
    const before = await vmFootprint(t.cloud);
    await refused(() => t.cloud.as(t.as.alice).vms.migrate({ vmId: vm.id }), 531);
    await refused(() => t.cloud.system.vms.migrate({ vmId: vm.id, hostId: t.hosts[0]!.id }), 431, 'hostid');
    await refused(() => t.cloud.system.vms.migrate({ vmId: vm.id, hostId: other.id }), 431, 'hostid');
    expect(await vmFootprint(t.cloud)).toBe(before);
    await t.cloud.as(t.as.alice).vms.stop({ id: vm.id });
    const stopped = await vmFootprint(t.cloud);
    await refused(() => t.cloud.system.vms.migrate({ vmId: vm.id }), 432, 'virtualmachineid');
    expect(await vmFootprint(t.cloud)).toBe(stopped);
  });

  it('a driver failure during migration leaves the VM Running on the source with the target capacity released and an ERROR event', async () => {
    const t = await vmCloud();
    const vm = await runningOn(t, 0, 'fragile');
    const before = await holdings(t.cloud, t);
    const footprint = await vmFootprint(t.cloud);
    t.sim.lab.faults.fail('migrateVm', vm.instanceName, 'link down');
    const error = await refused(() => t.cloud.system.vms.migrate({ vmId: vm.id }), 534);
    expect(error.message).toMatch(/link down/);
    expect(await holdings(t.cloud, t)).toEqual(before);
    const after = await t.cloud.system.vms.get({ id: vm.id });
    expect(after).toMatchObject({ state: 'Running', hostId: t.hosts[0]!.id });
    expect(t.sim.lab.hostOfVm(vm.instanceName)?.name).toBe('h0');
    const stored = JSON.parse(await vmFootprint(t.cloud)) as { vms: { migrationReservation?: unknown; version: number }[] };
    expect(stored.vms[0]?.migrationReservation).toBeUndefined();
    expect(nonZero(await vmFootprint(t.cloud))).toEqual(nonZero(footprint));
    const errors = (await t.cloud.as(t.as.alice).events.list({ pageSize: -1 })).items.filter((e) => e.type === 'VM.MIGRATE' && e.level === 'ERROR');
    expect(errors).toHaveLength(1);
  });

  it('two migrations racing for the last room on a host: exactly one gets it, the other is refused with 533', async () => {
    const t = await vmCloud();
    const one = await runningOn(t, 0, 'one');
    const two = await runningOn(t, 0, 'two');
    // The pod's virtual router (128 MB) started with the first VM on whichever host the planner chose: the filler leaves host 1 room for exactly one more 512 MB VM.
    const router = (await t.cloud.system.routers.list({})).items[0];
    const routerMb = router?.hostId === t.hosts[1]!.id ? 128 : 0;
    const fillerMb = 8192 - routerMb - 512;
    const filler = await t.cloud.system.serviceOfferings.create({ name: 'filler', displayText: 'Filler', cpuNumber: 1, cpuSpeed: 500, memory: fillerMb });
    await t.cloud.system.vms.deploy(deployInput(t, { name: 'filler', serviceOfferingId: filler.id, hostId: t.hosts[1]!.id }));
    const outcomes = await Promise.allSettled([one, two].map((vm) => t.cloud.system.vms.migrate({ vmId: vm.id, hostId: t.hosts[1]!.id })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find((o) => o.status === 'rejected');
    expect(rejected?.status === 'rejected' && (rejected.reason as { code: number }).code).toBe(533);
    const after = await holdings(t.cloud, t);
    expect(after.hosts[0]).toEqual([500, 512 * 1024 * 1024, 1]);
    expect(after.hosts[1]).toEqual([1000, (fillerMb + 512) * 1024 * 1024, 2]);
  });

  it('a hung migration hits the wait timeout and gives the target back', async () => {
    const t = await vmCloud();
    await t.cloud.system.config.update({ name: 'wait', value: 1 });
    const vm = await runningOn(t, 0, 'hung');
    const before = await holdings(t.cloud, t);
    t.sim.lab.faults.hang('migrateVm');
    const error = await refused(() => t.cloud.system.vms.migrate({ vmId: vm.id }), 534);
    expect(error.message).toMatch(/Timed out/);
    expect(await holdings(t.cloud, t)).toEqual(before);
    expect((await t.cloud.system.vms.get({ id: vm.id })).state).toBe('Running');
  });
});
