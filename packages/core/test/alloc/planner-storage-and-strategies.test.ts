import { describe, expect, it } from 'vitest';
import { CapacityKeys, isCloudError, type Placement } from '../../src/index.js';
import { GIB, addCluster, allocationCloud, capacityRefusal, configure, counter, deploy, hostUsage, smallVm } from './alloc-fixtures.js';

describe('deployment planner: storage', () => {
  it('chooses a pool carrying every storage tag and names storage tags when none does', async () => {
    const t = await allocationCloud();
    const { cluster } = await addCluster(t, { name: 'c1', hosts: 1 });
    t.sim.lab.sizePool('nfs://10.0.0.6/export/ssd', { capacityBytes: 100 * GIB, usedBytes: 0 });
    const ssd = await t.admin.primaryStorage.create({ zoneId: t.zone.id, podId: t.pod.id, clusterId: cluster.id, name: 'ssd', protocol: 'NFS', server: '10.0.0.6', path: '/export/ssd', tags: ['ssd'] });
    expect((await deploy(t, smallVm(t.zone.id, { storageTags: ['ssd'] }))).poolId).toBe(ssd.id);
    const error = await capacityRefusal(deploy(t, smallVm(t.zone.id, { storageTags: ['ssd', 'fast'] })));
    expect(error.message).toMatch(/Insufficient storage tags/);
  });

  it('places local-storage VMs on the host\'s own pool only where the zone allows local storage', async () => {
    const t = await allocationCloud();
    const { cluster, hosts } = await addCluster(t, { name: 'c1', hosts: 2, poolBytes: 0 });
    const host = hosts[1];
    const local = await t.admin.primaryStorage.create({ zoneId: t.zone.id, podId: t.pod.id, clusterId: cluster.id, name: 'local-h1', protocol: 'Filesystem', server: host?.name ?? '', path: '/var/lib/local' });
    const refused = await capacityRefusal(deploy(t, smallVm(t.zone.id, { storageType: 'local' })));
    expect(refused.message).toMatch(/local storage is not enabled/);
    await configure(t.admin, 'use.local.storage', true, { scope: 'zone', scopeId: t.zone.id });
    const placement = await deploy(t, smallVm(t.zone.id, { storageType: 'local' }));
    expect(placement).toMatchObject({ hostId: host?.id, poolId: local.id });
    const shared = await capacityRefusal(deploy(t, smallVm(t.zone.id)));
    expect(shared.message).toMatch(/storage/);
  });

  it('puts system VMs on local storage when system.vm.local.storage.required is set', async () => {
    const t = await allocationCloud();
    const { cluster, hosts } = await addCluster(t, { name: 'c1', hosts: 1 });
    const local = await t.admin.primaryStorage.create({ zoneId: t.zone.id, podId: t.pod.id, clusterId: cluster.id, name: 'local-h0', protocol: 'Filesystem', server: hosts[0]?.name ?? '', path: '/var/lib/local' });
    await t.admin.zones.update({ id: t.zone.id, localStorageEnabled: true });
    const shared = await deploy(t, smallVm(t.zone.id, { systemVm: true }));
    expect(shared.poolId).not.toBe(local.id);
    await configure(t.admin, 'system.vm.local.storage.required', true);
    expect((await deploy(t, smallVm(t.zone.id, { systemVm: true }))).poolId).toBe(local.id);
  });

  it('moves on to another pool of the cluster when the first is full', async () => {
    const t = await allocationCloud();
    await configure(t.admin, 'vm.allocation.algorithm', 'firstfit');
    const { cluster, pool } = await addCluster(t, { name: 'c1', hosts: 1, poolBytes: GIB });
    t.sim.lab.sizePool('nfs://10.0.0.6/export/big', { capacityBytes: 100 * GIB, usedBytes: 0 });
    const big = await t.admin.primaryStorage.create({ zoneId: t.zone.id, podId: t.pod.id, clusterId: cluster.id, name: 'big', protocol: 'NFS', server: '10.0.0.6', path: '/export/big' });
    expect((await deploy(t, smallVm(t.zone.id, { diskBytes: 2 * GIB }))).poolId).toBe(pool?.id);
    expect((await deploy(t, smallVm(t.zone.id, { diskBytes: 2 * GIB }))).poolId).toBe(big.id);
  });
});

describe('deployment planner: host allocation strategies', () => {
  it('firstfit fills hosts in order', async () => {
    const t = await allocationCloud();
    await configure(t.admin, 'vm.allocation.algorithm', 'firstfit');
    const { hosts } = await addCluster(t, { name: 'c1', hosts: 3, memoryBytes: GIB });
    const placed: string[] = [];
    for (let i = 0; i < 6; i += 1) placed.push((await deploy(t, smallVm(t.zone.id))).hostId);
    expect(placed).toEqual([0, 0, 1, 1, 2, 2].map((i) => hosts[i]?.id));
  });

  it('userdispersing puts an account\'s next VM on the host with the fewest of its VMs', async () => {
    const t = await allocationCloud();
    await configure(t.admin, 'vm.allocation.algorithm', 'userdispersing');
    const { hosts } = await addCluster(t, { name: 'c1', hosts: 3 });
    const placed = new Set<string>();
    for (let i = 0; i < 3; i += 1) placed.add((await deploy(t, smallVm(t.zone.id, { accountId: 'acct-a' }))).hostId);
    expect(placed.size).toBe(3);
    for (const host of hosts) expect(await counter(t, CapacityKeys.hostAccountVms(host.id, 'acct-a'))).toBe(1);
    // another account starts from the first host again: its own counts are all zero
    expect((await deploy(t, smallVm(t.zone.id, { accountId: 'acct-b' }))).hostId).toBe(hosts[0]?.id);
  });

  it('random spreads VMs over the cluster\'s hosts and never past a host\'s capacity', async () => {
    const t = await allocationCloud();
    await configure(t.admin, 'vm.allocation.algorithm', 'random');
    const { hosts } = await addCluster(t, { name: 'c1', hosts: 4, memoryBytes: 2 * GIB });
    for (let i = 0; i < 16; i += 1) await deploy(t, smallVm(t.zone.id));
    for (const host of hosts) expect((await hostUsage(t, host.id)).vms).toBe(4);
    await capacityRefusal(deploy(t, smallVm(t.zone.id)));
  });
});

describe('deployment planner: concurrency', () => {
  it('50 parallel deployments onto hosts with room for 30 place exactly 30, over-commit nothing, refuse 20 with 533', async () => {
    const t = await allocationCloud();
    // 3 hosts of 10 x 1 GiB VMs each (memory is the binding limit)
    const { hosts } = await addCluster(t, { name: 'c1', hosts: 3, cores: 16, memoryBytes: 10 * GIB });
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => deploy(t, smallVm(t.zone.id, { memoryMb: 1024 }))));
    const placed = outcomes.filter((o): o is PromiseFulfilledResult<Placement> => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(placed).toHaveLength(30);
    expect(refused).toHaveLength(20);
    for (const r of refused) {
      expect(isCloudError(r.reason, 533)).toBe(true);
      expect(String((r.reason as Error).message)).toMatch(/memory/);
    }
    for (const host of hosts) {
      const usage = await hostUsage(t, host.id);
      expect(usage.memory).toBeLessThanOrEqual(10 * GIB);
      expect(usage.vms).toBe(10);
    }
  });

  it('a stale index from before another deployer claimed never over-commits', async () => {
    const t = await allocationCloud();
    const { hosts } = await addCluster(t, { name: 'c1', hosts: 1, memoryBytes: 2 * GIB });
    await deploy(t, smallVm(t.zone.id, { memoryMb: 1024 })); // index built, hint updated
    // another management server claims the rest behind this process's back
    await t.cloud.store.transaction((tx) => tx.counters.adjust(CapacityKeys.hostMemoryBytes(hosts[0]?.id ?? ''), GIB));
    const error = await capacityRefusal(deploy(t, smallVm(t.zone.id, { memoryMb: 1024 })));
    expect(error.message).toMatch(/memory/);
    expect((await hostUsage(t, hosts[0]?.id ?? '')).memory).toBe(2 * GIB);
  });

  it('a host added after the index was built is found before the planner gives up', async () => {
    const t = await allocationCloud();
    await addCluster(t, { name: 'a', hosts: 1, memoryBytes: GIB });
    await deploy(t, smallVm(t.zone.id, { memoryMb: 1024 }));
    const b = await addCluster(t, { name: 'b', hosts: 1 });
    expect((await deploy(t, smallVm(t.zone.id, { memoryMb: 1024 }))).hostId).toBe(b.hosts[0]?.id);
  });
});
