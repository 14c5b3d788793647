import { describe, expect, it } from 'vitest';
import { BUILTIN_IDS, CloudError, Role, type CallContext, type Cloud } from '../../src/index.js';
import { createTestCloud } from '../support/test-cloud.js';

/** Two domains under ROOT, written as rows: the fixture for domain-scoped offerings. */
async function withDomains(cloud: Cloud): Promise<{ comp1: string; sales: string; comp2: string }> {
  const ids = { comp1: 'd-comp1', sales: 'd-comp1-sales', comp2: 'd-comp2' };
  await cloud.store.transaction(async (tx) => {
    const base = { state: 'Active' as const, createdAt: '2013-05-28T00:00:00.000Z' };
    await tx.repo('domains').insert({ id: ids.comp1, name: 'Comp1', path: '/Comp1/', parentId: BUILTIN_IDS.rootDomain, level: 1, ...base });
    await tx.repo('domains').insert({ id: ids.sales, name: 'sales', path: '/Comp1/sales/', parentId: ids.comp1, level: 2, ...base });
    await tx.repo('domains').insert({ id: ids.comp2, name: 'Comp2', path: '/Comp2/', parentId: BUILTIN_IDS.rootDomain, level: 1, ...base });
  });
  return ids;
}

const userIn = (domainId: string): CallContext => ({ userId: `u-${domainId}`, accountId: `a-${domainId}`, domainId, role: Role.User });
const adminOf = (domainId: string): CallContext => ({ userId: `da-${domainId}`, accountId: `da-${domainId}`, domainId, role: Role.DomainAdmin });

async function refusal(promise: Promise<unknown>): Promise<CloudError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(CloudError);
  return error as CloudError;
}

async function counts(cloud: Cloud) {
  return cloud.store.transaction(async (tx) => [
    await tx.repo('serviceOfferings').count(),
    await tx.repo('diskOfferings').count(),
    await tx.repo('events').count(),
  ]);
}

describe('service offerings', () => {
  it('ships the built-in offerings of a fresh installation; users see only the user ones', async () => {
    const cloud = await createTestCloud();
    const user = userIn(BUILTIN_IDS.rootDomain);
    const names = (await cloud.as(user).serviceOfferings.list()).items.map((o) => o.name);
    expect(names).toEqual(['Small Instance', 'Medium Instance']);
    const system = (await cloud.system.serviceOfferings.list({ isSystem: true })).items;
    expect(system.map((o) => o.systemVmType)).toEqual(['domainrouter', 'consoleproxy', 'secondarystoragevm', 'elasticloadbalancervm']);
    expect(system.every((o) => o.defaultUse)).toBe(true);
    expect((await cloud.as(user).serviceOfferings.list({ isSystem: true })).total).toBe(0);
  });

  it('creates an offering named like an EC2 instance type with tags, and records the event', async () => {
    const cloud = await createTestCloud();
    const offering = await cloud.system.serviceOfferings.create({
      name: 'm1.small',
      displayText: 'EC2 small',
      cpuNumber: 1,
      cpuSpeed: 1000,
      memory: 1740,
      offerHa: true,
      hostTags: 'ssd-hosts',
      tags: 'fast, replicated,fast',
      networkRate: 200,
    });
    expect(offering).toMatchObject({ name: 'm1.small', storageType: 'shared', offerHa: true, hostTag: 'ssd-hosts', storageTags: ['fast', 'replicated'], state: 'Active' });
    const [event] = (await cloud.system.events.list({ type: 'SERVICE.OFFERING.CREATE' })).items;
    expect(event?.resourceId).toBe(offering.id);
    expect((await cloud.system.serviceOfferings.list({ name: 'm1.small' })).items).toHaveLength(1);
  });

  it('shows a domain offering to its domain and the domains below it, and to the admin above; never to another domain', async () => {
    const cloud = await createTestCloud();
    const d = await withDomains(cloud);
    const comp1Only = await cloud.system.serviceOfferings.create({ name: 'comp1-large', displayText: 'x', cpuNumber: 4, cpuSpeed: 2000, memory: 8192, domainId: d.comp1 });
    const salesOnly = await cloud.system.serviceOfferings.create({ name: 'sales-only', displayText: 'x', cpuNumber: 1, cpuSpeed: 500, memory: 256, domainId: d.sales });
    const sees = async (caller: CallContext) => (await cloud.as(caller).serviceOfferings.list()).items.map((o) => o.name).filter((n) => n !== 'Small Instance' && n !== 'Medium Instance');
    expect(await sees(userIn(d.comp1))).toEqual(['comp1-large']);
    expect(await sees(userIn(d.sales))).toEqual(['comp1-large', 'sales-only']);
    expect(await sees(adminOf(d.comp1))).toEqual(['comp1-large', 'sales-only']);
    expect(await sees(userIn(d.comp2))).toEqual([]);
    expect(await sees(adminOf(d.comp2))).toEqual([]);
    // Picking another domain's offering reads as "not found", as if it did not exist.
    const error = await refusal(cloud.store.transaction(async (tx) => {
      const { ServiceOfferingService } = await import('../../src/index.js');
      return cloud.container.resolve(ServiceOfferingService).requireUsable(tx, userIn(d.comp2), comp1Only.id);
    }));
    expect(error).toMatchObject({ code: 431, param: 'serviceofferingid' });
    expect(salesOnly.domainId).toBe(d.sales);
  });

  it('pages with the CloudStack rules and reports the total', async () => {
    const cloud = await createTestCloud();
    for (let i = 0; i < 5; i += 1) await cloud.system.serviceOfferings.create({ name: `o${i}`, displayText: 'x', cpuNumber: 1, cpuSpeed: 100, memory: 64 });
    const page = await cloud.system.serviceOfferings.list({ page: 2, pageSize: 3 });
    expect(page.total).toBe(7);
    expect(page.items.map((o) => o.name)).toEqual(['o1', 'o2', 'o3']);
    expect((await cloud.system.serviceOfferings.list({ keyword: 'MEDIUM' })).items.map((o) => o.name)).toEqual(['Medium Instance']);
  });

  it('renames, then deletes to Inactive; the deleted one can no longer be listed or picked', async () => {
    const cloud = await createTestCloud();
    const offering = await cloud.system.serviceOfferings.create({ name: 'temp', displayText: 'x', cpuNumber: 1, cpuSpeed: 100, memory: 64 });
    expect((await cloud.system.serviceOfferings.update({ id: offering.id, name: 'renamed' })).name).toBe('renamed');
    await cloud.system.serviceOfferings.delete(offering.id);
    expect((await cloud.system.serviceOfferings.list({ id: offering.id })).total).toBe(0);
    const row = await cloud.store.transaction((tx) => tx.repo('serviceOfferings').get(offering.id));
    expect(row?.state).toBe('Inactive');
    expect(await refusal(cloud.system.serviceOfferings.delete(offering.id))).toMatchObject({ code: 431, param: 'id' });
  });

  describe('refuses, naming the parameter and leaving nothing behind', () => {
    const base = { name: 'n', displayText: 'd', cpuNumber: 1, cpuSpeed: 500, memory: 512 };
    const cases: [string, Record<string, unknown>, number, string][] = [
      ['a missing cpu number', { ...base, cpuNumber: undefined }, 431, 'cpunumber'],
      ['zero memory', { ...base, memory: 0 }, 431, 'memory'],
      ['an unknown storage type', { ...base, storageType: 'tape' }, 431, 'storagetype'],
      ['a system VM type on a user offering', { ...base, systemVmType: 'domainrouter' }, 431, 'systemvmtype'],
      ['a domain on a system offering', { ...base, isSystem: true, domainId: BUILTIN_IDS.rootDomain }, 431, 'domainid'],
      ['a domain that does not exist', { ...base, domainId: 'no-such-domain' }, 431, 'domainid'],
    ];
    it.each(cases)('%s', async (_label, input, code, param) => {
      const cloud = await createTestCloud();
      const before = await counts(cloud);
      const error = await refusal(cloud.system.serviceOfferings.create(input as never));
      expect(error).toMatchObject({ code, param });
      expect(await counts(cloud)).toEqual(before);
    });

    it('a caller who is not root admin (531)', async () => {
      const cloud = await createTestCloud();
      const before = await counts(cloud);
      expect((await refusal(cloud.as(adminOf(BUILTIN_IDS.rootDomain)).serviceOfferings.create(base))).code).toBe(531);
      expect(await counts(cloud)).toEqual(before);
    });

    it('deleting a built-in system offering (432)', async () => {
      const cloud = await createTestCloud();
      const [router] = (await cloud.system.serviceOfferings.list({ isSystem: true, systemVmType: 'domainrouter' })).items;
      const error = await refusal(cloud.system.serviceOfferings.delete(router!.id));
      expect(error).toMatchObject({ code: 432, param: 'id' });
      expect((await cloud.system.serviceOfferings.list({ id: router!.id })).total).toBe(1);
    });
  });
});

describe('disk offerings', () => {
  it('ships Small, Medium, Large and Custom, and creates fixed and customized offerings', async () => {
    const cloud = await createTestCloud();
    const user = userIn(BUILTIN_IDS.rootDomain);
    const shipped = (await cloud.as(user).diskOfferings.list()).items;
    expect(shipped.map((o) => [o.name, o.diskSizeGb ?? null, o.customized])).toEqual([
      ['Small', 5, false],
      ['Medium', 20, false],
      ['Large', 100, false],
      ['Custom', null, true],
    ]);
    const fixed = await cloud.system.diskOfferings.create({ name: 'ssd-50', displayText: '50 GB on SSD', diskSize: 50, tags: ['ssd'] });
    expect(fixed).toMatchObject({ diskSizeGb: 50, customized: false, storageTags: ['ssd'] });
    const custom = await cloud.system.diskOfferings.create({ name: 'any', displayText: 'pick a size', customized: true });
    expect(custom.diskSizeGb).toBeUndefined();
  });

  it('renames and deletes', async () => {
    const cloud = await createTestCloud();
    const offering = await cloud.system.diskOfferings.create({ name: 'tmp', displayText: 'x', diskSize: 1 });
    expect((await cloud.system.diskOfferings.update({ id: offering.id, displayText: 'y' })).displayText).toBe('y');
    await cloud.system.diskOfferings.delete(offering.id);
    expect((await cloud.system.diskOfferings.list({ id: offering.id })).total).toBe(0);
  });

  describe('refuses, naming the parameter and leaving nothing behind', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['a fixed offering without a size', { name: 'n', displayText: 'd' }, 'disksize'],
      ['a customized offering with a size', { name: 'n', displayText: 'd', customized: true, diskSize: 5 }, 'disksize'],
      ['a size above custom.diskoffering.size.max', { name: 'n', displayText: 'd', diskSize: 5000 }, 'disksize'],
      ['a missing name', { displayText: 'd', diskSize: 5 }, 'name'],
      ['a domain that does not exist', { name: 'n', displayText: 'd', diskSize: 5, domainId: 'nope' }, 'domainid'],
    ];
    it.each(cases)('%s', async (_label, input, param) => {
      const cloud = await createTestCloud();
      const before = await counts(cloud);
      const error = await refusal(cloud.system.diskOfferings.create(input as never));
      expect(error).toMatchObject({ code: 431, param });
      expect(await counts(cloud)).toEqual(before);
    });
  });
});
