import { describe, expect, it } from 'vitest';
import { refused } from '../accounts/tenants.js';
import { copiesOf, publish, registerTemplate, settle, templateCloud, templateFootprint } from './fixtures.js';

describe('template registration and download', () => {
  it('registers synchronously and downloads to DOWNLOADED in every zone', async () => {
    const t = await templateCloud();
    const { url, md5 } = publish(t.sim, 'centos', 'centos bytes');
    const view = await t.cloud.as(t.as.alice).templates.register({ name: 'centos', displayText: 'CentOS', url, format: 'QCOW2', hypervisor: 'KVM', osTypeId: t.osTypeId, checksum: md5 });
    expect(view.state).toBe('Active');
    expect(view.accountId).toBe(t.accounts.alice.account.id);
    expect(view.checksum).toEqual({ algorithm: 'MD5', value: md5 });
    await settle(t.cloud);
    const copies = await copiesOf(t.cloud, view.id);
    expect(copies.map((c) => c.zoneId).sort()).toEqual([t.zones[0].id, t.zones[1].id].sort());
    expect(copies.every((c) => c.state === 'DOWNLOADED' && c.percent === 100 && c.sizeBytes === 'centos bytes'.length)).toBe(true);
    for (const store of t.stores) expect(t.sim.lab.storeImages(store.id).size).toBe(1);
    const rows = await t.cloud.as(t.as.alice).templates.list({ templateFilter: 'selfexecutable' });
    expect(rows.items.map((r) => [r.zoneId, r.status, r.isReady])).toEqual(expect.arrayContaining([[t.zones[0].id, 'Download Complete', true], [t.zones[1].id, 'Download Complete', true]]));
  });

  it('downloads to the named zone only, moving through progress as the driver reports', async () => {
    const t = await templateCloud();
    const { url } = publish(t.sim, 'slow', 'slow image', 4);
    const view = await t.cloud.as(t.as.alice).templates.register({ name: 'slow', displayText: 'slow', url, format: 'RAW', hypervisor: 'KVM', osTypeId: t.osTypeId, zoneId: t.zones[1].id });
    await settle(t.cloud);
    const copies = await copiesOf(t.cloud, view.id);
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ zoneId: t.zones[1].id, state: 'DOWNLOADED', percent: 100 });
    const events = await t.cloud.as(t.as.alice).events.list({});
    expect(events.items.some((e) => e.type === 'TEMPLATE.CREATE' && e.description.startsWith('Downloaded slow'))).toBe(true);
  });

  it.each([
    ['MD5', 'md5'],
    ['SHA-1', 'sha1'],
    ['SHA-256', 'sha256'],
  ] as const)('verifies a %s checksum: a mismatch ends in DOWNLOAD_ERROR naming both digests', async (algorithm, key) => {
    const t = await templateCloud();
    const published = publish(t.sim, 'sum', 'real bytes');
    const other = publish(t.sim, 'other', 'other bytes');
    const good = await t.cloud.as(t.as.alice).templates.register({ name: 'good', displayText: 'good', url: published.url, format: 'QCOW2', hypervisor: 'KVM', osTypeId: t.osTypeId, checksum: `{${algorithm}}${published[key]}`, zoneId: t.zones[0].id });
    const bad = await t.cloud.as(t.as.alice).templates.register({ name: 'bad', displayText: 'bad', url: published.url, format: 'QCOW2', hypervisor: 'KVM', osTypeId: t.osTypeId, checksum: other[key], zoneId: t.zones[0].id });
    await settle(t.cloud);
    expect((await copiesOf(t.cloud, good.id))[0]?.state).toBe('DOWNLOADED');
    const failed = (await copiesOf(t.cloud, bad.id))[0];
    expect(failed?.state).toBe('DOWNLOAD_ERROR');
    expect(failed?.errorText).toContain(`checksum mismatch: expected ${algorithm} ${other[key]}`);
    const job = await t.cloud.store.transaction(async (tx) => tx.repo('jobs').get(failed?.jobId ?? ''));
    expect(job?.status).toBe(2);
    expect(job?.error?.message).toContain('checksum mismatch');
  });

  it('a driver failure ends in DOWNLOAD_ERROR with the device message; a retry through copy is possible later', async () => {
    const t = await templateCloud();
    t.sim.lab.faults.fail('downloadTemplate', t.stores[0].url, 'connection reset by peer');
    const view = await registerTemplate(t, t.as.alice, 'flaky');
    await settle(t.cloud);
    const copies = await copiesOf(t.cloud, view.id);
    const byZone = new Map(copies.map((c) => [c.zoneId, c]));
    expect(byZone.get(t.zones[0].id)?.state).toBe('DOWNLOAD_ERROR');
    expect(byZone.get(t.zones[0].id)?.errorText).toMatch(/Unable to download template flaky to nfs:\/\/nfs1\/export\/secondary: connection reset by peer/);
    expect(byZone.get(t.zones[1].id)?.state).toBe('DOWNLOADED');
  });

  it('a hanging device times out after `wait` and ends in DOWNLOAD_ERROR saying so', async () => {
    const t = await templateCloud({ config: { wait: 1 } });
    t.sim.lab.faults.hang('downloadTemplate');
    const view = await registerTemplate(t, t.as.alice, 'hung', { zoneId: t.zones[0].id });
    await settle(t.cloud);
    const copy = (await copiesOf(t.cloud, view.id))[0];
    expect(copy?.state).toBe('DOWNLOAD_ERROR');
    expect(copy?.errorText).toBe('Timed out after 1000 ms trying to download template hung to nfs://nfs1/export/secondary');
  });

  it('a URL nobody serves fails with the HTTP error', async () => {
    const t = await templateCloud();
    const view = await t.cloud.as(t.as.alice).templates.register({ name: 'gone', displayText: 'gone', url: 'https://images.example.com/missing.qcow2', format: 'QCOW2', hypervisor: 'KVM', osTypeId: t.osTypeId, zoneId: t.zones[0].id });
    await settle(t.cloud);
    expect((await copiesOf(t.cloud, view.id))[0]?.errorText).toContain('HTTP 404 Not Found');
  });

  it('registers an ISO: format ISO, no hypervisor, listed by isos and not by templates', async () => {
    const t = await templateCloud();
    const { url } = publish(t.sim, 'tools');
    const iso = await t.cloud.as(t.as.alice).isos.register({ name: 'tools', displayText: 'tools', url, osTypeId: t.osTypeId, bootable: false });
    await settle(t.cloud);
    expect(iso).toMatchObject({ format: 'ISO', hypervisor: 'None', bootable: false });
    expect((await t.cloud.as(t.as.alice).isos.list({ templateFilter: 'selfexecutable' })).items.map((r) => r.id)).toEqual([iso.id, iso.id]);
    expect((await t.cloud.as(t.as.alice).templates.list({ templateFilter: 'self' })).total).toBe(0);
    await refused(() => t.cloud.as(t.as.alice).templates.update({ id: iso.id, name: 'x' }), 431, 'id');
  });

  describe('refusals leave nothing behind', () => {
    const cases: [string, (t: Awaited<ReturnType<typeof templateCloud>>) => Record<string, unknown>, number, string][] = [
      ['ftp URL', () => ({ url: 'ftp://images.example.com/a.qcow2' }), 431, 'url'],
      ['file URL', () => ({ url: 'file:///etc/passwd' }), 431, 'url'],
      ['not a URL', () => ({ url: 'not a url' }), 431, 'url'],
      ['10/8 host', () => ({ url: 'http://10.1.2.3/a.qcow2' }), 431, 'url'],
      ['172.16/12 host', () => ({ url: 'http://172.20.0.9/a.qcow2' }), 431, 'url'],
      ['192.168/16 host', () => ({ url: 'https://192.168.1.66/a.qcow2' }), 431, 'url'],
      ['loopback host', () => ({ url: 'http://127.0.0.1:8080/a.qcow2' }), 431, 'url'],
      ['localhost', () => ({ url: 'http://localhost/a.qcow2' }), 431, 'url'],
      ['link-local host', () => ({ url: 'http://169.254.169.254/latest/meta-data' }), 431, 'url'],
      ['unknown OS type', () => ({ osTypeId: 'no-such-os' }), 431, 'ostypeid'],
      ['unknown zone', () => ({ zoneId: 'no-such-zone' }), 431, 'zoneid'],
      ['bad checksum', () => ({ checksum: 'xyz' }), 431, 'checksum'],
      ['checksum of the wrong length for its algorithm', () => ({ checksum: '{SHA-256}0123456789abcdef0123456789abcdef' }), 431, 'checksum'],
      ['ISO as a template format', () => ({ format: 'ISO' }), 431, 'format'],
      ['featured by a user', () => ({ isFeatured: true }), 531, 'isfeatured'],
    ];
    it.each(cases)('%s', async (_name, change, code, param) => {
      const t = await templateCloud();
      const { url } = publish(t.sim, 'base');
      const before = await templateFootprint(t.cloud);
      const raw = t.sim.lab.storeImages(t.stores[0].id).size;
      await refused(() => t.cloud.as(t.as.alice).templates.register({ name: 'x', displayText: 'x', url, format: 'QCOW2', hypervisor: 'KVM', osTypeId: t.osTypeId, ...change(t) } as never), code, param);
      await settle(t.cloud);
      expect(await templateFootprint(t.cloud)).toEqual(before);
      expect(t.sim.lab.storeImages(t.stores[0].id).size).toBe(raw);
    });

    it('a private address allowed by secstorage.allowed.internal.sites is accepted; a neighbour is not', async () => {
      const t = await templateCloud({ config: { 'secstorage.allowed.internal.sites': '192.168.1.66/32,10.5.0.0/16' } });
      t.sim.lab.publishImage('http://192.168.1.66/a.qcow2', { content: 'internal' });
      const ok = await t.cloud.as(t.as.alice).templates.register({ name: 'internal', displayText: 'i', url: 'http://192.168.1.66/a.qcow2', format: 'QCOW2', hypervisor: 'KVM', osTypeId: t.osTypeId });
      await t.cloud.as(t.as.alice).templates.register({ name: 'internal2', displayText: 'i', url: 'http://10.5.9.9/b.qcow2', format: 'QCOW2', hypervisor: 'KVM', osTypeId: t.osTypeId });
      await settle(t.cloud);
      const before = await templateFootprint(t.cloud);
      const error = await refused(() => t.cloud.as(t.as.alice).templates.register({ name: 'x', displayText: 'x', url: 'http://192.168.1.67/a.qcow2', format: 'QCOW2', hypervisor: 'KVM', osTypeId: t.osTypeId }), 431, 'url');
      expect(error.message).toContain('secstorage.allowed.internal.sites');
      expect(await templateFootprint(t.cloud)).toEqual(before);
      await settle(t.cloud);
      expect((await copiesOf(t.cloud, ok.id)).every((c) => c.state === 'DOWNLOADED')).toBe(true);
    });

    it('public host names and public addresses pass (no DNS in core)', async () => {
      const t = await templateCloud();
      t.sim.lab.publishImage('https://8.8.4.4/a.qcow2', { content: 'public' });
      const view = await t.cloud.as(t.as.alice).templates.register({ name: 'pub', displayText: 'p', url: 'https://8.8.4.4/a.qcow2', format: 'QCOW2', hypervisor: 'KVM', osTypeId: t.osTypeId });
      await settle(t.cloud);
      expect((await copiesOf(t.cloud, view.id)).map((c) => c.state)).toEqual(['DOWNLOADED', 'DOWNLOADED']);
    });

    it('the template limit (532) counts registrations and releases on delete', async () => {
      const t = await templateCloud();
      await t.cloud.system.resourceLimits.update({ accountId: t.accounts.alice.account.id, resourceType: 'template', max: 1 });
      const first = await registerTemplate(t, t.as.alice, 'one');
      await settle(t.cloud);
      const before = await templateFootprint(t.cloud);
      const error = await refused(() => registerTemplate(t, t.as.alice, 'two'), 532);
      expect(error.message).toContain("'template'");
      expect(await templateFootprint(t.cloud)).toEqual(before);
      await settle(t.cloud);
      await t.cloud.as(t.as.alice).templates.delete({ id: first.id });
      await settle(t.cloud);
      await registerTemplate(t, t.as.alice, 'three');
      const limits = await t.cloud.as(t.as.alice).resourceLimits.list({ resourceType: 'template' });
      expect(limits[0]?.used).toBe(1);
    });

    it('public user templates can be switched off (allow.public.user.templates)', async () => {
      const t = await templateCloud({ config: { 'allow.public.user.templates': false } });
      const before = await templateFootprint(t.cloud);
      await refused(() => registerTemplate(t, t.as.alice, 'pub', { isPublic: true }), 431, 'ispublic');
      expect(await templateFootprint(t.cloud)).toEqual(before);
      const admin = await registerTemplate(t, t.as.admin1, 'adminpub', { isPublic: true });
      expect(admin.isPublic).toBe(true);
    });
  });
});
