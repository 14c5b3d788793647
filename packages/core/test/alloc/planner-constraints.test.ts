import { describe, expect, it } from 'vitest';
import { CapacityKeys, CapacityReservations } from '../../src/index.js';
import { refusal, user } from '../infrastructure/fixtures.js';
import { GIB, addCluster, allocationCloud, capacityRefusal, configure, counter, deploy, hostUsage, smallVm } from './alloc-fixtures.js';

describe('deployment planner: capacity', () => {
  it('places a VM on an Up, Enabled host and claims CPU, memory, VM count and pool bytes', async () => {
    const t = await allocationCloud();
    const { hosts, pool } = await addCluster(t, { name: 'c1', hosts: 1 });
    const placement = await deploy(t, smallVm(t.zone.id));
    expect(placement.hostId).toBe(hosts[0]?.id);
    expect(placement.poolId).toBe(pool?.id);
    expect(await hostUsage(t, placement.hostId)).toEqual({ cpu: 500, memory: 512 * 1024 * 1024, vms: 1 });
    expect(await counter(t, CapacityKeys.poolAllocatedBytes(placement.poolId))).toBe(GIB);
    const capacity = await t.admin.capacity.list({ zoneId: t.zone.id, type: 1 });
    expect(capacity[0]?.capacityUsed).toBe(500);
  });

  it('refuses with 533 naming CPU when no host has the MHz left', async () => {
    const t = await allocationCloud();
    await addCluster(t, { name: 'c1', hosts: 1, cores: 4, cpuSpeedMhz: 2000 });
    await deploy(t, smallVm(t.zone.id, { cpuNumber: 4, cpuSpeed: 1500 }));
    const error = await capacityRefusal(deploy(t, smallVm(t.zone.id, { cpuNumber: 4, cpuSpeed: 1000 })));
    expect(error.message).toMatch(/Insufficient CPU/);
    expect(error.message).toMatch(/2000 MHz free/);
  });

  it('refuses with 533 naming CPU when the host has fewer or slower cores than the offering', async () => {
    const t = await allocationCloud();
    await addCluster(t, { name: 'c1', hosts: 1, cores: 2, cpuSpeedMhz: 2000 });
    expect((await deploy(t, smallVm(t.zone.id, { cpuNumber: 2, cpuSpeed: 2000 }))).hostId).toBeDefined();
    const error = await capacityRefusal(deploy(t, smallVm(t.zone.id, { cpuNumber: 4, cpuSpeed: 100 })));
    expect(error.message).toMatch(/Insufficient CPU.*2 cores of 2000 MHz/);
  });

  it('refuses with 533 naming memory when no host has the memory left', async () => {
    const t = await allocationCloud();
    await addCluster(t, { name: 'c1', hosts: 1, memoryBytes: 2 * GIB });
    await deploy(t, smallVm(t.zone.id, { memoryMb: 1536 }));
    const error = await capacityRefusal(deploy(t, smallVm(t.zone.id, { memoryMb: 1024 })));
    expect(error.message).toMatch(/Insufficient memory/);
    expect(error.message).toMatch(/512 MB free/);
  });

  it('applies storage.overprovisioning.factor (2 by default) and refuses naming storage beyond it', async () => {
    const t = await allocationCloud();
    await addCluster(t, { name: 'c1', hosts: 1, poolBytes: 10 * GIB });
    await deploy(t, smallVm(t.zone.id, { diskBytes: 15 * GIB }));
    const error = await capacityRefusal(deploy(t, smallVm(t.zone.id, { diskBytes: 6 * GIB })));
    expect(error.message).toMatch(/Insufficient storage/);
  });

  it('uses the over-provisioning factors of the host\'s cluster, not of other clusters', async () => {
    const t = await allocationCloud();
    const a = await addCluster(t, { name: 'a', hosts: 1, cores: 4, cpuSpeedMhz: 1000, memoryBytes: 4 * GIB });
    const b = await addCluster(t, { name: 'b', hosts: 1, cores: 4, cpuSpeedMhz: 1000, memoryBytes: 4 * GIB });
    await configure(t.admin, 'cpu.overprovisioning.factor', 2, { scope: 'cluster', scopeId: a.cluster.id });
    await configure(t.admin, 'mem.overprovisioning.factor', 2, { scope: 'cluster', scopeId: a.cluster.id });
    const onA = smallVm(t.zone.id, { clusterId: a.cluster.id, cpuNumber: 4, cpuSpeed: 1000, memoryMb: 4096 });
    await deploy(t, onA);
    await deploy(t, onA); // twice the real CPU and memory: allowed by factor 2
    await capacityRefusal(deploy(t, onA));
    const onB = { ...onA, clusterId: b.cluster.id };
    await deploy(t, onB);
    const error = await capacityRefusal(deploy(t, onB)); // factor 1 in cluster b
    expect(error.message).toMatch(/CPU/);
    expect((await hostUsage(t, a.hosts[0]?.id ?? '')).cpu).toBe(8000);
  });

  it('gives capacity back on release, so the host takes the next VM', async () => {
    const t = await allocationCloud();
    await addCluster(t, { name: 'c1', hosts: 1, memoryBytes: GIB });
    const placement = await deploy(t, smallVm(t.zone.id, { memoryMb: 1024, accountId: 'acct-1' }));
    await capacityRefusal(deploy(t, smallVm(t.zone.id, { memoryMb: 1024 })));
    const reservations = t.cloud.container.resolve(CapacityReservations);
    await t.cloud.store.transaction((tx) => reservations.release(tx, placement, placement.amounts));
    expect(await hostUsage(t, placement.hostId)).toEqual({ cpu: 0, memory: 0, vms: 0 });
    expect(await counter(t, CapacityKeys.hostAccountVms(placement.hostId, 'acct-1'))).toBe(0);
    expect((await deploy(t, smallVm(t.zone.id, { memoryMb: 1024 }))).hostId).toBe(placement.hostId);
  });

  it('reserve() on a named host claims atomically and refuses with 533 past the bound, claiming nothing', async () => {
    const t = await allocationCloud();
    const { hosts, pool } = await addCluster(t, { name: 'c1', hosts: 1, cores: 1, cpuSpeedMhz: 1000 });
    const hostId = hosts[0]?.id ?? '';
    const reservations = t.cloud.container.resolve(CapacityReservations);
    const amounts = { cpuMhz: 600, memoryBytes: GIB, diskBytes: GIB };
    await t.cloud.store.transaction((tx) => reservations.reserve(tx, { hostId, poolId: pool?.id ?? '' }, amounts));
    const error = await capacityRefusal(t.cloud.store.transaction((tx) => reservations.reserve(tx, { hostId, poolId: pool?.id ?? '' }, amounts)));
    expect(error.message).toMatch(/Insufficient CPU/);
    expect(await hostUsage(t, hostId)).toEqual({ cpu: 600, memory: GIB, vms: 1 });
  });

  it('answers "where would this go" for admins without claiming, and refuses users (531)', async () => {
    const t = await allocationCloud();
    const { hosts } = await addCluster(t, { name: 'c1', hosts: 1 });
    const placement = await t.admin.placement.plan(smallVm(t.zone.id));
    expect(placement.hostId).toBe(hosts[0]?.id);
    expect(await hostUsage(t, placement.hostId)).toEqual({ cpu: 0, memory: 0, vms: 0 });
    expect((await refusal(t.cloud.as(user).placement.plan(smallVm(t.zone.id)))).code).toBe(531);
  });
});

describe('deployment planner: host constraints', () => {
  it('places only on hosts carrying the offering\'s host tag, and names the tag when none does', async () => {
    const t = await allocationCloud();
    const { hosts } = await addCluster(t, { name: 'c1', hosts: 3, hostTags: (i) => (i === 2 ? ['gpu'] : []) });
    const placement = await deploy(t, smallVm(t.zone.id, { hostTag: 'gpu' }));
    expect(placement.hostId).toBe(hosts[2]?.id);
    const error = await capacityRefusal(deploy(t, smallVm(t.zone.id, { hostTag: 'fpga' })));
    expect(error.message).toMatch(/no host with tag fpga/);
  });

  it('keeps ha.tag hosts for restarting HA-enabled VMs', async () => {
    const t = await allocationCloud();
    await configure(t.admin, 'ha.tag', 'ha_host');
    const { hosts } = await addCluster(t, { name: 'c1', hosts: 1, hostTags: () => ['ha_host'] });
    const normal = await capacityRefusal(deploy(t, smallVm(t.zone.id, { offerHa: true })));
    expect(normal.message).toMatch(/ha\.tag ha_host/);
    await capacityRefusal(deploy(t, smallVm(t.zone.id, { forHaRestart: true, offerHa: false })));
    const restart = await deploy(t, smallVm(t.zone.id, { forHaRestart: true, offerHa: true }));
    expect(restart.hostId).toBe(hosts[0]?.id);
  });

  it('prefers ha.tag hosts for an HA restart and ordinary hosts otherwise', async () => {
    const t = await allocationCloud();
    await configure(t.admin, 'ha.tag', 'ha_host');
    await configure(t.admin, 'vm.allocation.algorithm', 'firstfit');
    const { hosts } = await addCluster(t, { name: 'c1', hosts: 2, hostTags: (i) => (i === 1 ? ['ha_host'] : []) });
    expect((await deploy(t, smallVm(t.zone.id, { offerHa: true }))).hostId).toBe(hosts[0]?.id);
    expect((await deploy(t, smallVm(t.zone.id, { offerHa: true, forHaRestart: true }))).hostId).toBe(hosts[1]?.id);
  });

  it('places on a cluster of the template\'s hypervisor and refuses naming the hypervisor otherwise', async () => {
    const t = await allocationCloud();
    await addCluster(t, { name: 'sim', hosts: 1 });
    const error = await capacityRefusal(deploy(t, smallVm(t.zone.id, { hypervisorType: 'KVM' })));
    expect(error.message).toMatch(/hypervisor/);
    const kvm = await addCluster(t, { name: 'kvm', hosts: 1, hypervisor: 'KVM' });
    expect((await deploy(t, smallVm(t.zone.id, { hypervisorType: 'KVM' }))).clusterId).toBe(kvm.cluster.id);
  });

  it('skips hosts that are not Up or not Enabled', async () => {
    const t = await allocationCloud();
    await configure(t.admin, 'vm.allocation.algorithm', 'firstfit');
    const { hosts } = await addCluster(t, { name: 'c1', hosts: 3 });
    const [h0, h1, h2] = hosts.map((h) => h.id);
    expect((await deploy(t, smallVm(t.zone.id))).hostId).toBe(h0); // index built with every host Up
    await t.admin.hosts.update({ id: h0 ?? '', allocationState: 'Disable' });
    await t.cloud.store.transaction(async (tx) => {
      const row = await tx.repo('hosts').get(h1 ?? '');
      if (row !== undefined) await tx.repo('hosts').update({ ...row, state: 'Down' });
    });
    expect((await deploy(t, smallVm(t.zone.id))).hostId).toBe(h2);
    await t.admin.hosts.update({ id: h2 ?? '', allocationState: 'Disable' });
    const error = await capacityRefusal(deploy(t, smallVm(t.zone.id)));
    expect(error.message).toMatch(/not Up and Enabled/);
  });

  it('skips hosts, pools, clusters and pods of the avoid set', async () => {
    const t = await allocationCloud();
    await configure(t.admin, 'vm.allocation.algorithm', 'firstfit');
    const a = await addCluster(t, { name: 'a', hosts: 2 });
    const b = await addCluster(t, { name: 'b', hosts: 1 });
    const first = await deploy(t, smallVm(t.zone.id, { clusterId: a.cluster.id }));
    const second = await deploy(t, smallVm(t.zone.id, { clusterId: a.cluster.id, avoid: { hosts: [first.hostId] } }));
    expect(second.hostId).not.toBe(first.hostId);
    expect((await deploy(t, smallVm(t.zone.id, { avoid: { clusters: [a.cluster.id] } }))).clusterId).toBe(b.cluster.id);
    const noPool = await capacityRefusal(deploy(t, smallVm(t.zone.id, { clusterId: b.cluster.id, avoid: { pools: [b.pool?.id ?? ''] } })));
    expect(noPool.message).toMatch(/avoid/);
    const none = await capacityRefusal(deploy(t, smallVm(t.zone.id, { avoid: { pods: [t.pod.id] } })));
    expect(none.message).toMatch(/avoid/);
  });

  it('places on a requested host when it fits and refuses (533) without trying others when it does not', async () => {
    const t = await allocationCloud();
    const { hosts } = await addCluster(t, { name: 'c1', hosts: 2, memoryBytes: GIB });
    const target = hosts[1]?.id ?? '';
    expect((await deploy(t, smallVm(t.zone.id, { requestedHostId: target, memoryMb: 1024 }))).hostId).toBe(target);
    const error = await capacityRefusal(deploy(t, smallVm(t.zone.id, { requestedHostId: target, memoryMb: 1024 })));
    expect(error.message).toMatch(/requested host .*memory|memory.*requested host|Insufficient memory/);
    expect((await hostUsage(t, hosts[0]?.id ?? '')).vms).toBe(0);
  });
});

describe('deployment planner: allocation states', () => {
  it('refuses in a Disabled zone and places again once it is Enabled', async () => {
    const t = await allocationCloud();
    await addCluster(t, { name: 'c1', hosts: 1 });
    await t.admin.zones.update({ id: t.zone.id, allocationState: 'Disabled' });
    expect((await capacityRefusal(deploy(t, smallVm(t.zone.id)))).message).toMatch(/Disabled/);
    await t.admin.zones.update({ id: t.zone.id, allocationState: 'Enabled' });
    expect((await deploy(t, smallVm(t.zone.id))).zoneId).toBe(t.zone.id);
  });

  it('skips Disabled pods and clusters', async () => {
    const t = await allocationCloud();
    const a = await addCluster(t, { name: 'a', hosts: 1 });
    const b = await addCluster(t, { name: 'b', hosts: 1 });
    await deploy(t, smallVm(t.zone.id));
    await t.admin.clusters.update({ id: a.cluster.id, allocationState: 'Disabled' });
    for (let i = 0; i < 3; i += 1) expect((await deploy(t, smallVm(t.zone.id))).clusterId).toBe(b.cluster.id);
    await t.admin.pods.update({ id: t.pod.id, allocationState: 'Disabled' });
    expect((await capacityRefusal(deploy(t, smallVm(t.zone.id)))).message).toMatch(/Disabled/);
  });
});
