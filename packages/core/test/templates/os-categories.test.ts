import { describe, expect, it } from 'vitest';
import { OS_TYPE_SEED, osCategoryId } from '../../src/index.js';
import { tenantCloud } from '../accounts/tenants.js';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('guest OS categories (listOsCategories), derived from the OS types', () => {
  it('lists every category the OS types name once, by name, with a stable name-based id', async () => {
    const t = await tenantCloud();
    const alice = t.cloud.as(t.as.alice);
    const categories = await alice.osTypes.listCategories();
    const expected = [...new Set(OS_TYPE_SEED.map((s) => s.category))].sort();
    expect(categories.map((c) => c.name)).toEqual(expected);
    for (const category of categories) {
      expect(category.id).toMatch(UUID_V5);
      expect(category.id).toBe(osCategoryId(category.name));
    }
    expect(new Set(categories.map((c) => c.id)).size).toBe(categories.length);
    // The id depends on the name only: another cloud (another store, another server) agrees.
    const other = await tenantCloud();
    expect(await other.cloud.system.osTypes.listCategories()).toEqual(categories);
  });

  it('filters by id or by name in any case; unknown ones match nothing', async () => {
    const t = await tenantCloud();
    const sys = t.cloud.system;
    const centos = osCategoryId('CentOS');
    expect(await sys.osTypes.listCategories({ id: centos })).toEqual([{ id: centos, name: 'CentOS' }]);
    expect(await sys.osTypes.listCategories({ id: centos.toUpperCase() })).toEqual([{ id: centos, name: 'CentOS' }]);
    expect(await sys.osTypes.listCategories({ name: 'centos' })).toEqual([{ id: centos, name: 'CentOS' }]);
    expect(await sys.osTypes.listCategories({ name: 'Plan 9' })).toEqual([]);
    expect(await sys.osTypes.listCategories({ id: osCategoryId('Plan 9') })).toEqual([]);
  });

  it('OS types filter by their category\'s id', async () => {
    const t = await tenantCloud();
    const sys = t.cloud.system;
    const windows = await sys.osTypes.list({ categoryId: osCategoryId('Windows') });
    expect(windows.map((o) => o.description).sort()).toEqual(OS_TYPE_SEED.filter((s) => s.category === 'Windows').map((s) => s.description).sort());
    expect(windows.every((o) => o.category === 'Windows')).toBe(true);
    expect(await sys.osTypes.list({ categoryId: osCategoryId('Plan 9') })).toEqual([]);
  });
});
