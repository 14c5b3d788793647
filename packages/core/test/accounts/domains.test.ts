import { describe, expect, it } from 'vitest';
import { BUILTIN_IDS, ResourceLimitService } from '../../src/index.js';
import { refusedUnchanged, tenantCloud } from './tenants.js';

describe('domains', () => {
  it('builds a tree of paths under ROOT as the login form names them', async () => {
    const t = await tenantCloud();
    expect(t.domains.comp1).toMatchObject({ name: 'Comp1', path: '/Comp1/', level: 1, parentId: BUILTIN_IDS.rootDomain, state: 'Active' });
    expect(t.domains.sales).toMatchObject({ path: '/Comp1/sales/', level: 2, parentId: t.domains.comp1.id });
    const hr = await t.cloud.system.domains.create({ name: 'hr', parentDomainId: t.domains.comp1.id, networkDomain: 'hr.comp1.internal' });
    expect(hr).toMatchObject({ path: '/Comp1/hr/', networkDomain: 'hr.comp1.internal' });
    const children = await t.cloud.as(t.as.admin1).domains.listChildren();
    expect(children.items.map((d) => d.path)).toEqual(['/Comp1/hr/', '/Comp1/sales/']);
    const rootChildren = await t.cloud.system.domains.listChildren({ id: BUILTIN_IDS.rootDomain });
    expect(rootChildren.items.map((d) => d.path)).toEqual(['/Comp1/', '/Comp2/']);
    const all = await t.cloud.system.domains.listChildren({ isRecursive: true });
    expect(all.items.map((d) => d.path)).toEqual(['/Comp1/', '/Comp1/hr/', '/Comp1/sales/', '/Comp2/']);
  });

  it('refuses bad names, duplicates among siblings and non-root callers, leaving nothing behind', async () => {
    const t = await tenantCloud();
    const c = t.cloud;
    await refusedUnchanged(c, () => c.system.domains.create({ name: 'comp1' }), 431, 'name');
    await refusedUnchanged(c, () => c.system.domains.create({ name: 'a/b' }), 431, 'name');
    await refusedUnchanged(c, () => c.system.domains.create({ name: '' }), 431, 'name');
    await refusedUnchanged(c, () => c.system.domains.create({ name: 'x', networkDomain: '-bad-' }), 431, 'networkdomain');
    await refusedUnchanged(c, () => c.system.domains.create({ name: 'x', parentDomainId: 'nope' }), 431, 'parentdomainid');
    await refusedUnchanged(c, () => c.as(t.as.admin1).domains.create({ name: 'x', parentDomainId: t.domains.comp1.id }), 531);
    // The same name under another parent is fine.
    await expect(c.system.domains.create({ name: 'sales', parentDomainId: t.domains.comp2.id })).resolves.toMatchObject({ path: '/Comp2/sales/' });
  });

  it('renaming a domain moves the paths below it, and logins follow', async () => {
    const t = await tenantCloud();
    const renamed = await t.cloud.system.domains.update({ id: t.domains.comp1.id, name: 'Company1' });
    expect(renamed.path).toBe('/Company1/');
    expect((await t.cloud.system.domains.get(t.domains.sales.id)).path).toBe('/Company1/sales/');
    const login = await t.cloud.system.authentication.authenticate({ domainPath: 'Company1/sales', username: 'sam', password: 'sam-pw-1' });
    expect(login.domain.id).toBe(t.domains.sales.id);
    await refusedUnchanged(t.cloud, () => t.cloud.system.domains.update({ id: t.domains.comp2.id, name: 'company1' }), 431, 'name');
    await refusedUnchanged(t.cloud, () => t.cloud.system.domains.update({ id: BUILTIN_IDS.rootDomain, name: 'TOP' }), 431, 'name');
    expect((await t.cloud.system.domains.update({ id: BUILTIN_IDS.rootDomain, networkDomain: 'cloud.internal' })).networkDomain).toBe('cloud.internal');
  });

  it('deletes only an empty domain, unless asked to clean up', async () => {
    const t = await tenantCloud();
    const c = t.cloud;
    await refusedUnchanged(c, () => c.system.domains.delete({ id: t.domains.comp1.id }), 536, 'id');
    await refusedUnchanged(c, () => c.system.domains.delete({ id: BUILTIN_IDS.rootDomain }), 431, 'id');
    await refusedUnchanged(c, () => c.as(t.as.admin1).domains.delete({ id: t.domains.sales.id }), 531);
    const empty = await c.system.domains.create({ name: 'empty' });
    await c.system.domains.delete({ id: empty.id });
    await expect(c.system.domains.get(empty.id)).rejects.toMatchObject({ code: 431 });

    await c.as(t.as.root2).resourceLimits.update({ domainId: t.domains.sales.id, resourceType: 'volume', max: 5 });
    await c.store.transaction((tx) => c.container.resolve(ResourceLimitService).reserve(tx, t.accounts.sam.account.id, 'volume', 2));
    await c.system.domains.delete({ id: t.domains.comp1.id, cleanup: true });
    const left = await c.store.transaction(async (tx) => ({
      domains: (await tx.repo('domains').find()).items.map((d) => d.path).sort(),
      accounts: (await tx.repo('accounts').find({ where: { domainId: { in: [t.domains.comp1.id, t.domains.sales.id] } } })).total,
      users: (await tx.repo('users').find({ where: { domainId: { in: [t.domains.comp1.id, t.domains.sales.id] } } })).total,
      limits: await tx.repo('resourceLimits').count({ ownerId: t.domains.sales.id }),
      rootVolumes: await tx.counters.get(`limits:domain:${BUILTIN_IDS.rootDomain}:volume`),
      salesCounters: await tx.counters.list(`limits:domain:${t.domains.sales.id}`),
    }));
    expect(left).toEqual({ domains: ['/', '/Comp2/'], accounts: 0, users: 0, limits: 0, rootVolumes: 0, salesCounters: new Map() });
    const types = (await c.system.events.list({ type: 'DOMAIN.DELETE' })).items.map((e) => e.description);
    expect(types).toEqual(expect.arrayContaining(['Deleted domain /Comp1/', 'Deleted domain /Comp1/sales/']));
  });
});
