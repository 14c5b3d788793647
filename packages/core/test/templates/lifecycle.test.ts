import { describe, expect, it } from 'vitest';
import { refused } from '../accounts/tenants.js';
import { copiesOf, publish, registerTemplate, settle, templateCloud, templateFootprint } from './fixtures.js';

describe('template delete, copy and account deletion', () => {
  it('delete removes the images from every store, the rows and the count', async () => {
    const t = await templateCloud();
    const tpl = await registerTemplate(t, t.as.alice, 'doomed');
    await settle(t.cloud);
    expect(t.sim.lab.storeImages(t.stores[0].id).size).toBe(1);
    const job = await t.cloud.as(t.as.alice).templates.delete({ id: tpl.id });
    expect((await t.cloud.as(t.as.alice).templates.list({ templateFilter: 'self' })).total).toBe(0);
    await settle(t.cloud);
    expect((await t.cloud.as(t.as.alice).jobs.get(job.id)).status).toBe(1);
    expect(t.sim.lab.storeImages(t.stores[0].id).size).toBe(0);
    expect(t.sim.lab.storeImages(t.stores[1].id).size).toBe(0);
    expect(await copiesOf(t.cloud, tpl.id)).toEqual([]);
    const footprint = await templateFootprint(t.cloud);
    expect(footprint.templates).toBe(0);
    expect(Object.values(JSON.parse(footprint.counters) as Record<string, number>).every((v) => v === 0)).toBe(true);
  });

  it('delete in one zone keeps the template and its other copy', async () => {
    const t = await templateCloud();
    const tpl = await registerTemplate(t, t.as.alice, 'half');
    await settle(t.cloud);
    await t.cloud.as(t.as.alice).templates.delete({ id: tpl.id, zoneId: t.zones[0].id });
    await settle(t.cloud);
    expect((await copiesOf(t.cloud, tpl.id)).map((c) => c.zoneId)).toEqual([t.zones[1].id]);
    expect(t.sim.lab.storeImages(t.stores[0].id).size).toBe(0);
    await refused(() => t.cloud.as(t.as.alice).templates.delete({ id: tpl.id, zoneId: t.zones[0].id }), 431, 'zoneid');
  });

  it('copy to another zone goes through the driver and becomes usable there', async () => {
    const t = await templateCloud();
    const { url } = publish(t.sim, 'mover');
    const tpl = await t.cloud.as(t.as.alice).templates.register({ name: 'mover', displayText: 'm', url, format: 'QCOW2', hypervisor: 'KVM', osTypeId: t.osTypeId, zoneId: t.zones[0].id });
    await settle(t.cloud);
    await refused(() => t.cloud.as(t.as.alice).templates.copy({ id: tpl.id, sourceZoneId: t.zones[1].id, destZoneId: t.zones[0].id }), 431, 'sourcezoneid');
    await refused(() => t.cloud.as(t.as.alice).templates.copy({ id: tpl.id, sourceZoneId: t.zones[0].id, destZoneId: t.zones[0].id }), 431, 'destzoneid');
    await refused(() => t.cloud.as(t.as.bob).templates.copy({ id: tpl.id, sourceZoneId: t.zones[0].id, destZoneId: t.zones[1].id }), 431, 'id');
    const { copy } = await t.cloud.as(t.as.alice).templates.copy({ id: tpl.id, sourceZoneId: t.zones[0].id, destZoneId: t.zones[1].id });
    await settle(t.cloud);
    const copies = await copiesOf(t.cloud, tpl.id);
    expect(copies.find((c) => c.id === copy.id)?.state).toBe('DOWNLOADED');
    expect(t.sim.lab.storeImages(t.stores[1].id).size).toBe(1);
    await refused(() => t.cloud.as(t.as.alice).templates.copy({ id: tpl.id, sourceZoneId: t.zones[0].id, destZoneId: t.zones[1].id }), 431, 'destzoneid');
  });

  it('requireUsable needs a DOWNLOADED copy in the zone', async () => {
    const t = await templateCloud();
    t.sim.lab.faults.fail('downloadTemplate', t.stores[1].url);
    const tpl = await registerTemplate(t, t.as.alice, 'partial');
    await settle(t.cloud);
    const { TemplateService } = await import('../../src/index.js');
    const service = t.cloud.container.resolve(TemplateService);
    const ok = await t.cloud.store.transaction((tx) => service.requireUsable(tx, t.as.alice, tpl.id, t.zones[0].id));
    expect(ok.id).toBe(tpl.id);
    const error = await refused(() => t.cloud.store.transaction((tx) => service.requireUsable(tx, t.as.alice, tpl.id, t.zones[1].id)), 431, 'templateid');
    expect(error.message).toContain('not ready in zone');
    await refused(() => t.cloud.store.transaction((tx) => service.requireUsable(tx, t.as.bob, tpl.id, t.zones[0].id)), 431, 'templateid');
  });

  it('deleting an account deletes its templates and the shares it was given', async () => {
    const t = await templateCloud();
    const own = await registerTemplate(t, t.as.alice, 'alices');
    const other = await registerTemplate(t, t.as.admin1, 'admins');
    await settle(t.cloud);
    await t.cloud.as(t.as.admin1).templatePermissions.update({ id: other.id, op: 'add', accounts: ['alice'] });
    await t.cloud.system.accounts.delete({ id: t.accounts.alice.account.id });
    await settle(t.cloud);
    const left = await t.cloud.store.transaction(async (tx) => ({
      templates: (await tx.repo('templates').find()).items.map((x) => x.id),
      grants: await tx.repo('templatePermissions').count(),
    }));
    expect(left.templates).toEqual([other.id]);
    expect(left.grants).toBe(0);
    expect(await copiesOf(t.cloud, own.id)).toEqual([]);
    expect(t.sim.lab.storeImages(t.stores[0].id).size).toBe(1);
  });
});
