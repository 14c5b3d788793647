import { createSimulator, type Simulator } from '../../../driver-simulator/src/index.js';
import { CapacityKeys, JobRunner, Role, SYSTEM, type CallContext, type Cloud, type CloudOptions } from '../../src/index.js';
import { publish } from '../templates/fixtures.js';
import { tenantCloud } from '../accounts/tenants.js';

/** GiB in bytes. */
export const GIB = 1024 ** 3;

/**
 * A tenant cloud on the simulator with an enabled basic zone: one pod with a 10-address direct
 * guest range, a cluster of `hosts` simulated hosts (4 × 2000 MHz, 8 GiB), an NFS pool,
 * secondary storage, a downloaded public template and a small offering.
 */
export async function vmCloud(options: CloudOptions & { hosts?: number; guestAddresses?: number } = {}) {
  const sim: Simulator = createSimulator();
  const { hosts = 2, guestAddresses = 10, ...cloudOptions } = options;
  const tenants = await tenantCloud({ hypervisors: sim.hypervisors, storage: sim.storage, ...cloudOptions });
  const sys = tenants.cloud.system;
  const zone = await sys.zones.create({ name: 'basic', networkType: 'Basic', dns1: '8.8.8.8', internalDns1: '192.168.10.2' });
  const network = await sys.physicalNetworks.create({ zoneId: zone.id, name: 'physnet' });
  for (const trafficType of ['Guest', 'Management'] as const) await sys.physicalNetworks.addTrafficType({ physicalNetworkId: network.id, trafficType, simulatorNetworkLabel: 'simbr0' });
  const pod = await sys.pods.create({ zoneId: zone.id, name: 'pod-1', gateway: '192.168.10.1', netmask: '255.255.255.0', startIp: '192.168.10.2', endIp: '192.168.10.20' });
  const range = await sys.ipRanges.createVlanIpRange({ zoneId: zone.id, podId: pod.id, forVirtualNetwork: false, gateway: '192.168.10.1', netmask: '255.255.255.0', startIp: '192.168.10.100', endIp: `192.168.10.${99 + guestAddresses}` });
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
  return { ...tenants, sim, zone, pod, range, cluster, hosts: hostRows, pool, template, offering };
}

/** The VM cloud type. */
export type VmCloud = Awaited<ReturnType<typeof vmCloud>>;

/** A deploy input for the cloud's zone, template and offering. */
export function deployInput(t: VmCloud, extra: Record<string, unknown> = {}) {
  return { zoneId: t.zone.id, templateId: t.template.id, serviceOfferingId: t.offering.id, ...extra };
}

/**
 * Host counters, pool allocation, guest pool and MAC pool stats: what the cloud's user VMs hold.
 * The basic zone's virtual routers (one per pod with running guests, holding host capacity, a
 * pod address and a MAC like any VM) are taken out, so tests of VM accounting see the VMs only;
 * the routers' own accounting is tested with the networks.
 */
export async function holdings(cloud: Cloud, t: Pick<VmCloud, 'hosts' | 'pool' | 'range' | 'zone'>) {
  return cloud.store.transaction(async (tx) => {
    const routers = (await tx.repo('routers').find({ where: { zoneId: t.zone.id } })).items;
    const hosts = await Promise.all(
      t.hosts.map(async (h) => {
        const held = routers.filter((r) => r.reservation?.hostId === h.id).map((r) => r.reservation?.amounts);
        const cpu = held.reduce((sum, a) => sum + (a?.cpuMhz ?? 0), 0);
        const memory = held.reduce((sum, a) => sum + (a?.memoryBytes ?? 0), 0);
        return [(await tx.counters.get(CapacityKeys.hostCpuMhz(h.id))) - cpu, (await tx.counters.get(CapacityKeys.hostMemoryBytes(h.id))) - memory, (await tx.counters.get(CapacityKeys.hostVms(h.id))) - held.length];
      }),
    );
    const guestPool = await tx.pools.stats(`guestip:${t.range.id}`);
    const routerIps = routers.filter((r) => r.guestIpPool === `guestip:${t.range.id}`).length;
    const macs = await tx.pools.stats(`mac:${t.zone.id}`);
    const routerMacs = routers.reduce((sum, r) => sum + 1 + (r.publicMac === undefined ? 0 : 1), 0);
    return {
      hosts,
      poolBytes: await tx.counters.get(CapacityKeys.poolAllocatedBytes(t.pool.id)),
      guestIps: { ...guestPool, free: guestPool.free + routerIps },
      heldMacs: macs.total - macs.free - routerMacs,
    };
  });
}

/** Everything the VM area and its claims hold, to compare before and after a refusal. */
export async function vmFootprint(cloud: Cloud) {
  return cloud.store.transaction(async (tx) => JSON.stringify({
    vms: (await tx.repo('vms').find()).items,
    nics: (await tx.repo('nics').find()).items,
    counters: [...(await tx.counters.list(''))].filter(([k]) => !k.startsWith('zone:') || !k.endsWith(':macseq')),
  }));
}

export { Role, SYSTEM, type CallContext };
