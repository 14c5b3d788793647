import { OS_TYPE_SEED, osCategoryId } from '@cloudstack-sdk/core';
import { describe, expect, it } from 'vitest';
import { call, callAsync } from './support/core-api.js';
import { publishImage, settle, templateApi } from './support/template-api.js';

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/;

type Row = Record<string, unknown>;

describe('ISO and guest OS commands over a real core cloud', () => {
  it('registers an ISO with a list reply, lists it by isofilter, copies and deletes it (deleteisosresponse)', async () => {
    const f = await templateApi();
    const [zone1, zone2] = f.zoneIds;
    const reply = await call(f.api, f.user, { command: 'registerIso', name: 'rescue', displaytext: 'Rescue CD', url: publishImage(f.sim, 'rescue', 'iso'), ostypeid: f.osTypeId, zoneid: zone1, bootable: 'false' });
    expect(reply.status).toBe(200);
    expect(reply.body.count).toBe(1);
    const id = String((reply.body.iso as Row[])[0]?.id);
    await settle(f.cloud);

    const listed = await call(f.api, f.user, { command: 'listIsos' });
    expect(listed.json).toEqual({
      listisosresponse: {
        count: 1,
        iso: [
          {
            id,
            name: 'rescue',
            displaytext: 'Rescue CD',
            ispublic: false,
            created: expect.stringMatching(DATE),
            isready: true,
            bootable: false,
            isfeatured: false,
            crossZones: false,
            ostypeid: f.osTypeId,
            ostypename: 'CentOS 6.3 (64-bit)',
            accountid: f.user.caller.accountId,
            account: 'alice-account',
            zoneid: zone1,
            zonename: 'adv-1',
            status: 'Download Complete',
            size: expect.any(Number),
            domain: 'child',
            domainid: f.user.caller.domainId,
            isextractable: false,
          },
        ],
      },
    });
    expect((await call(f.api, f.user, { command: 'listIsos', bootable: 'true' })).json).toEqual({ listisosresponse: {} });
    expect((await call(f.api, f.other, { command: 'listIsos', isofilter: 'executable' })).json).toEqual({ listisosresponse: {} });
    expect((await call(f.api, f.user, { command: 'listTemplates', templatefilter: 'self' })).json).toEqual({ listtemplatesresponse: {} });

    expect((await call(f.api, f.user, { command: 'updateIso', id, bootable: 'true', name: 'rescue-2' })).body.iso).toMatchObject({ id, name: 'rescue-2', bootable: true });
    const notForIso = await call(f.api, f.user, { command: 'updateIso', id, passwordenabled: 'true' });
    expect(notForIso.status).toBe(431);
    expect(String(notForIso.body.errortext)).toContain('passwordenabled');

    expect((await call(f.api, f.user, { command: 'updateIsoPermissions', id, accounts: 'bob-account', op: 'add' })).json).toEqual({ updateisopermissionsresponse: { success: 'true' } });
    expect((await call(f.api, f.user, { command: 'listIsoPermissions', id })).json).toEqual({ listisopermissionsresponse: { templatepermission: { id, ispublic: false, domainid: f.user.caller.domainId, account: ['bob-account'] } } });
    expect(((await call(f.api, f.other, { command: 'listIsos', isofilter: 'sharedexecutable' })).body.iso as Row[]).map((r) => r.id)).toEqual([id]);

    const copied = await callAsync(f, f.user, { command: 'copyIso', id, sourcezoneid: zone1, destzoneid: zone2 });
    expect(copied.result).toMatchObject({ jobstatus: 1, jobresultcode: 0, jobresult: { iso: { id, zoneid: zone2, isready: true } } });
    const deleted = await callAsync(f, f.user, { command: 'deleteIso', id });
    expect(Object.keys(deleted.accepted)).toEqual(['jobid']);
    expect(deleted.result).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    const again = await call(f.api, f.user, { command: 'deleteIso', id });
    expect(Object.keys(again.json)).toEqual(['deleteisosresponse']);
    expect(again.body.errorcode).toBe(431);
    expect((await call(f.api, f.user, { command: 'listIsos' })).json).toEqual({ listisosresponse: {} });
  });

  it('refuses an ISO without ostypeid or with a bad zone and leaves nothing behind', async () => {
    const f = await templateApi();
    const count = () => f.cloud.store.transaction((tx) => tx.repo('templates').count());
    const before = await count();
    const url = publishImage(f.sim, 'bad', 'iso');
    const noOs = await call(f.api, f.user, { command: 'registerIso', name: 'bad', displaytext: 'bad', url, zoneid: '-1' });
    expect(noOs.body).toMatchObject({ errorcode: 431, errortext: expect.stringContaining('ostypeid') });
    const badZone = await call(f.api, f.user, { command: 'registerIso', name: 'bad', displaytext: 'bad', url, ostypeid: f.osTypeId, zoneid: '00000000-0000-4000-8000-000000000000' });
    expect(badZone.body).toMatchObject({ errorcode: 431, errortext: expect.stringContaining('zoneid') });
    expect(await count()).toBe(before);
  });

  it('lists the seeded guest OS types to everyone, by id, category, description and keyword, each with its category id', async () => {
    const f = await templateApi();
    const centos = osCategoryId('CentOS');
    const all = await call(f.api, f.user, { command: 'listOsTypes' });
    const types = all.body.ostype as Row[];
    expect(all.body.count).toBe(types.length);
    expect(types.length).toBeGreaterThan(10);
    expect(types.find((t) => t.id === f.osTypeId)).toEqual({ id: f.osTypeId, oscategoryid: centos, description: 'CentOS 6.3 (64-bit)' });
    expect((await call(f.api, f.user, { command: 'listOsTypes', id: f.osTypeId })).json).toEqual({ listostypesresponse: { count: 1, ostype: [{ id: f.osTypeId, oscategoryid: centos, description: 'CentOS 6.3 (64-bit)' }] } });
    const windows = (await call(f.api, f.user, { command: 'listOsTypes', keyword: 'windows' })).body.ostype as Row[];
    expect(windows.length).toBeGreaterThan(0);
    expect(windows.every((t) => String(t.description).startsWith('Windows'))).toBe(true);
    const byCategory = (await call(f.api, f.user, { command: 'listOsTypes', oscategoryid: osCategoryId('Windows') })).body.ostype as Row[];
    expect(byCategory.map((t) => t.id).sort()).toEqual(windows.map((t) => t.id).sort());
    expect((await call(f.api, f.user, { command: 'listOsTypes', keyword: 'Plan 9' })).json).toEqual({ listostypesresponse: {} });
    expect((await call(f.api, f.user, { command: 'listOsTypes', oscategoryid: 'not-a-uuid' })).status).toBe(431);
  });

  it('lists the guest OS categories to everyone (each OS type\'s category once, by name), by id, name and keyword, paged', async () => {
    const f = await templateApi();
    const all = await call(f.api, f.user, { command: 'listOsCategories' });
    expect(all.status).toBe(200);
    const categories = all.body.oscategory as Row[];
    const names = [...new Set(OS_TYPE_SEED.map((s) => s.category))].sort();
    expect(all.body.count).toBe(names.length);
    expect(categories).toEqual(names.map((name) => ({ id: osCategoryId(name), name })));
    // Every OS type's category id names a listed category.
    const types = (await call(f.api, f.user, { command: 'listOsTypes' })).body.ostype as Row[];
    expect(types.every((t) => categories.some((c) => c.id === t.oscategoryid))).toBe(true);

    const centos = { id: osCategoryId('CentOS'), name: 'CentOS' };
    expect((await call(f.api, f.user, { command: 'listOsCategories', id: centos.id })).json).toEqual({ listoscategoriesresponse: { count: 1, oscategory: [centos] } });
    expect((await call(f.api, f.user, { command: 'listOsCategories', name: 'centos' })).body).toEqual({ count: 1, oscategory: [centos] });
    expect((await call(f.api, f.user, { command: 'listOsCategories', keyword: 'win' })).body).toEqual({ count: 1, oscategory: [{ id: osCategoryId('Windows'), name: 'Windows' }] });
    expect((await call(f.api, f.user, { command: 'listOsCategories', name: 'Plan 9' })).json).toEqual({ listoscategoriesresponse: {} });
    const page = await call(f.api, f.user, { command: 'listOsCategories', page: '2', pagesize: '2' });
    expect(page.body).toEqual({ count: names.length, oscategory: names.slice(2, 4).map((name) => ({ id: osCategoryId(name), name })) });
    expect((await call(f.api, f.user, { command: 'listOsCategories', id: 'not-a-uuid' })).status).toBe(431);
  });

  it('dedicates a public VLAN range to an account (root admin only)', async () => {
    const f = await templateApi();
    const zoneid = f.zoneIds[0];
    const range = { command: 'createVlanIpRange', zoneid, vlan: '2101', gateway: '198.51.100.1', netmask: '255.255.255.0', startip: '198.51.100.10', endip: '198.51.100.20', forvirtualnetwork: 'true' };
    const refused = await call(f.api, f.user, { ...range, account: 'alice-account', domainid: f.user.caller.domainId });
    expect(refused.status).toBe(432);
    expect(Object.keys(refused.json)).toEqual(['errorresponse']);
    const missingDomain = await call(f.api, f.admin, { ...range, account: 'alice-account' });
    expect(missingDomain.body).toMatchObject({ errorcode: 431, errortext: expect.stringContaining('domainid') });
    const created = await call(f.api, f.admin, { ...range, account: 'alice-account', domainid: f.user.caller.domainId });
    expect(created.status).toBe(200);
    expect(created.body.vlan).toMatchObject({ forvirtualnetwork: true, vlan: '2101', startip: '198.51.100.10', endip: '198.51.100.20', account: 'alice-account', domainid: f.user.caller.domainId, domain: 'child' });
    const listed = (await call(f.api, f.admin, { command: 'listVlanIpRanges', zoneid })).body.vlaniprange as Row[];
    expect(listed.find((r) => r.vlan === '2101')).toMatchObject({ account: 'alice-account', domain: 'child' });
    const zoneWide = listed.find((r) => r.vlan !== '2101');
    expect(zoneWide).toBeDefined();
    expect(zoneWide).not.toHaveProperty('account');
    expect(zoneWide).not.toHaveProperty('domainid');
  });
});
