// The benchmark's VM cloud: a basic zone on the simulator with room for `count` Running VMs.
import { JobRunner, createCloud, type Cloud } from '@cloudstack-sdk/core';
import { createSimulator } from '../../driver-simulator/src/index.js';
import { coreAuthenticator, type ApiAuthenticator } from '../src/index.js';

/** The cloud, its authenticator and the root admin's keys. */
export interface VmBenchCloud {
  /** The cloud, holding `count` Running VMs of the root admin's account. */
  readonly cloud: Cloud;
  /** Core's authenticator over it. */
  readonly authenticator: ApiAuthenticator;
  /** The root admin's API key. */
  readonly apiKey: string;
  /** The root admin's secret key. */
  readonly secretKey: string;
}

/**
 * Builds a basic zone (one pod on a /22 with a 900-address direct guest range, a cluster of
 * four large simulated hosts, NFS primary and secondary storage, a DOWNLOADED template and a
 * small offering) and deploys `count` Running VMs as the first-boot root admin.
 */
export async function vmBenchCloud(count: number): Promise<VmBenchCloud> {
  const sim = createSimulator();
  const cloud = await createCloud({ passwordHashing: { N: 1024, r: 8, p: 1 }, hypervisors: sim.hypervisors, storage: sim.storage });
  const sys = cloud.system;
  const zone = await sys.zones.create({ name: 'bench', networkType: 'Basic', dns1: '8.8.8.8', internalDns1: '10.1.0.2' });
  const network = await sys.physicalNetworks.create({ zoneId: zone.id, name: 'physnet' });
  for (const trafficType of ['Guest', 'Management'] as const) await sys.physicalNetworks.addTrafficType({ physicalNetworkId: network.id, trafficType, simulatorNetworkLabel: 'simbr0' });
  const pod = await sys.pods.create({ zoneId: zone.id, name: 'pod-1', gateway: '10.1.0.1', netmask: '255.255.252.0', startIp: '10.1.0.2', endIp: '10.1.0.20' });
  await sys.ipRanges.createVlanIpRange({ zoneId: zone.id, podId: pod.id, forVirtualNetwork: false, gateway: '10.1.0.1', netmask: '255.255.252.0', startIp: '10.1.0.100', endIp: '10.1.3.250' });
  const cluster = await sys.clusters.add({ zoneId: zone.id, podId: pod.id, clusterName: 'c1', hypervisor: 'Simulator' });
  for (let i = 0; i < 4; i += 1) {
    sim.lab.defineHost(`h${i}`, { cpuSockets: 2, cpuCores: 64, cpuSpeedMhz: 3000, memoryBytes: 1024 * 1024 ** 3 });
    await sys.hosts.add({ clusterId: cluster.id, url: `http://sim/h${i}`, username: 'root', password: 'password' });
  }
  await sys.primaryStorage.create({ zoneId: zone.id, podId: pod.id, clusterId: cluster.id, name: 'ps1', protocol: 'NFS', server: '10.1.0.5', path: '/export/primary' });
  await sys.secondaryStorage.addSecondaryStorage({ zoneId: zone.id, url: 'nfs://10.1.0.5/export/secondary' });
  await sys.zones.update({ id: zone.id, allocationState: 'Enabled' });
  const url = 'http://images.bench.example/centos.qcow2';
  sim.lab.publishImage(url, { content: 'bench image' });
  const osTypeId = (await sys.osTypes.list({ description: 'CentOS 6.3 (64-bit)' }))[0]?.id ?? '';
  const template = await sys.templates.register({ name: 'centos', displayText: 'CentOS', url, format: 'QCOW2', hypervisor: 'Simulator', osTypeId, isPublic: true });
  await cloud.container.resolve(JobRunner).drain();
  const offering = await sys.serviceOfferings.create({ name: 'tiny', displayText: 'Tiny', cpuNumber: 1, cpuSpeed: 100, memory: 128 });
  const admin = (await sys.users.list({ username: 'admin', listAll: true })).items[0];
  if (admin === undefined) throw new Error('the first-boot admin is missing');
  const keys = await sys.users.registerKeys({ id: admin.id });
  const caller = (await sys.authentication.byApiKey(keys.apiKey)).caller;
  const vms = cloud.as(caller).vms;
  for (let i = 0; i < count; i += 1) await vms.deploy({ zoneId: zone.id, templateId: template.id, serviceOfferingId: offering.id, name: `bench-${i}` });
  return { cloud, authenticator: coreAuthenticator(cloud), apiKey: keys.apiKey, secretKey: keys.secretKey };
}
