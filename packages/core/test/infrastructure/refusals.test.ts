import { describe, expect, it } from 'vitest';
import { CapacityKeys, ipRangePoolKey } from '../../src/index.js';
import { advancedZone, clusterWithHosts, footprint, refusal, simulatedCloud, user } from './fixtures.js';

/** Runs a call that must be refused: checks code and parameter, and that the store is unchanged. */
async function expectRefused(
  cloud: Awaited<ReturnType<typeof simulatedCloud>>['cloud'],
  call: () => Promise<unknown>,
  code: number,
  param: string | undefined,
  options: { withoutEvents?: boolean } = {},
) {
  const before = await footprint(cloud, options.withoutEvents);
  const error = await refusal(call());
  expect({ code: error.code, param: error.param }).toEqual({ code, param });
  expect(await footprint(cloud, options.withoutEvents)).toBe(before);
  return error;
}

describe('regions and zones refuse', () => {
  it('removing the default region', async () => {
    const { cloud, admin } = await simulatedCloud();
    await expectRefused(cloud, () => admin.regions.remove({ id: 1 }), 432, 'id');
  });

  it('a zone from anyone but a root admin', async () => {
    const { cloud } = await simulatedCloud();
    await expectRefused(cloud, () => cloud.as(user).zones.create({ name: 'z', networkType: 'Basic', dns1: '8.8.8.8', internalDns1: '10.0.0.2' }), 531, undefined);
  });

  it('a guest CIDR on a basic zone', async () => {
    const { cloud, admin } = await simulatedCloud();
    await expectRefused(cloud, () => admin.zones.create({ name: 'z', networkType: 'Basic', dns1: '8.8.8.8', internalDns1: '10.0.0.2', guestCidrAddress: '10.1.1.0/24' }), 431, 'guestcidraddress');
  });

  it('a zone dedicated to a domain that does not exist', async () => {
    const { cloud, admin } = await simulatedCloud();
    await expectRefused(cloud, () => admin.zones.create({ name: 'z', networkType: 'Advanced', dns1: '8.8.8.8', internalDns1: '10.0.0.2', domainId: 'no-such-domain' }), 431, 'domainid');
  });

  it('a malformed DNS address', async () => {
    const { cloud, admin } = await simulatedCloud();
    await expectRefused(cloud, () => admin.zones.create({ name: 'z', networkType: 'Advanced', dns1: '8.8.8', internalDns1: '10.0.0.2' }), 431, 'dns1');
  });

  it('a second zone with the same name', async () => {
    const { cloud, admin } = await simulatedCloud();
    await admin.zones.create({ name: 'z', networkType: 'Advanced', dns1: '8.8.8.8', internalDns1: '10.0.0.2' });
    await expectRefused(cloud, () => admin.zones.create({ name: 'Z', networkType: 'Basic', dns1: '8.8.8.8', internalDns1: '10.0.0.2' }), 431, 'name');
  });

  it('enabling a zone whose physical networks do not carry Public traffic (advanced)', async () => {
    const { cloud, admin } = await simulatedCloud();
    const zone = await admin.zones.create({ name: 'z', networkType: 'Advanced', dns1: '8.8.8.8', internalDns1: '10.0.0.2' });
    const network = await admin.physicalNetworks.create({ zoneId: zone.id, name: 'pn' });
    await admin.physicalNetworks.addTrafficType({ physicalNetworkId: network.id, trafficType: 'Guest' });
    await admin.physicalNetworks.addTrafficType({ physicalNetworkId: network.id, trafficType: 'Management' });
    await expectRefused(cloud, () => admin.zones.update({ id: zone.id, allocationState: 'Enabled' }), 431, 'allocationstate');
  });

  it('deleting a zone that still has pods', async () => {
    const { cloud, admin } = await simulatedCloud();
    const { zone } = await advancedZone(admin);
    await expectRefused(cloud, () => admin.zones.delete({ id: zone.id }), 536, 'id');
  });
});

describe('physical networks refuse', () => {
  it('a second physical network in a basic zone', async () => {
    const { cloud, admin } = await simulatedCloud();
    const zone = await admin.zones.create({ name: 'b', networkType: 'Basic', dns1: '8.8.8.8', internalDns1: '10.0.0.2' });
    await admin.physicalNetworks.create({ zoneId: zone.id, name: 'one' });
    await expectRefused(cloud, () => admin.physicalNetworks.create({ zoneId: zone.id, name: 'two' }), 431, 'zoneid');
  });

  it('guest VLAN ranges that overlap another physical network of the zone', async () => {
    const { cloud, admin } = await simulatedCloud();
    const { zone } = await advancedZone(admin);
    await expectRefused(cloud, () => admin.physicalNetworks.create({ zoneId: zone.id, name: 'pn-b', vlan: '140-160' }), 431, 'vlan');
  });

  it('more guest VLANs than guest.vlan.bits allows in a zone (§12.9)', async () => {
    const { cloud, admin } = await simulatedCloud();
    await admin.config.update({ name: 'guest.vlan.bits', value: 9 });
    const zone = await admin.zones.create({ name: 'z', networkType: 'Advanced', dns1: '8.8.8.8', internalDns1: '10.0.0.2' });
    await admin.physicalNetworks.create({ zoneId: zone.id, name: 'a', vlan: '1-500' });
    await expectRefused(cloud, () => admin.physicalNetworks.create({ zoneId: zone.id, name: 'b', vlan: '1000-1012' }), 431, 'vlan');
  });

  it('management traffic on a second physical network of the zone', async () => {
    const { cloud, admin } = await simulatedCloud();
    const { zone } = await advancedZone(admin);
    const second = await admin.physicalNetworks.create({ zoneId: zone.id, name: 'second', vlan: '3000-3009' });
    await expectRefused(cloud, () => admin.physicalNetworks.addTrafficType({ physicalNetworkId: second.id, trafficType: 'Management' }), 431, 'traffictype');
  });

  it('dropping a guest VLAN range while one of its VLANs is in use', async () => {
    const { cloud, admin } = await simulatedCloud();
    const { network } = await advancedZone(admin);
    await cloud.store.transaction((tx) => tx.pools.claim(`guestvlan:${network.id}`, 'a-network', { preferred: '120' }));
    await expectRefused(cloud, () => admin.physicalNetworks.update({ id: network.id, vlan: '100-110' }), 536, undefined);
  });
});

describe('pods refuse', () => {
  it('a subnet that overlaps another pod anywhere in the cloud', async () => {
    const { cloud, admin } = await simulatedCloud();
    await advancedZone(admin, 1);
    const other = await admin.zones.create({ name: 'other', networkType: 'Advanced', dns1: '8.8.8.8', internalDns1: '10.0.0.2' });
    await expectRefused(cloud, () => admin.pods.create({ zoneId: other.id, name: 'p', gateway: '192.168.1.129', netmask: '255.255.255.128', startIp: '192.168.1.130', endIp: '192.168.1.140' }), 431, 'netmask');
  });

  it('a reserved range outside the pod subnet', async () => {
    const { cloud, admin } = await simulatedCloud();
    const zone = await admin.zones.create({ name: 'z', networkType: 'Advanced', dns1: '8.8.8.8', internalDns1: '10.0.0.2' });
    await expectRefused(cloud, () => admin.pods.create({ zoneId: zone.id, name: 'p', gateway: '10.5.0.1', netmask: '255.255.255.0', startIp: '10.5.0.10', endIp: '10.5.1.10' }), 431, 'endip');
  });

  it('a gateway inside the reserved range', async () => {
    const { cloud, admin } = await simulatedCloud();
    const zone = await admin.zones.create({ name: 'z', networkType: 'Advanced', dns1: '8.8.8.8', internalDns1: '10.0.0.2' });
    await expectRefused(cloud, () => admin.pods.create({ zoneId: zone.id, name: 'p', gateway: '10.5.0.15', netmask: '255.255.255.0', startIp: '10.5.0.10', endIp: '10.5.0.20' }), 431, 'gateway');
  });

  it('deleting a pod that has clusters', async () => {
    const { cloud, admin } = await simulatedCloud();
    const { zone, pod } = await advancedZone(admin);
    await admin.clusters.add({ zoneId: zone.id, podId: pod.id, clusterName: 'c', hypervisor: 'KVM' });
    await expectRefused(cloud, () => admin.pods.delete({ id: pod.id }), 536, 'id');
  });
});

describe('IP ranges refuse', () => {
  it('a public range overlapping a public range of another zone', async () => {
    const { cloud, admin } = await simulatedCloud();
    await advancedZone(admin, 1);
    const { zone } = await advancedZone(admin, 2);
    await expectRefused(cloud, () => admin.ipRanges.createVlanIpRange({ zoneId: zone.id, vlan: 3001, gateway: '203.0.1.1', netmask: '255.255.255.0', startIp: '203.0.1.50', endIp: '203.0.1.80' }), 431, 'startip');
  });

  it('a public range overlapping a pod\'s reserved system range', async () => {
    const { cloud, admin } = await simulatedCloud();
    const { zone } = await advancedZone(admin, 1);
    await expectRefused(cloud, () => admin.ipRanges.createVlanIpRange({ zoneId: zone.id, gateway: '192.168.1.1', netmask: '255.255.255.0', startIp: '192.168.1.20', endIp: '192.168.1.40' }), 431, 'startip');
  });

  it('a public range in a zone with no physical network carrying Public traffic', async () => {
    const { cloud, admin } = await simulatedCloud();
    const zone = await admin.zones.create({ name: 'b', networkType: 'Basic', dns1: '8.8.8.8', internalDns1: '10.0.0.2' });
    const network = await admin.physicalNetworks.create({ zoneId: zone.id, name: 'pn' });
    await admin.physicalNetworks.addTrafficType({ physicalNetworkId: network.id, trafficType: 'Guest' });
    await expectRefused(cloud, () => admin.ipRanges.createVlanIpRange({ zoneId: zone.id, gateway: '203.0.9.1', netmask: '255.255.255.0', startIp: '203.0.9.10', endIp: '203.0.9.20' }), 431, 'zoneid');
  });

  it('a basic-zone guest range outside the pod subnet', async () => {
    const { cloud, admin } = await simulatedCloud();
    const zone = await admin.zones.create({ name: 'b', networkType: 'Basic', dns1: '8.8.8.8', internalDns1: '10.0.0.2' });
    const network = await admin.physicalNetworks.create({ zoneId: zone.id, name: 'pn' });
    await admin.physicalNetworks.addTrafficType({ physicalNetworkId: network.id, trafficType: 'Guest' });
    const pod = await admin.pods.create({ zoneId: zone.id, name: 'p', gateway: '10.7.0.1', netmask: '255.255.255.0', startIp: '10.7.0.2', endIp: '10.7.0.9' });
    await expectRefused(cloud, () => admin.ipRanges.createVlanIpRange({ zoneId: zone.id, podId: pod.id, forVirtualNetwork: false, gateway: '10.8.0.1', netmask: '255.255.255.0', startIp: '10.8.0.10', endIp: '10.8.0.20' }), 431, 'startip');
  });

  it('a range larger than a /16', async () => {
    const { cloud, admin } = await simulatedCloud();
    const { zone } = await advancedZone(admin);
    await expectRefused(cloud, () => admin.ipRanges.createVlanIpRange({ zoneId: zone.id, gateway: '100.64.0.1', netmask: '255.192.0.0', startIp: '100.64.0.2', endIp: '100.66.0.2' }), 431, 'endip');
  });

  it('a public VLAN inside the zone\'s guest VLAN range', async () => {
    const { cloud, admin } = await simulatedCloud();
    const { zone } = await advancedZone(admin);
    await expectRefused(cloud, () => admin.ipRanges.createVlanIpRange({ zoneId: zone.id, vlan: 120, gateway: '203.0.50.1', netmask: '255.255.255.0', startIp: '203.0.50.10', endIp: '203.0.50.20' }), 431, 'vlan');
  });

  it('deleting a range with an address in use', async () => {
    const { cloud, admin } = await simulatedCloud();
    const { publicRange } = await advancedZone(admin);
    await cloud.store.transaction((tx) => tx.pools.claim(ipRangePoolKey(publicRange), 'some-account'));
    await expectRefused(cloud, () => admin.ipRanges.deleteVlanIpRange({ id: publicRange.id }), 536, undefined);
  });
});

describe('clusters refuse', () => {
  it('a hypervisor no driver is registered for', async () => {
    const { cloud, admin } = await simulatedCloud(['KVM']);
    const { zone, pod } = await advancedZone(admin);
    await expectRefused(cloud, () => admin.clusters.add({ zoneId: zone.id, podId: pod.id, clusterName: 'x', hypervisor: 'XenServer' }), 431, 'hypervisor');
  });

  it('a vSphere cluster without the vCenter password', async () => {
    const { cloud, admin } = await simulatedCloud();
    const { zone, pod } = await advancedZone(admin);
    await expectRefused(cloud, () => admin.clusters.add({ zoneId: zone.id, podId: pod.id, clusterName: 'v', hypervisor: 'VMware', vcenterHost: 'vc', username: 'u', vcenterDatacenter: 'dc' }), 431, 'password');
  });

  it('a pod of another zone', async () => {
    const { cloud, admin } = await simulatedCloud();
    const a = await advancedZone(admin, 1);
    const b = await advancedZone(admin, 2);
    await expectRefused(cloud, () => admin.clusters.add({ zoneId: a.zone.id, podId: b.pod.id, clusterName: 'c', hypervisor: 'KVM' }), 431, 'podid');
  });
});

describe('hosts refuse', () => {
  it('a host of another hypervisor than its cluster\'s', async () => {
    const { cloud, admin } = await simulatedCloud();
    const { zone, pod } = await advancedZone(admin);
    const { cluster } = await clusterWithHosts(admin, zone.id, pod.id, 'KVM', 1);
    await expectRefused(cloud, () => admin.hosts.add({ clusterId: cluster.id, url: 'http://sim/x', username: 'root', password: 'p', hypervisor: 'XenServer' }), 431, 'hypervisor');
  });

  for (const [hypervisor, limit] of [['XenServer', 8], ['VMware', 8], ['KVM', 16]] as const) {
    it(`a host beyond ${limit} in a ${hypervisor} cluster`, async () => {
      const { cloud, admin } = await simulatedCloud();
      const { zone, pod } = await advancedZone(admin);
      const { cluster, hosts } = await clusterWithHosts(admin, zone.id, pod.id, hypervisor, limit);
      expect(hosts).toHaveLength(limit);
      await expectRefused(cloud, () => admin.hosts.add({ clusterId: cluster.id, url: 'http://sim/one-too-many', username: 'root', password: 'p' }), 431, 'clusterid');
    });
  }

  it('a host with VMs already running (guide §6.6.1.1), leaving no host record', async () => {
    const { cloud, sim, admin } = await simulatedCloud();
    const { zone, pod } = await advancedZone(admin);
    const { cluster } = await clusterWithHosts(admin, zone.id, pod.id, 'KVM', 0);
    sim.lab.defineHost('busy', { vms: [{ name: 'legacy-vm', powerState: 'Running' }] });
    await expectRefused(cloud, () => admin.hosts.add({ clusterId: cluster.id, url: 'http://sim/busy', username: 'root', password: 'p' }), 536, 'url', { withoutEvents: true });
    expect(await admin.hosts.list({ clusterId: cluster.id })).toEqual([]);
    expect(sim.lab.host('busy')?.connected).toBe(false);
    const [failed] = (await admin.events.list({ level: 'ERROR' })).items;
    expect(failed?.description).toMatch(/legacy-vm/);
  });

  it('a host whose driver fails, as a clear 534', async () => {
    const { cloud, sim, admin } = await simulatedCloud();
    const { zone, pod } = await advancedZone(admin);
    const { cluster } = await clusterWithHosts(admin, zone.id, pod.id, 'KVM', 0);
    sim.lab.faults.fail('connectHost', 'down', 'connection refused');
    const error = await expectRefused(cloud, () => admin.hosts.add({ clusterId: cluster.id, url: 'http://sim/down', username: 'root', password: 'p' }), 534, 'url', { withoutEvents: true });
    expect(error.message).toMatch(/connection refused/);
  });

  it('a host that does not answer within `wait`', async () => {
    const { cloud, sim, admin } = await simulatedCloud();
    const { zone, pod } = await advancedZone(admin);
    const { cluster } = await clusterWithHosts(admin, zone.id, pod.id, 'KVM', 1);
    await admin.config.update({ name: 'wait', value: 1 });
    sim.lab.faults.hang('connectHost', 'stuck');
    const error = await expectRefused(cloud, () => admin.hosts.add({ clusterId: cluster.id, url: 'http://sim/stuck', username: 'root', password: 'p' }), 534, 'url', { withoutEvents: true });
    expect(error.message).toMatch(/Timed out after 1000 ms/);
    await cloud.store.transaction(async (tx) => expect(await tx.counters.get(CapacityKeys.clusterHosts(cluster.id))).toBe(1));
  });

  it('a wrong host password', async () => {
    const { cloud, sim, admin } = await simulatedCloud();
    const { zone, pod } = await advancedZone(admin);
    const { cluster } = await clusterWithHosts(admin, zone.id, pod.id, 'XenServer', 0);
    sim.lab.defineHost('locked', { password: 'right' });
    await expectRefused(cloud, () => admin.hosts.add({ clusterId: cluster.id, url: 'http://sim/locked', username: 'root', password: 'wrong' }), 534, 'url', { withoutEvents: true });
  });

  it('a host URL already in the cloud', async () => {
    const { cloud, admin } = await simulatedCloud();
    const { zone, pod } = await advancedZone(admin);
    const { cluster } = await clusterWithHosts(admin, zone.id, pod.id, 'KVM', 1, 'k');
    await expectRefused(cloud, () => admin.hosts.add({ clusterId: cluster.id, url: 'http://sim/k-h0', username: 'root', password: 'p' }), 431, 'url');
  });

  it('deleting a host with a VM on it', async () => {
    const { cloud, admin } = await simulatedCloud();
    const { zone, pod } = await advancedZone(admin);
    const { hosts } = await clusterWithHosts(admin, zone.id, pod.id, 'KVM', 1);
    const host = hosts[0]!;
    await admin.hosts.prepareForMaintenance({ id: host.id });
    // The VM issue counts what it places on a host under this key.
    await cloud.store.transaction((tx) => tx.counters.adjust(CapacityKeys.hostVms(host.id), 1));
    await expectRefused(cloud, () => admin.hosts.delete({ id: host.id, forced: true }), 536, 'id');
  });

  it('deleting an Up host that is not in maintenance, unless forced', async () => {
    const { cloud, admin } = await simulatedCloud();
    const { zone, pod } = await advancedZone(admin);
    const { cluster, hosts } = await clusterWithHosts(admin, zone.id, pod.id, 'KVM', 1);
    await expectRefused(cloud, () => admin.hosts.delete({ id: hosts[0]!.id }), 432, 'id');
    await admin.hosts.delete({ id: hosts[0]!.id, forced: true });
    expect(await admin.hosts.list({ clusterId: cluster.id })).toEqual([]);
  });

  it('a resource-state move the state machine does not allow', async () => {
    const { cloud, admin } = await simulatedCloud();
    const { zone, pod } = await advancedZone(admin);
    const { hosts } = await clusterWithHosts(admin, zone.id, pod.id, 'KVM', 1);
    await expectRefused(cloud, () => admin.hosts.cancelMaintenance({ id: hosts[0]!.id }), 432, 'id');
  });
});

describe('primary storage refuses', () => {
  it('a pool before the cluster has a host (guide §6.7.1)', async () => {
    const { cloud, admin } = await simulatedCloud();
    const { zone, pod } = await advancedZone(admin);
    const { cluster } = await clusterWithHosts(admin, zone.id, pod.id, 'KVM', 0);
    await expectRefused(cloud, () => admin.primaryStorage.create({ zoneId: zone.id, podId: pod.id, clusterId: cluster.id, name: 'ps', protocol: 'NFS', server: 'nfs', path: '/p' }), 431, 'clusterid');
  });

  for (const [hypervisor, protocol] of [['KVM', 'iSCSI'], ['XenServer', 'SharedMountPoint'], ['VMware', 'CLVM']] as const) {
    it(`${protocol} primary storage on a ${hypervisor} cluster`, async () => {
      const { cloud, admin } = await simulatedCloud();
      const { zone, pod } = await advancedZone(admin);
      const { cluster } = await clusterWithHosts(admin, zone.id, pod.id, hypervisor, 1);
      await expectRefused(cloud, () => admin.primaryStorage.create({ zoneId: zone.id, podId: pod.id, clusterId: cluster.id, name: 'ps', protocol, server: 's', path: '/p', iqn: 'iqn.1986-03.com.sun:02:01', lun: 3 }), 431, 'protocol');
    });
  }

  it('an iSCSI pool without its target IQN', async () => {
    const { cloud, admin } = await simulatedCloud();
    const { zone, pod } = await advancedZone(admin);
    const { cluster } = await clusterWithHosts(admin, zone.id, pod.id, 'XenServer', 1);
    await expectRefused(cloud, () => admin.primaryStorage.create({ zoneId: zone.id, podId: pod.id, clusterId: cluster.id, name: 'ps', protocol: 'iSCSI', server: 's', lun: 3 }), 431, 'iqn');
  });

  it('tags on one cluster\'s storage that the zone\'s other clusters do not have', async () => {
    const { cloud, admin } = await simulatedCloud();
    const { zone, pod } = await advancedZone(admin);
    const a = await clusterWithHosts(admin, zone.id, pod.id, 'KVM', 1, 'a');
    const b = await clusterWithHosts(admin, zone.id, pod.id, 'KVM', 1, 'b');
    await admin.primaryStorage.create({ zoneId: zone.id, podId: pod.id, clusterId: a.cluster.id, name: 'pa', protocol: 'NFS', server: 'nfs', path: '/a', tags: 'T1,T2' });
    await admin.primaryStorage.create({ zoneId: zone.id, podId: pod.id, clusterId: b.cluster.id, name: 'pb', protocol: 'NFS', server: 'nfs', path: '/b', tags: ['T1', 'T2'] });
    await expectRefused(cloud, () => admin.primaryStorage.create({ zoneId: zone.id, podId: pod.id, clusterId: b.cluster.id, name: 'pc', protocol: 'NFS', server: 'nfs', path: '/c', tags: 'T3' }), 431, 'tags');
  });

  it('a pool the storage driver cannot attach', async () => {
    const { cloud, sim, admin } = await simulatedCloud();
    const { zone, pod } = await advancedZone(admin);
    const { cluster } = await clusterWithHosts(admin, zone.id, pod.id, 'KVM', 1);
    sim.lab.faults.fail('createPool', 'nfs-dead', 'mount failed');
    await expectRefused(cloud, () => admin.primaryStorage.create({ zoneId: zone.id, podId: pod.id, clusterId: cluster.id, name: 'ps', protocol: 'NFS', server: 'nfs-dead', path: '/p' }), 534, 'server', { withoutEvents: true });
  });
});

describe('secondary storage refuses', () => {
  it('zone NFS before Swift when swift.enable is on (guide §6.8.2)', async () => {
    const { cloud, admin } = await simulatedCloud();
    const { zone } = await advancedZone(admin);
    await admin.config.update({ name: 'swift.enable', value: true });
    await expectRefused(cloud, () => admin.secondaryStorage.addSecondaryStorage({ zoneId: zone.id, url: 'nfs://nfs/sec' }), 431, 'url');
    const swift = await admin.secondaryStorage.addSwift({ url: 'http://swift.lab:8080/v1', account: 'cs', username: 'cs', key: 'swift-Key-1' });
    expect(swift).toMatchObject({ protocol: 'Swift', scope: 'Region', state: 'Up' });
    expect(await admin.secondaryStorage.addSecondaryStorage({ zoneId: zone.id, url: 'nfs://nfs/sec' })).toMatchObject({ state: 'Up' });
  });

  it('Swift while swift.enable is off', async () => {
    const { cloud, admin } = await simulatedCloud();
    await expectRefused(cloud, () => admin.secondaryStorage.addSwift({ url: 'http://swift.lab:8080/v1', account: 'cs', username: 'cs', key: 'k' }), 432, 'url');
  });

  it('a store the driver cannot reach', async () => {
    const { cloud, sim, admin } = await simulatedCloud();
    const { zone } = await advancedZone(admin);
    sim.lab.faults.fail('addStore', 'nfs://gone/sec');
    await expectRefused(cloud, () => admin.secondaryStorage.addSecondaryStorage({ zoneId: zone.id, url: 'nfs://gone/sec' }), 534, 'url', { withoutEvents: true });
  });
});
