import { describe, expect, it } from 'vitest';
import { PublicIpAllocator, SYSTEM } from '../../src/index.js';
import { footprint, refusal } from '../infrastructure/fixtures.js';
import { allocationCloud, userAccount } from './alloc-fixtures.js';

describe('public ranges dedicated to an account', () => {
  it('serve their account first, then the shared ranges; other accounts never draw from them', async () => {
    const t = await allocationCloud();
    const alice = await userAccount(t.admin, 'alice');
    const bob = await userAccount(t.admin, 'bob');
    const dedicated = await t.admin.ipRanges.createVlanIpRange({
      zoneId: t.zone.id,
      vlan: 3001,
      gateway: '198.51.100.1',
      netmask: '255.255.255.0',
      startIp: '198.51.100.10',
      endIp: '198.51.100.11',
      account: 'alice',
      domainId: SYSTEM.domainId,
    });
    expect(dedicated).toMatchObject({ accountId: alice.account.id, domainId: SYSTEM.domainId, purpose: 'Public' });
    const ips = t.cloud.container.resolve(PublicIpAllocator);
    const take = (accountId: string, holder: string) => t.cloud.store.transaction((tx) => ips.allocate(tx, { zoneId: t.zone.id, accountId, holder }));

    expect((await take(alice.account.id, 'a1')).rangeId).toBe(dedicated.id);
    expect((await take(alice.account.id, 'a2')).rangeId).toBe(dedicated.id);
    // Alice's dedicated range is used up: she falls back to the zone's shared range.
    expect((await take(alice.account.id, 'a3')).rangeId).toBe(t.publicRange.id);
    // Bob is served from the shared range only, even when he asks for Alice's VLAN or address.
    expect((await take(bob.account.id, 'b1')).rangeId).toBe(t.publicRange.id);
    await t.cloud.store.transaction((tx) => ips.release(tx, { rangeId: dedicated.id, address: '198.51.100.10', accountId: alice.account.id, holder: 'a1' }));
    const byVlan = await refusal(t.cloud.store.transaction((tx) => ips.allocate(tx, { zoneId: t.zone.id, accountId: bob.account.id, holder: 'b2', vlan: 3001 })));
    expect(byVlan.code).toBe(533);
    const byAddress = await refusal(t.cloud.store.transaction((tx) => ips.allocate(tx, { zoneId: t.zone.id, accountId: bob.account.id, holder: 'b3', requestedAddress: '198.51.100.10' })));
    expect(byAddress).toMatchObject({ code: 431, param: 'ipaddress' });
  });

  describe('refuses to dedicate, naming the parameter and leaving nothing behind', () => {
    const base = { vlan: 3002, gateway: '198.51.101.1', netmask: '255.255.255.0', startIp: '198.51.101.10', endIp: '198.51.101.20' };
    it.each([
      ['an account without its domain', { account: 'alice' }, 'domainid'],
      ['a domain without an account', { domainId: SYSTEM.domainId }, 'account'],
      ['an account that does not exist', { account: 'nobody', domainId: SYSTEM.domainId }, 'account'],
    ])('%s', async (_label, extra, param) => {
      const t = await allocationCloud();
      await userAccount(t.admin, 'alice');
      const before = await footprint(t.cloud);
      const error = await refusal(t.admin.ipRanges.createVlanIpRange({ zoneId: t.zone.id, ...base, ...extra }));
      expect(error).toMatchObject({ code: 431, param });
      expect(await footprint(t.cloud)).toBe(before);
    });
  });
});
