// The benchmark's VM cloud: a basic zone on the simulator with room for `count` Running VMs.
import { randomBytes } from 'node:crypto';
import { JobRunner, Role, createCloud, type CallContext, type Cloud, type Store } from '@cloudstack-sdk/core';
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

/** How the benchmark's VMs are spread; by default all belong to the root admin, from one template and offering. */
export interface VmBenchSpread {
  /** Tenant accounts owning the VMs in turn (0: the root admin owns them all). */
  readonly tenants?: number;
  /** Domains the tenant accounts are spread over. */
  readonly domains?: number;
  /** Public templates the VMs are deployed from in turn. */
  readonly templates?: number;
  /** Service offerings the VMs use in turn. */
  readonly offerings?: number;
  /** The store (the memory store when absent). */
  readonly store?: Store;
}

/**
 * Builds a basic zone (one pod on a /22 with a 900-address direct guest range, a cluster of
 * four large simulated hosts, NFS primary and secondary storage, DOWNLOADED templates and small
 * offerings) and deploys `count` Running VMs: as the first-boot root admin, or spread over
 * tenant accounts in several domains, templates and offerings (`spread`).
 */
export async function vmBenchCloud(count: number, spread: VmBenchSpread = {}): Promise<VmBenchCloud> {
  const { tenants = 0, domains = 1, templates: templateCount = 1, offerings: offeringCount = 1 } = spread;
  const sim = createSimulator();
  const cloud = await createCloud({ passwordHashing: { N: 1024, r: 8, p: 1 }, hypervisors: sim.hypervisors, storage: sim.storage, ...(spread.store === undefined ? {} : { store: spread.store, secrets: { activeKeyId: 'bench', keys: { bench: randomBytes(32) } } }) });
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
  const osTypeId = (await sys.osTypes.list({ description: 'CentOS 6.3 (64-bit)' }))[0]?.id ?? '';
  const templates = [];
  for (let i = 0; i < templateCount; i += 1) {
    const url = `http://images.bench.example/centos-${i}.qcow2`;
    sim.lab.publishImage(url, { content: `bench image ${i}` });
    templates.push(await sys.templates.register({ name: i === 0 ? 'centos' : `centos-${i}`, displayText: `CentOS ${i}`, url, format: 'QCOW2', hypervisor: 'Simulator', osTypeId, isPublic: true }));
  }
  await cloud.container.resolve(JobRunner).drain();
  const offerings = [];
  for (let i = 0; i < offeringCount; i += 1) offerings.push(await sys.serviceOfferings.create({ name: i === 0 ? 'tiny' : `tiny-${i}`, displayText: `Tiny ${i}`, cpuNumber: 1, cpuSpeed: 100, memory: 128 }));
  const admin = (await sys.users.list({ username: 'admin', listAll: true })).items[0];
  if (admin === undefined) throw new Error('the first-boot admin is missing');
  const keys = await sys.users.registerKeys({ id: admin.id });
  const adminCaller = (await sys.authentication.byApiKey(keys.apiKey)).caller;
  const owners: CallContext[] = [];
  const domainIds: string[] = [];
  for (let d = 0; d < (tenants === 0 ? 0 : domains); d += 1) domainIds.push((await sys.domains.create({ name: `tenants-${d}` })).id);
  for (let a = 0; a < tenants; a += 1) {
    const created = await sys.accounts.create({ accountName: `tenant-${a}`, domainId: domainIds[a % domainIds.length] ?? '', username: `tenant-${a}`, password: `tenant-${a}-pw`, firstName: 'Bench', lastName: `Tenant ${a}`, email: `tenant-${a}@bench.example` });
    owners.push({ userId: created.user.id, accountId: created.account.id, domainId: created.account.domainId, role: Role.User });
  }
  if (owners.length === 0) owners.push(adminCaller);
  for (let i = 0; i < count; i += 1) {
    const owner = owners[i % owners.length] ?? adminCaller;
    const template = templates[i % templates.length];
    const offering = offerings[i % offerings.length];
    if (template === undefined || offering === undefined) throw new Error('no template or offering to deploy from');
    await cloud.as(owner).vms.deploy({ zoneId: zone.id, templateId: template.id, serviceOfferingId: offering.id, name: `bench-${i}` });
  }
  return { cloud, authenticator: coreAuthenticator(cloud), apiKey: keys.apiKey, secretKey: keys.secretKey };
}
