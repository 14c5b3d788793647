// Allocation at scale: deployment-planner decisions per second (plan + atomic reservation, one
// transaction each) at 1,000 and at 10,000 hosts, and public-IP claims per second from a /16
// range when it is empty and when it is nearly full. Hosts, clusters and pools are written
// straight into the store (adding 10,000 hosts through the driver would measure the driver).
// Prints `BENCH <name> <value> <unit>` lines; timings are printed, never asserted.
import { createSimulator } from '../../driver-simulator/src/index.js';
import { createCloud, DeploymentPlanner, ipRangePoolKey, ManualClock, PublicIpAllocator, SYSTEM, type Cloud } from '../src/index.js';

const HOSTS_PER_CLUSTER = 16;
const DECISIONS = 20_000;
const GIB = 1024 ** 3;

async function cloudWithHosts(hosts: number, algorithm: string): Promise<{ cloud: Cloud; zoneId: string; planner: DeploymentPlanner }> {
  const sim = createSimulator();
  const cloud = await createCloud({ clock: new ManualClock(), hypervisors: sim.hypervisors, storage: sim.storage, config: { 'vm.allocation.algorithm': algorithm } });
  const admin = cloud.system;
  const zone = await admin.zones.create({ name: 'bench', networkType: 'Advanced', dns1: '8.8.8.8', internalDns1: '10.0.0.2' });
  const pod = await admin.pods.create({ zoneId: zone.id, name: 'pod', gateway: '172.16.0.1', netmask: '255.255.0.0', startIp: '172.16.0.10', endIp: '172.16.0.20' });
  const createdAt = new Date(0).toISOString();
  await cloud.store.transaction(async (tx) => {
    await tx.repo('zones').update({ ...zone, allocationState: 'Enabled' });
    for (let c = 0; c * HOSTS_PER_CLUSTER < hosts; c += 1) {
      const clusterId = `cluster-${c}`;
      await tx.repo('clusters').insert({ id: clusterId, zoneId: zone.id, podId: pod.id, name: clusterId, hypervisorType: 'Simulator', clusterType: 'CloudManaged', allocationState: 'Enabled', managedState: 'Managed', createdAt });
      await tx.repo('storagePools').insert({
        id: `pool-${c}`, zoneId: zone.id, podId: pod.id, clusterId, name: `pool-${c}`, protocol: 'NFS', hypervisorType: 'Simulator',
        server: '10.0.0.5', path: `/export/${c}`, url: `nfs://10.0.0.5/export/${c}`, tags: [], capacityBytes: 100 * 1024 * GIB, usedBytes: 0, state: 'Up', createdAt,
      });
      for (let h = 0; h < HOSTS_PER_CLUSTER && c * HOSTS_PER_CLUSTER + h < hosts; h += 1) {
        const id = `host-${c}-${h}`;
        await tx.repo('hosts').insert({
          id, name: id, type: 'Routing', zoneId: zone.id, podId: pod.id, clusterId, hypervisorType: 'Simulator', url: `http://sim/${id}`, username: 'root',
          passwordSealed: 'sealed', state: 'Up', resourceState: 'Enabled', cpuSockets: 2, cpuNumber: 16, cpuSpeed: 2100, memoryTotal: 32 * GIB,
          capabilities: [], hostTags: [], createdAt,
        });
      }
    }
  });
  return { cloud, zoneId: zone.id, planner: cloud.container.resolve(DeploymentPlanner) };
}

async function decisionsPerSecond(hosts: number, algorithm: string): Promise<number> {
  const { cloud, zoneId, planner } = await cloudWithHosts(hosts, algorithm);
  const request = { zoneId, cpuNumber: 1, cpuSpeed: 500, memoryMb: 512, diskBytes: GIB, accountId: SYSTEM.accountId };
  let started = performance.now();
  await cloud.store.transaction((tx) => planner.planAndReserve(tx, request)); // builds the zone's index
  console.log(`BENCH alloc.index_build_${hosts}_hosts ${(performance.now() - started).toFixed(1)} ms`);
  started = performance.now();
  for (let i = 0; i < DECISIONS; i += 1) await cloud.store.transaction((tx) => planner.planAndReserve(tx, request));
  const rate = DECISIONS / ((performance.now() - started) / 1000);
  await cloud.close();
  return rate;
}

for (const algorithm of ['random', 'firstfit']) {
  const small = await decisionsPerSecond(1_000, algorithm);
  const large = await decisionsPerSecond(10_000, algorithm);
  console.log(`BENCH alloc.place_${algorithm}_1000_hosts ${small.toFixed(0)} decisions/s`);
  console.log(`BENCH alloc.place_${algorithm}_10000_hosts ${large.toFixed(0)} decisions/s`);
  console.log(`BENCH alloc.place_${algorithm}_ratio_10000_vs_1000 ${(large / small).toFixed(2)} ratio`);
}

// Public IPs from a /16 (65,534 addresses), empty and nearly full, through the allocator
// (range lookup, public_ip limit accounting and the claim, one transaction each).
const SAMPLE = 2_000;
const sim = createSimulator();
const cloud = await createCloud({ clock: new ManualClock(), hypervisors: sim.hypervisors, storage: sim.storage });
const zone = await cloud.system.zones.create({ name: 'ips', networkType: 'Advanced', dns1: '8.8.8.8', internalDns1: '10.0.0.2' });
const publicNetwork = await cloud.system.physicalNetworks.create({ zoneId: zone.id, name: 'pn', vlan: '100-200' });
await cloud.system.physicalNetworks.addTrafficType({ physicalNetworkId: publicNetwork.id, trafficType: 'Public' });
const range = await cloud.system.ipRanges.createVlanIpRange({ zoneId: zone.id, vlan: 50, gateway: '100.64.0.1', netmask: '255.255.0.0', startIp: '100.64.0.2', endIp: '100.64.255.255' });
const ips = cloud.container.resolve(PublicIpAllocator);
async function claimRate(prefix: string): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < SAMPLE; i += 1) await cloud.store.transaction((tx) => ips.allocate(tx, { zoneId: zone.id, accountId: SYSTEM.accountId, holder: `${prefix}${i}` }));
  return SAMPLE / ((performance.now() - started) / 1000);
}
const empty = await claimRate('empty-');
const pool = ipRangePoolKey(range);
await cloud.store.transaction(async (tx) => {
  const { free } = await tx.pools.stats(pool);
  for (let i = 0; i < free - SAMPLE - 100; i += 1) await tx.pools.claim(pool, `filler-${i}`);
});
const fullStats = await cloud.store.transaction((tx) => tx.pools.stats(pool));
const nearlyFull = await claimRate('full-');
console.log(`BENCH alloc.public_ip_claim_16_empty ${empty.toFixed(0)} claims/s`);
console.log(`BENCH alloc.public_ip_claim_16_nearly_full ${nearlyFull.toFixed(0)} claims/s (${fullStats.free} of ${fullStats.total} free at start)`);
console.log(`BENCH alloc.public_ip_claim_ratio_full_vs_empty ${(nearlyFull / empty).toFixed(2)} ratio`);
await cloud.close();
