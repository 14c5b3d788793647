import { createSimulator, type Simulator } from '../../../driver-simulator/src/index.js';
import { JobRunner, type Cloud, type CloudOptions, type RouterConfig } from '../../src/index.js';
import { tenantCloud } from '../accounts/tenants.js';
import { publish } from '../templates/fixtures.js';

/** GiB in bytes. */
export const GIB = 1024 ** 3;

/**
 * A tenant cloud on the simulator with an enabled advanced zone: one physical network carrying
 * every traffic type with guest VLANs 100–109, a public range 203.0.113.10–29 on VLAN 50, one
 * pod, a cluster of `hosts` simulated hosts, an NFS pool, secondary storage, a downloaded
 * public template and a small offering. The simulator runs and configures virtual routers.
 */
export async function networkCloud(options: CloudOptions & { hosts?: number; publicAddresses?: number; vlans?: string } = {}) {
  const sim: Simulator = createSimulator();
  const { hosts = 2, publicAddresses = 20, vlans = '100-109', ...cloudOptions } = options;
  const tenants = await tenantCloud({ hypervisors: sim.hypervisors, storage: sim.storage, ...cloudOptions });
  const sys = tenants.cloud.system;
  const zone = await sys.zones.create({ name: 'adv', networkType: 'Advanced', dns1: '8.8.8.8', internalDns1: '10.0.0.2', guestCidrAddress: '10.1.1.0/24' });
  const physical = await sys.physicalNetworks.create({ zoneId: zone.id, name: 'physnet', vlan: vlans });
  for (const trafficType of ['Guest', 'Management', 'Public'] as const) await sys.physicalNetworks.addTrafficType({ physicalNetworkId: physical.id, trafficType, simulatorNetworkLabel: 'simbr0' });
  const pod = await sys.pods.create({ zoneId: zone.id, name: 'pod-1', gateway: '192.168.10.1', netmask: '255.255.255.0', startIp: '192.168.10.2', endIp: '192.168.10.20' });
  const publicRange = await sys.ipRanges.createVlanIpRange({ zoneId: zone.id, vlan: 50, gateway: '203.0.113.1', netmask: '255.255.255.0', startIp: '203.0.113.10', endIp: `203.0.113.${9 + publicAddresses}` });
  const cluster = await sys.clusters.add({ zoneId: zone.id, podId: pod.id, clusterName: 'c1', hypervisor: 'Simulator' });
  const hostRows = [];
  for (let i = 0; i < hosts; i += 1) {
    sim.lab.defineHost(`h${i}`, { cpuSockets: 1, cpuCores: 4, cpuSpeedMhz: 2000, memoryBytes: 8 * GIB });
    hostRows.push(await sys.hosts.add({ clusterId: cluster.id, url: `http://sim/h${i}`, username: 'root', password: 'password' }));
  }
  const pool = await sys.primaryStorage.create({ zoneId: zone.id, podId: pod.id, clusterId: cluster.id, name: 'ps1', protocol: 'NFS', server: '192.168.10.5', path: '/export/primary' });
  await sys.secondaryStorage.addSecondaryStorage({ zoneId: zone.id, url: 'nfs://192.168.10.5/export/secondary' });
  await sys.zones.update({ id: zone.id, allocationState: 'Enabled' });
  const osTypeId = (await sys.osTypes.list({ description: 'CentOS 6.3 (64-bit)' }))[0]?.id ?? '';
  const { url } = publish(sim, 'centos', 'centos image bytes');
  const template = await sys.templates.register({ name: 'centos', displayText: 'CentOS', url, format: 'QCOW2', hypervisor: 'Simulator', osTypeId, isPublic: true, passwordEnabled: true });
  await tenants.cloud.container.resolve(JobRunner).drain();
  const offering = await sys.serviceOfferings.create({ name: 'small', displayText: 'Small', cpuNumber: 1, cpuSpeed: 500, memory: 512 });
  const isolatedOffering = (await sys.networkOfferings.list({ name: 'DefaultIsolatedNetworkOfferingWithSourceNatService' })).items[0];
  if (isolatedOffering === undefined) throw new Error('the default isolated offering is missing');
  return { ...tenants, sim, zone, physical, pod, publicRange, cluster, hosts: hostRows, pool, template, offering, isolatedOffering };
}

/** The network cloud type. */
export type NetworkCloud = Awaited<ReturnType<typeof networkCloud>>;

/** A deploy input for the cloud's zone, template and offering. */
export function deployInput(t: NetworkCloud, extra: Record<string, unknown> = {}) {
  return { zoneId: t.zone.id, templateId: t.template.id, serviceOfferingId: t.offering.id, ...extra };
}

/** The configuration the simulator's router of `networkId` enforces now. */
export async function routerConfigOf(t: NetworkCloud, networkId: string): Promise<RouterConfig | undefined> {
  const router = await t.cloud.store.transaction((tx) => tx.repo('routers').findOne({ networkId }));
  return router === undefined ? undefined : t.sim.lab.routerConfig(router.name);
}

/** Every row and claim of the network area, to compare before and after a refusal. */
export async function networkFootprint(cloud: Cloud): Promise<string> {
  return cloud.store.transaction(async (tx) =>
    JSON.stringify({
      networks: (await tx.repo('networks').find()).items,
      publicIps: (await tx.repo('publicIps').find()).items,
      rules: (await tx.repo('networkRules').find()).items,
      policies: (await tx.repo('lbStickinessPolicies').find()).items,
      routers: (await tx.repo('routers').find()).items,
      nics: (await tx.repo('nics').find()).items,
      counters: [...(await tx.counters.list(''))].filter(([k]) => !k.endsWith(':macseq')),
    }),
  );
}
