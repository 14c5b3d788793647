import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, callAsync } from './support/core-api.js';
import { publishImage, settle, templateApi, type TemplateApiFixture } from './support/template-api.js';
import type { TestUser } from './support/test-authenticator.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/;

type Row = Record<string, unknown>;

/** Registers a KVM template through the API and returns the reply. */
async function register(f: TemplateApiFixture, who: TestUser, name: string, extra: Record<string, string> = {}) {
  return call(f.api, who, { command: 'registerTemplate', name, displaytext: `${name} text`, url: publishImage(f.sim, name), format: 'QCOW2', hypervisor: 'KVM', ostypeid: f.osTypeId, zoneid: '-1', ...extra });
}

/** The template rows a caller lists with a filter. */
async function listed(f: TemplateApiFixture, who: TestUser, templatefilter: string, extra: Record<string, string> = {}): Promise<Row[]> {
  const reply = await call(f.api, who, { command: 'listTemplates', templatefilter, ...extra });
  expect(reply.status).toBe(200);
  return (reply.body.template as Row[] | undefined) ?? [];
}

async function templateCount(f: TemplateApiFixture): Promise<number> {
  return f.cloud.store.transaction((tx) => tx.repo('templates').count());
}

describe('template commands over a real core cloud', () => {
  it('registers with a list reply, one row per zone, and lists the rows with 4.1 field names once downloaded', async () => {
    const f = await templateApi();
    const md5 = createHash('md5').update('image centos').digest('hex');
    const reply = await register(f, f.user, 'centos', { checksum: md5, passwordenabled: 'true' });
    expect(reply.status).toBe(200);
    const rows = reply.body.template as Row[];
    expect(Object.keys(reply.json)).toEqual(['registertemplateresponse']);
    expect(reply.body.count).toBe(2);
    const id = String(rows[0]?.id);
    expect(id).toMatch(UUID);
    expect(rows.map((r) => r.zoneid).sort()).toEqual([...f.zoneIds].sort());
    expect(rows[0]).toMatchObject({ id, name: 'centos', isready: false, passwordenabled: true, ispublic: false, isfeatured: false });
    await settle(f.cloud);

    const mine = await listed(f, f.user, 'self');
    expect(mine).toHaveLength(2);
    const zone1 = mine.find((r) => r.zoneid === f.zoneIds[0]);
    expect(zone1).toEqual({
      id,
      name: 'centos',
      displaytext: 'centos text',
      ispublic: false,
      created: expect.stringMatching(DATE),
      isready: true,
      bootable: true,
      isfeatured: false,
      crossZones: false,
      ostypeid: f.osTypeId,
      ostypename: 'CentOS 6.3 (64-bit)',
      accountid: f.user.caller.accountId,
      account: 'alice-account',
      zoneid: f.zoneIds[0],
      zonename: 'adv-1',
      status: 'Download Complete',
      size: expect.any(Number),
      domain: 'child',
      domainid: f.user.caller.domainId,
      isextractable: false,
      checksum: md5,
      passwordenabled: true,
      format: 'QCOW2',
      templatetype: 'USER',
      hypervisor: 'KVM',
      sshkeyenabled: false,
    });
    // Libcloud's list_images: templatefilter=executable with a zone, and the fields it reads.
    const images = await listed(f, f.user, 'executable', { zoneid: f.zoneIds[1] });
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ id, name: 'centos', hypervisor: 'KVM', format: 'QCOW2', ostypename: 'CentOS 6.3 (64-bit)', displaytext: 'centos text', zoneid: f.zoneIds[1] });
    expect((await call(f.api, f.user, { command: 'listTemplates', templatefilter: 'self', pagesize: '1', page: '2' })).body).toMatchObject({ count: 1, template: [{ id }] });
    expect((await call(f.api, f.user, { command: 'listTemplates', templatefilter: 'self', keyword: 'nothing-like-it' })).json).toEqual({ listtemplatesresponse: {} });
  });

  it('scopes templatefilter between users, a domain admin and the root admin', async () => {
    const f = await templateApi();
    const own = String(((await register(f, f.user, 'private-one')).body.template as Row[])[0]?.id);
    const featured = String(((await register(f, f.admin, 'featured-one', { ispublic: 'true', isfeatured: 'true' })).body.template as Row[])[0]?.id);
    const community = String(((await register(f, f.admin, 'community-one', { ispublic: 'true' })).body.template as Row[])[0]?.id);
    await settle(f.cloud);
    const ids = (rows: Row[]) => Array.from(new Set(rows.map((r) => String(r.id)))).sort();

    expect(ids(await listed(f, f.user, 'self'))).toEqual([own]);
    expect(ids(await listed(f, f.other, 'self'))).toEqual([]);
    expect((await call(f.api, f.other, { command: 'listTemplates', templatefilter: 'self' })).json).toEqual({ listtemplatesresponse: {} });
    expect(ids(await listed(f, f.other, 'executable'))).toEqual([featured, community].sort());
    expect(ids(await listed(f, f.user, 'executable'))).toEqual([own, featured, community].sort());
    expect(ids(await listed(f, f.user, 'featured'))).toEqual([featured]);
    expect(ids(await listed(f, f.user, 'community'))).toEqual([community]);
    // An admin without listall sees only its own account's templates; listall widens to its visibility.
    expect(ids(await listed(f, f.admin, 'self'))).toEqual([featured, community].sort());
    expect(ids(await listed(f, f.admin, 'self', { listall: 'true' }))).toEqual([own, featured, community].sort());
    expect(ids(await listed(f, f.domainAdmin, 'self', { listall: 'true' }))).toEqual([own]);
    expect(ids(await listed(f, f.admin, 'all'))).toEqual([own, featured, community].sort());
    const userAll = await call(f.api, f.user, { command: 'listTemplates', templatefilter: 'all' });
    expect(userAll.status).toBe(531);
    expect(String(userAll.body.errortext)).toContain('templatefilter');
    const noFilter = await call(f.api, f.user, { command: 'listTemplates' });
    expect(noFilter.status).toBe(431);
    expect(String(noFilter.body.errortext)).toContain('templatefilter');
  });

  it('shares a private template through launch permissions and lists them', async () => {
    const f = await templateApi();
    const id = String(((await register(f, f.user, 'shared')).body.template as Row[])[0]?.id);
    await settle(f.cloud);
    expect((await call(f.api, f.user, { command: 'listTemplatePermissions', id })).json).toEqual({
      listtemplatepermissionsresponse: { templatepermission: { id, ispublic: false, domainid: f.user.caller.domainId } },
    });
    expect((await call(f.api, f.other, { command: 'listTemplatePermissions', id })).status).toBe(431);
    expect(await listed(f, f.other, 'sharedexecutable')).toEqual([]);

    const granted = await call(f.api, f.user, { command: 'updateTemplatePermissions', id, accounts: 'bob-account', op: 'add' });
    expect(granted.json).toEqual({ updatetemplatepermissionsresponse: { success: 'true' } });
    expect((await call(f.api, f.user, { command: 'listTemplatePermissions', id })).body.templatepermission).toEqual({ id, ispublic: false, domainid: f.user.caller.domainId, account: ['bob-account'] });
    expect((await listed(f, f.other, 'sharedexecutable')).map((r) => r.id)).toEqual([id, id]);

    const featuring = await call(f.api, f.user, { command: 'updateTemplatePermissions', id, isfeatured: 'true' });
    expect(featuring.status).toBe(531);
    expect(String(featuring.body.errortext)).toContain('isfeatured');
    const stranger = await call(f.api, f.user, { command: 'updateTemplatePermissions', id, accounts: 'nobody', op: 'add' });
    expect(stranger.status).toBe(431);
    expect(String(stranger.body.errortext)).toContain('accounts');
    expect((await call(f.api, f.user, { command: 'updateTemplatePermissions', id, op: 'reset' })).status).toBe(200);
    expect(await listed(f, f.other, 'sharedexecutable')).toEqual([]);
  });

  it('refuses bad parameters with 431 naming them and leaves no template behind', async () => {
    const f = await templateApi();
    const before = await templateCount(f);
    const url = publishImage(f.sim, 'bad');
    const base = { command: 'registerTemplate', name: 'bad', displaytext: 'bad', url, format: 'QCOW2', hypervisor: 'KVM', ostypeid: f.osTypeId, zoneid: '-1' };
    const cases: [Record<string, string>, string][] = [
      [{ format: 'ZIP' }, 'format'],
      [{ zoneid: 'zone-one' }, 'zoneid'],
      [{ checksum: 'not-hex' }, 'checksum'],
      [{ url: 'ftp://images.example.com/bad.qcow2' }, 'url'],
      [{ ostypeid: '00000000-0000-4000-8000-000000000000' }, 'ostypeid'],
      [{ isfeatured: 'true' }, 'featured'],
    ];
    for (const [change, name] of cases) {
      const reply = await call(f.api, f.user, { ...base, ...change });
      expect(reply.status, name).toBe(name === 'featured' ? 531 : 431);
      expect(String(reply.body.errortext)).toContain(name);
    }
    const missing = await call(f.api, f.user, { command: 'registerTemplate', name: 'x', displaytext: 'x', url, format: 'QCOW2', hypervisor: 'KVM', ostypeid: f.osTypeId });
    expect(missing.body).toMatchObject({ errorcode: 431, errortext: expect.stringContaining('missing parameter zoneid') });
    expect(await templateCount(f)).toBe(before);
    expect(await listed(f, f.admin, 'all')).toEqual([]);
  });

  it('updates a template, then copies and deletes it through async jobs', async () => {
    const f = await templateApi();
    const [zone1, zone2] = f.zoneIds;
    const id = String(((await register(f, f.user, 'movable', { zoneid: zone1 })).body.template as Row[])[0]?.id);
    await settle(f.cloud);
    const updated = await call(f.api, f.user, { command: 'updateTemplate', id, displaytext: 'Movable', passwordenabled: 'true' });
    expect(updated.body.template).toMatchObject({ id, displaytext: 'Movable', passwordenabled: true, zoneid: zone1 });
    expect((await call(f.api, f.other, { command: 'updateTemplate', id, name: 'stolen' })).status).toBe(431);

    const copied = await callAsync(f, f.user, { command: 'copyTemplate', id, sourcezoneid: zone1, destzoneid: zone2 });
    expect(Object.keys(copied.accepted)).toEqual(['jobid']);
    expect(copied.result).toMatchObject({ jobstatus: 1, jobresultcode: 0, jobresulttype: 'object', jobresult: { template: { id, zoneid: zone2, zonename: 'adv-2', isready: true, status: 'Download Complete' } } });
    expect((await listed(f, f.user, 'self')).map((r) => r.zoneid).sort()).toEqual([zone1, zone2].sort());
    const again = await call(f.api, f.user, { command: 'copyTemplate', id, sourcezoneid: zone1, destzoneid: zone2 });
    expect(again.status).toBe(431);
    expect(String(again.body.errortext)).toContain('destzoneid');

    const fromZone = await callAsync(f, f.user, { command: 'deleteTemplate', id, zoneid: zone2 });
    expect(fromZone.result).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    expect((await listed(f, f.user, 'self')).map((r) => r.zoneid)).toEqual([zone1]);
    const deleted = await callAsync(f, f.user, { command: 'deleteTemplate', id });
    expect(deleted.result).toMatchObject({ jobstatus: 1, jobresultcode: 0, jobresult: { success: true } });
    expect((await call(f.api, f.user, { command: 'listTemplates', templatefilter: 'self' })).json).toEqual({ listtemplatesresponse: {} });
    expect((await call(f.api, f.user, { command: 'deleteTemplate', id })).status).toBe(431);
  });
});
