import { createSimulator, type Simulator } from '../../../driver-simulator/src/index.js';
import { CloudError, MemoryStore, Role, SYSTEM, type CallContext, type Cloud, type CloudServices, type HypervisorType, type AggregateName } from '../../src/index.js';
import { createTestCloud } from '../support/test-cloud.js';

/** A test cloud on the simulator, answering for every hypervisor type. */
export async function simulatedCloud(types: readonly HypervisorType[] = ['Simulator', 'KVM', 'XenServer', 'VMware']) {
  const sim: Simulator = createSimulator({ hypervisorTypes: types });
  const cloud = await createTestCloud({ hypervisors: sim.hypervisors, storage: sim.storage });
  return { cloud, sim, admin: cloud.system };
}

/** A plain user, for authorisation checks. */
export const user: CallContext = { userId: 'u-1', accountId: 'a-1', domainId: SYSTEM.domainId, role: Role.User };

/** The error a promise rejects with (fails the test when it resolves). */
export async function refusal(promise: Promise<unknown>): Promise<CloudError> {
  const outcome = await promise.then(
    () => new Error('expected a refusal, but the call succeeded'),
    (e: unknown) => e,
  );
  if (!(outcome instanceof CloudError)) throw outcome;
  return outcome;
}

/**
 * What the store holds, as one string, to compare before and after a refused call. The memory
 * store gives its raw content; another store gives row counts of the infrastructure tables.
 * `withoutEvents` drops the event table (a failed device call records an ERROR event).
 */
export async function footprint(cloud: Cloud, withoutEvents = false): Promise<string> {
  if (cloud.store instanceof MemoryStore) {
    const raw = JSON.parse(cloud.store.rawContent()) as { tables: Record<string, unknown> };
    if (withoutEvents) delete raw.tables.events;
    return JSON.stringify(raw);
  }
  const names: AggregateName[] = ['regions', 'zones', 'physicalNetworks', 'physicalNetworkTrafficTypes', 'networkServiceProviders', 'pods', 'vlanIpRanges', 'clusters', 'hosts', 'storagePools', 'imageStores', ...(withoutEvents ? [] : ['events' as const])];
  return cloud.store.transaction(async (tx) => {
    const counts: Record<string, number> = {};
    for (const name of names) counts[name] = await tx.repo(name).count();
    return JSON.stringify(counts);
  });
}

/** An advanced zone with one physical network carrying every traffic type, a pod and a public range. */
export async function advancedZone(admin: CloudServices, n = 1) {
  const zone = await admin.zones.create({ name: `adv-${n}`, networkType: 'Advanced', dns1: '8.8.8.8', internalDns1: '10.0.0.2', guestCidrAddress: '10.1.1.0/24' });
  const network = await admin.physicalNetworks.create({ zoneId: zone.id, name: `pn-${n}`, vlan: `${n * 100}-${n * 100 + 49}` });
  for (const trafficType of ['Guest', 'Management', 'Public', 'Storage'] as const) {
    await admin.physicalNetworks.addTrafficType({ physicalNetworkId: network.id, trafficType, kvmNetworkLabel: 'cloudbr0', xenNetworkLabel: 'cloud-public' });
  }
  const pod = await admin.pods.create({ zoneId: zone.id, name: `pod-${n}`, gateway: `192.168.${n}.1`, netmask: '255.255.255.0', startIp: `192.168.${n}.10`, endIp: `192.168.${n}.29` });
  const publicRange = await admin.ipRanges.createVlanIpRange({ zoneId: zone.id, vlan: 2000 + n, gateway: `203.0.${n}.1`, netmask: '255.255.255.0', startIp: `203.0.${n}.10`, endIp: `203.0.${n}.59` });
  return { zone, network, pod, publicRange };
}

/** A cluster of `hypervisor` in the pod, with `hosts` simulated hosts. */
export async function clusterWithHosts(admin: CloudServices, zoneId: string, podId: string, hypervisor: HypervisorType, hosts: number, name = `${hypervisor}-cluster`) {
  const cluster = await admin.clusters.add({
    zoneId,
    podId,
    clusterName: name,
    hypervisor,
    ...(hypervisor === 'VMware' ? { vcenterHost: 'vcenter.lab', username: 'administrator', password: 'vc-secret', vcenterDatacenter: 'dc1' } : {}),
  });
  const added = [];
  for (let i = 0; i < hosts; i += 1) added.push(await admin.hosts.add({ clusterId: cluster.id, url: `http://sim/${name}-h${i}`, username: 'root', password: 'password' }));
  return { cluster, hosts: added };
}
