import { describe, expect, it } from 'vitest';
import { CapacityType, guestVlanPoolKey, ipRangePoolKey, podIpPoolKey } from '../../src/index.js';
import { simulatedCloud } from './fixtures.js';

const GIB = 1024 ** 3;
const TIB = 1024 ** 4;

describe('the guide\'s set-up sequence (§6.1)', () => {
  it('builds a basic zone: region → zone → physical network → traffic → pod → guest range → cluster → host → primary → secondary → enable', async () => {
    const { cloud, admin } = await simulatedCloud(['Simulator']);
    const [region] = await admin.regions.list({ id: 1 });
    expect(region).toMatchObject({ id: '1', name: 'Local' });
    const zone = await admin.zones.create({ name: 'basic-1', networkType: 'Basic', dns1: '8.8.8.8', internalDns1: '192.168.10.2', securityGroupEnabled: true });
    expect(zone).toMatchObject({ networkType: 'Basic', allocationState: 'Disabled', regionId: '1', securityGroupsEnabled: true });
    const network = await admin.physicalNetworks.create({ zoneId: zone.id, name: 'physnet' });
    const providers = await admin.physicalNetworks.listServiceProviders({ physicalNetworkId: network.id });
    expect(providers.map((p) => p.name)).toEqual(['VirtualRouter', 'VpcVirtualRouter', 'SecurityGroupProvider']);
    await admin.physicalNetworks.updateServiceProvider({ id: providers.find((p) => p.name === 'SecurityGroupProvider')!.id, state: 'Enabled' });
    for (const trafficType of ['Guest', 'Management', 'Storage'] as const) {
      await admin.physicalNetworks.addTrafficType({ physicalNetworkId: network.id, trafficType, simulatorNetworkLabel: 'simbr0' });
    }
    const pod = await admin.pods.create({ zoneId: zone.id, name: 'pod-1', gateway: '192.168.10.1', netmask: '255.255.255.0', startIp: '192.168.10.2', endIp: '192.168.10.20' });
    expect(pod.cidr).toBe('192.168.10.0/24');
    const guest = await admin.ipRanges.createVlanIpRange({ zoneId: zone.id, podId: pod.id, forVirtualNetwork: false, gateway: '192.168.10.1', netmask: '255.255.255.0', startIp: '192.168.10.100', endIp: '192.168.10.199' });
    expect(guest).toMatchObject({ purpose: 'DirectGuest', size: 100, physicalNetworkId: network.id });
    const cluster = await admin.clusters.add({ zoneId: zone.id, podId: pod.id, clusterName: 'c1', hypervisor: 'Simulator' });
    const host = await admin.hosts.add({ clusterId: cluster.id, url: 'http://sim/host1', username: 'root', password: 'password', hostTags: 'ha_host' });
    expect(host).toMatchObject({ state: 'Up', resourceState: 'Enabled', cpuNumber: 8, cpuSpeed: 2100, memoryTotal: 32 * GIB, hypervisorVersion: '4.1.0', hostTags: ['ha_host'] });
    expect(host).not.toHaveProperty('passwordSealed');
    const primary = await admin.primaryStorage.create({ zoneId: zone.id, podId: pod.id, clusterId: cluster.id, name: 'ps1', protocol: 'NFS', server: '192.168.10.5', path: '/export/primary' });
    expect(primary).toMatchObject({ state: 'Up', url: 'nfs://192.168.10.5/export/primary', capacityBytes: TIB });
    const secondary = await admin.secondaryStorage.addSecondaryStorage({ zoneId: zone.id, url: 'nfs://192.168.10.5/export/secondary' });
    expect(secondary).toMatchObject({ state: 'Up', protocol: 'NFS', capacityBytes: 2 * TIB });
    const enabled = await admin.zones.update({ id: zone.id, allocationState: 'Enabled' });
    expect(enabled.allocationState).toBe('Enabled');

    await cloud.store.transaction(async (tx) => {
      expect(await tx.pools.stats(ipRangePoolKey(guest))).toEqual({ total: 100, free: 100 });
      expect(await tx.pools.stats(podIpPoolKey(pod.id))).toEqual({ total: 19, free: 19 });
    });
    const types = (await admin.events.list({ pageSize: -1 })).items.map((e) => e.type);
    for (const type of ['ZONE.CREATE', 'PHYSICAL.NETWORK.CREATE', 'TRAFFIC.TYPE.CREATE', 'POD.CREATE', 'VLAN.IP.RANGE.CREATE', 'CLUSTER.CREATE', 'HOST.ADD', 'STORAGE.POOL.CREATE', 'SECONDARY.STORAGE.ADD', 'ZONE.EDIT']) {
      expect(types).toContain(type);
    }
  });

  it('builds an advanced zone with a public range, guest VLANs and a KVM cluster, and reports its capacity', async () => {
    const { cloud, admin } = await simulatedCloud(['KVM']);
    await admin.regions.add({ id: 2, name: 'Western', endpoint: 'http://10.2.0.1:8080/client' });
    const zone = await admin.zones.create({ name: 'adv', networkType: 'Advanced', dns1: '8.8.8.8', dns2: '8.8.4.4', internalDns1: '10.0.0.2', guestCidrAddress: '10.1.1.0/24', networkDomain: 'cloud.lab', regionId: 2 });
    const network = await admin.physicalNetworks.create({ zoneId: zone.id, name: 'pn', isolationMethods: ['VLAN'], vlan: '500-599' });
    for (const trafficType of ['Guest', 'Management', 'Public'] as const) {
      await admin.physicalNetworks.addTrafficType({ physicalNetworkId: network.id, trafficType, kvmNetworkLabel: trafficType === 'Public' ? 'cloudbr1' : 'cloudbr0' });
    }
    const [vr] = await admin.physicalNetworks.listServiceProviders({ physicalNetworkId: network.id, name: 'VirtualRouter' });
    expect((await admin.physicalNetworks.updateServiceProvider({ id: vr!.id, state: 'Enabled' })).state).toBe('Enabled');
    await admin.physicalNetworks.update({ id: network.id, state: 'Enabled' });
    const pod = await admin.pods.create({ zoneId: zone.id, name: 'pod', gateway: '172.20.0.1', netmask: '255.255.255.0', startIp: '172.20.0.10', endIp: '172.20.0.59' });
    const range = await admin.ipRanges.createVlanIpRange({ zoneId: zone.id, vlan: 'vlan://100', gateway: '198.51.100.1', netmask: '255.255.255.0', startIp: '198.51.100.10', endIp: '198.51.100.209' });
    expect(range).toMatchObject({ purpose: 'Public', vlan: '100', size: 200 });
    const cluster = await admin.clusters.add({ zoneId: zone.id, podId: pod.id, clusterName: 'kvm-1', hypervisor: 'KVM' });
    for (let i = 0; i < 2; i += 1) await admin.hosts.add({ clusterId: cluster.id, url: `http://sim/kvm${i}`, username: 'root', password: 'pw', hypervisor: 'KVM' });
    await admin.primaryStorage.create({ zoneId: zone.id, podId: pod.id, clusterId: cluster.id, name: 'rbd', protocol: 'RBD', server: 'ceph-mon', path: 'cloudstack', tags: 'ssd' });
    await admin.secondaryStorage.addSecondaryStorage({ zoneId: zone.id, url: 'nfs://nfs.lab/export/secondary' });
    await admin.zones.update({ id: zone.id, allocationState: 'Enabled' });
    await admin.config.update({ name: 'cpu.overprovisioning.factor', value: 2, scope: 'cluster', scopeId: cluster.id });

    // A later issue claims a public IP and a VLAN; capacity reads the pools.
    await cloud.store.transaction(async (tx) => {
      expect(await tx.pools.claim(ipRangePoolKey(range), 'ip-holder')).toBe('198.51.100.10');
      expect(await tx.pools.claim(guestVlanPoolKey(network.id), 'net-holder')).toBe('500');
    });
    const capacity = await admin.capacity.list({ zoneId: zone.id });
    const of = (type: number) => capacity.find((c) => c.type === type);
    expect(of(CapacityType.Cpu)).toMatchObject({ capacityTotal: 2 * 8 * 2100 * 2, capacityUsed: 0 });
    expect(of(CapacityType.Memory)).toMatchObject({ capacityTotal: 2 * 32 * GIB });
    expect(of(CapacityType.Storage)).toMatchObject({ capacityTotal: TIB, capacityUsed: 0 });
    expect(of(CapacityType.StorageAllocated)).toMatchObject({ capacityTotal: 2 * TIB });
    expect(of(CapacityType.PublicIp)).toMatchObject({ capacityTotal: 200, capacityUsed: 1, percentUsed: '0.50' });
    expect(of(CapacityType.PrivateIp)).toMatchObject({ capacityTotal: 50, capacityUsed: 0 });
    expect(of(CapacityType.SecondaryStorage)).toMatchObject({ capacityTotal: 2 * TIB });
    expect(of(CapacityType.Vlan)).toMatchObject({ capacityTotal: 100, capacityUsed: 1 });
    const byCluster = await admin.capacity.list({ clusterId: cluster.id, type: CapacityType.Cpu });
    expect(byCluster).toEqual([expect.objectContaining({ clusterId: cluster.id, podId: pod.id, capacityTotal: 67_200 })]);
    expect((await admin.zones.list({ id: zone.id }))[0]).toMatchObject({ allocationState: 'Enabled', regionId: '2', guestCidr: '10.1.1.0/24' });
  });

  it('runs vSphere and XenServer clusters: vCenter password sealed, hosts through their drivers', async () => {
    const { cloud, admin } = await simulatedCloud();
    const zone = await admin.zones.create({ name: 'z', networkType: 'Advanced', dns1: '8.8.8.8', internalDns1: '10.0.0.2' });
    const pod = await admin.pods.create({ zoneId: zone.id, name: 'p', gateway: '10.9.0.1', netmask: '255.255.255.0', startIp: '10.9.0.10' });
    expect(pod.endIp).toBe('10.9.0.254');
    const vsphere = await admin.clusters.add({ zoneId: zone.id, podId: pod.id, clusterName: 'cloud.cluster.2.2.1', hypervisor: 'VMware', vcenterHost: 'vc.lab', username: 'admin', password: 'vCenter-Pa55', vcenterDatacenter: 'cloud.dc.VM' });
    expect(vsphere).toMatchObject({ clusterType: 'ExternalManaged', vcenter: { host: 'vc.lab', username: 'admin', datacenter: 'cloud.dc.VM' } });
    const esx = await admin.hosts.add({ clusterId: vsphere.id, url: 'http://sim/esx1', username: 'root', password: 'host-Pa55' });
    expect(esx.hypervisorVersion).toBe('5.0');
    await admin.primaryStorage.create({ zoneId: zone.id, podId: pod.id, clusterId: vsphere.id, name: 'ds', protocol: 'VMFS', server: 'vc.lab', path: '/cloud.dc.VM/cluster1datastore' });
    const xen = await admin.clusters.add({ zoneId: zone.id, podId: pod.id, clusterName: 'xen', hypervisor: 'XenServer' });
    await admin.hosts.add({ clusterId: xen.id, url: 'http://sim/xen1', username: 'root', password: 'host-Pa55' });
    await admin.primaryStorage.create({ zoneId: zone.id, podId: pod.id, clusterId: xen.id, name: 'sr', protocol: 'PreSetup', server: 'xen1', srNameLabel: 'Local storage' });
    const raw = cloud.store instanceof (await import('../../src/index.js')).MemoryStore ? cloud.store.rawContent() : '';
    if (raw !== '') {
      expect(raw).not.toContain('vCenter-Pa55');
      expect(raw).not.toContain('host-Pa55');
      expect(raw).toContain('sealed:v1:');
    }
    expect((await admin.hosts.list({ clusterId: xen.id })).map((h) => h.hypervisorType)).toEqual(['XenServer']);
  });
});
