import { describe, expect, it } from 'vitest';
import { BUILTIN_IDS, CloudError, ResourceLimitService, isCloudError, type ResourceType } from '../../src/index.js';
import { refused, refusedUnchanged, tenantCloud, type TenantCloud } from './tenants.js';

function service(t: TenantCloud): ResourceLimitService {
  return t.cloud.container.resolve(ResourceLimitService);
}

function reserve(t: TenantCloud, accountId: string, type: ResourceType, count = 1): Promise<void> {
  return t.cloud.store.transaction((tx) => service(t).reserve(tx, accountId, type, count));
}

function usage(t: TenantCloud, ownerType: 'account' | 'domain', ownerId: string, type: ResourceType): Promise<number> {
  return t.cloud.store.transaction((tx) => service(t).usage(tx, ownerType, ownerId, type));
}

describe('resource limits', () => {
  it('defaults accounts to max.account.* (account scope first) and domains to unlimited', async () => {
    const t = await tenantCloud({ config: { 'max.account.vpcs': 7 } });
    await t.cloud.system.config.update({ name: 'max.account.user.vms', value: 3, scope: 'account', scopeId: t.accounts.alice.account.id });
    const limits = await t.cloud.as(t.as.alice).resourceLimits.list();
    const max = Object.fromEntries(limits.map((l) => [l.resourceType, l.max]));
    expect(max).toEqual({ user_vm: 3, public_ip: 20, volume: 20, snapshot: 20, template: 20, project: 10, network: 20, vpc: 7 });
    expect(limits[0]).toMatchObject({ accountId: t.accounts.alice.account.id, accountName: 'alice', domainPath: '/Comp1/', used: 0 });
    const domain = await t.cloud.as(t.as.admin1).resourceLimits.list({ domainId: t.domains.sales.id, resourceType: 'vpc' });
    expect(domain).toEqual([{ resourceType: 'vpc', max: -1, used: 0, domainId: t.domains.sales.id, domainPath: '/Comp1/sales/' }]);
    const rootAdmin = await t.cloud.as(t.as.root2).resourceLimits.list({ resourceType: 'vpc' });
    expect(rootAdmin[0]?.max).toBe(-1);
  });

  it('reserves and releases within the account limit and every domain limit above it, failing with 532', async () => {
    const t = await tenantCloud();
    const sam = t.accounts.sam.account.id;
    await t.cloud.as(t.as.root2).resourceLimits.update({ accountId: sam, resourceType: 'volume', max: 3 });
    await reserve(t, sam, 'volume', 2);
    await reserve(t, sam, 'volume');
    const error = await refused(() => reserve(t, sam, 'volume'), 532);
    expect(error.message).toMatch(/volume.*account sam/);
    expect(await usage(t, 'account', sam, 'volume')).toBe(3);
    expect(await usage(t, 'domain', t.domains.sales.id, 'volume')).toBe(3);
    expect(await usage(t, 'domain', t.domains.comp1.id, 'volume')).toBe(3);
    expect(await usage(t, 'domain', BUILTIN_IDS.rootDomain, 'volume')).toBe(3);
    await t.cloud.store.transaction((tx) => service(t).release(tx, sam, 'volume', 2));
    expect(await usage(t, 'account', sam, 'volume')).toBe(1);
    expect(await usage(t, 'domain', t.domains.comp1.id, 'volume')).toBe(1);

    // A domain limit caps the accounts below it together; a refused claim leaves no counter moved.
    await t.cloud.as(t.as.root2).resourceLimits.update({ domainId: t.domains.comp1.id, resourceType: 'volume', max: 2 });
    await reserve(t, t.accounts.alice.account.id, 'volume');
    const before = await t.cloud.store.transaction((tx) => tx.counters.list('limits:'));
    const byDomain = await refused(() => reserve(t, t.accounts.alice.account.id, 'volume'), 532);
    expect(byDomain.message).toMatch(/domain \/Comp1\//);
    expect(await t.cloud.store.transaction((tx) => tx.counters.list('limits:'))).toEqual(before);
    // Even when the caller catches the 532 and commits its transaction.
    await t.cloud.store.transaction(async (tx) => {
      await service(t).reserve(tx, t.accounts.alice.account.id, 'volume').catch((e: unknown) => expect(isCloudError(e, 532)).toBe(true));
    });
    expect(await t.cloud.store.transaction((tx) => tx.counters.list('limits:'))).toEqual(before);
    // Root admin accounts are counted but never limited.
    await t.cloud.as(t.as.root2).resourceLimits.update({ domainId: t.domains.comp2.id, resourceType: 'vpc', max: 0 });
    await reserve(t, t.accounts.root2.account.id, 'vpc', 5);
    expect(await usage(t, 'account', t.accounts.root2.account.id, 'vpc')).toBe(5);
    await refused(() => reserve(t, t.accounts.bob.account.id, 'vpc'), 532);
    await refused(() => reserve(t, t.accounts.bob.account.id, 'vpc', 0), 431);
  });

  it('updates limits with CloudStack\'s rules, refusing without changing anything', async () => {
    const t = await tenantCloud();
    const c = t.cloud;
    const lim = (ctx: Parameters<typeof c.as>[0]) => c.as(ctx).resourceLimits;
    expect((await lim(t.as.admin1).update({ account: 'sam', domainId: t.domains.sales.id, resourceType: 'snapshot', max: 4 })).max).toBe(4);
    expect((await lim(t.as.admin1).update({ domainId: t.domains.sales.id, resourceType: 'snapshot', max: 10 })).max).toBe(10);
    expect((await lim(t.as.resadmin1).update({ accountId: t.accounts.alice.account.id, resourceType: 'template', max: -1 })).max).toBe(-1);
    await refusedUnchanged(c, () => lim(t.as.alice).update({ resourceType: 'vpc', max: 100 }), 531);
    await refusedUnchanged(c, () => lim(t.as.admin1).update({ accountId: t.accounts.admin1.account.id, resourceType: 'vpc', max: 100 }), 531, 'account');
    await refusedUnchanged(c, () => lim(t.as.admin1).update({ domainId: t.domains.comp1.id, resourceType: 'vpc', max: 100 }), 531, 'domainid');
    await refusedUnchanged(c, () => lim(t.as.admin1).update({ domainId: t.domains.comp2.id, resourceType: 'vpc', max: 1 }), 431, 'domainid');
    await refusedUnchanged(c, () => lim(t.as.admin1).update({ accountId: t.accounts.bob.account.id, resourceType: 'vpc', max: 1 }), 431, 'accountid');
    await refusedUnchanged(c, () => lim(t.as.root2).update({ accountId: t.accounts.root2.account.id, resourceType: 'vpc', max: 1 }), 431, 'max');
    await refusedUnchanged(c, () => lim(t.as.root2).update({ accountId: BUILTIN_IDS.systemAccount, resourceType: 'vpc', max: -1 }), 431, 'account');
    await refusedUnchanged(c, () => lim(t.as.root2).update({ accountId: t.accounts.bob.account.id, resourceType: 'vpc', max: -2 }), 431, 'max');
    await refusedUnchanged(c, () => lim(t.as.root2).update({ accountId: t.accounts.bob.account.id, resourceType: 'cpu' as ResourceType, max: 1 }), 431, 'resourcetype');
    await refusedUnchanged(c, () => lim(t.as.root2).update({ resourceType: 'vpc', max: 1 }), 431, 'domainid');
    // A domain may not exceed its parent's limit.
    await lim(t.as.root2).update({ domainId: t.domains.comp1.id, resourceType: 'network', max: 5 });
    await refusedUnchanged(c, () => lim(t.as.root2).update({ domainId: t.domains.sales.id, resourceType: 'network', max: 6 }), 431, 'max');
    await refusedUnchanged(c, () => lim(t.as.root2).update({ domainId: t.domains.sales.id, resourceType: 'network', max: -1 }), 431, 'max');
    const inherited = await lim(t.as.root2).list({ domainId: t.domains.sales.id, resourceType: 'network' });
    expect(inherited[0]?.max).toBe(5);
    const events = await c.as(t.as.root2).events.list({ type: 'RESOURCE.LIMIT.UPDATE' });
    expect(events.total).toBe(1);
  });

  it('keeps counts exact under concurrency: 200 parallel creations against a limit of 50 make exactly 50', async () => {
    const t = await tenantCloud();
    const bob = t.accounts.bob;
    await t.cloud.as(t.as.admin2).resourceLimits.update({ accountId: bob.account.id, resourceType: 'vpc', max: 50 });
    const limits = service(t);
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        t.cloud.store.transaction(async (tx) => {
          await limits.reserve(tx, bob.account.id, 'vpc');
          // The row standing for the created resource, written in the same transaction as the claim.
          await tx.repo('sshKeyPairs').insert({
            id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
            name: `vpc-${i}`,
            accountId: bob.account.id,
            domainId: bob.account.domainId,
            publicKey: 'ssh-ed25519 AAAA',
            fingerprint: '00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00',
            createdAt: new Date(0).toISOString(),
          });
        }),
      ),
    );
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(50);
    expect(failures).toHaveLength(150);
    expect(failures.every((f) => f.reason instanceof CloudError && f.reason.code === 532)).toBe(true);
    expect(await t.cloud.store.transaction((tx) => tx.repo('sshKeyPairs').count({ accountId: bob.account.id }))).toBe(50);
    expect(await usage(t, 'account', bob.account.id, 'vpc')).toBe(50);
    expect(await usage(t, 'domain', t.domains.comp2.id, 'vpc')).toBe(50);
    expect(await usage(t, 'domain', BUILTIN_IDS.rootDomain, 'vpc')).toBe(50);
    const listed = await t.cloud.as(t.as.bob).resourceLimits.list({ resourceType: 'vpc' });
    expect(listed[0]).toMatchObject({ max: 50, used: 50 });
  });
});
