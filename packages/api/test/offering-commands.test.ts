import { describe, expect, it } from 'vitest';
import { footprint } from '../../core/test/infrastructure/fixtures.js';
import { call, coreApi } from './support/core-api.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/;

describe('offering commands over a real core cloud', () => {
  it("lists the built-in service offerings with the fields Libcloud's list_sizes reads", async () => {
    const f = await coreApi();
    const listed = await call(f.api, f.user, { command: 'listServiceOfferings' });
    expect(listed.status).toBe(200);
    const offerings = listed.body.serviceoffering as Record<string, unknown>[];
    expect(listed.body.count).toBe(offerings.length);
    expect(offerings.length).toBeGreaterThan(0);
    for (const o of offerings) {
      expect(o).toMatchObject({ id: expect.stringMatching(UUID), name: expect.any(String), memory: expect.any(Number), cpunumber: expect.any(Number), cpuspeed: expect.any(Number), issystem: false });
      expect(String(o.created)).toMatch(DATE);
    }
  });

  it('creates, renames and deletes a service offering; users may not create one', async () => {
    const f = await coreApi();
    const created = await call(f.api, f.admin, { command: 'createServiceOffering', name: 'big', displaytext: 'Big', cpunumber: '4', cpuspeed: '2000', memory: '8192', offerha: 'true', tags: 'ssd', hosttags: 'gpu' });
    const id = String((created.body.serviceoffering as { id: string }).id);
    expect(created.json).toEqual({
      createserviceofferingresponse: {
        serviceoffering: { id, name: 'big', displaytext: 'Big', cpunumber: 4, cpuspeed: 2000, memory: 8192, created: expect.stringMatching(DATE), storagetype: 'shared', offerha: true, limitcpuuse: false, tags: 'ssd', hosttags: 'gpu', issystem: false, defaultuse: false },
      },
    });
    expect((await call(f.api, f.admin, { command: 'updateServiceOffering', id, displaytext: 'Bigger' })).body.serviceoffering).toMatchObject({ id, displaytext: 'Bigger' });
    expect((await call(f.api, f.user, { command: 'listServiceOfferings', id })).body).toMatchObject({ count: 1, serviceoffering: [{ id, name: 'big' }] });
    expect((await call(f.api, f.user, { command: 'createServiceOffering', name: 'x', displaytext: 'x', cpunumber: '1', cpuspeed: '1', memory: '1' })).status).toBe(432);
    expect((await call(f.api, f.admin, { command: 'deleteServiceOffering', id })).json).toEqual({ deleteserviceofferingresponse: { success: 'true' } });
    expect((await call(f.api, f.user, { command: 'listServiceOfferings', id })).json).toEqual({ listserviceofferingsresponse: {} });
  });

  it('refuses a bad parameter with 431 naming it and creates nothing', async () => {
    const f = await coreApi();
    const before = await footprint(f.cloud);
    const bad = await call(f.api, f.admin, { command: 'createServiceOffering', name: 'x', displaytext: 'x', cpunumber: 'four', cpuspeed: '1', memory: '1' });
    expect(bad.status).toBe(431);
    expect(String(bad.body.errortext)).toContain('cpunumber');
    const noSize = await call(f.api, f.admin, { command: 'createDiskOffering', name: 'd', displaytext: 'd' });
    expect(noSize.status).toBe(431);
    expect(await footprint(f.cloud)).toBe(before);
  });

  it('creates fixed and customized disk offerings with disksize in GB', async () => {
    const f = await coreApi();
    const fixed = await call(f.api, f.admin, { command: 'createDiskOffering', name: 'd20', displaytext: '20 GB', disksize: '20' });
    const id = String((fixed.body.diskoffering as { id: string }).id);
    expect(fixed.json).toEqual({ creatediskofferingresponse: { diskoffering: { id, name: 'd20', displaytext: '20 GB', disksize: 20, created: expect.stringMatching(DATE), iscustomized: false, storagetype: 'shared' } } });
    const custom = await call(f.api, f.admin, { command: 'createDiskOffering', name: 'any', displaytext: 'Custom', customized: 'true' });
    expect(custom.body.diskoffering).toMatchObject({ disksize: 0, iscustomized: true });
    const listed = await call(f.api, f.user, { command: 'listDiskOfferings', name: 'd20' });
    expect(listed.body).toMatchObject({ count: 1, diskoffering: [{ id, name: 'd20', disksize: 20, iscustomized: false }] });
    expect((await call(f.api, f.admin, { command: 'updateDiskOffering', id, name: 'd20b' })).body.diskoffering).toMatchObject({ name: 'd20b' });
    expect((await call(f.api, f.admin, { command: 'deleteDiskOffering', id })).json).toEqual({ deletediskofferingresponse: { success: 'true' } });
  });
});
