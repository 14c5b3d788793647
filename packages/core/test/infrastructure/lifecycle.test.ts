import { describe, expect, it } from 'vitest';
import { CapacityKeys, cidrsOverlap, formatIpv4, parseCidr, parseIpv4, parseVlanRanges, rangeChunks } from '../../src/index.js';
import { advancedZone, clusterWithHosts, refusal, simulatedCloud } from './fixtures.js';

describe('host lifecycle', () => {
  it('moves through maintenance, reconnects, goes to Alert when the host fails, and is deleted', async () => {
    const { cloud, sim, admin } = await simulatedCloud();
    const { zone, pod } = await advancedZone(admin);
    const { cluster, hosts } = await clusterWithHosts(admin, zone.id, pod.id, 'KVM', 2);
    const host = hosts[0]!;
    expect((await admin.hosts.update({ id: host.id, allocationState: 'Disable', hostTags: ['gpu', 'ssd'] })).resourceState).toBe('Disabled');
    expect((await admin.hosts.update({ id: host.id, allocationState: 'Enable' })).hostTags).toEqual(['gpu', 'ssd']);
    expect((await admin.hosts.prepareForMaintenance({ id: host.id })).resourceState).toBe('Maintenance');
    expect((await admin.hosts.cancelMaintenance({ id: host.id })).resourceState).toBe('Enabled');
    expect((await admin.hosts.reconnect({ id: host.id })).state).toBe('Up');
    sim.lab.faults.fail('connectHost', host.url);
    expect((await refusal(admin.hosts.reconnect({ id: host.id }))).code).toBe(534);
    expect((await admin.hosts.list({ id: host.id }))[0]?.state).toBe('Alert');
    sim.lab.faults.clear();
    expect((await admin.hosts.reconnect({ id: host.id })).state).toBe('Up');
    await admin.hosts.prepareForMaintenance({ id: host.id });
    await admin.hosts.delete({ id: host.id });
    expect((await admin.hosts.list({ clusterId: cluster.id })).map((h) => h.id)).toEqual([hosts[1]!.id]);
    await cloud.store.transaction(async (tx) => expect(await tx.counters.get(CapacityKeys.clusterHosts(cluster.id))).toBe(1));
    expect(sim.lab.host(`${cluster.name}-h0`)?.connected).toBe(false);
  });

  it('lets a freed place in a full cluster be taken again', async () => {
    const { admin } = await simulatedCloud();
    const { zone, pod } = await advancedZone(admin);
    const { cluster, hosts } = await clusterWithHosts(admin, zone.id, pod.id, 'XenServer', 8);
    await admin.hosts.delete({ id: hosts[7]!.id, forced: true });
    await expect(admin.hosts.add({ clusterId: cluster.id, url: 'http://sim/replacement', username: 'root', password: 'p' })).resolves.toMatchObject({ state: 'Up' });
  });

  it('never lets racing adds overfill a cluster', async () => {
    const { admin } = await simulatedCloud();
    const { zone, pod } = await advancedZone(admin);
    const { cluster } = await clusterWithHosts(admin, zone.id, pod.id, 'XenServer', 0);
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => admin.hosts.add({ clusterId: cluster.id, url: `http://sim/race${i}`, username: 'root', password: 'p' })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(8);
    expect(await admin.hosts.list({ clusterId: cluster.id })).toHaveLength(8);
  });
});

describe('tear-down', () => {
  it('removes storage, hosts, clusters, ranges, pods, networks and the zone in reverse order', async () => {
    const { cloud, admin } = await simulatedCloud();
    const { zone, network, pod, publicRange } = await advancedZone(admin);
    const { cluster, hosts } = await clusterWithHosts(admin, zone.id, pod.id, 'KVM', 1);
    const pool = await admin.primaryStorage.create({ zoneId: zone.id, podId: pod.id, clusterId: cluster.id, name: 'ps', protocol: 'NFS', server: 'nfs', path: '/p' });
    expect((await admin.primaryStorage.setMaintenance({ id: pool.id, maintenance: true })).state).toBe('Maintenance');
    expect((await admin.primaryStorage.setMaintenance({ id: pool.id, maintenance: false })).state).toBe('Up');
    const store = await admin.secondaryStorage.addSecondaryStorage({ zoneId: zone.id, url: 'nfs://nfs/sec' });
    await admin.primaryStorage.delete({ id: pool.id });
    await admin.hosts.delete({ id: hosts[0]!.id, forced: true });
    await admin.clusters.delete({ id: cluster.id });
    await admin.ipRanges.deleteVlanIpRange({ id: publicRange.id });
    await admin.pods.delete({ id: pod.id });
    await admin.secondaryStorage.delete({ id: store.id });
    await admin.physicalNetworks.delete({ id: network.id });
    await admin.zones.delete({ id: zone.id });
    expect(await admin.zones.list()).toEqual([]);
    await cloud.store.transaction(async (tx) => {
      expect(await tx.pools.stats(`publicip:${publicRange.id}`)).toEqual({ total: 0, free: 0 });
      expect(await tx.pools.stats(`podip:${pod.id}`)).toEqual({ total: 0, free: 0 });
    });
  });
});

describe('IPv4 and VLAN helpers', () => {
  it('parses, formats and compares addresses and blocks', () => {
    expect(formatIpv4(parseIpv4('192.168.154.7')!)).toBe('192.168.154.7');
    expect(parseIpv4('256.1.1.1')).toBeUndefined();
    expect(cidrsOverlap(parseCidr('10.0.0.0/16')!, parseCidr('10.0.200.0/24')!)).toBe(true);
    expect(cidrsOverlap(parseCidr('10.0.0.0/24')!, parseCidr('10.0.1.0/24')!)).toBe(false);
    const chunks = [...rangeChunks({ start: parseIpv4('10.0.0.250')!, end: parseIpv4('10.0.1.4')! }, 4)];
    expect(chunks).toEqual([['10.0.0.250', '10.0.0.251', '10.0.0.252', '10.0.0.253'], ['10.0.0.254', '10.0.0.255', '10.0.1.0', '10.0.1.1'], ['10.0.1.2', '10.0.1.3', '10.0.1.4']]);
  });

  it('parses VLAN ranges and refuses overlapping or out-of-range ones', () => {
    expect(parseVlanRanges('700-710, 500-599,42')).toEqual([{ start: 42, end: 42 }, { start: 500, end: 599 }, { start: 700, end: 710 }]);
    expect(() => parseVlanRanges('500-600,550-560')).toThrow(/overlap/);
    expect(() => parseVlanRanges('4095')).toThrow(/4094/);
  });
});
