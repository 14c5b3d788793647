import type { CloudServices, Zone } from '@cloudstack-sdk/core';

/** What {@link buildDemoZones} made, for printing. */
export interface DemoZones {
  /** The basic zone (security groups, direct guest range). */
  readonly basic: Zone;
  /** The advanced zone (guest VLANs, public range). */
  readonly advanced: Zone;
  /** Simulated hosts added, per zone name. */
  readonly hosts: Readonly<Record<string, number>>;
}

/** The guide's first global settings (install guide 4.5.x), as an admin sets them. */
export const DEMO_SETTINGS: Readonly<Record<string, string>> = {
  'management.network.cidr': '192.168.10.0/24',
  host: '192.168.10.5',
  'secstorage.allowed.internal.sites': '192.168.10.0/24',
  'expunge.delay': '60',
};

/**
 * Builds a basic and an advanced zone on the simulator, following the guide's set-up sequence
 * (zone → physical network → traffic types → pod → IP range → cluster → hosts → primary
 * storage → secondary storage → enable), through the same services a portal calls. Hosts are
 * `http://sim/<name>`, which the simulator answers.
 */
export async function buildDemoZones(admin: CloudServices, hostsPerCluster = 2): Promise<DemoZones> {
  for (const [name, value] of Object.entries(DEMO_SETTINGS)) await admin.config.update({ name, value });

  const basic = await admin.zones.create({ name: 'demo-basic', networkType: 'Basic', dns1: '8.8.8.8', internalDns1: '192.168.10.2', securityGroupEnabled: true });
  const basicNet = await admin.physicalNetworks.create({ zoneId: basic.id, name: 'basic-physnet' });
  const [sgProvider] = await admin.physicalNetworks.listServiceProviders({ physicalNetworkId: basicNet.id, name: 'SecurityGroupProvider' });
  if (sgProvider !== undefined) await admin.physicalNetworks.updateServiceProvider({ id: sgProvider.id, state: 'Enabled' });
  for (const trafficType of ['Guest', 'Management', 'Storage'] as const) {
    await admin.physicalNetworks.addTrafficType({ physicalNetworkId: basicNet.id, trafficType, simulatorNetworkLabel: 'simbr0' });
  }
  const basicPod = await admin.pods.create({ zoneId: basic.id, name: 'basic-pod', gateway: '192.168.10.1', netmask: '255.255.255.0', startIp: '192.168.10.20', endIp: '192.168.10.49' });
  await admin.ipRanges.createVlanIpRange({ zoneId: basic.id, podId: basicPod.id, forVirtualNetwork: false, gateway: '192.168.10.1', netmask: '255.255.255.0', startIp: '192.168.10.100', endIp: '192.168.10.199' });
  const basicCluster = await clusterOf(admin, basic.id, basicPod.id, 'basic-cluster', hostsPerCluster);
  await admin.primaryStorage.create({ zoneId: basic.id, podId: basicPod.id, clusterId: basicCluster, name: 'basic-primary', protocol: 'NFS', server: '192.168.10.5', path: '/export/primary-basic' });
  await admin.secondaryStorage.addSecondaryStorage({ zoneId: basic.id, url: 'nfs://192.168.10.5/export/secondary-basic' });
  const basicEnabled = await admin.zones.update({ id: basic.id, allocationState: 'Enabled' });

  const advanced = await admin.zones.create({ name: 'demo-advanced', networkType: 'Advanced', dns1: '8.8.8.8', internalDns1: '192.168.20.2', guestCidrAddress: '10.1.1.0/24', networkDomain: 'demo.cloud' });
  const advNet = await admin.physicalNetworks.create({ zoneId: advanced.id, name: 'advanced-physnet', vlan: '500-599' });
  for (const trafficType of ['Guest', 'Management', 'Public'] as const) {
    await admin.physicalNetworks.addTrafficType({ physicalNetworkId: advNet.id, trafficType, simulatorNetworkLabel: trafficType === 'Public' ? 'simbr1' : 'simbr0' });
  }
  const [router] = await admin.physicalNetworks.listServiceProviders({ physicalNetworkId: advNet.id, name: 'VirtualRouter' });
  if (router !== undefined) await admin.physicalNetworks.updateServiceProvider({ id: router.id, state: 'Enabled' });
  const advPod = await admin.pods.create({ zoneId: advanced.id, name: 'advanced-pod', gateway: '192.168.20.1', netmask: '255.255.255.0', startIp: '192.168.20.20', endIp: '192.168.20.49' });
  await admin.ipRanges.createVlanIpRange({ zoneId: advanced.id, vlan: 100, gateway: '203.0.113.1', netmask: '255.255.255.0', startIp: '203.0.113.10', endIp: '203.0.113.200' });
  const advancedCluster = await clusterOf(admin, advanced.id, advPod.id, 'advanced-cluster', hostsPerCluster);
  await admin.primaryStorage.create({ zoneId: advanced.id, podId: advPod.id, clusterId: advancedCluster, name: 'advanced-primary', protocol: 'NFS', server: '192.168.20.5', path: '/export/primary-advanced' });
  await admin.secondaryStorage.addSecondaryStorage({ zoneId: advanced.id, url: 'nfs://192.168.20.5/export/secondary-advanced' });
  const advancedEnabled = await admin.zones.update({ id: advanced.id, allocationState: 'Enabled' });

  return { basic: basicEnabled, advanced: advancedEnabled, hosts: { 'demo-basic': hostsPerCluster, 'demo-advanced': hostsPerCluster } };
}

/** Adds a Simulator cluster with `hosts` simulated hosts and returns the cluster's id. */
async function clusterOf(admin: CloudServices, zoneId: string, podId: string, name: string, hosts: number): Promise<string> {
  const cluster = await admin.clusters.add({ zoneId, podId, clusterName: name, hypervisor: 'Simulator' });
  for (let i = 1; i <= hosts; i += 1) {
    await admin.hosts.add({ clusterId: cluster.id, url: `http://sim/${name}-host${i}`, username: 'root', password: 'password' });
  }
  return cluster.id;
}
