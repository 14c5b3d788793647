import { describe, expect, it } from 'vitest';
import { GuestIpAllocator, GuestVlanAllocator, MacAllocator, PodIpAllocator, PublicIpAllocator, guestNetworkIpPoolKey, ipRangePoolKey, isCloudError } from '../../src/index.js';
import { refusal } from '../infrastructure/fixtures.js';
import { allocationCloud, configure, userAccount } from './alloc-fixtures.js';

function distinct(values: readonly string[]): number {
  return new Set(values).size;
}

describe('public IP allocator', () => {
  it('claims addresses of the zone\'s public ranges, by VLAN or a requested address, counting public_ip', async () => {
    const t = await allocationCloud();
    const alice = await userAccount(t.admin, 'alice');
    const second = await t.admin.ipRanges.createVlanIpRange({ zoneId: t.zone.id, vlan: 3001, gateway: '198.51.100.1', netmask: '255.255.255.0', startIp: '198.51.100.10', endIp: '198.51.100.20' });
    const ips = t.cloud.container.resolve(PublicIpAllocator);
    const first = await t.cloud.store.transaction((tx) => ips.allocate(tx, { zoneId: t.zone.id, accountId: alice.account.id, holder: 'ip-1' }));
    expect(first).toMatchObject({ rangeId: t.publicRange.id, vlan: '2001', address: '203.0.1.10' });
    const byVlan = await t.cloud.store.transaction((tx) => ips.allocate(tx, { zoneId: t.zone.id, accountId: alice.account.id, holder: 'ip-2', vlan: 3001 }));
    expect(byVlan).toMatchObject({ rangeId: second.id, gateway: '198.51.100.1' });
    const requested = await t.cloud.store.transaction((tx) => ips.allocate(tx, { zoneId: t.zone.id, accountId: alice.account.id, holder: 'ip-3', requestedAddress: '198.51.100.15' }));
    expect(requested.address).toBe('198.51.100.15');
    const taken = await refusal(t.cloud.store.transaction((tx) => ips.allocate(tx, { zoneId: t.zone.id, accountId: alice.account.id, holder: 'ip-4', requestedAddress: '198.51.100.15' })));
    expect(taken).toMatchObject({ code: 431, param: 'ipaddress' });
    const outside = await refusal(t.cloud.store.transaction((tx) => ips.allocate(tx, { zoneId: t.zone.id, accountId: alice.account.id, holder: 'ip-4', requestedAddress: '192.0.2.1' })));
    expect(outside).toMatchObject({ code: 431, param: 'ipaddress' });
    const limits = await t.admin.resourceLimits.list({ accountId: alice.account.id, resourceType: 'public_ip' });
    expect(limits[0]?.used).toBe(3); // the refused claims left nothing counted
  });

  it('refuses with 532 past the account\'s public_ip limit and with 533 when the ranges are exhausted', async () => {
    const t = await allocationCloud();
    const alice = await userAccount(t.admin, 'alice');
    const bob = await userAccount(t.admin, 'bob');
    await t.admin.resourceLimits.update({ accountId: alice.account.id, resourceType: 'public_ip', max: 2 });
    const ips = t.cloud.container.resolve(PublicIpAllocator);
    const take = (accountId: string, holder: string) => t.cloud.store.transaction((tx) => ips.allocate(tx, { zoneId: t.zone.id, accountId, holder }));
    await take(alice.account.id, 'a1');
    await take(alice.account.id, 'a2');
    expect((await refusal(take(alice.account.id, 'a3'))).code).toBe(532);
    await t.admin.resourceLimits.update({ accountId: bob.account.id, resourceType: 'public_ip', max: -1 });
    for (let i = 0; i < 48; i += 1) await take(bob.account.id, `b${i}`); // the range holds 50
    const exhausted = await refusal(take(bob.account.id, 'b-last'));
    expect(exhausted.code).toBe(533);
    expect(exhausted.message).toMatch(/public IP/);
  });

  it('never hands one address out twice under 60 racing claims on a 50-address range', async () => {
    const t = await allocationCloud();
    const owner = await userAccount(t.admin, 'owner');
    await t.admin.resourceLimits.update({ accountId: owner.account.id, resourceType: 'public_ip', max: -1 });
    const ips = t.cloud.container.resolve(PublicIpAllocator);
    const outcomes = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => t.cloud.store.transaction((tx) => ips.allocate(tx, { zoneId: t.zone.id, accountId: owner.account.id, holder: `h${i}` }))));
    const addresses = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.address] : []));
    expect(addresses).toHaveLength(50);
    expect(distinct(addresses)).toBe(50);
    expect(outcomes.filter((o) => o.status === 'rejected' && isCloudError(o.reason, 533))).toHaveLength(10);
  });

  it('release returns the address to its range and the account\'s count', async () => {
    const t = await allocationCloud();
    const alice = await userAccount(t.admin, 'alice');
    await t.admin.resourceLimits.update({ accountId: alice.account.id, resourceType: 'public_ip', max: 1 });
    const ips = t.cloud.container.resolve(PublicIpAllocator);
    const ip = await t.cloud.store.transaction((tx) => ips.allocate(tx, { zoneId: t.zone.id, accountId: alice.account.id, holder: 'x' }));
    expect(await t.cloud.store.transaction((tx) => ips.release(tx, { ...ip, accountId: alice.account.id, holder: 'someone-else' }))).toBe(false);
    expect(await t.cloud.store.transaction((tx) => ips.release(tx, { ...ip, accountId: alice.account.id, holder: 'x' }))).toBe(true);
    const stats = await t.cloud.store.transaction((tx) => tx.pools.stats(ipRangePoolKey(t.publicRange)));
    expect(stats.free).toBe(stats.total);
    const again = await t.cloud.store.transaction((tx) => ips.allocate(tx, { zoneId: t.zone.id, accountId: alice.account.id, holder: 'y', requestedAddress: ip.address }));
    expect(again.address).toBe(ip.address);
  });
});

describe('guest IP allocator', () => {
  it('materialises a CIDR without network, broadcast, gateway and reserved addresses', async () => {
    const t = await allocationCloud();
    const guest = t.cloud.container.resolve(GuestIpAllocator);
    const added = await t.cloud.store.transaction((tx) => guest.materialise(tx, { networkId: 'net-1', cidr: '10.1.1.0/29', gateway: '10.1.1.1', reserved: ['10.1.1.6'] }));
    expect(added).toBe(4);
    const taken = await Promise.all(Array.from({ length: 4 }, (_, i) => t.cloud.store.transaction((tx) => guest.allocate(tx, 'net-1', `nic-${i}`))));
    expect(taken.sort()).toEqual(['10.1.1.2', '10.1.1.3', '10.1.1.4', '10.1.1.5']);
    const full = await refusal(t.cloud.store.transaction((tx) => guest.allocate(tx, 'net-1', 'nic-5')));
    expect(full.code).toBe(533);
    expect(full.message).toMatch(/guest IP/);
  });

  it('honours a requested address and refuses (431) the gateway, reserved, foreign and taken ones', async () => {
    const t = await allocationCloud();
    const guest = t.cloud.container.resolve(GuestIpAllocator);
    await t.cloud.store.transaction((tx) => guest.materialise(tx, { networkId: 'net-2', cidr: '10.2.0.0/24', reserved: ['10.2.0.200-10.2.0.254'] }));
    const want = (address: string, holder: string) => t.cloud.store.transaction((tx) => guest.allocate(tx, 'net-2', holder, address));
    expect(await want('10.2.0.77', 'a')).toBe('10.2.0.77');
    for (const bad of ['10.2.0.77', '10.2.0.1', '10.2.0.0', '10.2.0.255', '10.2.0.210', '10.3.0.5']) {
      expect(await refusal(want(bad, 'b'))).toMatchObject({ code: 431, param: 'ipaddress' });
    }
    expect(await t.cloud.store.transaction((tx) => guest.release(tx, 'net-2', '10.2.0.77', 'a'))).toBe(true);
    expect(await want('10.2.0.77', 'b')).toBe('10.2.0.77');
  });

  it('hands out distinct addresses to 300 racing claims', async () => {
    const t = await allocationCloud();
    const guest = t.cloud.container.resolve(GuestIpAllocator);
    await t.cloud.store.transaction((tx) => guest.materialise(tx, { networkId: 'net-3', cidr: '10.4.0.0/23' }));
    const got = await Promise.all(Array.from({ length: 300 }, (_, i) => t.cloud.store.transaction((tx) => guest.allocate(tx, 'net-3', `nic-${i}`))));
    expect(distinct(got)).toBe(300);
    const stats = await t.cloud.store.transaction((tx) => tx.pools.stats(guestNetworkIpPoolKey('net-3')));
    expect(stats).toEqual({ total: 509, free: 209 });
  });
});

describe('pod system IP allocator', () => {
  it('claims the pod\'s reserved addresses without duplicates, 533 when exhausted, and reuses released ones', async () => {
    const t = await allocationCloud();
    const podIps = t.cloud.container.resolve(PodIpAllocator);
    const outcomes = await Promise.allSettled(Array.from({ length: 25 }, (_, i) => t.cloud.store.transaction((tx) => podIps.allocate(tx, t.pod.id, `sysvm-${i}`))));
    const got = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(got).toHaveLength(20); // 192.168.1.10 - .29
    expect(distinct(got)).toBe(20);
    expect(outcomes.filter((o) => o.status === 'rejected' && isCloudError(o.reason, 533))).toHaveLength(5);
    expect(await t.cloud.store.transaction((tx) => podIps.release(tx, t.pod.id, '192.168.1.15'))).toBe(true);
    expect(await t.cloud.store.transaction((tx) => podIps.allocate(tx, t.pod.id, 'sysvm-new', '192.168.1.15'))).toBe('192.168.1.15');
    expect((await refusal(t.cloud.store.transaction((tx) => podIps.allocate(tx, t.pod.id, 'x', '192.168.1.200')))).code).toBe(431);
  });
});

describe('guest VLAN allocator', () => {
  it('claims VLANs of the physical network\'s ranges, honours a requested one, and reuses released ones', async () => {
    const t = await allocationCloud();
    const vlans = t.cloud.container.resolve(GuestVlanAllocator);
    const outcomes = await Promise.allSettled(Array.from({ length: 55 }, (_, i) => t.cloud.store.transaction((tx) => vlans.allocate(tx, t.network.id, `net-${i}`))));
    const got = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.vlan] : []));
    expect(got).toHaveLength(50); // range 100-149
    expect(new Set(got).size).toBe(50);
    expect(got.every((v) => v >= 100 && v <= 149)).toBe(true);
    const refused = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(isCloudError(refused?.reason, 533)).toBe(true);
    await t.cloud.store.transaction((tx) => vlans.release(tx, { vlan: 120, physicalNetworkId: t.network.id, zoneId: t.zone.id }));
    expect((await t.cloud.store.transaction((tx) => vlans.allocate(tx, t.network.id, 'again', 120))).vlan).toBe(120);
    expect(await refusal(t.cloud.store.transaction((tx) => vlans.allocate(tx, t.network.id, 'bad', 120)))).toMatchObject({ code: 431, param: 'vlan' });
    expect(await refusal(t.cloud.store.transaction((tx) => vlans.allocate(tx, t.network.id, 'bad', 999)))).toMatchObject({ code: 431, param: 'vlan' });
  });

  it('stops at the zone maximum for guest.vlan.bits (guide 12.9: 9 bits, 512 VLANs)', async () => {
    const t = await allocationCloud();
    const wide = await t.admin.physicalNetworks.create({ zoneId: t.zone.id, name: 'wide', vlan: '1000-1599' });
    // lowered after the ranges were defined (it takes effect on restart): 650 ids, 512 allowed
    await configure(t.admin, 'guest.vlan.bits', 9);
    const vlans = t.cloud.container.resolve(GuestVlanAllocator);
    await t.cloud.store.transaction(async (tx) => {
      for (let i = 0; i < 50; i += 1) await vlans.allocate(tx, t.network.id, `n-${i}`);
      for (let i = 0; i < 462; i += 1) await vlans.allocate(tx, wide.id, `w-${i}`);
    });
    const error = await refusal(t.cloud.store.transaction((tx) => vlans.allocate(tx, wide.id, 'one-too-many')));
    expect(error.code).toBe(533);
    expect(error.message).toMatch(/512 guest VLANs \(guest\.vlan\.bits\)/);
    await t.cloud.store.transaction((tx) => vlans.release(tx, { vlan: 1000, physicalNetworkId: wide.id, zoneId: t.zone.id }));
    expect((await t.cloud.store.transaction((tx) => vlans.allocate(tx, wide.id, 'fits-again', 1000))).vlan).toBe(1000);
    expect((await refusal(t.cloud.store.transaction((tx) => vlans.allocate(tx, wide.id, 'over-again')))).code).toBe(533);
  });
});

describe('MAC allocator', () => {
  it('hands out distinct 02:00:xx:xx:xx:xx MACs per zone to racing claims, and reuses released ones', async () => {
    const t = await allocationCloud();
    const macs = t.cloud.container.resolve(MacAllocator);
    const got = await Promise.all(Array.from({ length: 200 }, (_, i) => t.cloud.store.transaction((tx) => macs.allocate(tx, t.zone.id, `nic-${i}`))));
    expect(distinct(got)).toBe(200);
    for (const mac of got) expect(mac).toMatch(/^02:00(:[0-9a-f]{2}){4}$/);
    expect(await t.cloud.store.transaction((tx) => macs.release(tx, t.zone.id, got[7] ?? '', 'nic-7'))).toBe(true);
    const reused = await t.cloud.store.transaction((tx) => macs.allocate(tx, t.zone.id, 'nic-new'));
    expect(reused).toBe(got[7]);
    const fresh = await t.cloud.store.transaction((tx) => macs.allocate(tx, t.zone.id, 'nic-newer'));
    expect(got).not.toContain(fresh);
  });

  it('a claim that rolls back leaves the MAC free for the next one', async () => {
    const t = await allocationCloud();
    const macs = t.cloud.container.resolve(MacAllocator);
    const failed = await refusal(
      t.cloud.store.transaction(async (tx) => {
        await macs.allocate(tx, t.zone.id, 'doomed');
        throw new Error('device failed');
      }),
    ).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    expect(await t.cloud.store.transaction((tx) => macs.allocate(tx, t.zone.id, 'nic'))).toBe('02:00:00:00:00:01');
  });
});
