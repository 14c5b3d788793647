// Infrastructure set-up at scale: a /16 public range (65,534 addresses materialised in the
// claim pools) and 1,000 simulator hosts added through the driver. Prints `BENCH <name> <value>
// <unit>` lines; timings are printed, never asserted.
import { createSimulator } from '../../driver-simulator/src/index.js';
import { createCloud, ipRangePoolKey, ManualClock } from '../src/index.js';

const HOSTS = 1_000;

const sim = createSimulator();
const cloud = await createCloud({ clock: new ManualClock(), hypervisors: sim.hypervisors, storage: sim.storage });
const admin = cloud.system;

const zone = await admin.zones.create({ name: 'bench', networkType: 'Advanced', dns1: '8.8.8.8', internalDns1: '10.0.0.2' });
const network = await admin.physicalNetworks.create({ zoneId: zone.id, name: 'pn', vlan: '100-4000' });
for (const trafficType of ['Guest', 'Management', 'Public'] as const) await admin.physicalNetworks.addTrafficType({ physicalNetworkId: network.id, trafficType });
const pod = await admin.pods.create({ zoneId: zone.id, name: 'pod', gateway: '172.16.0.1', netmask: '255.255.0.0', startIp: '172.16.0.10', endIp: '172.16.3.255' });

let started = performance.now();
const range = await admin.ipRanges.createVlanIpRange({ zoneId: zone.id, vlan: 50, gateway: '100.64.0.1', netmask: '255.255.0.0', startIp: '100.64.0.2', endIp: '100.64.255.255' });
const rangeMs = performance.now() - started;
const stats = await cloud.store.transaction((tx) => tx.pools.stats(ipRangePoolKey(range)));
console.log(`BENCH infra.add_public_range_16 ${rangeMs.toFixed(0)} ms`);
console.log(`BENCH infra.public_range_16_addresses ${stats.total} addresses`);

started = performance.now();
const claimed = await cloud.store.transaction(async (tx) => {
  let n = 0;
  for (let i = 0; i < 1_000; i += 1) if ((await tx.pools.claim(ipRangePoolKey(range), `acct-${i}`)) !== undefined) n += 1;
  return n;
});
console.log(`BENCH infra.claim_public_ip_from_16 ${(claimed / ((performance.now() - started) / 1000)).toFixed(0)} claims/s`);

const cluster = await admin.clusters.add({ zoneId: zone.id, podId: pod.id, clusterName: 'sim', hypervisor: 'Simulator' });
started = performance.now();
for (let i = 0; i < HOSTS; i += 1) await admin.hosts.add({ clusterId: cluster.id, url: `http://sim/h${i}`, username: 'root', password: 'password' });
const hostsMs = performance.now() - started;
console.log(`BENCH infra.add_1000_sim_hosts ${hostsMs.toFixed(0)} ms`);
console.log(`BENCH infra.add_sim_host_rate ${(HOSTS / (hostsMs / 1000)).toFixed(0)} hosts/s`);

started = performance.now();
const concurrent = await admin.clusters.add({ zoneId: zone.id, podId: pod.id, clusterName: 'sim-concurrent', hypervisor: 'Simulator' });
await Promise.all(Array.from({ length: HOSTS }, (_, i) => admin.hosts.add({ clusterId: concurrent.id, url: `http://sim/c${i}`, username: 'root', password: 'password' })));
console.log(`BENCH infra.add_1000_sim_hosts_concurrent ${(performance.now() - started).toFixed(0)} ms`);

started = performance.now();
const capacity = await admin.capacity.list({ zoneId: zone.id });
console.log(`BENCH infra.list_capacity_2000_hosts ${(performance.now() - started).toFixed(0)} ms`);
if (capacity.length === 0) throw new Error('capacity is empty');
await cloud.close();
