import { describe, expect, it } from 'vitest';
import type { Cloud } from '../../src/index.js';
import { copiesOf, publish, registerTemplate, settle, templateCloud } from './fixtures.js';

async function usageOf(cloud: Cloud, resourceId: string) {
  return cloud.store.transaction(async (tx) => (await tx.repo('usageRecords').find({ where: { resourceId } })).items.map((u) => [u.type, u.zoneId, u.size, u.templateId]));
}

describe('template storage usage records', () => {
  it('writes TEMPLATE.CREATE per zone when a copy lands and TEMPLATE.DELETE per zone when it goes', async () => {
    const t = await templateCloud();
    const template = await registerTemplate(t, t.as.alice, 'usage-tmpl');
    expect(await usageOf(t.cloud, template.id)).toEqual([]);
    await settle(t.cloud);
    const copies = await copiesOf(t.cloud, template.id);
    expect(copies.map((c) => c.state)).toEqual(['DOWNLOADED', 'DOWNLOADED']);
    const size = copies[0]?.sizeBytes ?? -1;
    expect(size).toBeGreaterThan(0);
    const created = await usageOf(t.cloud, template.id);
    expect(created).toEqual(expect.arrayContaining([['TEMPLATE.CREATE', t.zones[0].id, size, template.id], ['TEMPLATE.CREATE', t.zones[1].id, size, template.id]]));
    expect(created).toHaveLength(2);

    // Deleting the copy of one zone ends storage there only.
    await t.cloud.as(t.as.alice).templates.delete({ id: template.id, zoneId: t.zones[1].id });
    await settle(t.cloud);
    expect((await usageOf(t.cloud, template.id)).filter((u) => u[0] === 'TEMPLATE.DELETE')).toEqual([['TEMPLATE.DELETE', t.zones[1].id, size, template.id]]);
    await t.cloud.as(t.as.alice).templates.delete({ id: template.id });
    await settle(t.cloud);
    expect((await usageOf(t.cloud, template.id)).filter((u) => u[0] === 'TEMPLATE.DELETE')).toEqual([
      ['TEMPLATE.DELETE', t.zones[1].id, size, template.id],
      ['TEMPLATE.DELETE', t.zones[0].id, size, template.id],
    ]);
  });

  it('writes no storage usage for a failed download, nor a delete of a copy that never landed', async () => {
    const t = await templateCloud();
    const missing = await t.cloud.as(t.as.alice).templates.register({ name: 'missing', displayText: 'missing', url: 'http://images.example.com/none.qcow2', format: 'QCOW2', hypervisor: 'KVM', osTypeId: t.osTypeId });
    await settle(t.cloud);
    expect((await copiesOf(t.cloud, missing.id)).every((c) => c.state === 'DOWNLOAD_ERROR')).toBe(true);
    await t.cloud.as(t.as.alice).templates.delete({ id: missing.id });
    await settle(t.cloud);
    expect(await usageOf(t.cloud, missing.id)).toEqual([]);
  });

  it('ISOs have no template storage usage type: registering and deleting one writes none', async () => {
    const t = await templateCloud();
    const { url } = publish(t.sim, 'tools-iso');
    const iso = await t.cloud.as(t.as.alice).isos.register({ name: 'tools', displayText: 'tools', url, osTypeId: t.osTypeId, bootable: false });
    await settle(t.cloud);
    expect((await copiesOf(t.cloud, iso.id)).some((c) => c.state === 'DOWNLOADED')).toBe(true);
    await t.cloud.as(t.as.alice).isos.delete({ id: iso.id });
    await settle(t.cloud);
    expect(await usageOf(t.cloud, iso.id)).toEqual([]);
  });
});
