// VM deployments per second end-to-end through `vms.deploy` on the memory store and the
// simulator: validation, limit claim, planner + capacity reservation, MAC and direct guest IP
// claims, the VM and NIC rows and events in one transaction, the simulated driver's start, and
// the outcome transaction. Then stop+start and destroy+expunge rates on the same VMs.
// Prints `BENCH <name> <value> <unit>` lines; timings are printed, never asserted.
import { createSimulator } from '../../driver-simulator/src/index.js';
import { createCloud, JobRunner, ManualClock } from '../src/index.js';

const HOSTS = 20;
const DEPLOYMENTS = 5_000;
const GIB = 1024 ** 3;

async function basicCloud() {
  const sim = createSimulator();
  const cloud = await createCloud({ clock: new ManualClock(), hypervisors: sim.hypervisors, storage: sim.storage, config: { 'cpu.overprovisioning.factor': 4 } });
  const admin = cloud.system;
  const zone = await admin.zones.create({ name: 'bench', networkType: 'Basic', dns1: '8.8.8.8', internalDns1: '10.1.0.2' });
  const network = await admin.physicalNetworks.create({ zoneId: zone.id, name: 'physnet' });
  await admin.physicalNetworks.addTrafficType({ physicalNetworkId: network.id, trafficType: 'Guest', simulatorNetworkLabel: 'simbr0' });
  await admin.physicalNetworks.addTrafficType({ physicalNetworkId: network.id, trafficType: 'Management', simulatorNetworkLabel: 'simbr0' });
  const pod = await admin.pods.create({ zoneId: zone.id, name: 'pod', gateway: '10.1.0.1', netmask: '255.255.0.0', startIp: '10.1.0.2', endIp: '10.1.0.20' });
  await admin.ipRanges.createVlanIpRange({ zoneId: zone.id, podId: pod.id, forVirtualNetwork: false, gateway: '10.1.0.1', netmask: '255.255.0.0', startIp: '10.1.1.0', endIp: '10.1.60.255' });
  const cluster = await admin.clusters.add({ zoneId: zone.id, podId: pod.id, clusterName: 'c1', hypervisor: 'Simulator' });
  for (let i = 0; i < HOSTS; i += 1) {
    sim.lab.defineHost(`h${i}`, { cpuSockets: 2, cpuCores: 64, cpuSpeedMhz: 2100, memoryBytes: 512 * GIB });
    await admin.hosts.add({ clusterId: cluster.id, url: `http://sim/h${i}`, username: 'root', password: 'pw' });
  }
  sim.lab.sizePool('nfs://10.1.0.5/export/primary', { capacityBytes: 1024 * 1024 * GIB, usedBytes: 0 });
  await admin.primaryStorage.create({ zoneId: zone.id, podId: pod.id, clusterId: cluster.id, name: 'ps', protocol: 'NFS', server: '10.1.0.5', path: '/export/primary' });
  await admin.secondaryStorage.addSecondaryStorage({ zoneId: zone.id, url: 'nfs://10.1.0.5/export/secondary' });
  await admin.zones.update({ id: zone.id, allocationState: 'Enabled' });
  sim.lab.publishImage('http://images.example.com/bench.qcow2', { content: 'bench image' });
  const osTypeId = (await admin.osTypes.list({ description: 'CentOS 6.3 (64-bit)' }))[0]?.id ?? '';
  const template = await admin.templates.register({ name: 'bench', displayText: 'bench', url: 'http://images.example.com/bench.qcow2', format: 'QCOW2', hypervisor: 'Simulator', osTypeId, isPublic: true });
  await cloud.container.resolve(JobRunner).drain();
  const offering = await admin.serviceOfferings.create({ name: 'tiny', displayText: 'tiny', cpuNumber: 1, cpuSpeed: 500, memory: 512 });
  return { cloud, input: { zoneId: zone.id, templateId: template.id, serviceOfferingId: offering.id } };
}

function report(name: string, count: number, started: number): void {
  console.log(`BENCH ${name} ${(count / ((performance.now() - started) / 1000)).toFixed(0)} ops/s`);
}

const { cloud, input } = await basicCloud();
const vms = cloud.system.vms;
await vms.deploy(input); // warms the planner's capacity index
let started = performance.now();
const ids: string[] = [];
for (let i = 0; i < DEPLOYMENTS; i += 1) ids.push((await vms.deploy(input)).id);
report('vms.deploy_per_second', DEPLOYMENTS, started);

const cycles = 1_000;
started = performance.now();
for (const id of ids.slice(0, cycles)) {
  await vms.stop({ id });
  await vms.start({ id });
}
report('vms.stop_start_cycles_per_second', cycles, started);

started = performance.now();
for (const id of ids.slice(0, cycles)) {
  await vms.destroy({ id });
  await vms.expunge({ id });
}
report('vms.destroy_expunge_per_second', cycles, started);
await cloud.close();
