import { beforeAll, describe, expect, it } from 'vitest';
import { Role, SYSTEM, TemplateService, type CallContext } from '../../src/index.js';
import { callerOf, refused } from '../accounts/tenants.js';
import { registerTemplate, settle, templateCloud, templateFootprint, type TemplateCloud } from './fixtures.js';

const names = (rows: { items: { name: string }[] }) => [...new Set(rows.items.map((r) => r.name))].sort();

describe('templatefilter semantics with the shared visibility rule', () => {
  let t: TemplateCloud;
  let carol: CallContext;
  beforeAll(async () => {
    t = await templateCloud();
    carol = callerOf(await t.cloud.system.accounts.create({ role: Role.User, username: 'carol', password: 'carol-pw-1', firstName: 'c', lastName: 't', email: 'c@example.com', domainId: t.domains.comp1.id }));
    await registerTemplate(t, t.as.alice, 'aPriv');
    const shared = await registerTemplate(t, t.as.alice, 'aShared');
    await t.cloud.as(t.as.alice).templatePermissions.update({ id: shared.id, op: 'add', accounts: ['carol'] });
    await registerTemplate(t, t.as.bob, 'bPub', { isPublic: true });
    await registerTemplate(t, SYSTEM, 'rootFeat', { isPublic: true, isFeatured: true });
    await settle(t.cloud);
  });

  const cases: [string, () => CallContext, Record<string, unknown>, string[]][] = [
    ['alice featured', () => t.as.alice, { templateFilter: 'featured' }, ['rootFeat']],
    ['alice community', () => t.as.alice, { templateFilter: 'community' }, ['bPub']],
    ['alice self', () => t.as.alice, { templateFilter: 'self' }, ['aPriv', 'aShared']],
    ['alice selfexecutable', () => t.as.alice, { templateFilter: 'selfexecutable' }, ['aPriv', 'aShared']],
    ['alice sharedexecutable', () => t.as.alice, { templateFilter: 'sharedexecutable' }, ['aPriv', 'aShared']],
    ['alice executable', () => t.as.alice, { templateFilter: 'executable' }, ['aPriv', 'aShared', 'bPub', 'rootFeat']],
    ['carol self', () => carol, { templateFilter: 'self' }, []],
    ['carol sharedexecutable', () => carol, { templateFilter: 'sharedexecutable' }, ['aShared']],
    ['carol executable', () => carol, { templateFilter: 'executable' }, ['aShared', 'bPub', 'rootFeat']],
    ['bob self', () => t.as.bob, { templateFilter: 'self' }, ['bPub']],
    ['bob executable', () => t.as.bob, { templateFilter: 'executable' }, ['bPub', 'rootFeat']],
    ['bob featured', () => t.as.bob, { templateFilter: 'featured' }, ['rootFeat']],
    ['sam executable', () => t.as.sam, { templateFilter: 'executable' }, ['bPub', 'rootFeat']],
    ['admin1 self', () => t.as.admin1, { templateFilter: 'self' }, []],
    ['admin1 self listall (its subtree)', () => t.as.admin1, { templateFilter: 'self', listAll: true }, ['aPriv', 'aShared']],
    ['admin1 executable', () => t.as.admin1, { templateFilter: 'executable' }, ['bPub', 'rootFeat']],
    ['admin1 executable listall', () => t.as.admin1, { templateFilter: 'executable', listAll: true }, ['aPriv', 'aShared', 'bPub', 'rootFeat']],
    ['admin1 self in account alice', () => t.as.admin1, { templateFilter: 'self', account: 'alice' }, ['aPriv', 'aShared']],
    ['admin2 self listall', () => t.as.admin2, { templateFilter: 'self', listAll: true }, ['bPub']],
    ['root self', () => SYSTEM, { templateFilter: 'self' }, ['rootFeat']],
    ['root self listall', () => SYSTEM, { templateFilter: 'self', listAll: true }, ['aPriv', 'aShared', 'bPub', 'rootFeat']],
    ['root all', () => SYSTEM, { templateFilter: 'all' }, ['aPriv', 'aShared', 'bPub', 'rootFeat']],
    ['root community', () => SYSTEM, { templateFilter: 'community' }, ['bPub']],
  ];
  it.each(cases)('%s', async (_name, who, query, expected) => {
    expect(names(await t.cloud.as(who()).templates.list(query as never))).toEqual(expected);
  });

  it('rows are per zone copy and filter by zone', async () => {
    const rows = await t.cloud.as(t.as.alice).templates.list({ templateFilter: 'self' });
    expect(rows.total).toBe(4);
    const z2 = await t.cloud.as(t.as.alice).templates.list({ templateFilter: 'self', zoneId: t.zones[1].id });
    expect(z2.items.every((r) => r.zoneId === t.zones[1].id)).toBe(true);
    expect(z2.total).toBe(2);
  });

  it('refuses templatefilter=all below root and a missing filter, naming templatefilter', async () => {
    await refused(() => t.cloud.as(t.as.admin1).templates.list({ templateFilter: 'all' }), 531, 'templatefilter');
    await refused(() => t.cloud.as(t.as.alice).templates.list({} as never), 431, 'templatefilter');
    await refused(() => t.cloud.as(t.as.alice).templates.list({ templateFilter: 'self', domainId: t.domains.comp2.id }), 431, 'domainid');
  });
});

describe('launch permissions', () => {
  it('share, unshare and reset; only owner or admin; names must exist in the owner domain', async () => {
    const t = await templateCloud();
    const carol = callerOf(await t.cloud.system.accounts.create({ role: Role.User, username: 'carol', password: 'carol-pw-1', firstName: 'c', lastName: 't', email: 'c@example.com', domainId: t.domains.comp1.id }));
    const tpl = await registerTemplate(t, t.as.alice, 'private');
    await settle(t.cloud);
    await refused(() => t.cloud.as(carol).templates.update({ id: tpl.id, name: 'nope' }), 431, 'id');
    const shared = await t.cloud.as(t.as.alice).templatePermissions.update({ id: tpl.id, op: 'add', accounts: ['carol'] });
    expect(shared.accounts).toEqual(['carol']);
    // Carol may launch but not change it.
    await t.cloud.store.transaction((tx) => t.cloud.container.resolve(TemplateService).requireUsable(tx, carol, tpl.id, t.zones[0].id));
    await refused(() => t.cloud.as(carol).templatePermissions.update({ id: tpl.id, isPublic: true }), 531, 'id');
    await refused(() => t.cloud.as(carol).templates.delete({ id: tpl.id }), 531, 'id');
    await refused(() => t.cloud.as(carol).templatePermissions.list({ id: tpl.id }), 531, 'id');
    const before = await templateFootprint(t.cloud);
    await refused(() => t.cloud.as(t.as.alice).templatePermissions.update({ id: tpl.id, op: 'add', accounts: ['carol', 'bob'] }), 431, 'accounts');
    await refused(() => t.cloud.as(t.as.alice).templatePermissions.update({ id: tpl.id, isFeatured: true }), 531, 'isfeatured');
    await refused(() => t.cloud.as(t.as.alice).templatePermissions.update({ id: tpl.id, isExtractable: true }), 531, 'isextractable');
    await refused(() => t.cloud.as(t.as.alice).templatePermissions.update({ id: tpl.id, accounts: ['carol'] }), 431, 'op');
    await refused(() => t.cloud.as(t.as.bob).templatePermissions.update({ id: tpl.id, op: 'add', accounts: ['bob'] }), 431, 'id');
    expect(await templateFootprint(t.cloud)).toEqual(before);
    const featured = await t.cloud.as(t.as.admin1).templatePermissions.update({ id: tpl.id, isPublic: true, isFeatured: true });
    expect(featured.isPublic).toBe(true);
    expect(names(await t.cloud.as(t.as.bob).templates.list({ templateFilter: 'featured' }))).toEqual(['private']);
    const removed = await t.cloud.as(t.as.alice).templatePermissions.update({ id: tpl.id, op: 'remove', accounts: ['carol'] });
    expect(removed.accounts).toEqual([]);
    const reset = await t.cloud.as(t.as.alice).templatePermissions.update({ id: tpl.id, op: 'reset' });
    expect(reset.isPublic).toBe(false);
    expect(names(await t.cloud.as(t.as.bob).templates.list({ templateFilter: 'executable' }))).toEqual([]);
    await refused(() => t.cloud.store.transaction((tx) => t.cloud.container.resolve(TemplateService).requireUsable(tx, carol, tpl.id, t.zones[0].id)), 431, 'templateid');
  });
});
